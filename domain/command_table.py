"""The command table: every command's name, its handler and its result type.

Each context's ``handlers`` module lists its command handlers (``HANDLERS``,
plain functions ``handle(uow, ...) -> result``) and its readers
(``READERS``, ``read(uow, ...) -> value``, never saved). The application
runs a command by its name (``FactoryLedger.execute``); the name is also what
``domain/access.py`` grants to roles and what each event's metadata records.

Adding a context adds one line to ``CONTEXTS``.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from domain.equipment import handlers as equipment
from domain.ledger import handlers as ledger

CONTEXTS: tuple[ModuleType, ...] = (
    ledger,
    equipment,
)


@dataclass(frozen=True)
class Command:
    name: str
    handler: Callable[..., Any]
    result_type: type
    signature: inspect.Signature

    def payload(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[Any]:
        """The command's input in parameter order with defaults filled in, so
        a retry that passes an argument by name instead of position (or
        leaves a default out) has the same idempotency fingerprint."""
        bound = self.signature.bind(None, *args, **kwargs)
        bound.apply_defaults()
        return list(bound.arguments.values())[1:]


def _command(handler: Callable[..., Any]) -> Command:
    hints = typing.get_type_hints(handler)
    result = hints.get("return")
    if not isinstance(result, type):
        raise TypeError(f"handler {handler.__module__}.{handler.__name__} must declare "
                        "a result class as its return type")
    return Command(handler.__name__, handler, result, inspect.signature(handler))


def _table(entries: Iterable[tuple[str, Any]], kind: str) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for name, entry in entries:
        if name in table:
            raise TypeError(f"two {kind} are named {name}")
        table[name] = entry
    return table


COMMANDS: dict[str, Command] = _table(
    ((h.__name__, _command(h)) for m in CONTEXTS for h in getattr(m, "HANDLERS", ())),
    "commands",
)
READERS: dict[str, Callable[..., Any]] = _table(
    ((r.__name__, r) for m in CONTEXTS for r in getattr(m, "READERS", ())), "readers"
)
