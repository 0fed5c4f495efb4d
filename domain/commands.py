"""Who ran a command, under which key, and the record that makes retries safe.

Every event a command writes carries ``meta``: actor, command id (the
client's idempotency key, or a fresh id), correlation id (ties together all
events of one request) and the command's name. Recorded time is the event's
own ``timestamp``; business dates are separate fields of each event.

A command given an idempotency key writes a ``CommandReceipt`` in the same
atomic save as its facts. The receipt's id is derived from the actor and the
key, so the event store's uniqueness makes a second save under the same key
by the same actor impossible, also across processes and restarts, while
another actor's key never meets it.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Generic, TypeVar

from eventsourcing.domain import Aggregate, event

from domain.errors import ValidationError
from domain.text import check_text

# Namespace for ids derived from business keys (uuid5), fixed forever.
R = TypeVar("R")
F = TypeVar("F", bound=Callable[..., Any])

NAMESPACE = uuid.UUID("6f1c9a52-34d1-4c8e-9a77-2f1b1c0e7a10")
# Longest actor and idempotency key / correlation id (the read models' columns).
MAX_ACTOR = 64
MAX_KEY = 128


def derived_id(kind: str, key: str) -> uuid.UUID:
    """A stable aggregate id for a business key, e.g. derived_id('period', '2026-11')."""
    return uuid.uuid5(NAMESPACE, f"{kind}:{key}")


@dataclass(frozen=True)
class Outcome(Generic[R]):
    """What a command returns: its result and the log position to wait for.

    Here, below every context and the application layer, so that a use case
    anywhere can return one without importing ``domain.application``."""

    value: R
    position: int
    replayed: bool = False


@dataclass(frozen=True)
class CodeResult:
    """What a command on master data returns: the code of the record it made or
    changed (an item, a warehouse, a party, a work center...). Shared by the
    contexts, so it lives here rather than in one context's handlers."""

    code: str


@dataclass(frozen=True)
class CommandContext:
    actor: str = "system"
    idempotency_key: str | None = None
    correlation_id: str | None = None
    command_id: str = field(default="")
    # The caller's roles; None for trusted in-process callers (CLI, demo, tests),
    # which the role check lets through. See domain/access.py.
    roles: frozenset[str] | None = None

    def resolved(self) -> CommandContext:
        """Fill in the command id (the key if given) and the correlation id."""
        self.check()
        command_id = self.command_id or self.idempotency_key or uuid.uuid4().hex
        return CommandContext(
            actor=self.actor,
            idempotency_key=self.idempotency_key,
            correlation_id=self.correlation_id or command_id,
            command_id=command_id,
            roles=self.roles,
        )

    def check(self) -> None:
        """Refuse metadata too long for the read models' columns (it would stop
        the projections on PostgreSQL)."""
        for value, limit, name in (
            (self.actor, MAX_ACTOR, "actor"),
            (self.idempotency_key, MAX_KEY, "idempotencyKey"),
            (self.correlation_id, MAX_KEY, "correlationId"),
        ):
            if value and len(value) > limit:
                raise ValidationError(f"{name} is longer than {limit} characters", name)
            if value:  # headers bypass the GraphQL text check (X-Actor, X-Correlation-Id)
                check_text(value, name, limit)

    def meta(self, command_name: str) -> dict[str, str]:
        return {
            "actor": self.actor,
            "command": command_name,
            "command_id": self.command_id,
            "correlation_id": self.correlation_id or self.command_id,
        }


def _number_text(value: Decimal) -> str:
    """One spelling per number: 100, 100.0 and 100.00 are the same amount."""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


def _canonical(value: Any) -> Any:
    """The command's input in one spelling, so a retry that writes an amount
    differently ("100" vs "100.00") is still the same request."""
    if isinstance(value, Decimal):
        return _number_text(value) if value.is_finite() else str(value)
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except ArithmeticError:
            return value
        return _number_text(number) if number.is_finite() and value.strip() else value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number_text(Decimal(repr(value)))
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return _canonical({k: getattr(value, k) for k in value.__dataclass_fields__})
    return value


def fingerprint(command_name: str, payload: Any) -> str:
    """Hash of a command's input: the same key with another input is a Conflict."""
    text = json.dumps([command_name, _canonical(payload)], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


F = TypeVar("F", bound=Callable[..., Any])


def recorded_as(name: str = "", payload: Callable[..., Any] | None = None) -> Callable[[F], F]:
    """How the command table records a handler (``domain/command_table.py``).

    ``name``: the command it runs as (its roles, its events' metadata, its
    idempotency receipts), when it is another spelling of that command (a
    scanner's report is ``report_operation``). ``payload(**arguments)``: the
    input an idempotency key fingerprints, when it is not the arguments as
    given (a scan code in one spelling, a snapshot by its fingerprint)."""

    def mark(handler: F) -> F:
        handler.recorded_as = name  # type: ignore[attr-defined]
        handler.idempotency_payload = payload  # type: ignore[attr-defined]
        return handler

    return mark


class CommandReceipt(Aggregate):
    """The first outcome of an idempotent command (id derived from its actor and key).

    Keys are scoped per actor: two users who happen to send the same key (a
    client library's counter, a guessed key) get two receipts, so neither can
    replay the other's result nor block the other's command with a Conflict.
    """

    @event("Recorded")
    def __init__(self, key: str, command: str, fingerprint: str, result: dict[str, Any],
                 actor: str = ""):
        self.key = key
        self.command = command
        self.fingerprint = fingerprint
        self.result = result
        self.actor = actor

    @staticmethod
    def id_for(actor: str, key: str) -> uuid.UUID:
        # JSON keeps the pair unambiguous (no separator an actor or key could contain).
        return derived_id("command-receipt", json.dumps([actor, key], ensure_ascii=False))

    @classmethod
    def create_id(cls, key: str, actor: str = "", **_: Any) -> uuid.UUID:
        return cls.id_for(actor, key)
