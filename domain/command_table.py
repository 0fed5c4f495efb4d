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

from domain.catalog import handlers as catalog
from domain.equipment import handlers as equipment
from domain.finance import handlers as finance
from domain.fixed_assets import handlers as fixed_assets
from domain.inventory import handlers as inventory
from domain.invoicing import purchase_handlers as purchase_invoicing
from domain.invoicing import sales_handlers as sales_invoicing
from domain.ledger import handlers as ledger
from domain.parties import handlers as parties
from domain.planning import handlers as planning
from domain.planning import schedule_handlers as planning_schedules
from domain.production import engineering, reporting
from domain.production import handlers as production
from domain.purchasing import handlers as purchasing
from domain.quality import handlers as quality
from domain.sales import handlers as sales
from domain.users import handlers as users
from domain.workflows import dispositions, monthly_plan, mrp, overhead

CONTEXTS: tuple[ModuleType, ...] = (
    ledger,
    catalog,
    parties,
    purchasing,
    sales,
    inventory,
    engineering, production, reporting,
    planning, planning_schedules,
    finance,
    fixed_assets,
    sales_invoicing,
    purchase_invoicing,
    users,
    quality,
    mrp, monthly_plan, overhead, dispositions,
    equipment,
)


@dataclass(frozen=True)
class Command:
    name: str  # what roles, metadata and receipts know it by (see ``recorded_as``)
    handler: Callable[..., Any]
    result_type: type
    signature: inspect.Signature
    fingerprinted: Callable[..., Any] | None = None

    def payload(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """The command's input in parameter order with defaults filled in, so
        a retry that passes an argument by name instead of position (or
        leaves a default out) has the same idempotency fingerprint; or what
        the handler's ``recorded_as(payload=...)`` makes of it."""
        bound = self.signature.bind(None, *args, **kwargs)
        bound.apply_defaults()
        if self.fingerprinted is not None:
            return self.fingerprinted(**dict(list(bound.arguments.items())[1:]))
        return list(bound.arguments.values())[1:]


def as_command(handler: Callable[..., Any], name: str = "") -> Command:
    """The command a handler makes (``name``: run under another command's name)."""
    hints = typing.get_type_hints(handler)
    result = hints.get("return")
    if not isinstance(result, type):
        raise TypeError(f"handler {handler.__module__}.{handler.__name__} must declare "
                        "a result class as its return type")
    return Command(name or getattr(handler, "recorded_as", "") or handler.__name__, handler, result,
                   inspect.signature(handler), getattr(handler, "idempotency_payload", None))


def _table(entries: Iterable[tuple[str, Any]], kind: str) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for name, entry in entries:
        if name in table:
            raise TypeError(f"two {kind} are named {name}")
        table[name] = entry
    return table


COMMANDS: dict[str, Command] = _table(
    ((h.__name__, as_command(h)) for m in CONTEXTS for h in getattr(m, "HANDLERS", ())),
    "commands",
)
READERS: dict[str, Callable[..., Any]] = _table(
    ((r.__name__, r) for m in CONTEXTS for r in getattr(m, "READERS", ())), "readers"
)
