"""MRP, hand-computed, on snapshots (no store): low-level codes, lead-time
offsetting on the calendar, lot sizing, forecast consumption, safety stock and
exception messages.

December 2026: the 5th/6th, 12th/13th ... are weekends; the 7th is a Monday.
"""

from __future__ import annotations

from decimal import Decimal as Dec

import pytest

from domain.errors import BusinessRuleViolation
from domain.planning.model import (
    Calendar,
    Demand,
    Peg,
    Supply,
)
from domain.planning.mrp import consume_forecasts, lot_size, low_level_codes, plan
from tests.scenes.mrp import TODAY, d, item, messages, rows, snapshot, so

pytestmark = pytest.mark.unit


# -- low-level codes ------------------------------------------------------------------
def test_a_component_used_at_two_levels_is_netted_once_after_all_its_parents():
    # A <- B 1, C 2; B <- C 1. C is at level 1 under A and level 2 under B: planned
    # at level 2, after B, with both requirements and its 5 on hand netted once.
    items = [item("A", ("B", "1"), ("C", "2")),
             item("B", ("C", "1"), lead_time_days=2), item("C")]
    assert low_level_codes({i.code: i for i in items}) == {"A": 0, "B": 1, "C": 2}
    result = plan(snapshot(items, [so("SO-1/1", "A", "10", d(9))], on_hand={"C": "5"}), "PL")
    assert rows(result) == [
        ("PL/00001", "A", "make", Dec(10), d(9), d(9), [("SO-1/1", "SO-1", Dec(10))]),
        # B needed when A starts (9th), released 2 working days earlier (Mon 7th)
        ("PL/00002", "B", "make", Dec(10), d(9), d(7), [("PL/00001", "SO-1", Dec(10))]),
        # C: 10 for B on the 7th (5 from stock, 5 planned), 20 for A on the 9th
        ("PL/00003", "C", "buy", Dec(5), d(7), d(7), [("PL/00002", "SO-1", Dec(5))]),
        ("PL/00004", "C", "buy", Dec(20), d(9), d(9), [("PL/00001", "SO-1", Dec(20))]),
    ]
    assert result.exceptions == ()


def test_a_bom_cycle_is_refused():
    items = {"A": item("A", ("B", "1")), "B": item("B", ("A", "1"))}
    with pytest.raises(BusinessRuleViolation) as exc:
        low_level_codes(items)
    assert exc.value.code == "BOM_CYCLE"


# -- lead time on the calendar ----------------------------------------------------------
def test_lead_time_is_offset_in_working_days_across_the_weekend():
    items = [item("RM", lead_time_days=3)]
    result = plan(snapshot(items, [so("SO-1/1", "RM", "4", d(8))]))  # Tuesday 8th
    # Mon 7th (1), Fri 4th (2), Thu 3rd (3): the weekend does not count
    assert [(p.need_date, p.release_date) for p in result.planned] == [(d(8), d(3))]


def test_a_holiday_pushes_the_release_one_more_working_day_back():
    items = [item("RM", lead_time_days=3)]
    cal = Calendar(holidays=frozenset({d(4)}))
    result = plan(snapshot(items, [so("SO-1/1", "RM", "4", d(8))], calendar=cal))
    assert [p.release_date for p in result.planned] == [d(2)]


def test_a_need_on_a_saturday_is_offset_from_the_friday_before():
    cal = Calendar()
    assert cal.back(d(12), 1) == d(10)  # Sat 12th -> Fri 11th -> Thu 10th
    assert cal.back(d(12), 0) == d(11)
    assert Calendar(working_weekends=frozenset({d(12)})).back(d(14), 1) == d(12)


# -- lot sizing -------------------------------------------------------------------------
def test_lot_sizing_rules_round_the_net_requirement():
    fixed = item("X", lot_size_rule="fixed", lot_size=Dec(50))
    minmult = item("X", lot_size_rule="min_multiple", lot_size=Dec(100), lot_multiple=Dec(25))
    multiple_only = item("X", lot_size_rule="min_multiple", lot_multiple=Dec(12))
    assert lot_size(item("X"), Dec("7.5")) == Dec("7.5")  # lot for lot
    assert lot_size(fixed, Dec(120)) == Dec(150)  # three lots of 50
    assert lot_size(fixed, Dec(50)) == Dec(50)
    assert lot_size(minmult, Dec(30)) == Dec(100)  # the minimum
    assert lot_size(minmult, Dec(110)) == Dec(125)  # the next multiple of 25 above 110
    assert lot_size(multiple_only, Dec(13)) == Dec(24)


def test_a_fixed_lot_covers_the_next_requirement_until_it_is_used_up():
    items = [item("RM", lot_size_rule="fixed", lot_size=Dec(50))]
    demands = [so("SO-1/1", "RM", "30", d(7)), so("SO-2/1", "RM", "30", d(8))]
    result = plan(snapshot(items, demands))
    # 30 -> one lot of 50 on the 7th; 20 left, the 8th needs 10 more -> another 50
    assert rows(result) == [
        ("PL/00001", "RM", "buy", Dec(50), d(7), d(7),
         [("SO-1/1", "SO-1", Dec(30)), ("SO-2/1", "SO-2", Dec(20))]),
        ("PL/00002", "RM", "buy", Dec(50), d(8), d(8), [("SO-2/1", "SO-2", Dec(10))]),
    ]


# -- forecast consumption -----------------------------------------------------------------
def test_sales_in_the_same_month_consume_the_forecast():
    forecasts = (Demand("FC:FG:2026-12-15", "FG", Dec(100), d(15), "forecast"),)
    sales = [so("SO-1/1", "FG", "30", d(10)), so("SO-2/1", "FG", "20", d(5, 1, 2027))]
    left = consume_forecasts(forecasts, sales)
    assert [(f.id, f.qty) for f in left] == [("FC:FG:2026-12-15", Dec(70))]
    result = plan(snapshot([item("FG")], sales, forecasts=forecasts))
    # December: 30 sold + 70 forecast left = the 100 forecast; January's sale on top
    assert [(p.qty.normalize(), p.need_date, p.pegs[0].demand) for p in result.planned] == [
        (Dec(30), d(10), "SO-1/1"), (Dec(70), d(15), "FC:FG:2026-12-15"),
        (Dec(20), d(5, 1, 2027), "SO-2/1")]


def test_sales_above_the_forecast_consume_it_all():
    forecasts = (Demand("FC:FG:2026-12-15", "FG", Dec(10), d(15), "forecast"),)
    assert consume_forecasts(forecasts, [so("SO-1/1", "FG", "12", d(20))]) == []


# -- safety stock ---------------------------------------------------------------------
def test_a_planned_purchase_restores_safety_stock_after_the_demand():
    items = [item("RM-BOX", safety_stock=Dec(15))]
    result = plan(snapshot(items, [so("SO-1/1", "RM-BOX", "10", d(20))],
                           on_hand={"RM-BOX": "20"}))
    # wanted on Sunday the 20th: needed (and released) on the working day before, Friday
    # 18th, never on a day off
    assert rows(result) == [("PL/00001", "RM-BOX", "buy", Dec(5), d(18), d(18),
                             [("SAFETY-STOCK", "SAFETY-STOCK", Dec(5))])]


def test_stock_below_safety_stock_today_is_replenished_today():
    items = [item("RM", safety_stock=Dec(15))]
    result = plan(snapshot(items, on_hand={"RM": "10"}))
    assert [(p.qty.normalize(), p.need_date) for p in result.planned] == [(Dec(5), TODAY)]


def test_no_planned_order_when_stock_and_receipts_cover_demand_and_safety_stock():
    items = [item("RM", safety_stock=Dec(5))]
    supplies = [Supply("PO-1/1", "RM", Dec(10), d(3), "purchase")]
    result = plan(snapshot(items, [so("SO-1/1", "RM", "12", d(10))], supplies,
                           on_hand={"RM": "7"}))
    assert result.planned == ()
    assert result.exceptions == ()


def test_a_yield_factor_grosses_up_the_planned_quantity():
    items = [item("FG", ("RM", "1"), yield_factor=Dec("0.8")), item("RM")]
    result = plan(snapshot(items, [so("SO-1/1", "FG", "8", d(10))]))
    assert [(p.item, p.qty.normalize()) for p in result.planned] == [("FG", Dec(10)),
                                                                      ("RM", Dec(10))]
    assert result.planned[0].pegs == (Peg("SO-1/1", "SO-1", Dec("8.000000")),)


# -- exception messages -----------------------------------------------------------------
def test_a_receipt_nothing_needs_is_cancelled():
    supplies = [Supply("PO-1/1", "RM", Dec(10), d(3), "purchase")]
    result = plan(snapshot([item("RM")], supplies=supplies))
    assert messages(result) == [("cancel", "PO-1/1", "PO-1/1 (RM) is not needed")]


def test_a_receipt_first_needed_more_than_a_week_after_it_arrives_is_deferred():
    supplies = [Supply("PO-1/1", "RM", Dec(10), d(2), "purchase")]
    result = plan(snapshot([item("RM")], [so("SO-1/1", "RM", "10", d(20))], supplies))
    assert result.planned == ()
    assert messages(result) == [
        ("defer", "PO-1/1", "PO-1/1 (RM) due 2026-12-02 is first needed on 2026-12-20")]
    assert result.exceptions[0].date == d(20)


def test_a_receipt_a_week_early_is_left_alone():
    supplies = [Supply("PO-1/1", "RM", Dec(10), d(2), "purchase")]
    result = plan(snapshot([item("RM")], [so("SO-1/1", "RM", "10", d(9))], supplies))
    assert result.exceptions == ()


def test_an_overdue_receipt_needed_before_its_due_date_is_expedited():
    supplies = [Supply("PO-1/1", "RM", Dec(10), d(29, 11), "purchase")]
    result = plan(snapshot([item("RM")], [so("SO-1/1", "RM", "10", d(28, 11))], supplies))
    assert ("expedite", "PO-1/1",
            "PO-1/1 (RM) due 2026-11-29 is needed on 2026-11-28: expedite it, 1 day earlier "
            "(within the 14-day expedite horizon)") in messages(result)


def test_a_receipt_due_after_the_need_is_expedited_rather_than_duplicated():
    supplies = [Supply("PO-1/1", "RM", Dec(10), d(10), "purchase")]
    result = plan(snapshot([item("RM")], [so("SO-1/1", "RM", "10", d(7))], supplies))
    assert result.planned == ()
    assert messages(result) == [
        ("expedite", "PO-1/1", "PO-1/1 (RM) due 2026-12-10 is needed on 2026-12-07: expedite "
         "it, 3 days earlier (within the 14-day expedite horizon)")]


def test_a_planned_order_whose_release_date_has_passed_is_past_due():
    items = [item("RM", lead_time_days=5)]
    result = plan(snapshot(items, [so("SO-1/1", "RM", "3", d(2))]), "MRP-000007")
    # Wed 2nd back 5 working days: 1st, 30th, 27th, 26th, 25th November
    assert messages(result) == [
        ("past_due_release", "MRP-000007/00001",
         "MRP-000007/00001 for RM should have been released on 2026-11-25")]




# -- pegging through every level ----------------------------------------------------------
def test_an_open_work_orders_materials_are_pegged_on_to_the_orders_it_serves():
    # WO-1 makes 10 FG (due the 9th) for SO-1 4 and SO-2 6; its material line asks for
    # 20 RM on the 7th: 20 x 4/10 = 8 for SO-1 and 12 for SO-2, all planned
    items = [item("FG", ("RM", "2")), item("RM")]
    supplies = [Supply("WO-1", "FG", Dec(10), d(9), "work_order")]
    demands = [so("SO-1/1", "FG", "4", d(9)), so("SO-2/1", "FG", "6", d(10)),
               Demand("WO-1/1", "RM", Dec(20), d(7), "work_order", "WO-1")]
    result = plan(snapshot(items, demands, supplies))
    assert rows(result) == [("PL/00001", "RM", "buy", Dec(20), d(7), d(7),
                             [("WO-1/1", "SO-1", Dec(8)), ("WO-1/1", "SO-2", Dec(12))])]
    (receipt,) = result.receipts
    tops = [(p.top, p.qty) for p in receipt.pegs]
    assert (receipt.ref, receipt.kind, receipt.available, tops) == (
        "WO-1", "work_order", d(9), [("SO-1", Dec(4)), ("SO-2", Dec(6))])
