"""GraphQL types of the equipment context: the register, OEE, downtime,
reliability, alerts, maintenance and the MQTT messages set aside. Ratios and
hours are exact in the domain and rounded here, for display, to six places."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import strawberry

from domain.equipment.maintenance import MaintenanceKind, MaintenanceStatus
from domain.equipment.oee import Figures, MachineState, rounded
from projections import equipment_queries as eq

MachineStateEnum = strawberry.enum(MachineState, name="MachineState",
                                   description="RUNNING, IDLE, DOWN (with a reason), SETUP, "
                                   "PLANNED_MAINTENANCE.")
MaintenanceKindEnum = strawberry.enum(MaintenanceKind, name="MaintenanceKind")
MaintenanceStatusEnum = strawberry.enum(MaintenanceStatus, name="MaintenanceStatus")


def six(value: Fraction | None) -> Decimal | None:
    return rounded(value)


@strawberry.type(description="A shift of an equipment's planned-time calendar.")
class EquipmentShift:
    weekday: int
    start: str
    end: str


@strawberry.type
class SparePartUse:
    item: str
    per_repair: Decimal


@strawberry.type(description="A machine on the register (设备台账) and its newest state.")
class Equipment:
    code: str
    name: str
    work_center: str
    model: str
    serial: str
    installed_on: date | None
    ideal_cycle_hours: Decimal = strawberry.field(description="Hours per unit.")
    shifts: list[EquipmentShift] = strawberry.field(
        description="Its planned-time calendar: its own, else its work center's.")
    own_calendar: bool
    status: str
    spare_parts: list[SparePartUse]
    state: MachineStateEnum | None
    reason: str
    state_at: str = strawberry.field(description="Company wall-clock time, \"\" before any.")
    counted: Decimal
    good: Decimal

    @classmethod
    def from_view(cls, v: eq.EquipmentView) -> Equipment:
        return cls(
            code=v.code, name=v.name, work_center=v.work_center, model=v.model, serial=v.serial,
            installed_on=v.installed_on, ideal_cycle_hours=v.ideal_cycle_hours,
            shifts=[EquipmentShift(weekday=s.weekday, start=s.start, end=s.end)
                    for s in v.shifts],
            own_calendar=v.own_calendar, status=v.status,
            spare_parts=[SparePartUse(item=i, per_repair=q.normalize() + 0)
                         for i, q in v.spare_parts],
            state=MachineState(v.state) if v.state else None, reason=v.reason,
            state_at=v.state_at, counted=v.counted.normalize() + 0,
            good=v.good.normalize() + 0)


@strawberry.type
class DowntimeByReason:
    reason: str
    hours: Decimal


@strawberry.type(description="OEE of one equipment over one shift (start, end) or one day "
                 "(ISO 22400-2): availability = runningHours / plannedBusyHours, performance = "
                 "idealCycleHours x produced / runningHours, quality = good / produced, oee = "
                 "the product. Hours and ratios rounded to six places for display; a ratio "
                 "with nothing to divide by is null.")
class Oee:
    equipment: str
    day: date
    start: datetime | None
    end: datetime | None
    planned_hours: Decimal
    planned_maintenance_hours: Decimal
    planned_busy_hours: Decimal
    running_hours: Decimal
    down_hours: Decimal
    setup_hours: Decimal
    idle_hours: Decimal
    unknown_hours: Decimal
    produced: Decimal
    good: Decimal
    availability: Decimal | None
    performance: Decimal | None
    quality: Decimal | None
    oee: Decimal | None
    downtime: list[DowntimeByReason]

    @classmethod
    def from_period(cls, p: eq.OeePeriod) -> Oee:
        f: Figures = p.figures
        return cls(
            equipment=p.equipment, day=p.day, start=p.start, end=p.end,
            planned_hours=six(f.calendar), planned_maintenance_hours=six(f.planned_maintenance),
            planned_busy_hours=six(f.planned_busy), running_hours=six(f.running),
            down_hours=six(f.down), setup_hours=six(f.setup), idle_hours=six(f.idle),
            unknown_hours=six(f.unknown), produced=f.produced.normalize() + 0,
            good=f.good.normalize() + 0, availability=six(f.availability),
            performance=six(f.performance), quality=six(f.quality), oee=six(f.oee),
            downtime=[DowntimeByReason(reason=r, hours=six(h))
                      for r, h in sorted(f.down_by_reason.items(), key=lambda kv: -kv[1])])


@strawberry.type(description="One day's OEE and each of its shifts'.")
class OeeDay:
    day: date
    total: Oee
    shifts: list[Oee]

    @classmethod
    def from_view(cls, v: eq.OeeDay) -> OeeDay:
        return cls(day=v.total.day, total=Oee.from_period(v.total),
                   shifts=[Oee.from_period(s) for s in v.shifts])


@strawberry.type(description="Down time of one reason, largest first; share of all down "
                 "time and the running (cumulative) share.")
class DowntimeParetoRow:
    reason: str
    name: str
    hours: Decimal
    share: Decimal
    cumulative_share: Decimal

    @classmethod
    def from_view(cls, v: eq.ParetoView) -> DowntimeParetoRow:
        return cls(reason=v.reason, name=v.name, hours=six(v.hours), share=six(v.share),
                   cumulative_share=six(v.cumulative))


@strawberry.type(description="Failures (DOWN with a breakdown reason) that began in the "
                 "window; MTBF = operating hours / failures, MTTR = repair hours / failures.")
class EquipmentReliability:
    equipment: str
    failures: int
    operating_hours: Decimal
    repair_hours: Decimal
    mtbf_hours: Decimal | None
    mttr_hours: Decimal | None

    @classmethod
    def from_view(cls, v: eq.ReliabilityView) -> EquipmentReliability:
        return cls(equipment=v.equipment, failures=v.failures,
                   operating_hours=six(v.operating), repair_hours=six(v.repair),
                   mtbf_hours=six(v.mtbf), mttr_hours=six(v.mttr))


@strawberry.type(description="An equipment went DOWN (kind equipment_breakdown when the "
                 "reason is a breakdown).")
class EquipmentAlert:
    log_position: int
    equipment: str
    work_center: str
    kind: str
    reason: str
    at: str
    message: str

    @classmethod
    def from_view(cls, v: eq.EquipmentAlertView) -> EquipmentAlert:
        return cls(log_position=v.position, equipment=v.equipment, work_center=v.work_center,
                   kind=v.kind, reason=v.reason, at=v.at, message=v.message)


@strawberry.type
class DowntimeReason:
    code: str
    name: str
    breakdown: bool


@strawberry.type(description="Spare parts issued or labour recorded on a maintenance order, "
                 "with its voucher.")
class MaintenanceCost:
    kind: str
    day: date
    document: str
    detail: str
    hours: Decimal
    amount: Decimal
    entry_id: str
    voucher_no: str


@strawberry.type(description="A maintenance order (维修工单), preventive or corrective.")
class MaintenanceOrder:
    number: str
    equipment: str
    work_center: str
    kind: str
    plan: str
    reason: str
    description: str
    status: str
    opened_on: date
    started_on: date | None
    closed_on: date | None
    note: str
    parts_cost: Decimal
    labor_hours: Decimal
    labor_cost: Decimal
    total_cost: Decimal
    costs: list[MaintenanceCost]
    planned_start: datetime | None = strawberry.field(
        default=None, description="The planned window (planMaintenanceWindow), wall clock.")
    planned_end: datetime | None = None

    @classmethod
    def from_view(cls, v: eq.MaintenanceOrderView) -> MaintenanceOrder:
        return cls(
            number=v.number, equipment=v.equipment, work_center=v.work_center, kind=v.kind,
            plan=v.plan, reason=v.reason, description=v.description, status=v.status,
            opened_on=v.opened_on, started_on=v.started_on, closed_on=v.closed_on, note=v.note,
            parts_cost=v.parts, labor_hours=v.labor_hours.normalize() + 0, labor_cost=v.labor,
            total_cost=v.parts + v.labor,
            costs=[MaintenanceCost(kind=c.kind, day=c.day, document=c.document, detail=c.detail,
                                   hours=c.hours.normalize() + 0, amount=c.amount,
                                   entry_id=c.entry_id, voucher_no=c.voucher_no)
                   for c in v.costs],
            planned_start=v.planned_start, planned_end=v.planned_end)


@strawberry.type(description="A preventive plan: every N days and/or every N counted units.")
class MaintenancePlan:
    equipment: str
    code: str
    description: str
    every_days: int
    every_units: Decimal
    last_done_on: date | None
    last_done_units: Decimal
    open_order: str

    @classmethod
    def from_view(cls, v: eq.MaintenancePlanView) -> MaintenancePlan:
        return cls(equipment=v.equipment, code=v.code, description=v.description,
                   every_days=v.every_days, every_units=v.every_units.normalize() + 0,
                   last_done_on=v.last_done_on,
                   last_done_units=v.last_done_units.normalize() + 0, open_order=v.open_order)


@strawberry.type(description="An MQTT message that could not be recorded, and why.")
class EquipmentDeadLetter:
    log_position: int
    topic: str
    message_id: str
    code: str
    reason: str
    payload: str
    received_at: str

    @classmethod
    def from_view(cls, v: eq.EquipmentDeadLetterView) -> EquipmentDeadLetter:
        return cls(log_position=v.position, topic=v.topic, message_id=v.message_id,
                   code=v.code, reason=v.reason, payload=v.payload, received_at=v.received_at)


@strawberry.type
class SparePartFailures:
    equipment: str
    failures: int
    per_repair: Decimal


@strawberry.type(description="Safety stock for a spare part: expected parts over its lead "
                 "time (failures / windowDays x leadTimeDays x parts per repair, summed over "
                 "the equipment) plus z x σ for the service level, rounded up to whole units.")
class SafetyStockRecommendation:
    item: str
    lead_time_days: int
    uses: list[SparePartFailures]
    expected_parts: Decimal
    deviation: Decimal
    margin: Decimal
    safety_stock: Decimal

    @classmethod
    def of(cls, item: str, advice, uses, lead: int) -> SafetyStockRecommendation:
        return cls(item=(item or "").strip().upper(), lead_time_days=lead,
                   uses=[SparePartFailures(equipment=u.equipment, failures=u.failures,
                                           per_repair=u.per_repair.normalize() + 0)
                         for u in uses],
                   expected_parts=six(advice.expected), deviation=advice.deviation,
                   margin=advice.margin, safety_stock=advice.safety_stock)
