"""Read-side GraphQL types of planning: MRP runs, planned orders with their
pegging, exception messages, schedules and cost roll-ups, each built from a
view by a ``from_view`` function. Quantities travel without trailing zeros."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import read
from api.graphql.inventory_types import price, qty
from domain.money import from_micros
from projections import planning_queries as plq


@strawberry.type(description="What a planned order serves: a requirement (a sales order line "
                 "SO-000001/1, a forecast FC:item:date, a work order's material line, a "
                 "parent planned order, or SAFETY-STOCK) and its top-level order.")
class Peg:
    demand: str
    top: str
    qty: Decimal

    @classmethod
    def from_view(cls, v: plq.PegView) -> Peg:
        return cls(demand=v.demand, top=v.top, qty=qty(v.qty))


@strawberry.type(description="A planned work order (kind make) or planned purchase (kind buy) "
                 "of an MRP run; firmedAs is the work order or purchase order it became.")
class PlannedOrder:
    id: str
    run: str
    item: str
    kind: str
    qty: Decimal
    need_date: date
    release_date: date
    level: int = strawberry.field(description="The item's low-level code (0 = top level).")
    firmed_as: str | None
    pegs: list[Peg]
    supplier: str | None = strawberry.field(
        description="A planned purchase: the supplier proposed, the item's first approved "
        "supplier (approveSuppliers) not flagged for incoming quality, or the preferred one "
        "when all are (a suppliers_flagged message); firmPlannedOrder uses it when no "
        "supplier is given. Null when the item has no approved supplier.")

    @classmethod
    def from_view(cls, v: plq.PlannedOrderView) -> PlannedOrder:
        return cls(id=v.id, run=v.run, item=v.item, kind=v.kind, qty=qty(v.qty),
                   need_date=v.need_date, release_date=v.release_date, level=v.level,
                   firmed_as=v.firmed_as, pegs=[Peg.from_view(p) for p in v.pegs],
                   supplier=v.supplier or None)


@strawberry.type(description="An MRP exception message: expedite, defer, cancel, "
                 "past_due_release, beyond_horizon (a new order planned rather than a "
                 "receipt due beyond the expedite horizon pulled in) or suppliers_flagged "
                 "(every approved supplier of a planned purchase is flagged for quality), "
                 "about a receipt or a planned order (ref).")
class MrpException:
    run: str
    seq: int
    kind: str
    item: str
    ref: str
    message: str
    date: date | None

    @classmethod
    def from_view(cls, v: plq.MrpExceptionView) -> MrpException:
        return cls(run=v.run, seq=v.seq, kind=v.kind, item=v.item, ref=v.ref,
                   message=v.message, date=v.day)


@strawberry.type(description="A scheduled receipt (an open purchase order line or work "
                 "order) of an MRP run and what it serves.")
class PeggedReceipt:
    run: str
    ref: str = strawberry.field(description="PO-000001/1 (a purchase order line) or "
                                "WO-000002 (a work order).")
    item: str
    kind: str = strawberry.field(description="purchase or work_order.")
    qty: Decimal = strawberry.field(description="What is still to come.")
    due: date
    available_on: date = strawberry.field(description="When MRP counts on it: its due date, "
                                          "or the day it is expedited to.")
    pegs: list[Peg]

    @classmethod
    def from_view(cls, v: plq.PeggedReceiptView) -> PeggedReceipt:
        return cls(run=v.run, ref=v.ref, item=v.item, kind=v.kind, qty=qty(v.qty), due=v.due,
                   available_on=v.available, pegs=[Peg.from_view(p) for p in v.pegs])


@strawberry.type(description="A day of a working calendar.")
class CalendarDay:
    date: date
    working: bool
    hours: Decimal | None = strawberry.field(
        description="A work center's hours that day, all its units together; null for the "
        "company's calendar.")
    note: str = strawberry.field(description="holiday, working day (an extra one on a day "
                                 "off), day off (no shift or a weekend), or empty.")


@strawberry.type(description="The company's planning settings.")
class PlanningSettings:
    expedite_horizon_days: int = strawberry.field(
        description="MRP expedites a scheduled receipt only when it is due at most this many "
        "days after it is needed; later ones stay and a new order is planned.")


@strawberry.type(description="A recorded MRP run: the snapshot's fingerprint and what it "
                 "planned.")
class MrpRun:
    number: str
    today: date
    fingerprint: str
    planned_count: int
    exception_count: int
    actor: str
    recorded_at: str
    log_position: int

    @strawberry.field(description="Its planned orders with their pegging, in id order.")
    async def planned_orders(self, info: Info) -> list[PlannedOrder]:
        views = await read(info, lambda c: plq.planned_order_list(c, run=self.number))
        return [PlannedOrder.from_view(v) for v in views]

    @strawberry.field(description="Its exception messages.")
    async def exceptions(self, info: Info) -> list[MrpException]:
        views = await read(info, lambda c: plq.mrp_exception_list(c, run=self.number))
        return [MrpException.from_view(v) for v in views]

    @classmethod
    def from_view(cls, v: plq.MrpRunView) -> MrpRun:
        return cls(number=v.number, today=v.today, fingerprint=v.fingerprint,
                   planned_count=v.planned_count, exception_count=v.exception_count,
                   actor=v.actor, recorded_at=v.recorded_at, log_position=v.position)


# -- scheduling -------------------------------------------------------------------------
@strawberry.type(description="One scheduled operation: where (work center and which of its "
                 "parallel units) and when it runs.")
class ScheduledOperation:
    order: str = strawberry.field(description="A work order, or a planned order of the "
                                  "latest MRP run.")
    op_no: str
    item: str
    work_center: str
    unit: int
    operator: str | None
    start: datetime
    end: datetime
    due: date


@strawberry.type(description="A Gantt row: a work center's operations in start order.")
class WorkCenterRow:
    work_center: str
    operations: list[ScheduledOperation]


@strawberry.type(description="An order predicted to finish after the end of its due date, "
                 "late by wall-clock hours and by working hours.")
class LateOrder:
    order: str
    item: str
    due: date
    predicted_finish: datetime
    lateness_days: int = strawberry.field(description="Calendar days after the due date.")
    lateness_hours: Decimal = strawberry.field(
        description="Wall-clock hours after the end of the due date (= "
        "latenessWallClockHours).")
    lateness_wall_clock_hours: Decimal = strawberry.field(
        description="Wall-clock hours after the end of the due date: nights, weekends and "
        "holidays count.")
    lateness_working_hours: Decimal = strawberry.field(
        description="Working hours after the end of the due date on the calendar of the work "
        "center its last operation ends on (its shifts, holidays and working days).")

    @classmethod
    def of(cls, order: str, item: str, due: date, finish: datetime, days: int,
           wall_clock: Decimal, working: Decimal) -> LateOrder:
        return cls(order=order, item=item, due=due, predicted_finish=finish,
                   lateness_days=days, lateness_hours=qty(wall_clock),
                   lateness_wall_clock_hours=qty(wall_clock),
                   lateness_working_hours=qty(working))


@strawberry.type(description="A finite-capacity schedule of released and planned operations.")
class Schedule:
    mode: str
    status: str = strawberry.field(description="cp-sat: the solver's status and both "
                                   "schedules' tardiness, in wall-clock and working hours, "
                                   "and which was kept.")
    start: datetime
    operations: list[ScheduledOperation]
    late: list[LateOrder]
    tardiness_hours: Decimal = strawberry.field(description="Total lateness, wall-clock hours.")
    tardiness_working_hours: Decimal = strawberry.field(
        description="Total lateness, working hours of each order's calendar.")


@strawberry.type(description="An operation a reschedule moved: its start or its unit (the "
                 "machine) changed.")
class MovedOperation:
    order: str
    op_no: str
    old_start: datetime | None
    new_start: datetime
    work_center: str | None = None
    old_unit: int | None = None
    new_unit: int | None = None
    old_end: datetime | None = None
    new_end: datetime | None = None


@strawberry.type(description="A work center down from start to end (a breakdown).")
class BreakdownWindow:
    work_center: str
    start: datetime
    end: datetime


@strawberry.type(description="A recorded schedule (recordSchedule): the one people follow "
                 "until the next is recorded; reschedule compares against the latest.")
class SavedSchedule:
    number: str
    based_on: str | None = strawberry.field(
        description="The saved schedule this one repaired; null for a fresh one.")
    fingerprint: str = strawberry.field(description="SHA-256 of its inputs (operations, "
                                        "calendars, what was running, start, mode, "
                                        "breakdowns).")
    actor: str
    recorded_at: str
    log_position: int
    schedule: Schedule
    moved: list[MovedOperation]
    breakdowns: list[BreakdownWindow]

    @classmethod
    def from_view(cls, v: plq.SavedScheduleView) -> SavedSchedule:
        ops = [ScheduledOperation(order=r.order_ref, op_no=r.op_no, item=r.item,
                                  work_center=r.work_center, unit=r.unit,
                                  operator=r.operator or None, start=r.start, end=r.end,
                                  due=r.due) for r in v.operations]
        items = {r.order_ref: r.item for r in v.operations}
        late = [LateOrder.of(r.order_ref, items.get(r.order_ref, ""), r.due, r.finish,
                             r.lateness_days, from_micros(r.lateness_uh),
                             from_micros(r.working_uh)) for r in v.late]
        tardiness = sum((from_micros(r.lateness_uh) for r in v.late), Decimal(0))
        working = sum((from_micros(r.working_uh) for r in v.late), Decimal(0))
        moved = [MovedOperation(order=r.order_ref, op_no=r.op_no, old_start=r.old_start,
                                new_start=r.new_start, work_center=r.work_center,
                                old_unit=r.old_unit, new_unit=r.new_unit, old_end=r.old_end,
                                new_end=r.new_end) for r in v.moved]
        return cls(number=v.number, based_on=v.based_on or None, fingerprint=v.fingerprint,
                   actor=v.actor, recorded_at=v.recorded_at, log_position=v.position,
                   schedule=Schedule(mode=v.mode, status=v.status, start=v.start,
                                     operations=ops, late=late,
                                     tardiness_hours=qty(tardiness),
                                     tardiness_working_hours=qty(working)),
                   moved=moved,
                   breakdowns=[BreakdownWindow(work_center=r.work_center, start=r.start,
                                               end=r.end) for r in v.breakdowns])


# -- costing ----------------------------------------------------------------------------
@strawberry.type(description="Standard unit cost of an item rolled up level by level from "
                 "its BOM and routing.")
class CostRollup:
    item: str
    material: Decimal
    labor: Decimal
    overhead: Decimal
    total: Decimal
    level: int


@strawberry.type(description="Material, labor and overhead amounts.")
class CostElements:
    material: Decimal
    labor: Decimal
    overhead: Decimal
    total: Decimal


@strawberry.type(description="A work order's budgeted cost (成本预算) from the roll-up and, "
                 "once it is completed, its actual cost and the variance (actual - budget; "
                 "positive = over budget).")
class WorkOrderBudget:
    number: str
    item: str
    qty: Decimal
    status: str
    budget: CostElements
    actual: CostElements | None
    variance: CostElements | None


def elements(v) -> CostElements:
    return CostElements(material=price(v.material), labor=price(v.labor),
                        overhead=price(v.overhead), total=price(v.total))
