"""The equipment context's command handlers: the register, machine states
and counts (GraphQL and MQTT record the same facts), the company's equipment
settings and rejected MQTT messages. Maintenance and spare parts are in
``maintenance_handlers``; ``HANDLERS`` and ``READERS`` here list them all for
the command table (``domain/command_table.py``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from domain.catalog.lookups import item as catalog_item
from domain.catalog.lookups import work_center
from domain.equipment import maintenance_handlers as mh
from domain.equipment.ingestion import RejectedMessage, check_rejection
from domain.equipment.lookups import equipment, settings
from domain.equipment.machines import (
    MAX_IDEAL_CYCLE,
    REGISTER_ID,
    SETTINGS_ID,
    DowntimeReason,
    Equipment,
    EquipmentRegister,
    EquipmentSettings,
    EquipmentSettingsRecord,
    EquipmentShift,
    EquipmentSpec,
    SparePart,
    check_code,
    equipment_id,
)
from domain.equipment.oee import MachineState
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.ledger.gate import chart
from domain.money import parse_price, parse_quantity, to_decimal
from domain.text import check_text
from domain.unit_of_work import UnitOfWork

MAX_MESSAGE_ID = 100
MAX_LATE_WINDOW = 7 * 86400


@dataclass(frozen=True)
class EquipmentResult:
    code: str


@dataclass(frozen=True)
class StateResult:
    equipment: str
    state: str
    at: str
    failure: bool
    maintenance_order: str  # the corrective order a breakdown opened ("" if none)


@dataclass(frozen=True)
class CountResult:
    equipment: str
    at: str
    counted: str  # units counted so far
    maintenance_orders: str  # orders of plans this count made due, comma-separated


@dataclass(frozen=True)
class SettingsResult:
    reasons: int


@dataclass(frozen=True)
class RejectionResult:
    id: str


# -- the register ---------------------------------------------------------------------
def _check_shifts(shifts: tuple[EquipmentShift, ...]) -> tuple[EquipmentShift, ...]:
    from datetime import time

    for i, s in enumerate(shifts):
        if isinstance(s.weekday, bool) or not isinstance(s.weekday, int) or not (
                0 <= s.weekday <= 6):
            raise ValidationError("weekday is 0 (Monday) to 6 (Sunday)", f"shifts.{i}.weekday")
        try:
            time.fromisoformat(s.start), time.fromisoformat(s.end)
        except (TypeError, ValueError):
            raise ValidationError("shift times look like 08:00", f"shifts.{i}") from None
    return tuple(shifts)


def _check_spec(uow: UnitOfWork, spec: EquipmentSpec) -> EquipmentSpec:
    code = check_code(spec.code)
    name = check_text((spec.name or "").strip(), "name", 100)
    if not name:
        raise ValidationError("equipment name is required", "name")
    wc = work_center(uow, spec.work_center)
    ideal = to_decimal(spec.ideal_cycle_hours, "idealCycleHours")
    if not Decimal(0) <= ideal <= MAX_IDEAL_CYCLE or ideal != ideal.quantize(Decimal("1e-9")):
        raise ValidationError(f"idealCycleHours must be 0-{MAX_IDEAL_CYCLE} hours per unit "
                              "with at most 9 decimal places", "idealCycleHours")
    parts = []
    seen: set[str] = set()
    for i, p in enumerate(spec.spare_parts):
        found = catalog_item(uow, p.item, f"spareParts.{i}.item")
        if found.code in seen:
            raise ValidationError(f"spare part {found.code} is listed twice",
                                  f"spareParts.{i}.item")
        seen.add(found.code)
        parts.append(SparePart(found.code,
                               parse_quantity(p.per_repair, f"spareParts.{i}.perRepair")))
    return replace(
        spec, code=code, name=name, work_center=wc.spec.code,
        model=check_text((spec.model or "").strip(), "model", 60),
        serial=check_text((spec.serial or "").strip(), "serial", 60),
        ideal_cycle_hours=ideal.normalize() if ideal else Decimal(0),
        shifts=_check_shifts(tuple(spec.shifts)), spare_parts=tuple(parts))


def register_equipment(uow: UnitOfWork, spec: EquipmentSpec) -> EquipmentResult:
    """A machine on the register, at a work center (its calendar by default)."""
    spec = _check_spec(uow, spec)
    if uow.exists(equipment_id(spec.code)):
        raise BusinessRuleViolation("EQUIPMENT_EXISTS", f"equipment {spec.code} exists")
    uow.add(Equipment(spec))
    uow.get(REGISTER_ID, factory=EquipmentRegister).add(spec.code)
    return EquipmentResult(spec.code)


def change_equipment(uow: UnitOfWork, spec: EquipmentSpec) -> EquipmentResult:
    """Rename, move, re-time, retire… (one event with the whole record)."""
    found = equipment(uow, spec.code, "code")
    found.change(_check_spec(uow, spec))
    return EquipmentResult(found.code)


def set_equipment_settings(uow: UnitOfWork, new: EquipmentSettings) -> SettingsResult:
    """Downtime reasons, the late-message window, maintenance rate and accounts."""
    new = _check_settings(uow, new)
    record = uow.get(SETTINGS_ID, factory=lambda: EquipmentSettingsRecord(new))
    if not record.pending_events:
        record.change(new)
    return SettingsResult(len(new.reasons))


def _check_settings(uow: UnitOfWork, s: EquipmentSettings) -> EquipmentSettings:
    reasons, seen = [], set()
    for i, r in enumerate(s.reasons):
        code = check_text((r.code or "").strip(), f"reasons.{i}.code", 20)
        if not code or code in seen:
            raise ValidationError("a reason code is required and used once",
                                  f"reasons.{i}.code")
        seen.add(code)
        reasons.append(DowntimeReason(code, check_text((r.name or "").strip(),
                                                       f"reasons.{i}.name", 60),
                                      bool(r.breakdown)))
    if not reasons:
        raise ValidationError("give at least one downtime reason", "reasons")
    window = s.late_window_seconds
    if isinstance(window, bool) or not isinstance(window, int) or not (
            0 <= window <= MAX_LATE_WINDOW):
        raise ValidationError(f"lateWindowSeconds must be 0-{MAX_LATE_WINDOW}",
                              "lateWindowSeconds")
    accounts = chart(uow)
    for field, code in (("expenseAccount", s.expense_account),
                        ("laborAccount", s.labor_account)):
        try:
            account = accounts.get((code or "").strip())
        except NotFound:
            account = None
        if account is None or not account.active:
            raise ValidationError(f"{field}: account {code!r} is not an active account", field)
    return EquipmentSettings(tuple(reasons), window,
                             parse_price(s.maintenance_rate, "maintenanceRate"),
                             s.expense_account.strip(), s.labor_account.strip())


# -- states and counts ------------------------------------------------------------------
def _local(uow: UnitOfWork, at: datetime, field: str = "at") -> datetime:
    """``at`` in the company's time zone; it must carry its UTC offset."""
    if not isinstance(at, datetime):
        raise ValidationError(f"{field} must be a date and time", field)
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValidationError(f"{field} must carry its UTC offset, e.g. "
                              "2026-11-20T08:00:00+08:00", field)
    local = at.astimezone(ZoneInfo(uow.date_settings().time_zone))
    uow.business_date(local.date(), field, check_period=False)
    return local


def _message_id(message_id: str) -> str:
    return check_text((message_id or "").strip(), "id", MAX_MESSAGE_ID)


def record_equipment_state(uow: UnitOfWork, equipment_code: str, at: datetime,
                           state: MachineState, reason: str = "",
                           message_id: str = "") -> StateResult:
    """RUNNING, IDLE, DOWN (with a reason from the company's list), SETUP or
    PLANNED_MAINTENANCE from ``at`` on. A breakdown opens a corrective order."""
    if not isinstance(state, MachineState):
        raise ValidationError("state must be one of " + ", ".join(s.value for s in MachineState),
                              "state")
    machine = equipment(uow, equipment_code)
    local = _local(uow, at)
    company = settings(uow)
    reason = (reason or "").strip()
    if state is MachineState.DOWN:
        if not reason:
            raise ValidationError("a DOWN state needs its reason", "reason")
        found = company.reason(reason)
    elif reason:
        raise ValidationError("reason is only for DOWN", "reason")
    else:
        found = None
    failure = machine.record_state(local, state, found, _message_id(message_id),
                                   company.late_window_seconds)
    order = ""
    if failure and not machine.open_corrective:
        order = mh.open_order(uow, machine, local.date(), "", found.code if found else "",
                              f"故障 breakdown: {found.name if found else ''}".strip())
    return StateResult(machine.code, state.value, local.isoformat(), failure, order)


def _count(value: object, field: str) -> Decimal:
    number = to_decimal(value, field)
    if number < 0:
        raise ValidationError(f"{field}: counts must not be negative", field)
    return parse_quantity(number, field, allow_zero=True)


def record_equipment_count(uow: UnitOfWork, equipment_code: str, at: datetime, total: object,
                           good: object, message_id: str = "") -> CountResult:
    """Units counted since the previous count (total and good). A plan made due
    by the units (or the days) gets its maintenance order."""
    machine = equipment(uow, equipment_code)
    local = _local(uow, at)
    total_qty, good_qty = _count(total, "total"), _count(good, "good")
    if good_qty > total_qty:
        raise ValidationError("good must not exceed total", "good")
    machine.record_count(local, total_qty, good_qty, _message_id(message_id),
                         settings(uow).late_window_seconds)
    orders = mh.open_due_orders(uow, machine, local.date())
    return CountResult(machine.code, local.isoformat(), f"{machine.counted.normalize():f}",
                       ",".join(orders))


# -- rejected MQTT messages ----------------------------------------------------------------
def reject_equipment_message(uow: UnitOfWork, topic: str, payload: str, reason: str,
                             code: str = "", message_id: str = "") -> RejectionResult:
    """An MQTT message that could not be recorded, with why (the dead letters).
    The same bytes on the same topic are kept once."""
    topic, payload, reason, code, message_id = check_rejection(topic, payload, reason, code,
                                                               message_id)
    rejected = RejectedMessage(topic, payload, reason, code, message_id, uow.now())
    if uow.exists(rejected.id):
        return RejectionResult(str(rejected.id))
    uow.add(rejected)
    return RejectionResult(str(rejected.id))


# -- readers ---------------------------------------------------------------------------
def equipment_record(uow: UnitOfWork, code: str) -> Equipment:
    code = check_code(code, "equipment")
    return uow.peek(equipment_id(code),
                    NotFound(f"equipment {code} does not exist", "Equipment", code))


def equipment_settings(uow: UnitOfWork) -> EquipmentSettings:
    return settings(uow)


HANDLERS = (
    register_equipment, change_equipment, set_equipment_settings,
    record_equipment_state, record_equipment_count, reject_equipment_message,
    *mh.HANDLERS,
)
READERS = (equipment_record, equipment_settings, *mh.READERS)
