"""MRP snapshots by hand: the December 2026 calendar (the 5th/6th, 12th/13th ...
are weekends; the 7th is a Monday), items, sales demands, and the planned
orders and messages of a result as plain rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as Dec

from domain.planning.model import (
    Calendar,
    Component,
    Demand,
    PlanItem,
    Snapshot,
)

TODAY = date(2026, 12, 1)  # a Tuesday


def d(day: int, month: int = 12, year: int = 2026) -> date:
    return date(year, month, day)


def item(code: str, *components: tuple[str, str], **kw) -> PlanItem:
    comps = tuple(Component(c, Dec(q)) for c, q in components)
    return PlanItem(code, make=bool(comps), components=comps, **kw)


def snapshot(items: list[PlanItem], demands=(), supplies=(), on_hand=None, forecasts=(),
             calendar=Calendar(), today=TODAY) -> Snapshot:
    return Snapshot(today, {i.code: i for i in items},
                    {k: Dec(v) for k, v in (on_hand or {}).items()}, tuple(demands),
                    tuple(supplies), tuple(forecasts), calendar)


def so(ref: str, code: str, qty: str, due: date) -> Demand:
    return Demand(ref, code, Dec(qty), due, "sales", ref.split("/")[0])


def rows(result) -> list[tuple]:
    """(id, item, kind, qty, need, release, [(demand, top, qty)]) with plain quantities."""
    return [(p.id, p.item, p.kind, p.qty.normalize(), p.need_date, p.release_date,
             [(g.demand, g.top, g.qty.normalize()) for g in p.pegs]) for p in result.planned]


def messages(result) -> list[tuple[str, str, str]]:
    return [(x.kind, x.ref, x.message) for x in result.exceptions]


