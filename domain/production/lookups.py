"""What other contexts' handlers read from production: a work order, a work
center, the company's production settings."""

from __future__ import annotations

from domain.catalog.engineering import (
    SETTINGS_ID,
    ProductionSettings,
    WorkCenter,
    work_center_id,
)
from domain.catalog.items import check_item_code
from domain.errors import NotFound
from domain.production.work_orders import WorkOrder, work_order_id
from domain.unit_of_work import UnitOfWork


def work_order(uow: UnitOfWork, number: str) -> WorkOrder:
    """The work order to change, by its number."""
    number = (number or "").strip().upper()
    return uow.get(
        work_order_id(number),
        NotFound(f"work order {number} does not exist", "WorkOrder", number),
    )


def work_center(uow: UnitOfWork, code: str, field: str = "workCenter") -> WorkCenter:
    """A work center, to read."""
    code = check_item_code(code, field)
    return uow.peek(work_center_id(code),
                    NotFound(f"work center {code} does not exist", "WorkCenter", code))


def production_settings(uow: UnitOfWork) -> ProductionSettings:
    """The company's production settings (defaults until it saves some)."""
    if not uow.exists(SETTINGS_ID):
        return ProductionSettings()
    return uow.peek(SETTINGS_ID).production
