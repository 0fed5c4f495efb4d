"""Depreciation rules (小企业会计准则): each method's monthly charges, hand-computed
(docs/fixed-assets.md has the same figures)."""

from decimal import Decimal as Dec

import pytest

from domain.fixed_assets.depreciation import (
    Basis,
    DepreciationMethod,
    Progress,
    advance,
    monthly_charge,
    residual_value,
    schedule,
)

pytestmark = pytest.mark.unit
SL, UOP, DDB = (DepreciationMethod.STRAIGHT_LINE, DepreciationMethod.UNITS_OF_PRODUCTION,
                DepreciationMethod.DOUBLE_DECLINING)


@pytest.mark.parametrize("cost, rate, residual", [
    ("120000.00", "0.05", "6000.00"),
    ("50000.00", "0.05", "2500.00"),
    ("60000.00", "0.04", "2400.00"),
    ("333.33", "0.05", "16.67"),  # 16.6665 half-up
    ("1000.00", "0", "0.00"),
])
def test_residual_value_is_cost_times_rate_rounded_half_up(cost, rate, residual):
    assert residual_value(Dec(cost), Dec(rate)) == Dec(residual)


def test_straight_line_charges_the_same_each_month_and_the_last_takes_the_rest():
    lathe = Basis(SL, Dec("120000.00"), Dec("6000.00"), 120)  # FA-001: 114,000 / 120
    charges = schedule(lathe)
    assert len(charges) == 120 and set(charges) == {Dec("950.00")}
    server = Basis(SL, Dec("100000.00"), Dec("5000.00"), 120)  # 95,000 / 120 = 791.666..
    charges = schedule(server)
    assert charges[:2] == [Dec("791.67")] * 2
    assert charges[-1] == Dec("95000.00") - 119 * Dec("791.67") == Dec("791.27")
    assert sum(charges) == Dec("95000.00")


def test_units_of_production_charges_the_work_of_the_month():
    forklift = Basis(UOP, Dec("50000.00"), Dec("2500.00"), 96, Dec("10000"))  # 4.75 / hour
    hours = (Dec("120"), Dec("80"), Dec("0"), Dec("150"), Dec("100"))
    assert schedule(forklift, units=hours) == [
        Dec("570.00"), Dec("380.00"), Dec("0.00"), Dec("712.50"), Dec("475.00")]
    # The month that reaches the total work takes what is left, never more.
    nearly = Progress(Dec("47000.00"), 40, Dec("9900"))
    assert monthly_charge(forklift, nearly, Dec("300")) == Dec("500.00")
    assert monthly_charge(forklift, nearly, Dec("50")) == Dec("237.50")


def test_double_declining_then_straight_line_in_the_last_two_years():
    car = Basis(DDB, Dec("60000.00"), Dec("2400.00"), 60)  # FA-003, 5 years, 40 % a year
    charges = schedule(car)
    assert charges[0:12] == [Dec("2000.00")] * 12  # 60,000 x 40 % = 24,000
    assert charges[12:24] == [Dec("1200.00")] * 12  # 36,000 x 40 % = 14,400
    assert charges[24:36] == [Dec("720.00")] * 12  # 21,600 x 40 % = 8,640
    assert charges[36:60] == [Dec("440.00")] * 24  # (12,960 - 2,400) / 24
    assert sum(charges) == Dec("57600.00")


def test_double_declining_rounds_the_year_then_the_twelfth_month_takes_its_rest():
    press = Basis(DDB, Dec("10000.00"), Dec("500.00"), 36)  # 3 years: 66.67 % the first
    charges = schedule(press)
    year_one = Dec("6666.67")  # 10,000 x 2 / 3
    assert charges[:11] == [Dec("555.56")] * 11
    assert charges[11] == year_one - 11 * Dec("555.56") == Dec("555.51")
    # the last two years: (3,333.33 - 500) / 24 = 118.055.. -> 118.06, the last month the rest
    assert charges[12:35] == [Dec("118.06")] * 23
    assert charges[35] == Dec("2833.33") - 23 * Dec("118.06")
    assert sum(charges) == Dec("9500.00")


def test_short_double_declining_lives_are_straight_line_throughout():
    assert set(schedule(Basis(DDB, Dec("2400.00"), Dec("0.00"), 24))) == {Dec("100.00")}
    assert set(schedule(Basis(DDB, Dec("1200.00"), Dec("0.00"), 12))) == {Dec("100.00")}


def test_a_card_taken_over_continues_from_its_accumulated_depreciation():
    lathe = Basis(SL, Dec("120000.00"), Dec("6000.00"), 120)
    taken = Progress(Dec("57000.00"), 60)
    charges = schedule(lathe, taken)
    assert len(charges) == 60 and sum(charges) == Dec("57000.00")
    car = Basis(DDB, Dec("60000.00"), Dec("2400.00"), 60)
    after_a_year = Progress(Dec("24000.00"), 12)
    assert schedule(car, after_a_year)[:13] == [Dec("1200.00")] * 12 + [Dec("720.00")]


def test_a_fully_depreciated_asset_charges_nothing():
    lathe = Basis(SL, Dec("120000.00"), Dec("6000.00"), 120)
    done = Progress(Dec("114000.00"), 120)
    assert monthly_charge(lathe, done) == Dec("0.00")
    assert advance(lathe, done, Dec("0.00")).accumulated == Dec("114000.00")
