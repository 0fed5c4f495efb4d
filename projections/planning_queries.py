"""Reads of the planning read models: MRP runs, planned orders with their
pegging, and exception messages. A run filter defaults to the latest run."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import Connection, select

from domain.errors import NotFound
from domain.money import from_micros
from domain.planning.model import DEFAULT_EXPEDITE_HORIZON_DAYS
from projections.tables import (
    mrp_exceptions,
    mrp_receipt_pegs,
    mrp_receipts,
    mrp_runs,
    planned_order_pegs,
    planned_orders,
    planning_settings,
)


@dataclass(frozen=True)
class MrpRunView:
    number: str
    today: date
    fingerprint: str
    planned_count: int
    exception_count: int
    actor: str
    recorded_at: str
    position: int


@dataclass(frozen=True)
class PegView:
    demand: str
    top: str
    qty: Decimal


@dataclass(frozen=True)
class PlannedOrderView:
    id: str
    run: str
    item: str
    kind: str  # make | buy
    qty: Decimal
    need_date: date
    release_date: date
    level: int
    firmed_as: str | None
    pegs: tuple[PegView, ...]
    supplier: str = ""  # a planned purchase: the approved supplier proposed


@dataclass(frozen=True)
class MrpExceptionView:
    run: str
    seq: int
    kind: str
    item: str
    ref: str
    message: str
    day: date | None


def _run_view(r) -> MrpRunView:
    return MrpRunView(r.number, r.today, r.fingerprint, r.planned_count, r.exception_count,
                      r.actor, r.recorded_at, r.position)


def mrp_runs_list(conn: Connection, limit: int = 50) -> list[MrpRunView]:
    """The runs, newest first."""
    rows = conn.execute(select(mrp_runs).order_by(mrp_runs.c.position.desc()).limit(limit))
    return [_run_view(r) for r in rows]


def mrp_run(conn: Connection, number: str) -> MrpRunView | None:
    row = conn.execute(select(mrp_runs).where(mrp_runs.c.number == number)).first()
    return _run_view(row) if row else None


def latest_run(conn: Connection) -> str | None:
    return conn.execute(select(mrp_runs.c.number).order_by(mrp_runs.c.position.desc())
                        .limit(1)).scalar()


def resolve_run(conn: Connection, run: str | None) -> str | None:
    """The run asked for (NotFound if there is none such), else the latest (None if none)."""
    number = (run or "").strip().upper()
    if not number:
        return latest_run(conn)
    if conn.execute(select(mrp_runs.c.number).where(mrp_runs.c.number == number)).scalar():
        return number
    raise NotFound(f"MRP run {number} does not exist", "MrpRun", number)


def planned_order_list(
    conn: Connection,
    run: str | None = None,
    item: str | None = None,
    kind: str | None = None,
    top: str | None = None,
    firmed: bool | None = None,
) -> list[PlannedOrderView]:
    """Planned orders of a run (default the latest) in id order with their pegs;
    ``top`` keeps those pegged to that top-level order, ``firmed`` those (not) firmed."""
    number = resolve_run(conn, run)
    if number is None:
        return []
    p, g = planned_orders.c, planned_order_pegs.c
    query = select(planned_orders).where(p.run == number)
    if item:
        query = query.where(p.item == item)
    if kind:
        query = query.where(p.kind == kind)
    if firmed is True:
        query = query.where(p.firmed_as.is_not(None))
    elif firmed is False:
        query = query.where(p.firmed_as.is_(None))
    if top:
        query = query.where(p.id.in_(select(g.id).where(g.top == top)))
    rows = conn.execute(query.order_by(p.id)).all()
    pegs: dict[str, list[PegView]] = defaultdict(list)
    if rows:
        prefix = f"{number}/"
        for r in conn.execute(select(planned_order_pegs).where(g.id.startswith(prefix))
                              .order_by(g.id, g.seq)):
            pegs[r.id].append(PegView(r.demand, r.top, from_micros(r.qty_micros)))
    return [PlannedOrderView(r.id, r.run, r.item, r.kind, from_micros(r.qty_micros),
                             r.need_date, r.release_date, r.level, r.firmed_as,
                             tuple(pegs.get(r.id, ())), r.supplier) for r in rows]


@dataclass(frozen=True)
class PeggedReceiptView:
    run: str
    ref: str
    item: str
    kind: str  # purchase | work_order
    qty: Decimal
    due: date
    available: date
    pegs: tuple[PegView, ...]


def pegged_receipt_list(conn: Connection, run: str | None = None, item: str | None = None,
                        top: str | None = None) -> list[PeggedReceiptView]:
    """A run's scheduled receipts (default the latest run) with their pegs, by
    reference; ``top`` keeps those pegged to that top-level order."""
    number = resolve_run(conn, run)
    if number is None:
        return []
    r, g = mrp_receipts.c, mrp_receipt_pegs.c
    query = select(mrp_receipts).where(r.run == number)
    if item:
        query = query.where(r.item == item)
    if top:
        query = query.where(r.ref.in_(select(g.ref).where(g.run == number, g.top == top)))
    rows = conn.execute(query.order_by(r.ref)).all()
    pegs: dict[str, list[PegView]] = defaultdict(list)
    if rows:
        for p in conn.execute(select(mrp_receipt_pegs).where(g.run == number)
                              .order_by(g.ref, g.seq)):
            pegs[p.ref].append(PegView(p.demand, p.top, from_micros(p.qty_micros)))
    return [PeggedReceiptView(x.run, x.ref, x.item, x.kind, from_micros(x.qty_micros),
                              x.due_date, x.available_date, tuple(pegs.get(x.ref, ())))
            for x in rows]


def expedite_horizon_days(conn: Connection) -> int:
    """The company's expedite horizon (the default until it sets one)."""
    days = conn.execute(select(planning_settings.c.expedite_horizon_days)).scalar()
    return DEFAULT_EXPEDITE_HORIZON_DAYS if days is None else days


def planned_order(conn: Connection, planned_id: str) -> PlannedOrderView | None:
    number = planned_id.split("/", 1)[0]
    try:
        found = planned_order_list(conn, run=number)
    except NotFound:
        return None
    return next((v for v in found if v.id == planned_id), None)


def mrp_exception_list(conn: Connection, run: str | None = None,
                       kind: str | None = None) -> list[MrpExceptionView]:
    number = resolve_run(conn, run)
    if number is None:
        return []
    x = mrp_exceptions.c
    query = select(mrp_exceptions).where(x.run == number)
    if kind:
        query = query.where(x.kind == kind)
    return [MrpExceptionView(r.run, r.seq, r.kind, r.item, r.ref, r.message, r.day)
            for r in conn.execute(query.order_by(x.seq))]


# -- working calendars ------------------------------------------------------------------
@dataclass(frozen=True)
class CalendarDayView:
    day: date
    working: bool
    hours: Decimal | None  # a work center's hours on all its units; None for the company
    note: str  # why: holiday, working day, weekend / no shift, or ""


def calendar_view(conn: Connection, work_center: str | None, first: date,
                  last: date) -> list[CalendarDayView]:
    """The company's days (or a work center's, with its hours) from ``first``
    to ``last``."""
    from datetime import timedelta

    from domain.catalog.engineering import Shift
    from domain.planning.model import Calendar
    from domain.planning.working_days import COMPANY, CalendarDays, center_days, shifts_on
    from projections.planning_snapshot import working_calendars
    from projections.production_queries import work_center_views

    calendars = working_calendars(conn)
    company = calendars.get(COMPANY, CalendarDays())
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    if not work_center:
        cal = Calendar(company.holidays, company.working_days)
        return [CalendarDayView(d, cal.is_working(d), None, _note(d, company, d.weekday() < 5))
                for d in days]
    views = work_center_views(conn, work_center)
    if not views:
        raise NotFound(f"work center {work_center} does not exist", "WorkCenter", work_center)
    v = views[0]
    shifts = tuple(Shift(x.weekday, x.start, x.end) for x in v.shifts)
    own = center_days(company, calendars.get(v.code, CalendarDays()), v.holidays)
    out = []
    for d in days:
        hours = sum((x.hours for x in shifts_on(shifts, d, own)), Decimal(0)) * v.capacity
        normal = any(x.weekday == d.weekday() for x in shifts)
        out.append(CalendarDayView(d, hours > 0, hours, _note(d, own, normal)))
    return out


def _note(day: date, days, normal: bool) -> str:
    if day in days.holidays:
        return "holiday"
    if day in days.working_days and not normal:
        return "working day"
    return "" if normal else "day off"


# -- scheduling inputs ------------------------------------------------------------------
SCHEDULED_WORK_ORDERS = ("released", "in_progress")
OPEN_WORK_ORDERS = ("created", "held", "released", "in_progress")


def schedule_inputs(conn: Connection, with_operators: bool = False,
                    pull_forward: bool = False):
    """What a schedule is made from (a ``ScheduleSnapshot``): released and
    in-progress work orders' remaining operations (setup while nothing is
    reported yet, plus run hours for the quantity still to make, not before
    the expected receipt of what is short), and the latest MRP run's planned
    work orders not yet firmed, exploded through their routings in force on
    their release dates (not before those dates); the work centers on their
    calendars; the operations the shop floor is running (started, paused or
    reported, not finished). A monthly plan's daily work order does not start
    before its own day unless ``pull_forward``."""
    from domain.planning.scheduling import SchedOperator, ScheduleSnapshot
    from projections.production_queries import operator_views

    ops, items, running = _work_order_operations(conn, pull_forward)
    planned, planned_items = _planned_operations(conn)
    people = tuple(SchedOperator(v.code, tuple(v.work_centers))
                   for v in operator_views(conn)) if with_operators else ()
    return ScheduleSnapshot(tuple(ops + planned), _work_centers(conn), people,
                            {**items, **planned_items}, frozenset(running))


def _work_order_operations(conn: Connection,
                           pull_forward: bool) -> tuple[list, dict[str, str], set]:
    from domain.planning.scheduling import SchedOperation
    from projections.tables import (
        daily_work_orders,
        order_lines,
        orders,
        work_order_operations,
        work_order_shortages,
        work_orders,
    )

    wo, op = work_orders.c, work_order_operations.c
    expected = _expected_receipts(conn, order_lines, orders, work_orders)
    own_day = {} if pull_forward else {
        r.work_order: datetime.combine(r.day, time())
        for r in conn.execute(select(daily_work_orders))}
    short: dict[str, list[str]] = defaultdict(list)
    for r in conn.execute(select(work_order_shortages)):
        short[r.number].append(r.item)
    ops, items, running = [], {}, set()
    rows = conn.execute(
        select(work_orders.c.number, wo.item, wo.qty_micros, wo.due_date, op.op_no, op.seq,
               op.work_center, op.status, op.setup_uh, op.run_uh_per_unit, op.good_micros,
               op.scrap_micros)
        .join(work_order_operations, op.number == wo.number)
        .where(wo.status.in_(SCHEDULED_WORK_ORDERS)).order_by(wo.number, op.seq))
    for r in rows:
        done = r.good_micros + r.scrap_micros
        left = r.qty_micros - done
        if left <= 0:
            continue
        micro_hours = (r.setup_uh if done == 0 else 0) + r.run_uh_per_unit * left // 1_000_000
        dates = [expected[i] for i in short.get(r.number, ()) if i in expected]
        ready = datetime.combine(max(dates), time()) if dates else None
        items[r.number] = r.item
        ops.append(SchedOperation(r.number, r.op_no, r.seq, r.work_center,
                                  Decimal(micro_hours) / 1_000_000, r.due_date,
                                  material_ready=ready, not_before=own_day.get(r.number)))
        if r.status in ("running", "paused") or done > 0:
            running.add((r.number, r.op_no))
    return ops, items, running


def _planned_operations(conn: Connection) -> tuple[list, dict[str, str]]:
    from domain.planning.scheduling import SchedOperation
    from projections.tables import routing_operations

    number = latest_run(conn)
    if not number:
        return [], {}
    ops, items = [], {}
    p, ro = planned_orders.c, routing_operations.c
    routes = conn.execute(select(routing_operations).order_by(
        ro.item, ro.effective_from.desc(), ro.version, ro.seq)).all()
    for r in conn.execute(select(planned_orders).where(
            p.run == number, p.kind == "make", p.firmed_as.is_(None)).order_by(p.id)):
        chosen = [x for x in routes if x.item == r.item and x.effective_from <= r.release_date
                  and (x.effective_to is None or r.release_date <= x.effective_to)]
        if not chosen:
            continue
        version = chosen[0].version
        qty = from_micros(r.qty_micros)
        items[r.id] = r.item
        for x in (x for x in chosen if x.version == version):
            ops.append(SchedOperation(
                r.id, x.op_no, x.seq, x.work_center,
                Decimal(x.setup_hours) + qty * Decimal(x.run_hours_per_unit), r.need_date,
                priority_key=1, material_ready=datetime.combine(r.release_date, time())))
    return ops, items


def _work_centers(conn: Connection) -> tuple:
    """Every work center on its calendar (its own days over the company's)."""
    from domain.catalog.engineering import Shift
    from domain.planning.scheduling import SchedWorkCenter
    from domain.planning.working_days import COMPANY, CalendarDays, center_days
    from projections.planning_snapshot import working_calendars
    from projections.production_queries import work_center_views

    calendars = working_calendars(conn)
    company = calendars.get(COMPANY, CalendarDays())
    centers = []
    for v in work_center_views(conn):
        days = center_days(company, calendars.get(v.code, CalendarDays()), v.holidays)
        centers.append(SchedWorkCenter(
            v.code, v.capacity, tuple(Shift(s.weekday, s.start, s.end) for s in v.shifts),
            days.holidays, days.working_days))
    return tuple(centers)


def _expected_receipts(conn: Connection, order_lines, orders, work_orders) -> dict[str, date]:
    """Earliest due date of an open purchase order line or work order per item."""
    ln, o, wo = order_lines.c, orders.c, work_orders.c
    out: dict[str, date] = {}
    for item, due in conn.execute(
            select(ln.item, ln.due_date).join(orders, o.number == ln.number)
            .where(o.status == "confirmed", o.kind == "purchase",
                   ln.qty_micros > ln.delivered_micros - ln.returned_micros)):
        out[item] = min(out.get(item, due), due)
    for item, due in conn.execute(select(wo.item, wo.due_date)
                                  .where(wo.status.in_(OPEN_WORK_ORDERS))):
        out[item] = min(out.get(item, due), due)
    return out


# -- cost roll-up and budgets -----------------------------------------------------------
def _routings_in_force(conn: Connection, day: date) -> dict[str, list]:
    from projections.tables import routing_operations

    ro = routing_operations.c
    chosen: dict[str, str] = {}
    out: dict[str, list] = defaultdict(list)
    for r in conn.execute(select(routing_operations).where(
            ro.effective_from <= day, (ro.effective_to.is_(None)) | (ro.effective_to >= day))
            .order_by(ro.item, ro.effective_from.desc(), ro.version, ro.seq)):
        if chosen.setdefault(r.item, r.version) == r.version:
            out[r.item].append((r.work_center, Decimal(r.setup_hours),
                                Decimal(r.run_hours_per_unit)))
    return out


def cost_inputs(conn: Connection, day: date) -> tuple[dict, dict]:
    """Cost items (BOMs and routings in force on ``day``; bought items at their
    standard cost, or else their current average cost) and work-center rates."""
    from domain.planning.costing import CostItem
    from projections.planning_snapshot import _boms_in_force
    from projections.production_queries import work_center_views
    from projections.tables import items, stock_balances

    boms, routes = _boms_in_force(conn, day), _routings_in_force(conn, day)
    qty, value = defaultdict(int), defaultdict(int)
    for r in conn.execute(select(stock_balances)):
        qty[r.item] += r.qty_micros
        value[r.item] += r.value_cents
    out = {}
    for r in conn.execute(select(items.c.code, items.c.standard_cost)):
        comps = boms.get(r.code, ())
        cost = Decimal(r.standard_cost or "0")
        if cost <= 0 and qty[r.code] > 0:
            cost = Decimal(value[r.code]) / 100 / from_micros(qty[r.code])
        out[r.code] = CostItem(r.code, bool(comps), cost, comps, tuple(routes.get(r.code, ())))
    rates = {v.code: (v.labor_rate, v.overhead_rate) for v in work_center_views(conn)}
    return out, rates


def cost_rollup(conn: Connection, item: str, day: date):
    """The rolled-up standard cost of ``item`` and of everything below it."""
    from domain.planning.costing import rollup

    cost_items, rates = cost_inputs(conn, day)
    if item not in cost_items:
        raise NotFound(f"item {item} does not exist", "Item", item)
    needed, stack = set(), [item]
    while stack:
        code = stack.pop()
        if code not in needed:
            needed.add(code)
            stack.extend(c.item for c in cost_items[code].components)
    rolled = rollup({c: cost_items[c] for c in needed}, rates)
    return sorted(rolled.values(), key=lambda r: (r.level, r.item))


@dataclass(frozen=True)
class WorkOrderBudgetView:
    number: str
    item: str
    qty: Decimal
    status: str
    budget: object  # costing.Budget
    variance: object | None  # costing.CostVariance once completed


def work_order_budget(conn: Connection, number: str) -> WorkOrderBudgetView | None:
    """Budget of a work order from the roll-up (its own BOM and routing versions,
    components at the roll-up of its creation day, its quantity spreading the
    setup); after completion, actual cost against it."""
    from dataclasses import replace
    from types import SimpleNamespace

    from domain.planning.costing import CostItem, budget, compare, rollup
    from projections.production_queries import work_order
    from projections.tables import bom_lines, work_order_operations

    view = work_order(conn, number)
    if view is None:
        return None
    s = view.summary
    cost_items, rates = cost_inputs(conn, s.business_day)
    b, o = bom_lines.c, work_order_operations.c
    comps = tuple((r.component, Decimal(r.qty_per), Decimal(r.scrap_allowance))
                  for r in conn.execute(select(bom_lines).where(
                      b.item == s.item, b.version == view.bom_version).order_by(b.line_no)))
    ops = tuple((r.work_center, Decimal(r.setup_uh) / 1_000_000,
                 Decimal(r.run_uh_per_unit) / 1_000_000)
                for r in conn.execute(select(work_order_operations)
                                      .where(o.number == number).order_by(o.seq)))
    cost_items[s.item] = replace(cost_items.get(s.item) or CostItem(s.item, True),
                                 make=True, components=comps, operations=ops)
    rolled = rollup(cost_items, rates, lot_size={s.item: s.qty})
    planned = budget(rolled, s.item, s.qty)
    variance = None
    if s.status in ("completed", "closed"):
        c = view.cost
        variance = compare(planned, SimpleNamespace(material=c.material_in, labor=c.labor_in,
                                                    overhead=c.overhead_in))
    return WorkOrderBudgetView(number, s.item, s.qty, s.status, planned, variance)


# -- saved schedules --------------------------------------------------------------------
@dataclass(frozen=True)
class SavedScheduleView:
    number: str
    start: datetime
    mode: str
    status: str
    fingerprint: str
    based_on: str
    actor: str
    recorded_at: str
    position: int
    operations: tuple  # rows of scheduled_operations, by start, work center, unit
    late: tuple  # rows of schedule_late_orders, most late first
    moved: tuple  # rows of schedule_moves, by new start
    breakdowns: tuple  # rows of schedule_breakdowns


def latest_schedule_number(conn: Connection) -> str | None:
    from projections.tables import schedule_runs

    return conn.execute(select(schedule_runs.c.number).order_by(
        schedule_runs.c.position.desc()).limit(1)).scalar()


def saved_schedule(conn: Connection, number: str | None = None) -> SavedScheduleView | None:
    """A recorded schedule (default the latest, the one in force); None if none."""
    from projections.tables import (
        schedule_breakdowns,
        schedule_late_orders,
        schedule_moves,
        schedule_runs,
        scheduled_operations,
    )

    number = number or latest_schedule_number(conn)
    run = conn.execute(select(schedule_runs).where(schedule_runs.c.number == number)).first()
    if run is None:
        return None
    o, late, m, b = (scheduled_operations.c, schedule_late_orders.c, schedule_moves.c,
                     schedule_breakdowns.c)
    ops = conn.execute(select(scheduled_operations).where(o.run == number).order_by(
        o.start, o.work_center, o.unit, o.order_ref, o.op_no)).all()
    lates = conn.execute(select(schedule_late_orders).where(late.run == number).order_by(
        late.lateness_uh.desc(), late.order_ref)).all()
    moves = conn.execute(select(schedule_moves).where(m.run == number).order_by(
        m.new_start, m.order_ref, m.op_no)).all()
    downs = conn.execute(select(schedule_breakdowns).where(b.run == number)
                         .order_by(b.seq)).all()
    return SavedScheduleView(run.number, run.start, run.mode, run.status, run.fingerprint,
                             run.based_on, run.actor, run.recorded_at, run.position,
                             tuple(ops), tuple(lates), tuple(moves), tuple(downs))


def saved_schedule_result(view: SavedScheduleView):
    """The saved schedule as the scheduler's result (what a repair starts from)."""
    from domain.planning.scheduling import Late, ScheduleResult, Slot

    slots = tuple(Slot(r.order_ref, r.op_no, r.work_center, r.start, r.end, r.unit,
                       r.operator) for r in view.operations)
    late = tuple(Late(r.order_ref, r.due, r.finish, r.lateness_days,
                      from_micros(r.lateness_uh).quantize(Decimal("0.01")),
                      from_micros(r.working_uh).quantize(Decimal("0.01")))
                 for r in view.late)
    return ScheduleResult(slots, late, view.mode, view.status, view.start)
