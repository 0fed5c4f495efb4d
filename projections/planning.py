"""Planning read models: forecasts, MRP runs, planned orders and scheduled
receipts with their pegging, exception messages, which planned orders were
firmed, the company's planning settings and working calendars, the monthly
plans' daily work orders and the saved schedules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, delete, select, update

from domain.money import to_micros
from domain.planning.runs import Forecast, MonthlyPlan, MrpRun, forecast_id, mrp_run_id
from domain.planning.schedules import ScheduleRun
from domain.planning.settings import PlanningSettings
from domain.planning.working_days import WorkingCalendar
from projections.runner import Notified
from projections.sql import bulk_insert, upsert_replace
from projections.tables import (
    daily_work_orders,
    forecasts,
    mrp_exceptions,
    mrp_receipt_pegs,
    mrp_receipts,
    mrp_runs,
    planned_order_pegs,
    planned_orders,
    planning_settings,
    schedule_breakdowns,
    schedule_late_orders,
    schedule_moves,
    schedule_runs,
    scheduled_operations,
    working_calendar_days,
)

_KEYS: dict[Any, Any] = {}  # derived ids -> codes (the same in every database)


class PlanningProjection:
    name = "planning"
    tables = (forecasts, mrp_runs, planned_orders, planned_order_pegs, mrp_exceptions,
              mrp_receipts, mrp_receipt_pegs, planning_settings, working_calendar_days,
              schedule_runs, scheduled_operations, schedule_late_orders, schedule_moves,
              schedule_breakdowns, daily_work_orders)

    def apply(self, conn: Connection, batch: Sequence[Notified]) -> None:
        for n in batch:
            ev = n.event
            if isinstance(ev, MrpRun.Recorded):
                _run(conn, n)
            elif isinstance(ev, MrpRun.Firmed):
                conn.execute(update(planned_orders).where(planned_orders.c.id == ev.planned_id)
                             .values(firmed_as=ev.order))
            elif isinstance(ev, Forecast.Set):
                _KEYS[ev.originator_id] = (ev.item, ev.day)
                _forecast(conn, ev.item, ev.day, ev.qty)
            elif isinstance(ev, Forecast.Changed):
                item, day = _forecast_key(conn, ev.originator_id)
                _forecast(conn, item, day, ev.qty)
            elif isinstance(ev, MonthlyPlan.Split):
                bulk_insert(conn, daily_work_orders, ["work_order", "plan", "item", "day"],
                            [(d.work_order, ev.number, ev.item, d.day) for d in ev.days])
            elif isinstance(ev, ScheduleRun.Recorded):
                _schedule(conn, n)
            elif isinstance(ev, WorkingCalendar.YearSet):
                _calendar_year(conn, ev)
            elif isinstance(ev, (PlanningSettings.Configured, PlanningSettings.Changed)):
                upsert_replace(conn, planning_settings, ("name",), [{
                    "name": "company",
                    "expedite_horizon_days": ev.policy.expedite_horizon_days}])


def _calendar_year(conn: Connection, ev) -> None:
    w = working_calendar_days.c
    conn.execute(delete(working_calendar_days).where(
        w.scope == ev.scope, w.day >= date(ev.year, 1, 1), w.day <= date(ev.year, 12, 31)))
    rows = [(ev.scope, d, False) for d in ev.holidays] + [
        (ev.scope, d, True) for d in ev.working_days]
    bulk_insert(conn, working_calendar_days, ["scope", "day", "working"], rows)


def _forecast(conn: Connection, item, day, qty) -> None:
    upsert_replace(conn, forecasts, ("item", "day"),
                   [{"item": item, "day": day, "qty_micros": to_micros(qty)}])


def _forecast_key(conn: Connection, originator_id):
    if originator_id not in _KEYS:
        for item, day in conn.execute(select(forecasts.c.item, forecasts.c.day)):
            _KEYS[forecast_id(item, day)] = (item, day)
    return _KEYS[originator_id]


def _run(conn: Connection, n: Notified) -> None:
    ev = n.event
    _KEYS[mrp_run_id(ev.number)] = ev.number
    conn.execute(mrp_runs.insert().values(
        number=ev.number, today=ev.today, fingerprint=ev.fingerprint,
        planned_count=len(ev.planned), exception_count=len(ev.exceptions),
        actor=n.meta.get("actor", ""), recorded_at=ev.timestamp.isoformat(),
        position=n.position))
    orders = [(p.id, ev.number, p.item, p.kind, to_micros(p.qty), p.need_date, p.release_date,
               p.level, None, p.supplier) for p in ev.planned]
    pegs = [(p.id, i + 1, peg.demand, peg.top, to_micros(peg.qty))
            for p in ev.planned for i, peg in enumerate(p.pegs)]
    exceptions = [(ev.number, i + 1, x.kind, x.item, x.ref, x.message[:300], x.date)
                  for i, x in enumerate(ev.exceptions)]
    bulk_insert(conn, planned_orders, [c.name for c in planned_orders.columns], orders)
    bulk_insert(conn, planned_order_pegs, [c.name for c in planned_order_pegs.columns], pegs)
    bulk_insert(conn, mrp_exceptions, [c.name for c in mrp_exceptions.columns], exceptions)
    receipts = [(ev.number, r.ref, r.item, r.kind, to_micros(r.qty), r.due, r.available)
                for r in ev.receipts]
    receipt_pegs = [(ev.number, r.ref, i + 1, peg.demand, peg.top, to_micros(peg.qty))
                    for r in ev.receipts for i, peg in enumerate(r.pegs)]
    bulk_insert(conn, mrp_receipts, [c.name for c in mrp_receipts.columns], receipts)
    bulk_insert(conn, mrp_receipt_pegs, [c.name for c in mrp_receipt_pegs.columns],
                receipt_pegs)


def _schedule(conn: Connection, n: Notified) -> None:
    ev = n.event
    at = datetime.fromisoformat
    conn.execute(schedule_runs.insert().values(
        number=ev.number, start=at(ev.start), mode=ev.mode, status=ev.status[:300],
        fingerprint=ev.fingerprint, based_on=ev.based_on, actor=n.meta.get("actor", ""),
        recorded_at=ev.timestamp.isoformat(), position=n.position))
    orders = {o.order: o for o in ev.orders}
    slots = [(ev.number, s.order, s.op_no, orders[s.order].item, s.work_center, s.unit,
              s.operator, at(s.start), at(s.end), orders[s.order].due) for s in ev.slots]
    late = [(ev.number, x.order, x.due, at(x.finish), x.lateness_days,
             to_micros(x.lateness_hours), to_micros(x.working_hours)) for x in ev.late]
    moves = [(ev.number, m.order, m.op_no, m.work_center, m.old_unit, at(m.old_start),
              at(m.old_end), m.new_unit, at(m.new_start), at(m.new_end)) for m in ev.moved]
    downs = [(ev.number, i + 1, b.work_center, at(b.start), at(b.end))
             for i, b in enumerate(ev.breakdowns)]
    for table, rows in ((scheduled_operations, slots), (schedule_late_orders, late),
                        (schedule_moves, moves), (schedule_breakdowns, downs)):
        if rows:  # date-times bound by SQLAlchemy (bulk_insert binds dates only)
            names = [c.name for c in table.columns]
            conn.execute(table.insert(), [dict(zip(names, r, strict=True)) for r in rows])
