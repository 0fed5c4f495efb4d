"""What the equipment mutation modules share: the register's inputs and the
read-back of an equipment or a maintenance order after a command."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from sqlalchemy import Connection

from api.graphql.equipment_types import Equipment, MaintenanceOrder
from api.graphql.mutations._common import found
from domain.equipment.machines import EquipmentShift, EquipmentSpec, EquipmentStatus, SparePart
from domain.errors import NotFound
from projections import equipment_queries as eq

EquipmentStatusEnum = strawberry.enum(EquipmentStatus, name="EquipmentStatus")


@strawberry.input(description="A shift of the equipment's own calendar: weekday 0 (Monday) "
                  "to 6, start and end like 08:00 (a night shift may end after midnight).")
class EquipmentShiftInput:
    weekday: int
    start: str
    end: str


@strawberry.input(description="A spare part the equipment uses per repair.")
class SparePartInput:
    item: str
    per_repair: Decimal


@strawberry.input
class EquipmentInput:
    code: str
    name: str
    work_center: str
    model: str = ""
    serial: str = ""
    installed_on: date | None = None
    ideal_cycle_hours: Decimal = strawberry.field(
        default=Decimal(0), description="Ideal cycle time, hours per unit (0.002 = 7.2 s).")
    shifts: list[EquipmentShiftInput] | None = strawberry.field(
        default=None, description="Its own planned-time calendar; default its work center's.")
    status: EquipmentStatusEnum = EquipmentStatus.IN_SERVICE
    spare_parts: list[SparePartInput] | None = None
    idempotency_key: str | None = None

    def to_domain(self) -> EquipmentSpec:
        return EquipmentSpec(
            self.code, self.name, self.work_center, self.model, self.serial, self.installed_on,
            self.ideal_cycle_hours,
            tuple(EquipmentShift(s.weekday, s.start.strip(), s.end.strip())
                  for s in self.shifts or ()),
            self.status,
            tuple(SparePart(p.item, p.per_repair) for p in self.spare_parts or ()))


def equipment_of(conn: Connection, code: str) -> Equipment:
    try:
        return Equipment.from_view(eq.equipment_view(conn, code))
    except NotFound:
        return found(None, f"equipment {code}")


def maintenance_order_of(conn: Connection, number: str) -> MaintenanceOrder:
    try:
        return MaintenanceOrder.from_view(eq.maintenance_order(conn, number))
    except NotFound:
        return found(None, f"maintenance order {number}")
