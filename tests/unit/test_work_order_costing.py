"""Work-order actual costing as tables: hours at a rate, the relief of a partial
completion (round(WIP x q / units still expected, 2)), the last completion
taking the rest, and the split over material, labor and overhead."""

from decimal import Decimal as Dec

import pytest

from domain.production.costing import Wip, hours_cost, relief, split

pytestmark = pytest.mark.unit


def wip(material: str, labor: str, overhead: str) -> Wip:
    return Wip(Dec(material), Dec(labor), Dec(overhead))


@pytest.mark.parametrize("hours, rate, cost", [
    ("2.0", "40", "80.00"),     # bolt-kit WO-1 OP10 at WC-HEAD: labor
    ("2.0", "20", "40.00"),     # and overhead applied
    ("1.0", "30", "30.00"),     # WO-2 OP10 at WC-PLATE: labor
    ("1.0", "50", "50.00"),     # overhead
    ("0.5", "25", "12.50"),     # WO-2 OP20 at WC-PACK: labor
    ("0.5", "5", "2.50"),       # overhead
    ("0.333", "33.33", "11.10"),  # 11.09889
    ("0.125", "17.77", "2.22"),   # 2.22125
    ("0.3", "0.05", "0.02"),      # 0.015 half-up
])
def test_hours_cost(hours, rate, cost):
    assert hours_cost(Dec(hours), Dec(rate)) == Dec(cost)


@pytest.mark.parametrize("before, qty, expected_units, relieved", [
    # bolt-kit WO-1: all 1,000 blanks at once take all of 250 + 80 + 40 = 370.00
    (wip("250.00", "80.00", "40.00"), "1000", "1000", wip("250.00", "80.00", "40.00")),
    # bolt-kit WO-2: 10 kits take 400 + 42.50 + 52.50 = 495.00
    (wip("400.00", "42.50", "52.50"), "10", "10", wip("400.00", "42.50", "52.50")),
    # WO-2 completed 4, then 3, then the last 3
    (wip("400.00", "42.50", "52.50"), "4", "10", wip("160.00", "17.00", "21.00")),  # 198.00
    (wip("240.00", "25.50", "31.50"), "3", "6", wip("120.00", "12.75", "15.75")),   # 148.50
    (wip("120.00", "12.75", "15.75"), "3", "3", wip("120.00", "12.75", "15.75")),   # the rest
    # one of three: 10.00 / 3 = 3.33; one of the two left: 6.67 / 2 = 3.335 -> 3.34
    (wip("10.00", "0.00", "0.00"), "1", "3", wip("3.33", "0.00", "0.00")),
    (wip("6.67", "0.00", "0.00"), "1", "2", wip("3.34", "0.00", "0.00")),
    # scrapped units leave WIP like completed ones: 2 of 10 from 130.00 = 26.00
    (wip("100.00", "20.00", "10.00"), "2", "10", wip("20.00", "4.00", "2.00")),
    # more than expected (over-completion) empties WIP
    (wip("100.00", "20.00", "10.00"), "12", "10", wip("100.00", "20.00", "10.00")),
])
def test_completion_relief(before, qty, expected_units, relieved):
    out = relief(before, Dec(qty), Dec(expected_units))
    assert out == relieved
    assert before.minus(out).total >= 0


def test_completing_in_three_steps_leaves_exactly_zero_wip():
    left, expected = wip("400.00", "42.50", "52.50"), Dec(10)
    values = []
    for qty in (Dec(4), Dec(3), Dec(3)):
        out = relief(left, qty, expected)
        values.append(out.total)
        left, expected = left.minus(out), expected - qty
    assert values == [Dec("198.00"), Dec("148.50"), Dec("148.50")]
    assert left == wip("0.00", "0.00", "0.00") and sum(values) == Dec("495.00")


@pytest.mark.parametrize("balance, value, parts", [
    (wip("400.00", "42.50", "52.50"), "198.00", wip("160.00", "17.00", "21.00")),
    # a third each: 0.33, 0.33 and overhead takes the rounding
    (wip("1.00", "1.00", "1.00"), "1.00", wip("0.33", "0.33", "0.34")),
    (wip("2.00", "1.00", "0.00"), "1.00", wip("0.67", "0.33", "0.00")),
    # nothing in WIP yet (scrap before any cost): all of it is material
    (wip("0.00", "0.00", "0.00"), "5.00", wip("5.00", "0.00", "0.00")),
    # a negative value (a cost adjustment downwards) splits the same way
    (wip("300.00", "100.00", "0.00"), "-40.00", wip("-30.00", "-10.00", "0.00")),
])
def test_split_over_the_cost_elements(balance, value, parts):
    out = split(balance, Dec(value))
    assert out == parts
    assert out.total == Dec(value)


@pytest.mark.parametrize("balance, completed, variance", [
    # close: whatever a completion did not take is the variance, per element
    (wip("400.00", "42.50", "52.50"), wip("360.00", "38.25", "47.25"),
     wip("40.00", "4.25", "5.25")),
    (wip("250.00", "80.00", "40.00"), wip("250.00", "80.00", "40.00"),
     wip("0.00", "0.00", "0.00")),
    # over-relieved labor (a later negative adjustment) closes as a credit variance
    (wip("10.00", "5.00", "0.00"), wip("10.00", "6.00", "0.00"), wip("0.00", "-1.00", "0.00")),
])
def test_close_variance_is_the_remaining_wip_per_element(balance, completed, variance):
    assert balance.minus(completed) == variance
    assert completed.plus(variance) == balance
