"""What the equipment context's handlers look up: an equipment by code, the
company's equipment settings, the register of every code."""

from __future__ import annotations

from domain.equipment.machines import (
    REGISTER_ID,
    SETTINGS_ID,
    Equipment,
    EquipmentSettings,
    check_code,
    equipment_id,
)
from domain.errors import NotFound
from domain.unit_of_work import UnitOfWork


def equipment(uow: UnitOfWork, code: str, field: str = "equipment") -> Equipment:
    """The equipment to change, by its code."""
    code = check_code(code, field)
    return uow.get(equipment_id(code),
                   NotFound(f"equipment {code} does not exist", "Equipment", code))


def settings(uow: UnitOfWork) -> EquipmentSettings:
    """The company's equipment settings (defaults until it saves some)."""
    if not uow.exists(SETTINGS_ID):
        return EquipmentSettings()
    return uow.peek(SETTINGS_ID).settings


def register(uow: UnitOfWork) -> tuple[str, ...]:
    """Every equipment code, in the order they were registered."""
    if not uow.exists(REGISTER_ID):
        return ()
    return uow.peek(REGISTER_ID).codes
