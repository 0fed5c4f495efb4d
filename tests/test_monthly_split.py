"""Monthly plan to daily work orders (domain/planning/monthly.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.catalog.engineering import Shift, WorkCenterSpec
from domain.errors import ValidationError
from domain.planning.monthly import (
    DailyOrder,
    bottleneck,
    day_capacity,
    month_days,
    split_monthly_plan,
    unit_loads,
)

XMAS = date(2026, 12, 25)
# 2 machines, 08:00-16:00 Monday to Friday: 8 h a machine a working day; 0.5 h/pc -> 16 a
# machine, two daily orders of 16 a day (an operation holds one machine, so a daily order is
# sized for one). December 2026 starts on a Tuesday: 23 weekdays less Christmas = 22 days.
PLATE = WorkCenterSpec("WC-PLATE", "plating line", 2, D("30"), D("50"), holidays=(XMAS,))
HALF = D("0.5")


def plan(split):
    return [(o.day.day, o.qty) for o in split.days]


def test_fills_working_days_in_order_one_order_per_machine_the_last_takes_the_remainder():
    split = split_monthly_plan("FG-KIT", D("100"), "2026-12", PLATE, HALF)
    # 16 + 16 a day: 32, 64, 96, then 4
    assert plan(split) == [(1, 16), (1, 16), (2, 16), (2, 16), (3, 16), (3, 16), (4, 4)]
    assert split.shortfall == 0 and split.planned == 100
    assert split.days[0] == DailyOrder(date(2026, 12, 1), D("16"), D("8.0"))
    assert split.days[-1].hours == D("2.0")
    assert (split.item, split.month) == ("FG-KIT", "2026-12")


def test_weekends_are_skipped():
    split = split_monthly_plan("FG-KIT", D("200"), "2026-12", PLATE, HALF)
    # Sat 5 and Sun 6 have no shift: 4 days x 32 = 128, Mon 7 and Tue 8 make 192, Wed 9 the 8
    assert plan(split) == [(d, 16) for d in (1, 2, 3, 4, 7, 8) for _ in range(2)] + [(9, 8)]


def test_a_holiday_is_skipped_and_days_before_the_start_are_not_used():
    split = split_monthly_plan("FG-KIT", D("70"), "2026-12", PLATE, HALF,
                               start=date(2026, 12, 24))
    # Thu 24, (Fri 25 holiday, weekend), Mon 28, Tue 29
    assert plan(split) == [(24, 16), (24, 16), (28, 16), (28, 16), (29, 6)]


def test_work_already_due_goes_onto_the_least_loaded_machine_and_setup_per_daily_order():
    loaded = {date(2026, 12, 2): [D("5"), D("5")], date(2026, 12, 3): [D("8"), D("8")],
              date(2026, 12, 4): [D("7.5")]}
    split = split_monthly_plan("FG-KIT", D("100"), "2026-12", PLATE, HALF,
                               setup_hours=D("1"), already_loaded=loaded)
    # Dec 1: (8 - 1) / 0.5 = 14 a machine; Dec 2: both machines hold 5 h: (8 - 5 - 1) / 0.5
    # = 4 each; Dec 3 full; Dec 4: 7.5 h on one machine (0.5 h left, no room after setup),
    # 14 on the other; Dec 7: 14 + 14; Dec 8: 14 and the last 8 (sum 100)
    assert plan(split) == [(1, 14), (1, 14), (2, 4), (2, 4), (4, 14), (7, 14), (7, 14),
                           (8, 14), (8, 8)]
    assert [o.hours for o in split.days] == [D("8.0"), D("8.0"), D("3.0"), D("3.0"), D("8.0"),
                                             D("8.0"), D("8.0"), D("8.0"), D("5.0")]


def test_the_day_is_offered_the_most_free_machine_first():
    # one order of 6 h and one of 2 h already due: 2 h free on one machine, 6 h on the other;
    # the 6 h order comes first, so the scheduler, loading the day's orders by number each
    # onto the machine where it ends first, puts it beside the 2 h order: both end at 16:00
    split = split_monthly_plan("FG-KIT", D("16"), "2026-12", PLATE, HALF,
                               already_loaded={date(2026, 12, 1): [D("6"), D("2")]})
    assert plan(split) == [(1, 12), (1, 4)]
    assert unit_loads(PLATE, date(2026, 12, 1), [D("6"), D("2")]) == [D("6"), D("2")]
    assert day_capacity(PLATE, date(2026, 12, 1), HALF, already_loaded=[D("6"), D("2")]) == [
        D("12"), D("4")]


def test_one_machine_has_half_the_capacity():
    one = WorkCenterSpec("WC-PLATE", "plating line", 1, D("30"), D("50"), holidays=(XMAS,))
    split = split_monthly_plan("FG-KIT", D("40"), "2026-12", one, HALF)
    assert plan(split) == [(1, 16), (2, 16), (3, 8)]


def test_capacity_shortfall_fills_every_machine_of_every_working_day():
    split = split_monthly_plan("FG-KIT", D("1000"), "2026-12", PLATE, HALF)
    assert len(split.days) == 44 and all(o.qty == 16 for o in split.days)
    assert XMAS not in {o.day for o in split.days}
    assert split.planned == 704 and split.shortfall == 296


def test_whole_units_are_rounded_down_fractional_units_to_6_places():
    split = split_monthly_plan("FG-KIT", D("60"), "2026-12", PLATE, D("0.3"))
    assert plan(split) == [(1, 26), (1, 26), (2, 8)]  # 8 / 0.3 = 26.7 -> 26
    split = split_monthly_plan("RM-PASTE", D("60"), "2026-12", PLATE, D("0.3"),
                               whole_units=False)
    assert plan(split) == [(1, D("26.666666")), (1, D("26.666666")), (2, D("6.666668"))]
    assert split.days[0].hours <= 8


def test_spread_levels_the_month_and_the_last_day_takes_the_rounding():
    split = split_monthly_plan("FG-KIT", D("100"), "2026-12", PLATE, HALF, spread=True)
    qtys = [q for _, q in plan(split)]
    # 44 orders fit 16 each (704): the k-th ends at floor(100 x 16k / 704)
    assert len(qtys) == 44 and sum(qtys) == 100 and set(qtys) == {2, 3}
    assert plan(split)[-1] == (31, 3)
    # a preloaded machine gets nothing that day, the other proportionally
    split = split_monthly_plan("FG-KIT", D("66"), "2026-12", PLATE, HALF, spread=True,
                               already_loaded={date(2026, 12, 1): [D("8")]})
    assert plan(split)[0] == (1, 1) and plan(split)[1][0] == 2
    assert sum(q for _, q in plan(split)) == 66
    # more than fits: spread or not, every machine of every day is full
    split = split_monthly_plan("FG-KIT", D("800"), "2026-12", PLATE, HALF, spread=True)
    assert split.shortfall == 96 and all(o.qty == 16 for o in split.days)


def test_the_bottleneck_is_the_center_whose_calendar_holds_the_fewest_units():
    two_shifts = tuple(Shift(d, "06:00", "22:00") for d in range(5))
    one = WorkCenterSpec("WC-ONE", "one shift", 1, D("1"), D("1"))
    two = WorkCenterSpec("WC-TWO", "two shifts", 1, D("1"), D("1"), two_shifts)
    days = month_days("2026-12")
    # WC-TWO has more run hours a unit (0.3 h) but 16 h a day: 53 a day; WC-ONE 0.2 h in
    # 8 h: 40 a day, so WC-ONE is the bottleneck
    assert bottleneck({"WC-ONE": D("0.2"), "WC-TWO": D("0.3")},
                      {"WC-ONE": one, "WC-TWO": two}, days) == "WC-ONE"
    assert bottleneck({"WC-ONE": D("0.2"), "WC-TWO": D("0.5")},
                      {"WC-ONE": one, "WC-TWO": two}, days) == "WC-TWO"
    # a center with no hours in those days holds nothing
    off = WorkCenterSpec("WC-OFF", "weekends", 1, D("1"), D("1"), (Shift(5, "08:00", "16:00"),))
    assert bottleneck({"WC-ONE": D("1"), "WC-OFF": D("0.01")},
                      {"WC-ONE": one, "WC-OFF": off}, days[:4]) == "WC-OFF"


def test_bad_input_is_refused():
    for kwargs in ({"month": "2026-13"}, {"month": "Dec"}, {"qty": D("-1")},
                   {"qty": D("1.5")}, {"hours_per_unit": D("0")},
                   {"setup_hours": D("-1")}):
        args = {"item": "X", "qty": D("10"), "month": "2026-12", "bottleneck": PLATE,
                "hours_per_unit": HALF, **kwargs}
        with pytest.raises(ValidationError):
            split_monthly_plan(**args)
    assert split_monthly_plan("X", D("0"), "2026-12", PLATE, HALF).days == []


@st.composite
def cases(draw):
    year = draw(st.integers(2024, 2030))
    month = draw(st.integers(1, 12))
    days = month_days(f"{year}-{month:02d}")
    holidays = tuple(draw(st.lists(st.sampled_from(days), max_size=5, unique=True)))
    shifts = tuple(draw(st.lists(
        st.builds(Shift, st.integers(0, 6), st.sampled_from(["06:00", "08:00", "14:00"]),
                  st.sampled_from(["12:00", "16:00", "22:00"])), min_size=0, max_size=8)))
    spec = WorkCenterSpec("WC", "wc", draw(st.integers(1, 3)), D("1"), D("1"), shifts, holidays)
    whole = draw(st.booleans())
    qty = draw(st.decimals(D("0"), D("3000"), places=0 if whole else 3))
    loaded = {d: draw(st.decimals(D("0"), D("30"), places=1))
              for d in draw(st.lists(st.sampled_from(days), max_size=10, unique=True))}
    return dict(item="X", qty=qty, month=f"{year}-{month:02d}", bottleneck=spec,
                hours_per_unit=draw(st.decimals(D("0.01"), D("5"), places=2)),
                setup_hours=draw(st.decimals(D("0"), D("3"), places=1)),
                already_loaded=loaded, whole_units=whole, spread=draw(st.booleans()))


@settings(max_examples=300, deadline=None)
@given(cases())
def test_properties_of_the_split(case):
    split = split_monthly_plan(**case)
    spec, loaded = case["bottleneck"], case["already_loaded"]
    hpu, setup = case["hours_per_unit"], case["setup_hours"]
    month = month_days(case["month"])
    unit = D("1") if case["whole_units"] else D("0.000001")
    assert split.planned + split.shortfall == case["qty"]
    assert split.shortfall >= 0
    assert [o.day for o in split.days] == sorted(o.day for o in split.days)
    by_day: dict[date, list] = {}
    for o in split.days:
        assert o.day in month and spec.hours_on(o.day) > 0  # only working days
        assert o.qty > 0
        if case["whole_units"]:
            assert o.qty == o.qty.to_integral_value()
        assert o.hours == setup + o.qty * hpu
        by_day.setdefault(o.day, []).append(o)
    for day in month:
        # the day's orders go onto its machines, the most free first; none over its machine
        free = [spec.hours_on(day) / spec.capacity - load
                for load in sorted(unit_loads(spec, day, loaded.get(day, ())))]
        orders = by_day.get(day, [])
        assert len(orders) <= spec.capacity
        for o, room in zip(orders, free, strict=False):
            assert o.hours <= room
        if split.shortfall > 0:  # then no machine of any day has room for one more unit
            for i, room in enumerate(free):
                used = orders[i].hours if i < len(orders) else setup
                assert room - used < unit * hpu
