"""Period-end rules as tables: overhead settlement (制造费用结转), the allocation
shares, 结转损益 and the year-end carry-forward, over account nets (debit
positive), with the bolt-kit close (step 11) first."""

from datetime import date
from decimal import Decimal as Dec

import pytest

from domain.ledger.closing import (
    allocate,
    last_day,
    overhead_settlement,
    profit_and_loss_transfer,
    year_end_carry_forward,
)
from tests.unit.rows import cr, dr, lines

pytestmark = pytest.mark.unit


def nets(**by_account: str) -> dict[str, Dec]:
    return {account.lstrip("_"): Dec(net) for account, net in by_account.items()}


@pytest.mark.parametrize("overhead, target, expected", [
    # bolt-kit step 11: actual 100.00 - applied 92.50 = 7.50 under-applied
    (nets(_4101="7.50"), "5401", [dr("5401", "7.50"), cr("4101", "7.50")]),
    (nets(_4101="-3.00"), "5401", [dr("4101", "3.00"), cr("5401", "3.00")]),  # over-applied
    (nets(_410101="5.00", _410102="-2.00"), "5401",
     [dr("410102", "2.00"), dr("5401", "3.00"), cr("410101", "5.00")]),
    (nets(_4101="7.50"), "400101", [dr("400101", "7.50"), cr("4101", "7.50")]),
    (nets(_4101="0.00"), "5401", []),
    ({}, "5401", []),
])
def test_overhead_settlement(overhead, target, expected):
    assert lines(overhead_settlement(overhead, target)) == expected


@pytest.mark.parametrize("amount, bases, shares", [
    ("7.50", [("WO-1", "100"), ("FG-KIT", "200"), ("5401", "300")],
     [("WO-1", "1.25"), ("FG-KIT", "2.50"), ("5401", "3.75")]),
    # equal bases: 3.33 each, the first of the largest takes the cent
    ("10.00", [("a", "1"), ("b", "1"), ("c", "1")], [("a", "3.34"), ("b", "3.33"), ("c", "3.33")]),
    # the largest base takes the rounding, wherever it stands
    ("10.00", [("a", "1"), ("b", "2"), ("c", "3")], [("a", "1.67"), ("b", "3.33"), ("c", "5.00")]),
    ("1.00", [("a", "1"), ("b", "1"), ("c", "5")], [("a", "0.14"), ("b", "0.14"), ("c", "0.72")]),
    ("-7.50", [("WO-1", "1"), ("FG-KIT", "2")], [("WO-1", "-2.50"), ("FG-KIT", "-5.00")]),
    # zero and negative bases take nothing; zero shares are left out
    ("1.00", [("a", "0"), ("b", "-5"), ("c", "2")], [("c", "1.00")]),
    ("0.01", [("a", "1"), ("b", "1"), ("c", "1")], [("a", "0.01")]),
    ("0.00", [("a", "1")], []),
    ("5.00", [], []),
])
def test_allocation_shares_add_up_to_the_amount(amount, bases, shares):
    got = allocate(Dec(amount), [(k, Dec(b)) for k, b in bases])
    assert [(k, str(s)) for k, s in got] == shares
    assert sum((s for _, s in got), Dec("0.00")) == (Dec(amount) if got else 0)


@pytest.mark.parametrize("pl, expected, profit", [
    # bolt-kit step 11: 5001 2,000.00 and 5401 502.50 (495.00 + 7.50) to 3103
    (nets(_5001="-2000.00", _5401="502.50"),
     [dr("5001", "2000.00"), cr("5401", "502.50"), cr("3103", "1497.50")], "1497.50"),
    (nets(_5001="-100.00", _5401="150.00"),
     [dr("5001", "100.00"), dr("3103", "50.00"), cr("5401", "150.00")], "-50.00"),
    (nets(_5001="-100.00", _5401="100.00"), [dr("5001", "100.00"), cr("5401", "100.00")],
     "0.00"),
    (nets(_5401="495.00", _5001="-2000.00", _5602="10.00"),  # cleared in code order
     [dr("5001", "2000.00"), cr("5401", "495.00"), cr("5602", "10.00"), cr("3103", "1495.00")],
     "1495.00"),
    ({}, [], "0.00"),  # a quiet month: no lines, and a profit of 0.00, never -0.00
])
def test_profit_and_loss_transfer(pl, expected, profit):
    got, carried = profit_and_loss_transfer(pl)
    assert lines(got) == expected
    assert str(carried) == profit


@pytest.mark.parametrize("profit, expected", [
    ("1497.50", [dr("3103", "1497.50"), cr("3104", "1497.50")]),
    ("-50.00", [dr("3104", "50.00"), cr("3103", "50.00")]),
    ("0.00", []),
])
def test_year_end_carry_forward(profit, expected):
    assert lines(year_end_carry_forward(Dec(profit), "3104")) == expected


@pytest.mark.parametrize("period, day", [
    ("2026-11", date(2026, 11, 30)), ("2026-12", date(2026, 12, 31)),
    ("2027-02", date(2027, 2, 28)), ("2028-02", date(2028, 2, 29)),
])
def test_a_period_closes_on_its_last_day(period, day):
    assert last_day(period) == day
