"""What every resolver gets: the runtime and who is asking.

``run_command`` and ``read`` are the two things a resolver does; both run off
the event loop, because the use cases and the read models block on the
database.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from anyio import to_thread
from sqlalchemy import Connection
from starlette.requests import Request
from strawberry.types import Info

from api.graphql.errors import AnyError, QueryError, from_domain, query_error
from api.runtime import READ_YOUR_WRITES_TIMEOUT, Runtime
from domain.access import can_read
from domain.application import FactoryLedger, Outcome
from domain.commands import CommandContext
from domain.errors import DomainError

T = TypeVar("T")

ANONYMOUS = "anonymous"


@dataclass
class Context:
    runtime: Runtime
    actor: str = ANONYMOUS
    correlation_id: str | None = None
    request: Request | None = None
    response: Any = None
    # None: open mode (no users yet, everything allowed); else the user's roles
    # (empty for a missing or bad token once users exist).
    roles: frozenset[str] | None = None

    @classmethod
    def from_request(cls, runtime: Runtime, request: Request, response: Any = None) -> Context:
        """Who is asking: the bearer token's user, or (open mode) X-Actor."""
        principal = runtime.app.authenticate(
            _bearer(request), fallback_actor=_header(request, "x-actor") or ANONYMOUS
        )
        return cls(runtime, principal.actor, _header(request, "x-correlation-id"), request,
                   response, principal.roles)

    def command(self, idempotency_key: str | None = None) -> CommandContext:
        return CommandContext(
            actor=self.actor,
            idempotency_key=(idempotency_key or "").strip() or None,
            correlation_id=self.correlation_id,
            roles=self.roles,
        )


def _bearer(request: Request) -> str | None:
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def _header(request: Request, name: str) -> str | None:
    return (request.headers.get(name) or "").strip() or None


def context_of(info: Info) -> Context:
    return info.context


async def run_command(
    info: Info,
    command: Callable[[FactoryLedger, CommandContext], Outcome],
    idempotency_key: str | None,
    build: Callable[[Connection, Outcome], T],
) -> T | AnyError:
    """Run one use case, wait until the read models show it, build the payload.

    Expected failures become typed errors; anything else propagates (and is
    masked at the top level)."""
    ctx = context_of(info)
    runtime = ctx.runtime
    try:
        outcome = await to_thread.run_sync(command, runtime.app, ctx.command(idempotency_key))
    except DomainError as exc:
        return from_domain(exc)
    if not await to_thread.run_sync(settle, runtime, outcome.position):
        raise QueryError(
            f"the command was recorded at log position {outcome.position}, but the read "
            f"models have not reached it yet; query again with waitFor: {outcome.position}",
            "ProjectionLag",
        )

    def answer() -> T:
        with runtime.read() as conn:
            return build(conn, outcome)

    return await to_thread.run_sync(answer)


async def read(info: Info, query: Callable[[Connection], T], wait_for: int | None = None) -> T:
    """Answer a query from the read models, first waiting until they have
    reached log position ``wait_for`` (read-your-writes)."""
    ctx = context_of(info)
    runtime = ctx.runtime
    if not can_read(ctx.roles):
        raise QueryError("sign in: send a valid bearer token (Authorization: Bearer …)",
                         "PermissionDenied")
    if wait_for is not None and wait_for > 0:
        await _wait_for(runtime, wait_for)

    def answer() -> T:
        with runtime.read() as conn:
            try:
                return query(conn)
            except DomainError as exc:
                raise query_error(exc) from None

    return await to_thread.run_sync(answer)


def settle(runtime: Runtime, position: int) -> bool:
    """``runtime.settle`` (bounded). Without a following worker, a concurrent
    request may be catching up the same batch; give it the time to finish."""
    deadline = time.monotonic() + READ_YOUR_WRITES_TIMEOUT
    while not runtime.settle(position, timeout=READ_YOUR_WRITES_TIMEOUT):
        if runtime.worker is not None or time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


async def _wait_for(runtime: Runtime, position: int) -> None:
    end = await to_thread.run_sync(runtime.app.log_position)
    if position > end:
        raise QueryError(
            f"waitFor {position} is beyond the end of the log ({end})", "ValidationError",
            field="waitFor",
        )
    if not await to_thread.run_sync(settle, runtime, position):
        raise QueryError(
            f"the read models did not reach log position {position} in time; try again",
            "ProjectionLag",
        )
