"""Purchase-invoice rules as tables: the VAT a line should carry, the three-way
match (order, receipt, invoice) with its tolerances, the receipt value an
invoice relieves, and a price difference split over quantities (bolt-kit
step 3 first: PO-1 invoiced at 560.00 + 72.80 VAT)."""

from decimal import Decimal as Dec

import pytest

from domain.invoicing.purchase_invoices import (
    MatchInput,
    MatchTolerances,
    expected_tax,
    relieved_value,
    split_by_qty,
    three_way_match,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("amount, rate, tax", [
    ("500.00", "0.13", "65.00"),    # bolt-kit PO-1 steel
    ("40.00", "0.13", "5.20"),      # zinc
    ("20.00", "0.13", "2.60"),      # boxes: 72.80 in all
    ("2000.00", "0.13", "260.00"),  # step 9, the sales side
    ("10.05", "0.13", "1.31"),      # 1.3065
    ("0.50", "0.13", "0.07"),       # 0.065 half-up
    ("100.00", "0.03", "3.00"),
])
def test_expected_tax(amount, rate, tax):
    assert expected_tax(Dec(amount), Dec(rate)) == Dec(tax)


def line(qty="100", price="5.00", amount="500.00", rate="0.13", tax="65.00", received="100",
         before="0", order_price="5.00", order_rate="0.13") -> MatchInput:
    return MatchInput(1, Dec(qty), Dec(price), Dec(amount), Dec(rate), Dec(tax), Dec(received),
                      Dec(before), Dec(order_price), Dec(order_rate))


@pytest.mark.parametrize("invoice, tolerances, differences", [
    (line(), MatchTolerances(), []),                                     # step 3, steel line
    (line(tax="65.01"), MatchTolerances(), []),                          # a cent of tax rounding
    (line(tax="65.02"), MatchTolerances(), [("tax", "65.00", "65.02")]),
    (line(qty="101", amount="505.00", tax="65.65"), MatchTolerances(), [("qty", "100", "101")]),
    (line(qty="105", amount="525.00", tax="68.25"), MatchTolerances(qty=Dec("0.05")), []),
    (line(qty="60", amount="300.00", tax="39.00", before="50"), MatchTolerances(),
     [("qty", "50", "60")]),                                             # 50 of 100 billed before
    (line(price="5.10", amount="510.00", tax="66.30"), MatchTolerances(),
     [("price", "5", "5.1")]),
    (line(price="5.10", amount="510.00", tax="66.30"), MatchTolerances(price=Dec("0.02")), []),
    (line(price="5.11", amount="511.00", tax="66.43"), MatchTolerances(price=Dec("0.02")),
     [("price", "5", "5.11")]),                                          # 2.2 % > 2 %
    (line(rate="0.03", tax="15.00"), MatchTolerances(), [("vat_rate", "0.13", "0.03")]),
])
def test_three_way_match(invoice, tolerances, differences):
    found = three_way_match([invoice], tolerances)
    assert [(d.kind, d.expected, d.actual) for d in found] == differences


@pytest.mark.parametrize("line_qty, line_value, qty, value", [
    ("100", "500.00", "100", "500.00"),  # step 3: all of the steel receipt
    ("100", "500.00", "40", "200.00"),
    ("3", "10.00", "1", "3.33"),
    ("3", "10.00", "2", "6.67"),         # cumulative: the first two of three
    ("3", "10.00", "4", "10.00"),        # never more than the line
])
def test_relieved_receipt_value(line_qty, line_value, qty, value):
    assert relieved_value(Dec(line_qty), Dec(line_value), Dec(qty)) == Dec(value)


@pytest.mark.parametrize("amount, parts, shares", [
    ("5.00", ["50", "50"], ["2.50", "2.50"]),             # half still in stock, half issued
    ("10.00", ["1", "1", "1"], ["3.33", "3.33", "3.34"]),  # the last takes the rounding
    ("4.95", ["99", "1"], ["4.90", "0.05"]),
    ("-1.00", ["1", "2"], ["-0.33", "-0.67"]),
    ("7.50", ["10"], ["7.50"]),
])
def test_split_by_quantity(amount, parts, shares):
    got = split_by_qty(Dec(amount), [Dec(p) for p in parts])
    assert got == [Dec(s) for s in shares] and sum(got) == Dec(amount)
