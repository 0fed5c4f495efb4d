"""What every context's handlers look up in the catalog, checked: an item
(active), a warehouse, a location and a lot of a document line, a work center."""

from __future__ import annotations

from domain.catalog.engineering import WorkCenter, work_center_id
from domain.catalog.items import Item, check_item_code, item_id
from domain.catalog.warehouses import Warehouse, warehouse_id
from domain.errors import NotFound, ValidationError
from domain.unit_of_work import UnitOfWork


def item(uow: UnitOfWork, code: str, field: str = "item") -> Item:
    """An active item, loaded to change with the command (its stock rules)."""
    code = check_item_code(code, field)
    found = uow.get(item_id(code), NotFound(f"item {code} does not exist", "Item", code))
    found.check_active()
    return found


def warehouse(uow: UnitOfWork, code: str, field: str = "warehouse") -> Warehouse:
    code = check_item_code(code or "", field) if code else ""
    if not code:
        raise ValidationError(f"{field}: a warehouse is required", field)
    return uow.get(
        warehouse_id(code), NotFound(f"warehouse {code} does not exist", "Warehouse", code)
    )


def lot(found: Item, lot: str, field: str) -> str:
    """The lot a line names: required for a lot-tracked item, refused otherwise."""
    lot = (lot or "").strip()
    if found.spec.lot_tracked and not lot:
        raise ValidationError(f"{field}: item {found.code} is lot-tracked; give a lot", field)
    if not found.spec.lot_tracked and lot:
        raise ValidationError(f"{field}: item {found.code} is not lot-tracked", field)
    if len(lot) > 40:
        raise ValidationError(f"{field}: lot number is longer than 40 characters", field)
    return lot


def placed(uow: UnitOfWork, item_code: str, warehouse_code: str, location: str, lot_no: str,
           path: str) -> tuple[Item, Warehouse, str, str]:
    """The item, warehouse (default: the item's), location and lot a document
    line names, each checked."""
    found = item(uow, item_code, f"{path}.item")
    wh = warehouse(uow, warehouse_code or found.spec.default_warehouse, f"{path}.warehouse")
    loc = wh.check_location(location, f"{path}.location")
    return found, wh, loc, lot(found, lot_no, f"{path}.lot")


def work_center(uow: UnitOfWork, code: str, field: str = "workCenter") -> WorkCenter:
    """A work center, to read."""
    code = check_item_code(code, field)
    return uow.peek(work_center_id(code),
                    NotFound(f"work center {code} does not exist", "WorkCenter", code))
