"""Build the planning snapshot (domain/planning/model.py) from the read models.

On hand counts all usable stock (not quarantined), reserved or not, because
sales order lines enter as demand with their whole open quantity. Each
item's approved suppliers and the suppliers flagged for incoming quality
come from the quality read model.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, and_, or_, select

from domain.money import from_micros
from domain.planning.model import (
    DEFAULT_EXPEDITE_HORIZON_DAYS,
    Calendar,
    Component,
    Demand,
    PlanItem,
    Snapshot,
    Supply,
)
from domain.planning.working_days import COMPANY, CalendarDays
from projections.tables import (
    approved_suppliers,
    bom_lines,
    forecasts,
    items,
    order_lines,
    orders,
    planning_settings,
    stock_balances,
    supplier_quality,
    work_order_materials,
    work_order_operations,
    work_orders,
    working_calendar_days,
)

OPEN_WORK_ORDERS = ("created", "held", "released", "in_progress")


def build_snapshot(conn: Connection, today: date, calendar: Calendar | None = None) -> Snapshot:
    """Everything MRP reads, as of now; the calendar is the company's
    (``working_calendar``) unless one is given."""
    if calendar is None:
        days = working_calendars(conn).get(COMPANY, CalendarDays())
        calendar = Calendar(days.holidays, days.working_days)
    boms = _boms_in_force(conn, today)
    plan_items = {}
    for r in conn.execute(select(items).where(items.c.active.is_(True))):
        comps = boms.get(r.code, ())
        plan_items[r.code] = PlanItem(
            code=r.code, make=bool(comps), lead_time_days=r.lead_time_days,
            lot_size_rule=r.lot_size_rule, lot_size=Decimal(r.lot_size),
            lot_multiple=Decimal(r.lot_multiple), safety_stock=Decimal(r.safety_stock),
            yield_factor=Decimal(1) - Decimal(r.scrap_factor), components=comps)
    on_hand: dict[str, Decimal] = defaultdict(Decimal)
    for r in conn.execute(select(stock_balances)):
        on_hand[r.item] += from_micros(r.qty_micros - r.quarantine_micros)

    ln, o = order_lines.c, orders.c
    demands, supplies = [], []
    open_lines = (select(order_lines, o.kind.label("order_kind"))
                  .join(orders, o.number == ln.number)
                  # Draft purchase orders count as supply: firming a planned purchase
                  # makes one, and the next run must not plan the same goods again.
                  .where(or_(o.status == "confirmed",
                             and_(o.kind == "purchase", o.status == "draft")),
                         ln.qty_micros > ln.delivered_micros - ln.returned_micros)
                  .order_by(ln.number, ln.line_no))
    for r in conn.execute(open_lines):
        left = from_micros(r.qty_micros - r.delivered_micros + r.returned_micros)
        ref = f"{r.number}/{r.line_no}"
        if r.order_kind == "sales":
            demands.append(Demand(ref, r.item, left, r.due_date, "sales", r.number))
        else:
            supplies.append(Supply(ref, r.item, left, r.due_date, "purchase"))
    wo, m = work_orders.c, work_order_materials.c
    for r in conn.execute(select(work_orders).where(wo.status.in_(OPEN_WORK_ORDERS))
                          .order_by(wo.number)):
        left = from_micros(r.qty_micros - r.completed_micros - r.scrapped_micros)
        if left > 0:
            supplies.append(Supply(r.number, r.item, left, r.due_date, "work_order"))
    materials = (select(work_order_materials, wo.due_date, wo.business_day)
                 .join(work_orders, wo.number == m.number)
                 .where(wo.status.in_(OPEN_WORK_ORDERS)).order_by(m.number, m.line_no))
    for r in conn.execute(materials):
        outstanding = r.required_micros - r.issued_micros + r.returned_micros
        if outstanding > 0:
            due = max(today, r.business_day)
            demands.append(Demand(f"{r.number}/{r.line_no}", r.component,
                                  from_micros(outstanding), due, "work_order", r.number))
    fcs = tuple(Demand(f"FC:{r.item}:{r.day.isoformat()}", r.item, from_micros(r.qty_micros),
                       r.day, "forecast")
                for r in conn.execute(select(forecasts).where(forecasts.c.qty_micros > 0)
                                      .order_by(forecasts.c.item, forecasts.c.day)))
    horizon = conn.execute(select(planning_settings.c.expedite_horizon_days)).scalar()
    suppliers, flagged = _suppliers(conn)
    return Snapshot(today, plan_items, dict(on_hand), tuple(demands), tuple(supplies), fcs,
                    calendar, DEFAULT_EXPEDITE_HORIZON_DAYS if horizon is None else horizon,
                    suppliers, flagged)


def _suppliers(conn: Connection) -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """Each item's approved suppliers, the preferred first, and which of them are
    flagged (only those: a flag on a supplier no item lists changes no plan)."""
    a = approved_suppliers.c
    listed: dict[str, list[str]] = defaultdict(list)
    for r in conn.execute(select(a.item, a.supplier).order_by(a.item, a.rank)):
        listed[r.item].append(r.supplier)
    flagged = frozenset(conn.execute(select(supplier_quality.c.supplier).where(
        supplier_quality.c.flagged.is_(True))).scalars())
    approved = {s for v in listed.values() for s in v}
    return {k: tuple(v) for k, v in listed.items()}, flagged & approved


def _boms_in_force(conn: Connection, today: date) -> dict[str, tuple[Component, ...]]:
    b = bom_lines.c
    rows = conn.execute(select(bom_lines).where(and_(
        b.effective_from <= today, or_(b.effective_to.is_(None), b.effective_to >= today)))
        .order_by(b.item, b.effective_from.desc(), b.version, b.line_no)).all()
    chosen: dict[str, str] = {}
    out: dict[str, list[Component]] = defaultdict(list)
    for r in rows:
        version = chosen.setdefault(r.item, r.version)  # the latest version in force
        if r.version == version:
            out[r.item].append(Component(r.component, Decimal(r.qty_per),
                                         Decimal(r.scrap_allowance)))
    return {k: tuple(v) for k, v in out.items()}


def work_center_load(conn: Connection, first: date,
                     last: date) -> dict[str, dict[date, list[Decimal]]]:
    """Work center -> due date -> the hours each open work order due that day
    still needs there (setup while nothing is reported, plus run hours for the
    quantity left, as the scheduler counts them), in work-order number order:
    the load a monthly split plans around (a daily order is due on its day)."""
    wo, op = work_orders.c, work_order_operations.c
    rows = conn.execute(
        select(wo.number, wo.due_date, wo.qty_micros, op.work_center, op.setup_uh,
               op.run_uh_per_unit, op.good_micros, op.scrap_micros)
        .join(work_order_operations, op.number == wo.number)
        .where(wo.status.in_(OPEN_WORK_ORDERS), wo.due_date >= first, wo.due_date <= last)
        .order_by(wo.number, op.seq))
    hours: dict[tuple[str, date, str], int] = {}
    for r in rows:
        done = r.good_micros + r.scrap_micros
        left = r.qty_micros - done
        if left <= 0:
            continue
        key = (r.work_center, r.due_date, r.number)
        micro = (r.setup_uh if done == 0 else 0) + r.run_uh_per_unit * left // 1_000_000
        hours[key] = hours.get(key, 0) + micro
    out: dict[str, dict[date, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for (center, day, _number), micro in hours.items():
        out[center][day].append(Decimal(micro) / 1_000_000)
    return {c: dict(days) for c, days in out.items()}


def working_calendars(conn: Connection) -> dict[str, CalendarDays]:
    """Scope ("" the company, else a work center) -> its holidays and working days."""
    off: dict[str, set[date]] = defaultdict(set)
    on: dict[str, set[date]] = defaultdict(set)
    for r in conn.execute(select(working_calendar_days)):
        (on if r.working else off)[r.scope].add(r.day)
    return {scope: CalendarDays(frozenset(off[scope]), frozenset(on[scope]))
            for scope in set(off) | set(on)}
