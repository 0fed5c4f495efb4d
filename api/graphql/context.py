"""What every resolver gets: the runtime and who is asking.

``run_command`` and ``read`` are the two things a resolver does; both run off
the event loop, because the use cases and the read models block on the
database. ``read`` first checks that the caller may read the field
(``domain.access.READ_AREAS``): every query goes through one gate.

Consistency of a mutation's answer: the command answers from its own result
and log position without waiting for the read models (``consistency:
EVENTUAL``, the default). A payload field that only the read models hold (an
order's lines, a document's values) is read when the client selects it, after
waiting for the command's own position: such a mutation waits only when it
must. ``consistency: READ_YOUR_WRITES`` waits before answering, so that any
query after it, on any API process, sees the write (queries keep ``waitFor``).
A runtime no projector follows (the CLI, tests: ``projects_inline``) catches
the read models up after every command, as nobody else would.

Sign-in: a bearer token of an enabled user. While the company has no users
(open mode, the demo) the API answers loopback clients only, and X-Actor names
the caller; once a user exists, X-Actor is ignored.
"""

from __future__ import annotations

import enum
import ipaddress
from collections.abc import Callable
from contextlib import AbstractContextManager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

import strawberry
from anyio import to_thread
from sqlalchemy import Connection
from starlette.requests import Request
from strawberry.annotation import StrawberryAnnotation
from strawberry.extensions import FieldExtension
from strawberry.types import Info
from strawberry.types.arguments import StrawberryArgument
from strawberry.types.field import StrawberryField

from api import companies
from api.graphql.errors import AnyError, QueryError, from_domain, query_error
from api.runtime import Runtime
from domain.access import READ_AREAS, check_read, readers
from domain.application import FactoryLedger, Outcome
from domain.commands import CommandContext
from domain.errors import DomainError, PermissionDenied, ProjectionLag
from domain.users.directory import Principal

T = TypeVar("T")

ANONYMOUS = "anonymous"
SIGN_IN = "sign in: send a valid bearer token (Authorization: Bearer …)"
OPEN_MODE_REMOTE = ("the company has no users yet: this open (demo) server answers loopback "
                    "clients only; create a user (factoryledger user add NAME --role admin) "
                    "and send its bearer token")
ROOT_TYPES = ("Query", "Subscription")


def is_loopback(host: str | None) -> bool:
    """127.0.0.0/8 or ::1 (also as ::ffff:127.x.y.z); a name or no address is not."""
    try:
        address = ipaddress.ip_address((host or "").strip("[]"))
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


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
    # The read areas of ``roles`` (None: all) and the company's viewer areas.
    areas: frozenset[str] | None = None
    viewer_areas: frozenset[str] = frozenset()
    token: str | None = None
    refusal: str = SIGN_IN  # why a caller without roles is refused
    connection_params: Any = None  # graphql-transport-ws connection_init payload

    @classmethod
    def from_request(cls, runtime: Runtime, request: Request, response: Any = None) -> Context:
        """Who is asking: the bearer token's user, or (open mode, loopback) X-Actor."""
        token = _bearer(request)
        principal, refusal = authenticate(runtime, token, request)
        return cls(runtime, principal.actor, _header(request, "x-correlation-id"), request,
                   response, principal.roles, principal.areas, principal.viewer_areas, token,
                   refusal)

    def sign_in_with(self, params: Any) -> None:
        """A browser cannot set headers on a WebSocket: it may send its token in
        the connection_init payload, ``{"Authorization": "Bearer …"}``."""
        if not isinstance(params, dict):
            return
        value = params.get("Authorization") or params.get("authorization")
        scheme, _, token = str(value or "").partition(" ")
        token = token.strip() if scheme.lower() == "bearer" else ""
        if token and token != self.token:
            principal, self.refusal = authenticate(self.runtime, token, self.request)
            self.token, self.actor, self.roles = token, principal.actor, principal.roles
            self.areas, self.viewer_areas = principal.areas, principal.viewer_areas

    def signed_in(self) -> bool:
        """Whether the caller is (still) who it was: re-reads the token and the user,
        so a revoked token or a disabled user stops a long-lived connection; takes
        up the user's current roles and areas (``check_read`` again after)."""
        principal, refusal = authenticate(self.runtime, self.token, self.request)
        self.refusal = refusal
        if principal.roles is not None and (principal.actor != self.actor
                                            or not principal.roles):
            return False
        self.roles, self.areas = principal.roles, principal.areas
        self.viewer_areas = principal.viewer_areas
        return True

    def check_read(self, what: str) -> None:
        """Raise PermissionDenied (a QueryError) unless the caller may read ``what``."""
        if self.roles is not None and not self.roles:
            raise QueryError(self.refusal, "PermissionDenied", query=what)
        try:
            check_read(what, self.areas, self.viewer_areas)
        except PermissionDenied as exc:
            area = READ_AREAS.get(what)
            may = readers(area.value, self.viewer_areas) if area else []
            raise QueryError(exc.message, "PermissionDenied", query=what, roles=may) from None

    def command(self, idempotency_key: str | None = None) -> CommandContext:
        return CommandContext(
            actor=self.actor,
            idempotency_key=(idempotency_key or "").strip() or None,
            correlation_id=self.correlation_id,
            roles=self.roles,
        )


def authenticate(runtime: Runtime, token: str | None, request: Request | None
                 ) -> tuple[Principal, str]:
    """The principal of a request, and why it is refused if it has no roles.

    Open mode (no users) trusts X-Actor and admits loopback clients only."""
    actor = (_header(request, "x-actor") if request is not None else None) or ANONYMOUS
    # the company's own users, or a home token of one of its members (api.companies)
    principal = companies.authenticate(runtime, token, actor)
    if principal.open_mode:
        client = request.client if request is not None else None
        if not is_loopback(client.host if client else None):
            return Principal(ANONYMOUS, frozenset(), frozenset()), OPEN_MODE_REMOTE
    return principal, SIGN_IN


def read_key(info: Info) -> str:
    """The READ_AREAS key of the field being resolved: a root field by name,
    another type's field as "Type.field"."""
    parent = info.path.typename or ""
    return info.field_name if parent in ROOT_TYPES else f"{parent}.{info.field_name}"


def _bearer(request: Request) -> str | None:
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def _header(request: Request, name: str) -> str | None:
    return (request.headers.get(name) or "").strip() or None


def context_of(info: Info) -> Context:
    return info.context


@strawberry.enum(description="How far a mutation's answer waits for the read models.")
class Consistency(enum.Enum):
    EVENTUAL = strawberry.enum_value(
        "EVENTUAL", description="Answer from the command's result at once; fields only the "
        "read models hold wait for the command's own position when selected (default).")
    READ_YOUR_WRITES = strawberry.enum_value(
        "READ_YOUR_WRITES", description="Answer once the read models have reached the "
        "command's position: a query after it, on any server process, sees the write.")


_consistency: ContextVar[Consistency] = ContextVar("consistency", default=Consistency.EVENTUAL)


class ConsistencyArgument(FieldExtension):
    """Adds ``consistency: Consistency = EVENTUAL`` to a mutation; the resolver
    does not see it, ``run_command`` does."""

    def apply(self, field: StrawberryField) -> None:
        field.arguments = [*field.arguments, StrawberryArgument(
            python_name="consistency", graphql_name=None,
            type_annotation=StrawberryAnnotation(Consistency), default=Consistency.EVENTUAL,
            description="EVENTUAL (default): answer at once; READ_YOUR_WRITES: wait until "
            "the read models show this command.")]

    def resolve(self, next_: Any, source: Any, info: Info, **kwargs: Any) -> Any:
        kwargs.pop("consistency", None)
        return next_(source, info, **kwargs)

    async def resolve_async(self, next_: Any, source: Any, info: Info, **kwargs: Any) -> Any:
        token = _consistency.set(kwargs.pop("consistency", None) or Consistency.EVENTUAL)
        try:
            return await next_(source, info, **kwargs)
        finally:
            _consistency.reset(token)


def _lag(position: int) -> QueryError:
    return QueryError(
        f"the command was recorded at log position {position}, but the read "
        f"models have not reached it yet; query again with waitFor: {position}",
        "ProjectionLag",
    )


class _Behind(Exception):
    pass


class ReadWhenNeeded:
    """The read-model connection a payload builder gets: it waits for the
    command's position and opens only when the builder first reads, so a
    payload answered from the command's result never waits."""

    def __init__(self, runtime: Runtime, position: int) -> None:
        self._runtime, self._position = runtime, position
        self._opened: AbstractContextManager[Connection] | None = None
        self._conn: Connection | None = None

    @property
    def used(self) -> bool:
        return self._conn is not None

    def _open(self) -> Connection:
        if self._conn is None:
            if not settle(self._runtime, self._position):
                raise _Behind
            self._opened = self._runtime.read()
            self._conn = self._opened.__enter__()
        return self._conn

    def __getattr__(self, name: str) -> Any:
        return getattr(self._open(), name)

    def close(self) -> None:
        if self._opened is not None:
            self._opened.__exit__(None, None, None)


async def run_command(
    info: Info,
    command: Callable[[FactoryLedger, CommandContext], Outcome],
    idempotency_key: str | None,
    build: Callable[[Connection, Outcome], T],
) -> T | AnyError:
    """Run one use case and build the payload: from the command's result at
    once, from the read models (after they show the command) only where the
    builder reads them, or after waiting in any case (READ_YOUR_WRITES).

    Expected failures become typed errors; anything else propagates (and is
    masked at the top level)."""
    ctx = context_of(info)
    runtime = ctx.runtime
    if ctx.roles is not None and not ctx.roles:  # not signed in: say how, run nothing
        return from_domain(PermissionDenied(ctx.refusal))
    try:
        outcome = await to_thread.run_sync(command, runtime.app, ctx.command(idempotency_key))
    except DomainError as exc:
        return from_domain(exc)
    except ProjectionLag as exc:  # a read port found the read models behind; nothing ran
        raise QueryError(exc.message, "ProjectionLag") from None
    # Without a projector following the log (inline), the writer catches up.
    must_wait = _consistency.get() is Consistency.READ_YOUR_WRITES or runtime.projects_inline
    if must_wait and not await to_thread.run_sync(settle, runtime, outcome.position):
        raise _lag(outcome.position)

    def answer() -> T:
        conn = ReadWhenNeeded(runtime, outcome.position)
        try:
            return build(conn, outcome)  # type: ignore[arg-type] - a Connection when read
        finally:
            conn.close()

    try:
        return await to_thread.run_sync(answer)
    except _Behind:
        raise _lag(outcome.position) from None


async def after_command(info: Info, position: int, query: Callable[[Connection], T]) -> T:
    """A payload field only the read models hold, resolved when selected: wait
    for the command's own position, then read (the field's read area, as any
    reader of another type: ``domain.access.READ_AREAS``)."""
    ctx = context_of(info)
    ctx.check_read(read_key(info))
    runtime = ctx.runtime
    if not await to_thread.run_sync(settle, runtime, position):
        raise _lag(position)

    def answer() -> T:
        with runtime.read() as conn:
            return query(conn)

    return await to_thread.run_sync(answer)


async def read(info: Info, query: Callable[[Connection], T], wait_for: int | None = None) -> T:
    """Answer a query from the read models, first waiting until they have
    reached log position ``wait_for`` (read-your-writes)."""
    ctx = context_of(info)
    runtime = ctx.runtime
    ctx.check_read(read_key(info))
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
    """``runtime.reach``: bounded read-your-writes wait."""
    return runtime.reach(position)


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
