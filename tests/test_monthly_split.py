"""Monthly plan to daily work orders (domain/planning/monthly.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.catalog.engineering import Shift, WorkCenterSpec
from domain.errors import ValidationError
from domain.planning.monthly import DailyOrder, month_days, split_monthly_plan

XMAS = date(2026, 12, 25)
# 2 machines, 08:00-16:00 Monday to Friday: 16 h a working day; 0.5 h/pc -> 32 a day
# December 2026 starts on a Tuesday: 23 weekdays less Christmas = 22 working days
PLATE = WorkCenterSpec("WC-PLATE", "plating line", 2, D("30"), D("50"), holidays=(XMAS,))
HALF = D("0.5")


def plan(split):
    return [(o.day.day, o.qty) for o in split.days]


def test_fills_working_days_in_order_and_the_last_day_takes_the_remainder():
    split = split_monthly_plan("FG-KIT", D("100"), "2026-12", PLATE, HALF)
    assert plan(split) == [(1, 32), (2, 32), (3, 32), (4, 4)]
    assert split.shortfall == 0 and split.planned == 100
    assert split.days[0] == DailyOrder(date(2026, 12, 1), D("32"), D("16.0"))
    assert split.days[-1].hours == D("2.0")
    assert (split.item, split.month) == ("FG-KIT", "2026-12")


def test_weekends_are_skipped():
    split = split_monthly_plan("FG-KIT", D("200"), "2026-12", PLATE, HALF)
    # Sat 5 and Sun 6 have no shift
    assert plan(split) == [(1, 32), (2, 32), (3, 32), (4, 32), (7, 32), (8, 32), (9, 8)]


def test_a_holiday_is_skipped():
    split = split_monthly_plan("FG-KIT", D("70"), "2026-12", PLATE, HALF,
                               start=date(2026, 12, 24))
    # Thu 24, (Fri 25 holiday, weekend), Mon 28, Tue 29
    assert plan(split) == [(24, 32), (28, 32), (29, 6)]


def test_preloaded_days_and_setup_per_daily_order():
    loaded = {date(2026, 12, 2): D("10"), date(2026, 12, 3): D("16"),
              date(2026, 12, 4): D("14.5")}
    split = split_monthly_plan("FG-KIT", D("100"), "2026-12", PLATE, HALF,
                               setup_hours=D("1"), already_loaded=loaded)
    # Dec 1: (16 - 1) / 0.5 = 30; Dec 2: (6 - 1) / 0.5 = 10; Dec 3 full;
    # Dec 4: 1.5 h free leaves 0.5 h after setup = 1 pc; Dec 7: 30; Dec 8: the rest 29
    assert plan(split) == [(1, 30), (2, 10), (4, 1), (7, 30), (8, 29)]
    assert [o.hours for o in split.days] == [D("16.0"), D("6.0"), D("1.5"), D("16.0"),
                                             D("15.5")]


def test_one_machine_has_half_the_capacity():
    one = WorkCenterSpec("WC-PLATE", "plating line", 1, D("30"), D("50"), holidays=(XMAS,))
    split = split_monthly_plan("FG-KIT", D("40"), "2026-12", one, HALF)
    assert plan(split) == [(1, 16), (2, 16), (3, 8)]


def test_capacity_shortfall_fills_every_working_day():
    split = split_monthly_plan("FG-KIT", D("1000"), "2026-12", PLATE, HALF)
    assert len(split.days) == 22 and all(o.qty == 32 for o in split.days)
    assert XMAS not in {o.day for o in split.days}
    assert split.planned == 704 and split.shortfall == 296


def test_whole_units_are_rounded_down_fractional_units_to_6_places():
    split = split_monthly_plan("FG-KIT", D("60"), "2026-12", PLATE, D("0.3"))
    assert plan(split) == [(1, 53), (2, 7)]  # 16 / 0.3 = 53.3 -> 53
    split = split_monthly_plan("RM-PASTE", D("60"), "2026-12", PLATE, D("0.3"),
                               whole_units=False)
    assert plan(split) == [(1, D("53.333333")), (2, D("6.666667"))]
    assert split.days[0].hours <= 16


def test_spread_levels_the_month_and_the_last_day_takes_the_rounding():
    split = split_monthly_plan("FG-KIT", D("100"), "2026-12", PLATE, HALF, spread=True)
    qtys = [q for _, q in plan(split)]
    assert len(qtys) == 22 and sum(qtys) == 100 and set(qtys) == {4, 5}
    assert plan(split)[-1] == (31, 5)
    # a preloaded day gets proportionally less
    split = split_monthly_plan("FG-KIT", D("66"), "2026-12", PLATE, HALF, spread=True,
                               already_loaded={date(2026, 12, 1): D("8")})
    assert plan(split)[0] == (1, 1) and sum(q for _, q in plan(split)) == 66
    # more than fits: spread or not, every day is full
    split = split_monthly_plan("FG-KIT", D("800"), "2026-12", PLATE, HALF, spread=True)
    assert split.shortfall == 96 and all(o.qty == 32 for o in split.days)


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
    assert split.planned + split.shortfall == case["qty"]
    assert split.shortfall >= 0
    assert [o.day for o in split.days] == sorted({o.day for o in split.days})
    for o in split.days:
        assert o.day in month and spec.hours_on(o.day) > 0  # only working days
        assert o.qty > 0
        if case["whole_units"]:
            assert o.qty == o.qty.to_integral_value()
        assert o.hours == setup + o.qty * hpu
        assert o.hours <= spec.hours_on(o.day) - loaded.get(o.day, 0)  # never over capacity
    if split.shortfall > 0:  # then no day has room for one more unit
        used = {o.day: o.hours for o in split.days}
        unit = D("1") if case["whole_units"] else D("0.000001")
        for day in month:
            free = spec.hours_on(day) - loaded.get(day, 0) - used.get(day, setup)
            assert free < unit * hpu
