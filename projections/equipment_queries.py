"""Reads of the equipment read models: the register, OEE per shift and day,
downtime Pareto, MTBF/MTTR, alerts, maintenance orders and the MQTT
messages that were set aside. OEE and the rest are computed from the stored
states and counts by the pure rules of ``domain/equipment/oee.py``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import Connection, and_, select

from domain.equipment.machines import DEFAULT_REASONS
from domain.equipment.oee import (
    Count,
    Figures,
    MachineState,
    ShiftTime,
    StateChange,
    figures,
    pareto,
    reliability,
    windows_on,
)
from domain.errors import NotFound, ValidationError
from domain.money import from_cents, from_micros
from projections.tables import (
    downtime_reasons,
    equipment,
    equipment_alerts,
    equipment_counts,
    equipment_dead_letters,
    equipment_states,
    maintenance_costs,
    maintenance_orders,
    maintenance_plans,
    work_centers,
)

MAX_DAYS = 366


@dataclass(frozen=True)
class EquipmentView:
    code: str
    name: str
    work_center: str
    model: str
    serial: str
    installed_on: date | None
    ideal_cycle_hours: Decimal
    shifts: tuple[ShiftTime, ...]  # its own, else its work center's
    own_calendar: bool
    status: str
    spare_parts: tuple[tuple[str, Decimal], ...]
    state: str
    reason: str
    state_at: str
    counted: Decimal
    good: Decimal
    holidays: tuple[date, ...]


def _shifts(text: str) -> tuple[ShiftTime, ...]:
    out = []
    for part in filter(None, (text or "").split(";")):
        weekday, span = part.split(" ")
        start, end = span.split("-")
        out.append(ShiftTime(int(weekday), start, end))
    return tuple(out)


def _view(row, wc) -> EquipmentView:
    own = _shifts(row.shifts)
    parts = tuple((p.split(" ")[0], Decimal(p.split(" ")[1]))
                  for p in filter(None, row.spare_parts.split(";")))
    holidays = tuple(date.fromisoformat(d) for d in filter(None, (wc.holidays if wc else "")
                                                           .split(",")))
    return EquipmentView(
        row.code, row.name, row.work_center, row.model, row.serial, row.installed_on,
        Decimal(row.ideal_cycle_hours), own or _shifts(wc.shifts if wc else ""), bool(own),
        row.status, parts, row.state, row.reason, row.state_at,
        from_micros(row.counted_micros), from_micros(row.good_micros), holidays)


def equipment_list(conn: Connection, work_center: str | None = None) -> list[EquipmentView]:
    q = select(equipment).order_by(equipment.c.code)
    if work_center:
        q = q.where(equipment.c.work_center == work_center)
    centers = {r.code: r for r in conn.execute(select(work_centers))}
    return [_view(r, centers.get(r.work_center)) for r in conn.execute(q)]


def equipment_exists(conn: Connection, code: str) -> bool:
    return conn.execute(select(equipment.c.code).where(equipment.c.code == code)).first() \
        is not None


def equipment_view(conn: Connection, code: str) -> EquipmentView:
    row = conn.execute(select(equipment).where(equipment.c.code == code)).first()
    if row is None:
        raise NotFound(f"equipment {code} does not exist", "Equipment", code)
    wc = conn.execute(select(work_centers).where(work_centers.c.code == row.work_center)).first()
    return _view(row, wc)


# -- states and counts ------------------------------------------------------------------
def _iso(moment: datetime) -> str:
    return moment.isoformat()


def states_between(conn: Connection, code: str, start: datetime, end: datetime
                   ) -> list[StateChange]:
    """Every state change in [start, end) and the last one before ``start``."""
    s = equipment_states.c
    before = conn.execute(select(equipment_states).where(and_(
        s.equipment == code, s.at < _iso(start))).order_by(s.at.desc(), s.position.desc())
        .limit(1)).all()
    inside = conn.execute(select(equipment_states).where(and_(
        s.equipment == code, s.at >= _iso(start), s.at < _iso(end)))
        .order_by(s.at, s.position)).all()
    return [StateChange(datetime.fromisoformat(r.at), MachineState(r.state), r.reason,
                        r.breakdown) for r in (*before, *inside)]


def counts_between(conn: Connection, code: str, start: datetime, end: datetime) -> list[Count]:
    """Counts with start < at <= end."""
    c = equipment_counts.c
    rows = conn.execute(select(equipment_counts).where(and_(
        c.equipment == code, c.at > _iso(start), c.at <= _iso(end))).order_by(c.at, c.position))
    return [Count(datetime.fromisoformat(r.at), from_micros(r.total_micros),
                  from_micros(r.good_micros)) for r in rows]


# -- OEE ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class OeePeriod:
    """One shift or one day of one equipment."""

    equipment: str
    day: date
    start: datetime | None  # a shift's window; None for the day
    end: datetime | None
    figures: Figures


@dataclass(frozen=True)
class OeeDay:
    total: OeePeriod
    shifts: tuple[OeePeriod, ...]


def check_days(first: date, last: date | None) -> date:
    last = first if last is None else last
    if last < first:
        raise ValidationError("to is before from", "to")
    if (last - first).days >= MAX_DAYS:
        raise ValidationError(f"at most {MAX_DAYS} days at once", "to")
    return last


def oee_days(conn: Connection, code: str, first: date, last: date | None = None,
             until: datetime | None = None) -> list[OeeDay]:
    """OEE per day and per shift, ``first`` to ``last``; ``until``: the
    company's present wall-clock time (a shift in progress counts to it)."""
    last = check_days(first, last)
    view = equipment_view(conn, code)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    planned = {d: windows_on(d, view.shifts, view.holidays) for d in days}
    every = [w for ws in planned.values() for w in ws]
    if not every:
        return [OeeDay(OeePeriod(code, d, None, None, figures([], [], [], view.ideal_cycle_hours)),
                       ()) for d in days]
    start, end = min(w.start for w in every), max(w.end for w in every)
    states = states_between(conn, code, start, end)
    counts = counts_between(conn, code, start, end)
    out = []
    for d in days:
        shifts = tuple(OeePeriod(code, d, w.start, w.end,
                                 figures([w], states, counts, view.ideal_cycle_hours, until))
                       for w in planned[d])
        out.append(OeeDay(OeePeriod(code, d, None, None, figures(
            planned[d], states, counts, view.ideal_cycle_hours, until)), shifts))
    return out


# -- downtime Pareto and reliability -----------------------------------------------------------
@dataclass(frozen=True)
class ReasonView:
    code: str
    name: str
    breakdown: bool


def reasons(conn: Connection) -> list[ReasonView]:
    rows = conn.execute(select(downtime_reasons).order_by(downtime_reasons.c.seq)).all()
    if not rows:
        return [ReasonView(r.code, r.name, r.breakdown) for r in DEFAULT_REASONS]
    return [ReasonView(r.code, r.name, r.breakdown) for r in rows]


@dataclass(frozen=True)
class ParetoView:
    reason: str
    name: str
    hours: Fraction
    share: Fraction
    cumulative: Fraction


def downtime_pareto(conn: Connection, first: date, last: date | None = None,
                    code: str | None = None, work_center: str | None = None,
                    until: datetime | None = None) -> list[ParetoView]:
    """DOWN time by reason inside the planned shifts of the days, over one
    equipment, a work center's or all, largest first."""
    last = check_days(first, last)
    machines = [code] if code else [e.code for e in equipment_list(conn, work_center)]
    down: dict[str, Fraction] = {}
    for machine in machines:
        for day in oee_days(conn, machine, first, last, until):
            for reason, h in day.total.figures.down_by_reason.items():
                down[reason] = down.get(reason, Fraction(0)) + h
    names = {r.code: r.name for r in reasons(conn)}
    return [ParetoView(r.reason, names.get(r.reason, ""), r.hours, r.share, r.cumulative)
            for r in pareto(down)]


@dataclass(frozen=True)
class ReliabilityView:
    equipment: str
    failures: int
    operating: Fraction
    repair: Fraction
    mtbf: Fraction | None
    mttr: Fraction | None


def equipment_reliability(conn: Connection, code: str, first: date, last: date | None = None,
                          until: datetime | None = None) -> ReliabilityView:
    """Failures that began on ``first`` to ``last`` (whole days), MTBF and MTTR."""
    last = check_days(first, last)
    equipment_view(conn, code)
    start = datetime.combine(first, datetime.min.time())
    end = datetime.combine(last + timedelta(days=1), datetime.min.time())
    if until is not None and until < end:
        end = max(until, start)
    found = reliability(states_between(conn, code, start, end), start, end)
    return ReliabilityView(code, found.failures, found.operating, found.repair, found.mtbf,
                           found.mttr)


# -- alerts --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EquipmentAlertView:
    position: int
    equipment: str
    work_center: str
    kind: str
    reason: str
    at: str
    message: str


def _alert(r) -> EquipmentAlertView:
    return EquipmentAlertView(r.position, r.equipment, r.work_center, r.kind, r.reason, r.at,
                              r.message)


def alerts(conn: Connection, code: str | None = None, first: int = 100
           ) -> list[EquipmentAlertView]:
    """The newest first."""
    a = equipment_alerts.c
    q = select(equipment_alerts).order_by(a.position.desc()).limit(first)
    if code:
        q = q.where(a.equipment == code)
    return [_alert(r) for r in conn.execute(q)]


def alerts_after(conn: Connection, position: int, code: str | None, limit: int
                 ) -> list[EquipmentAlertView]:
    """Alerts after a log position, oldest first (the live feed)."""
    a = equipment_alerts.c
    q = select(equipment_alerts).where(a.position > position).order_by(a.position).limit(limit)
    if code:
        q = q.where(a.equipment == code)
    return [_alert(r) for r in conn.execute(q)]


# -- maintenance -------------------------------------------------------------------------------
@dataclass(frozen=True)
class MaintenanceCostView:
    kind: str
    day: date
    document: str
    detail: str
    hours: Decimal
    amount: Decimal
    entry_id: str
    voucher_no: str


@dataclass(frozen=True)
class MaintenanceOrderView:
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
    parts: Decimal
    labor_hours: Decimal
    labor: Decimal
    costs: tuple[MaintenanceCostView, ...]
    planned_start: datetime | None = None
    planned_end: datetime | None = None


def maintenance_order_list(conn: Connection, code: str | None = None,
                           status: str | None = None, first: int = 100
                           ) -> list[MaintenanceOrderView]:
    o = maintenance_orders.c
    q = select(maintenance_orders).order_by(o.number.desc()).limit(first)
    if code:
        q = q.where(o.equipment == code)
    if status:
        q = q.where(o.status == status)
    rows = conn.execute(q).all()
    numbers = [r.number for r in rows]
    costs: dict[str, list[MaintenanceCostView]] = {n: [] for n in numbers}
    if numbers:
        c = maintenance_costs.c
        for r in conn.execute(select(maintenance_costs).where(c.number.in_(numbers))
                              .order_by(c.position)):
            costs[r.number].append(MaintenanceCostView(
                r.kind, r.day, r.document, r.detail, from_micros(r.hours_uh),
                from_cents(r.amount_cents), r.entry_id, r.voucher_no))
    return [MaintenanceOrderView(
        r.number, r.equipment, r.work_center, r.kind, r.plan, r.reason, r.description, r.status,
        r.opened_on, r.started_on, r.closed_on, r.note, from_cents(r.parts_cents),
        from_micros(r.labor_uh), from_cents(r.labor_cents), tuple(costs[r.number]),
        _wall(r.planned_start), _wall(r.planned_end))
        for r in rows]


def _wall(text: str) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def maintenance_order(conn: Connection, number: str) -> MaintenanceOrderView:
    o = maintenance_orders.c
    row = conn.execute(select(o.equipment).where(o.number == number)).first()
    if row is None:
        raise NotFound(f"maintenance order {number} does not exist", "MaintenanceOrder", number)
    return next(v for v in maintenance_order_list(conn, row.equipment, first=10**6)
                if v.number == number)


@dataclass(frozen=True)
class MaintenancePlanView:
    equipment: str
    code: str
    description: str
    every_days: int
    every_units: Decimal
    last_done_on: date | None
    last_done_units: Decimal
    open_order: str


def maintenance_plan_list(conn: Connection, code: str | None = None
                          ) -> list[MaintenancePlanView]:
    p = maintenance_plans.c
    q = select(maintenance_plans).order_by(p.equipment, p.code)
    if code:
        q = q.where(p.equipment == code)
    return [MaintenancePlanView(r.equipment, r.code, r.description, r.every_days,
                                from_micros(r.every_units_micros), r.last_done_on,
                                from_micros(r.last_done_units_micros), r.open_order)
            for r in conn.execute(q)]


# -- MQTT messages set aside ------------------------------------------------------------------
@dataclass(frozen=True)
class EquipmentDeadLetterView:
    position: int
    topic: str
    message_id: str
    code: str
    reason: str
    payload: str
    received_at: str


def dead_letters(conn: Connection, first: int = 100) -> list[EquipmentDeadLetterView]:
    d = equipment_dead_letters.c
    return [EquipmentDeadLetterView(r.position, r.topic, r.message_id, r.code, r.reason,
                                    r.payload, r.received_at)
            for r in conn.execute(select(equipment_dead_letters)
                                  .order_by(d.position.desc()).limit(first))]


def machine_stops(conn: Connection, days: int = 90) -> list:
    """Every machine's newest state with its MTTR over the ``days`` before that
    state began, for the scheduler (domain/planning/machine_downtime.py)."""
    from domain.planning.machine_downtime import MachineStop

    stops = []
    for machine in equipment_list(conn):
        if not machine.state_at:
            continue
        since = datetime.fromisoformat(machine.state_at).replace(tzinfo=None)
        # repairs finished before this stop (the one under way is not one yet)
        found = equipment_reliability(conn, machine.code, (since - timedelta(days=days)).date(),
                                      since.date(), until=since)
        mttr = None if found.mttr is None else \
            Decimal(found.mttr.numerator) / Decimal(found.mttr.denominator)
        stops.append(MachineStop(machine.code, machine.work_center, machine.state, since, mttr))
    return stops


def planned_maintenance(conn: Connection, after: datetime) -> list:
    """Open and started maintenance orders whose planned window ends after
    ``after``: machines finite scheduling must keep free then."""
    from domain.planning.machine_downtime import MachineStop

    o = maintenance_orders.c
    rows = conn.execute(select(o.equipment, o.work_center, o.planned_start, o.planned_end)
                        .where(o.status != "closed", o.planned_end != "")
                        .order_by(o.planned_start, o.number)).all()
    return [MachineStop(r.equipment, r.work_center, "PLANNED_MAINTENANCE",
                        datetime.fromisoformat(r.planned_start), None,
                        until=datetime.fromisoformat(r.planned_end))
            for r in rows if datetime.fromisoformat(r.planned_end) > after]
