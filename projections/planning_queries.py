"""Reads of the planning read models: MRP runs, planned orders with their
pegging, and exception messages. A run filter defaults to the latest run."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, select

from domain.errors import NotFound
from domain.money import from_micros
from projections.tables import mrp_exceptions, mrp_runs, planned_order_pegs, planned_orders


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
                             tuple(pegs.get(r.id, ()))) for r in rows]


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
