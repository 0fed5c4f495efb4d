"""The catalog's command handlers: items and warehouses with their locations.
Each is ``handle(uow, ...) -> result`` (see ``domain/unit_of_work.py``);
``HANDLERS`` goes into the application's command table
(``domain/command_table.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from domain.catalog import lookups
from domain.catalog.items import (
    Item,
    ItemSpec,
    check_item_code,
    check_item_spec,
    check_lot_rule,
    item_id,
    sale_warnings,
)
from domain.catalog.warehouses import Warehouse, warehouse_id
from domain.commands import CodeResult
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.ledger.gate import chart
from domain.unit_of_work import UnitOfWork

# What ``change_item`` may change: everything but the code and the item type.
CHANGEABLE = frozenset(ItemSpec.__dataclass_fields__) - {"code", "item_type"}


# -- items ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ItemResult:
    code: str
    # e.g. made for sale without its tax code yet (a list: receipts store it as JSON)
    warnings: list[str] = field(default_factory=list)


def create_item(uow: UnitOfWork, spec: ItemSpec) -> ItemResult:
    checked = check_item_spec(spec)
    check_lot_rule(checked.planning)
    if checked.inventory_account:
        chart(uow).check_postable(checked.inventory_account, "inventoryAccount")
    if uow.exists(item_id(checked.code)):
        raise BusinessRuleViolation("ITEM_EXISTS", f"item {checked.code} already exists")
    uow.add(Item(checked))
    return ItemResult(checked.code, list(sale_warnings(checked)))


def change_item(uow: UnitOfWork, code: str, changes: dict[str, Any]) -> CodeResult:
    unknown = set(changes) - CHANGEABLE
    if unknown:
        raise ValidationError(f"cannot change {', '.join(sorted(unknown))}", "changes")
    item = lookups.item(uow, code)
    spec = check_item_spec(replace(item.spec, **changes))
    if "planning" in changes:
        check_lot_rule(spec.planning)
    if spec.inventory_account:
        chart(uow).check_postable(spec.inventory_account, "inventoryAccount")
    item.change(**{k: getattr(spec, k) for k in changes})
    return CodeResult(item.code)


def set_item_active(uow: UnitOfWork, code: str, active: bool) -> CodeResult:
    """Deactivate or reactivate an item (an inactive one is found, not used)."""
    code = check_item_code(code)
    item = uow.get(item_id(code), NotFound(f"item {code} does not exist", "Item", code))
    item.set_active(active)
    return CodeResult(item.code)


# -- warehouses ----------------------------------------------------------------------
def create_warehouse(uow: UnitOfWork, code: str, name: str,
                     locations: Sequence[str] | None = None) -> CodeResult:
    code, name, locs = Warehouse.plan(code, name, list(locations or []))
    if uow.exists(warehouse_id(code)):
        raise BusinessRuleViolation("WAREHOUSE_EXISTS", f"warehouse {code} already exists")
    uow.add(Warehouse(code, name, locs))
    return CodeResult(code)


def add_location(uow: UnitOfWork, warehouse: str, location: str) -> CodeResult:
    wh = lookups.warehouse(uow, warehouse)
    wh.add_location(location)
    return CodeResult(wh.code)


HANDLERS = (create_item, change_item, set_item_active, create_warehouse, add_location)
