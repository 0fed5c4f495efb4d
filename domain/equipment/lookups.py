"""What the equipment context's handlers (and production's reports) look up:
an equipment by code, the company's equipment settings, the register of
every code."""

from __future__ import annotations

from domain.equipment.machines import (
    REGISTER_ID,
    SETTINGS_ID,
    Equipment,
    EquipmentSettings,
    check_code,
    equipment_id,
)
from domain.errors import BusinessRuleViolation, NotFound
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


def reported_equipment(uow: UnitOfWork, code: str, work_center: str,
                       field: str = "equipment") -> str:
    """The equipment an operation report names, by its code: registered, and a
    machine of the operation's work center (so its hours and counts belong
    together). Only events stored before the register keep free text."""
    code = check_code(code, field)
    machine = uow.peek(equipment_id(code),
                       NotFound(f"equipment {code} does not exist", "Equipment", code))
    if machine.spec.work_center != work_center:
        raise BusinessRuleViolation(
            "EQUIPMENT_NOT_IN_WORK_CENTER",
            f"equipment {code} belongs to work center {machine.spec.work_center}, "
            f"not to {work_center} where this operation runs")
    return code
