"""Planning queries: MRP runs, planned orders with their pegging, exception
messages, the finite-capacity schedule (by work center, late orders) and
cost roll-ups and work-order budgets.

Each reads the read models, optionally after waiting until they have reached
a log position (``waitFor``). Merged into the root ``Query`` type by the schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from zoneinfo import ZoneInfo

import strawberry
from strawberry.tools import merge_types
from strawberry.types import Info

from api.graphql.context import context_of, read
from api.graphql.errors import QueryError
from api.graphql.inventory_types import price, qty
from api.graphql.planning_types import (
    CalendarDay,
    CostRollup,
    LateOrder,
    MovedOperation,
    MrpException,
    MrpRun,
    PeggedReceipt,
    PlannedOrder,
    PlanningSettings,
    SavedSchedule,
    Schedule,
    ScheduledOperation,
    WorkCenterRow,
    WorkOrderBudget,
    elements,
)
from api.graphql.production_types import hours
from api.graphql.queries import MAX_PAGE, WaitFor
from domain.errors import ValidationError
from domain.planning import machine_downtime, scheduling
from projections import equipment_queries as eq
from projections import planning_queries as plq

KINDS = ("make", "buy")


def today(info: Info) -> date:
    """The company's date in its time zone (not the server's local date)."""
    return context_of(info).runtime.app.today()


def company_now(info: Info) -> datetime:
    """The company's wall-clock time (naive, in its time zone): scheduling's default start."""
    app = context_of(info).runtime.app
    return app.now().astimezone(ZoneInfo(app.date_settings().time_zone)).replace(tzinfo=None)

EXCEPTION_KINDS = ("expedite", "defer", "cancel", "past_due_release", "beyond_horizon")


def _code(value: str | None) -> str | None:
    """Codes are upper case; a blank filter is no filter."""
    return (value or "").strip().upper() or None


def _choice(value: str | None, allowed: tuple[str, ...], field: str) -> str | None:
    value = (value or "").strip().lower() or None
    if value is not None and value not in allowed:
        raise QueryError(f"{field} must be one of {', '.join(allowed)}", "ValidationError",
                         field=field)
    return value


@strawberry.type
class MrpQuery:
    @strawberry.field(description="MRP runs, newest first.")
    async def mrp_runs(self, info: Info, first: int = 50,
                       wait_for: WaitFor = None) -> list[MrpRun]:
        if not 1 <= first <= MAX_PAGE:
            raise QueryError(f"first must be between 1 and {MAX_PAGE}", "ValidationError",
                             field="first")
        views = await read(info, lambda c: plq.mrp_runs_list(c, first), wait_for)
        return [MrpRun.from_view(v) for v in views]

    @strawberry.field(description="One MRP run; null if there is none.")
    async def mrp_run(self, info: Info, number: str, wait_for: WaitFor = None) -> MrpRun | None:
        view = await read(info, lambda c: plq.mrp_run(c, _code(number) or ""), wait_for)
        return MrpRun.from_view(view) if view else None

    @strawberry.field(description="Planned orders of a run (default the latest) with their "
                      "pegging; filter by item, kind (make | buy), top-level order (SO-000001) "
                      "and whether they were firmed.")
    async def planned_orders(
        self,
        info: Info,
        run: str | None = None,
        item: str | None = None,
        kind: str | None = None,
        top: str | None = None,
        firmed: bool | None = None,
        wait_for: WaitFor = None,
    ) -> list[PlannedOrder]:
        kind_ = _choice(kind, KINDS, "kind")
        views = await read(info, lambda c: plq.planned_order_list(
            c, run=run, item=_code(item), kind=kind_, top=_code(top), firmed=firmed), wait_for)
        return [PlannedOrder.from_view(v) for v in views]

    @strawberry.field(description="Scheduled receipts of a run (default the latest): open "
                      "purchase order lines and work orders with their pegging; filter by item "
                      "and top-level order (SO-000001).")
    async def pegged_receipts(
        self,
        info: Info,
        run: str | None = None,
        item: str | None = None,
        top: str | None = None,
        wait_for: WaitFor = None,
    ) -> list[PeggedReceipt]:
        views = await read(info, lambda c: plq.pegged_receipt_list(
            c, run=run, item=_code(item), top=_code(top)), wait_for)
        return [PeggedReceipt.from_view(v) for v in views]

    @strawberry.field(description="The working calendar from `from` to `to` (at most a year): "
                      "the company's (holidays, make-up working days), or a work center's with "
                      "its hours each day.")
    async def working_calendar(self, info: Info, from_: Annotated[date, strawberry.argument(
            name="from")], to: date, work_center: str | None = None,
            wait_for: WaitFor = None) -> list[CalendarDay]:
        if not from_ <= to or (to - from_).days > 366:
            raise QueryError("to must be on or after from, at most 366 days later",
                             "ValidationError", field="to")
        views = await read(info, lambda c: plq.calendar_view(c, _code(work_center), from_, to),
                           wait_for)
        return [CalendarDay(date=v.day, working=v.working,
                            hours=hours(v.hours) if v.hours is not None else None, note=v.note)
                for v in views]

    @strawberry.field(description="The company's planning settings.")
    async def planning_settings(self, info: Info, wait_for: WaitFor = None) -> PlanningSettings:
        days = await read(info, plq.expedite_horizon_days, wait_for)
        return PlanningSettings(expedite_horizon_days=days)

    @strawberry.field(description="Exception messages of a run (default the latest): "
                      "expedite, defer, cancel, past_due_release, beyond_horizon.")
    async def mrp_exceptions(
        self,
        info: Info,
        run: str | None = None,
        kind: str | None = None,
        wait_for: WaitFor = None,
    ) -> list[MrpException]:
        kind_ = _choice(kind, EXCEPTION_KINDS, "kind")
        views = await read(info, lambda c: plq.mrp_exception_list(c, run=run, kind=kind_),
                           wait_for)
        return [MrpException.from_view(v) for v in views]


# -- scheduling -------------------------------------------------------------------------
MAX_TIME_LIMIT_S = 60


def _schedule(conn, mode: str, start: datetime | None, with_operators: bool,
              time_limit: float, pull_forward: bool = False) -> Schedule:
    inputs = plq.schedule_inputs(conn, with_operators, pull_forward)
    begin = _begin(start)
    kept_free, _ = _planned_maintenance(conn, _capacities(inputs), begin)
    result = scheduling.schedule(inputs.operations, inputs.work_centers, inputs.operators,
                                 start=begin, mode=mode, time_limit_s=time_limit,
                                 downtime=kept_free or None)
    return _schedule_view(result, inputs, begin)


def _capacities(inputs) -> dict[str, int]:
    return {w.code: w.capacity for w in inputs.work_centers}


def _planned_maintenance(conn, capacities: dict[str, int], begin: datetime):
    """Maintenance orders' planned windows as downtime of their work centers
    (each window on its own: a center with one unit is kept free then)."""
    windows: dict[str, list[tuple[datetime, datetime]]] = {}
    listed: list[machine_downtime.MachineDowntime] = []
    for stop in eq.planned_maintenance(conn, begin):
        found, shown = machine_downtime.machine_downtime([stop], capacities, begin)
        for center, spans in found.items():
            windows.setdefault(center, []).extend(spans)
        listed += shown
    return windows, listed


def _begin(start: datetime | None) -> datetime:
    return start.replace(tzinfo=None, second=0, microsecond=0)


def _schedule_view(result, inputs, begin: datetime) -> Schedule:
    due = {(o.order, o.op_no): o.due for o in inputs.operations}
    ops = [ScheduledOperation(order=s.order, op_no=s.op_no, item=inputs.items.get(s.order, ""),
                              work_center=s.work_center, unit=s.unit,
                              operator=s.operator or None, start=s.start, end=s.end,
                              due=due[(s.order, s.op_no)]) for s in result.slots]
    late = [LateOrder.of(x.order, inputs.items.get(x.order, ""), x.due, x.finish,
                         x.lateness_days, hours(x.lateness_hours), hours(x.working_hours))
            for x in result.late]
    return Schedule(mode=result.mode, status=result.status, start=result.start or begin,
                    operations=ops, late=late, tardiness_hours=hours(result.tardiness_hours()),
                    tardiness_working_hours=hours(result.tardiness_working_hours()))


@strawberry.input(description="A work center unavailable from `start` to `end` (breakdown).")
class BreakdownInput:
    work_center: str
    start: datetime
    end: datetime


@strawberry.type
class Rescheduled:
    based_on: str | None = strawberry.field(
        description="The saved schedule (recordSchedule) it was compared against; null when "
        "none was recorded yet and the schedule was recomputed from start instead.")
    schedule: Schedule
    moved: list[MovedOperation]
    equipment_downtime: list[EquipmentDowntime] = strawberry.field(
        default_factory=list,
        description="Each maintenance order's planned window ahead (planMaintenanceWindow) "
        "and, with equipmentDowntime, each machine DOWN or in planned maintenance now: the "
        "window it is out and whether it stopped its work center.")


@strawberry.type(description="A machine that is down, as a breakdown of its work center.")
class EquipmentDowntime:
    equipment: str
    work_center: str
    state: str
    start: datetime
    end: datetime
    applied: bool
    note: str


def _window(b: BreakdownInput, field: str) -> tuple[datetime, datetime]:
    """A breakdown as two wall-clock times (the schedule's clock is naive).

    With a UTC offset on both ends the end is read on the start's clock, so
    the window keeps its length; one end with an offset and one without
    cannot be compared and is refused."""
    if (b.start.tzinfo is None) != (b.end.tzinfo is None):
        raise QueryError("a breakdown's start and end must both have a UTC offset or "
                         "both have none", "ValidationError", field=f"{field}.end")
    end = b.end.astimezone(b.start.tzinfo) if b.start.tzinfo is not None else b.end
    if end <= b.start:
        raise QueryError("a breakdown ends after it starts", "ValidationError",
                         field=f"{field}.end")
    return b.start.replace(tzinfo=None), end.replace(tzinfo=None)


def _downtime(breakdowns: list[BreakdownInput]) -> dict[str, list[tuple[datetime, datetime]]]:
    down: dict[str, list[tuple[datetime, datetime]]] = {}
    for i, b in enumerate(breakdowns):
        start_at, end_at = _window(b, f"breakdowns.{i}")
        down.setdefault(b.work_center.strip().upper(), []).append((start_at, end_at))
    return down


@dataclass(frozen=True)
class MachinesDown:
    """reschedule(equipmentDowntime: true): take the machines that are down."""

    repair_hours: Decimal | None = None


def _reschedule(conn, breakdowns: list[BreakdownInput], rush: list[str], start, mode: str,
                with_operators: bool, time_limit: float,
                pull_forward: bool = False, machines: MachinesDown | None = None
                ) -> Rescheduled:
    """The saved schedule in force (else, before any is recorded, the schedule as
    it stood from ``start`` without the rush orders) and the schedule in place
    after the breakdowns and the new work, with every operation moved."""
    inputs = plq.schedule_inputs(conn, with_operators, pull_forward)
    begin = _begin(start)
    down = _downtime(breakdowns)
    capacities = _capacities(inputs)
    kept_free, stopped = _planned_maintenance(conn, capacities, begin)
    for center, spans in kept_free.items():
        down.setdefault(center, []).extend(spans)
    if machines is not None:
        try:
            windows, now_down = machine_downtime.machine_downtime(
                eq.machine_stops(conn), capacities, begin, machines.repair_hours)
        except ValidationError as exc:
            raise QueryError(str(exc), "ValidationError", field=exc.field) from None
        for center, spans in windows.items():
            down.setdefault(center, []).extend(spans)
        stopped = now_down + stopped
    saved = plq.saved_schedule(conn)
    if saved is not None:
        previous = plq.saved_schedule_result(saved)
    else:
        rush_orders = {r.strip().upper() for r in rush}
        before = [o for o in inputs.operations if o.order not in rush_orders]
        previous = scheduling.schedule(before, inputs.work_centers, inputs.operators,
                                       start=begin, mode="heuristic",
                                       downtime=kept_free or None)
    result, moved = scheduling.reschedule(
        previous, inputs.operations, inputs.work_centers, inputs.operators, now=begin,
        breakdowns=down or None, mode=mode, time_limit_s=time_limit,
        running=inputs.running)
    return Rescheduled(based_on=saved.number if saved else None,
                       schedule=_schedule_view(result, inputs, begin),
                       moved=moved_operations(previous, result, moved),
                       equipment_downtime=[EquipmentDowntime(
                           equipment=m.code, work_center=m.work_center, state=m.state,
                           start=m.start, end=m.end, applied=m.applied, note=m.note)
                           for m in stopped])


def moved_operations(previous, result, moved) -> list[MovedOperation]:
    out = []
    for m in moved:
        was, now = previous.slot(m.order, m.op_no), result.slot(m.order, m.op_no)
        out.append(MovedOperation(order=m.order, op_no=m.op_no, old_start=m.old_start,
                                  new_start=m.new_start, work_center=now.work_center,
                                  old_unit=was.unit, new_unit=now.unit, old_end=was.end,
                                  new_end=now.end))
    return out


async def _scheduled(info: Info, mode: str, start: datetime | None, with_operators: bool,
                     time_limit_seconds: float, wait_for: int | None,
                     pull_forward: bool = False) -> Schedule:
    mode = (mode or "").strip().lower()
    if mode not in scheduling.MODES:
        raise QueryError(f"mode must be one of {', '.join(scheduling.MODES)}",
                         "ValidationError", field="mode")
    if not 0 < time_limit_seconds <= MAX_TIME_LIMIT_S:
        raise QueryError(f"timeLimitSeconds must be above 0 and at most {MAX_TIME_LIMIT_S}",
                         "ValidationError", field="timeLimitSeconds")
    start = start or company_now(info)
    return await read(info, lambda c: _schedule(c, mode, start, with_operators,
                                                time_limit_seconds, pull_forward), wait_for)


ScheduleMode = Annotated[str, strawberry.argument(
    description="heuristic (fast forward loading) or cp-sat (minimise total tardiness, "
    "needs the planning-solver extra).")]
Start = Annotated[datetime | None, strawberry.argument(
    description="Schedule from this time; default the company's current time (its time "
    "zone).")]
WithOperators = Annotated[bool, strawberry.argument(
    description="Let operators' qualifications limit what runs in parallel.")]
PullForward = Annotated[bool, strawberry.argument(
    description="Let a monthly plan's daily work orders start before their own day (by "
    "default not).")]


@strawberry.type
class ScheduleQuery:
    @strawberry.field(description="Forward finite-capacity schedule of released and "
                      "in-progress work orders' remaining operations and the latest MRP run's "
                      "planned work orders, on the work centers' calendars.")
    async def schedule(self, info: Info, mode: ScheduleMode = "heuristic", start: Start = None,
                       with_operators: WithOperators = False,
                       time_limit_seconds: float = 10, wait_for: WaitFor = None,
                       pull_forward: PullForward = False) -> Schedule:
        return await _scheduled(info, mode, start, with_operators, time_limit_seconds, wait_for,
                                pull_forward)

    @strawberry.field(description="The schedule as Gantt rows, one per work center.")
    async def schedule_by_work_center(
        self, info: Info, mode: ScheduleMode = "heuristic", start: Start = None,
        with_operators: WithOperators = False, time_limit_seconds: float = 10,
        wait_for: WaitFor = None, pull_forward: PullForward = False,
    ) -> list[WorkCenterRow]:
        result = await _scheduled(info, mode, start, with_operators, time_limit_seconds,
                                  wait_for, pull_forward)
        rows: dict[str, list[ScheduledOperation]] = {}
        for op in sorted(result.operations, key=lambda o: (o.work_center, o.start, o.unit)):
            rows.setdefault(op.work_center, []).append(op)
        return [WorkCenterRow(work_center=wc, operations=ops) for wc, ops in rows.items()]

    @strawberry.field(description="Reschedule in place after breakdowns (work centers "
                      "down for a while) and/or rush orders (work orders that arrived since "
                      "the last schedule), against the saved schedule in force "
                      "(recordSchedule): operations the shop floor is running keep their "
                      "machine and slot, work not started moves; every operation whose start "
                      "or machine changed is reported with its old and new slot. Before any "
                      "schedule is saved, against the schedule recomputed from start without "
                      "the rush orders. Nothing is recorded (recordSchedule with repair: true "
                      "does).")
    async def reschedule(
        self, info: Info, breakdowns: list[BreakdownInput] | None = None,
        rush_orders: list[str] | None = None, mode: ScheduleMode = "heuristic",
        start: Start = None, with_operators: WithOperators = False,
        time_limit_seconds: float = 10, wait_for: WaitFor = None,
        pull_forward: PullForward = False,
        equipment_downtime: Annotated[bool, strawberry.argument(
            description="Also take every machine DOWN or in planned maintenance (its newest "
            "state) as a breakdown of its work center, out for its MTTR of the last 90 days "
            "(docs/equipment.md).")] = False,
        repair_hours: Annotated[Decimal | None, strawberry.argument(
            description="With equipmentDowntime: the hours a machine without repair "
            "history is expected out.")] = None,
    ) -> Rescheduled:
        mode = (mode or "").strip().lower()
        if mode not in scheduling.MODES:
            raise QueryError(f"mode must be one of {', '.join(scheduling.MODES)}",
                             "ValidationError", field="mode")
        start = start or company_now(info)
        return await read(info, lambda c: _reschedule(
            c, breakdowns or [], rush_orders or [], start, mode, with_operators,
            time_limit_seconds, pull_forward,
            MachinesDown(repair_hours) if equipment_downtime else None), wait_for)

    @strawberry.field(description="A recorded schedule (recordSchedule), by default the one "
                      "in force (the latest); null if there is none.")
    async def saved_schedule(self, info: Info, number: str | None = None,
                             wait_for: WaitFor = None) -> SavedSchedule | None:
        view = await read(info, lambda c: plq.saved_schedule(c, _code(number)), wait_for)
        return SavedSchedule.from_view(view) if view else None

    @strawberry.field(description="Orders the schedule predicts late, most late first.")
    async def late_orders(
        self, info: Info, mode: ScheduleMode = "heuristic", start: Start = None,
        with_operators: WithOperators = False, time_limit_seconds: float = 10,
        wait_for: WaitFor = None, pull_forward: PullForward = False,
    ) -> list[LateOrder]:
        result = await _scheduled(info, mode, start, with_operators, time_limit_seconds,
                                  wait_for, pull_forward)
        return result.late



# -- costing ----------------------------------------------------------------------------
def _budget(conn, number: str) -> WorkOrderBudget | None:
    v = plq.work_order_budget(conn, number)
    if v is None:
        return None
    return WorkOrderBudget(
        number=v.number, item=v.item, qty=qty(v.qty), status=v.status,
        budget=elements(v.budget),
        actual=elements(v.variance.actual) if v.variance else None,
        variance=elements(v.variance) if v.variance else None)


@strawberry.type
class CostQuery:
    @strawberry.field(description="Standard unit cost of an item and of every item below it, "
                      "rolled up level by level (deepest first) from the BOMs and routings in "
                      "force on `date` (default today); bought items at their standard cost, "
                      "else their current average cost.")
    async def cost_rollup(self, info: Info, item: str, date: date | None = None,
                          wait_for: WaitFor = None) -> list[CostRollup]:
        day = date or today(info)
        views = await read(info, lambda c: plq.cost_rollup(c, _code(item) or "", day),
                           wait_for)
        return [CostRollup(item=r.item, material=price(r.material), labor=price(r.labor),
                           overhead=price(r.overhead), total=price(r.total), level=r.level)
                for r in views]

    @strawberry.field(description="A work order's budgeted cost (成本预算) from the roll-up "
                      "and, once completed, its actual cost and the variance; null if there "
                      "is no such work order.")
    async def work_order_budget(self, info: Info, number: str,
                                wait_for: WaitFor = None) -> WorkOrderBudget | None:
        return await read(info, lambda c: _budget(c, _code(number) or ""), wait_for)


PlanningQuery = merge_types("PlanningQuery", (MrpQuery, ScheduleQuery, CostQuery))
