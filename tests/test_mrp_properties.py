"""MRP properties over random BOM forests and demands (hypothesis).

1. Once the planned orders are added (received on their need dates, their
   components required on their release dates), the projected available
   stock of every item is at or above its safety stock at the end of every
   day from today on.
2. An item whose on hand and scheduled receipts already cover all its
   requirements and its safety stock on every date gets no planned order.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.planning.model import Calendar, Component, Demand, PlanItem, Snapshot, Supply
from domain.planning.mrp import QTY, consume_forecasts, plan

TODAY = date(2026, 12, 1)
QTYS = st.sampled_from([Decimal(x) for x in ("1", "2", "3", "0.5", "2.5", "10")])


@st.composite
def forests(draw) -> Snapshot:
    n = draw(st.integers(1, 7))
    codes = [f"I{i}" for i in range(n)]
    items = {}
    for i, code in enumerate(codes):
        later = codes[i + 1:]
        comps = draw(st.lists(st.sampled_from(later), unique=True, max_size=3)) if later else []
        rule = draw(st.sampled_from(["lot_for_lot", "fixed", "min_multiple"]))
        items[code] = PlanItem(
            code=code, make=bool(comps), lead_time_days=draw(st.integers(0, 4)),
            lot_size_rule=rule,
            lot_size=Decimal(draw(st.integers(0 if rule != "fixed" else 1, 40))),
            lot_multiple=Decimal(draw(st.integers(0, 12))),
            safety_stock=Decimal(draw(st.integers(0, 20))),
            yield_factor=draw(st.sampled_from([Decimal(1), Decimal(1), Decimal("0.8")])),
            components=tuple(Component(c, draw(QTYS),
                                       draw(st.sampled_from([Decimal(0), Decimal("0.1")])))
                             for c in comps))
    day = st.integers(-10, 45).map(lambda k: TODAY + timedelta(days=k))
    amount = st.integers(1, 60).map(Decimal)
    demands = tuple(
        Demand(f"SO-{k}/1", draw(st.sampled_from(codes)), draw(amount), draw(day), "sales",
               f"SO-{k}")
        for k in range(draw(st.integers(0, 8))))
    supplies = tuple(
        Supply(f"PO-{k}/1", draw(st.sampled_from(codes)), draw(amount), draw(day), "purchase")
        for k in range(draw(st.integers(0, 5))))
    forecasts = tuple(
        Demand(f"FC:{k}", draw(st.sampled_from(codes)), draw(amount), draw(day), "forecast")
        for k in range(draw(st.integers(0, 3))))
    on_hand = {c: Decimal(draw(st.integers(0, 50))) for c in codes if draw(st.booleans())}
    return Snapshot(TODAY, items, on_hand, demands, supplies, forecasts, Calendar())


def requirements(snapshot: Snapshot, planned) -> dict[str, list[tuple[date, Decimal]]]:
    """Independent demand (forecast consumed) plus the planned orders' components."""
    reqs: dict[str, list[tuple[date, Decimal]]] = defaultdict(list)
    sales = [d for d in snapshot.demands if d.kind == "sales"]
    for d in [*snapshot.demands, *consume_forecasts(snapshot.forecasts, sales)]:
        reqs[d.item].append((d.due, d.qty))
    for p in planned:
        for comp in snapshot.items[p.item].components:
            qty = (p.qty * comp.qty_per * (1 + comp.scrap_allowance)).quantize(
                QTY, rounding=ROUND_CEILING)
            reqs[comp.item].append((p.release_date, qty))
    return reqs


def end_of_day_balances(on_hand: Decimal, receipts, reqs) -> list[tuple[date, Decimal]]:
    change: dict[date, Decimal] = defaultdict(Decimal)
    for day, qty in receipts:
        change[day] += qty
    for day, qty in reqs:
        change[day] -= qty
    change.setdefault(TODAY, Decimal(0))
    balance, out = on_hand, []
    for day in sorted(change):
        balance += change[day]
        out.append((day, balance))
    return out


@settings(max_examples=300, deadline=None)
@given(forests())
def test_projected_stock_never_falls_below_safety_stock_once_the_plan_is_added(snapshot):
    result = plan(snapshot, "PL")
    reqs = requirements(snapshot, result.planned)
    # A receipt MRP counted on earlier carries an expedite message with that date.
    expedite = {x.ref: x.date for x in result.exceptions if x.kind == "expedite"}
    for code, item in snapshot.items.items():
        receipts = [(expedite.get(s.id, s.due), s.qty) for s in snapshot.supplies
                    if s.item == code]
        receipts += [(p.need_date, (p.qty * item.yield_factor).quantize(QTY))
                     for p in result.planned if p.item == code]
        for day, balance in end_of_day_balances(snapshot.on_hand.get(code, Decimal(0)),
                                                receipts, reqs[code]):
            if day >= TODAY:
                assert balance >= item.safety_stock, (code, day, balance)


@settings(max_examples=300, deadline=None)
@given(forests())
def test_no_planned_order_where_stock_and_receipts_already_cover_demand(snapshot):
    result = plan(snapshot, "PL")
    reqs = requirements(snapshot, result.planned)
    for code, item in snapshot.items.items():
        receipts = [(s.due, s.qty) for s in snapshot.supplies if s.item == code]
        balances = end_of_day_balances(snapshot.on_hand.get(code, Decimal(0)), receipts,
                                       reqs[code])
        if all(balance >= item.safety_stock for _, balance in balances):
            assert [p.id for p in result.planned if p.item == code] == [], code
