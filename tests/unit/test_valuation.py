"""移动加权平均: the issue value, the unit cost shown, the receipt value and a
return to supplier, one hand-computed row each (bolt-kit figures first)."""

from decimal import Decimal as Dec

import pytest

from domain.inventory.valuation import average_cost, issue_value, receipt_value, return_out

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("on_hand_qty, on_hand_value, qty, value", [
    ("100", "500.00", "50", "250.00"),     # bolt-kit step 6: RM-STEEL 50 kg of 100 kg = 500.00
    ("2", "40.00", "1.0", "20.00"),        # step 7: RM-ZINC 1.0 kg of 2 kg = 40.00
    ("20", "20.00", "10", "10.00"),        # step 7: RM-BOX 10 of 20 = 20.00
    ("1000", "370.00", "1000", "370.00"),  # step 7: all of SA-BLANK takes all its value
    ("3", "10.00", "1", "3.33"),           # 3.333.. rounds down
    ("3", "10.00", "2", "6.67"),           # 6.666.. rounds up
    ("2", "6.67", "2", "6.67"),            # the rest of it: the remainder, not 2 x 3.33
    ("4", "0.10", "1", "0.03"),            # 0.025 half-up
    ("7", "100.00", "2.5", "35.71"),       # 35.714..
    ("3", "100.00", "1", "33.33"),         # value x qty / qty, no rounded unit cost first
])
def test_issue_value_at_moving_average(on_hand_qty, on_hand_value, qty, value):
    assert issue_value(Dec(on_hand_qty), Dec(on_hand_value), Dec(qty)) == Dec(value)


def test_three_issues_of_one_third_take_exactly_the_stock_value():
    qty, value, issued = Dec(3), Dec("10.00"), []
    for _ in range(3):
        out = issue_value(qty, value, Dec(1))
        issued.append(out)
        qty, value = qty - 1, value - out
    assert issued == [Dec("3.33"), Dec("3.34"), Dec("3.33")]
    assert (qty, value) == (0, Dec("0.00"))


@pytest.mark.parametrize("on_hand_qty, qty", [("10", "0"), ("10", "11"), ("10", "-1")])
def test_issuing_nothing_or_more_than_on_hand_is_a_programming_error(on_hand_qty, qty):
    with pytest.raises(AssertionError):
        issue_value(Dec(on_hand_qty), Dec("10.00"), Dec(qty))


@pytest.mark.parametrize("qty, value, unit", [
    ("1000", "370.00", "0.370000"),  # bolt-kit SA-BLANK 0.37/pc
    ("10", "495.00", "49.500000"),   # bolt-kit FG-KIT 49.50/box
    ("3", "10.00", "3.333333"),
    ("7", "100.00", "14.285714"),
    ("0", "5.00", "0.000000"),       # no quantity: no unit cost, not a division by zero
    ("-1", "5.00", "0.000000"),
])
def test_average_cost_is_for_display_to_six_places(qty, value, unit):
    assert str(average_cost(Dec(qty), Dec(value))) == unit


@pytest.mark.parametrize("qty, price, value", [
    ("100", "5.00", "500.00"),  # bolt-kit PO-1 line 1
    ("2", "20.00", "40.00"),    # line 2
    ("20", "1.00", "20.00"),    # line 3
    ("0.333", "1.5", "0.50"),   # 0.4995 half-up
    ("3", "0.335", "1.01"),     # 1.005 half-up
])
def test_receipt_value_is_qty_times_price_to_the_cent(qty, price, value):
    assert receipt_value(Dec(qty), Dec(price)) == Dec(value)


@pytest.mark.parametrize("on_hand_qty, on_hand_value, qty, price_value, out, residue", [
    ("100", "500.00", "10", "50.00", "50.00", "0.00"),  # stock keeps 90 kg = 450.00
    ("10", "48.00", "10", "50.00", "48.00", "2.00"),    # nothing left: residue 2.00 to cost
    ("10", "52.00", "10", "50.00", "52.00", "-2.00"),   # residue may be a credit to cost
    ("10", "40.00", "5", "45.00", "40.00", "5.00"),     # stock value would turn negative
    ("10", "45.00", "5", "45.00", "45.00", "0.00"),     # 5 left at 0.00: allowed
])
def test_return_to_supplier_at_the_price_received(on_hand_qty, on_hand_value, qty, price_value,
                                                  out, residue):
    assert return_out(Dec(on_hand_qty), Dec(on_hand_value), Dec(qty), Dec(price_value)) == (
        Dec(out), Dec(residue))
