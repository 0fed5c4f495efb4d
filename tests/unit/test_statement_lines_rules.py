"""The statements' line rules as pure functions: a transfer inside an account's
branch (a split) moves no line but the 其中 line of the receiving sub-account,
and a reclassified account moves between balance sheet lines, never out of the
totals."""

from __future__ import annotations

from decimal import Decimal as Dec

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.ledger.statements import balance_sheet, income_statement

pytestmark = pytest.mark.unit

cents = st.integers(min_value=-10**8, max_value=10**8).map(lambda c: Dec(c) / 100)
PL = ("5001", "5403", "540303", "5601", "560101", "5602", "560202", "5603", "560301",
      "5301", "530101", "5711", "571105")
LINES = {6: ("540303",), 12: ("560101",), 16: ("560202",), 19: ("560301",),
         23: ("530101",), 29: ("571105",)}
# parent, mapped child, the child's 其中 line, and whether the line is credit-positive
SPLITS = (("5603", "560301", 19, 1), ("5602", "560202", 16, 1), ("5301", "530101", 23, -1),
          ("5711", "571105", 29, 1), ("5403", "540303", 6, 1))


@given(st.dictionaries(st.sampled_from(PL), cents), st.sampled_from(SPLITS), cents)
def test_a_split_changes_only_the_detail_line_of_the_receiving_sub_account(nets, split,
                                                                          moved):
    parent, child, line, sign = split
    after = dict(nets)
    after[parent] = after.get(parent, Dec("0.00")) - moved
    after[child] = after.get(child, Dec("0.00")) + moved
    before = income_statement("2026-11", nets, nets, LINES)
    then = income_statement("2026-11", after, after, LINES)
    for old, new in zip(before.lines, then.lines, strict=True):
        expected = old.amounts[0] + (moved * sign if old.line == line else 0)
        assert new.amounts == (expected, expected), old.label


ASSETS_LIABILITIES = ("1002", "122101", "1221", "250101", "250102", "224101", "2241", "3001")


@given(st.dictionaries(st.sampled_from(ASSETS_LIABILITIES), cents))
def test_reclassified_accounts_move_between_lines_and_keep_the_totals(nets):
    plain = balance_sheet("2026-11", nets, {})
    moved = balance_sheet("2026-11", nets, {}, {28: ("122101",), 40: ("250102",),
                                                45: ("224101",)})
    get = Dec("0.00").__add__
    assert moved.amount(28) == get(nets.get("122101", 0))
    assert moved.amount(40) == get(-nets.get("250102", 0))
    assert moved.amount(45) == get(-nets.get("224101", 0))
    assert moved.amount(8) + moved.amount(28) == plain.amount(8)
    assert moved.amount(42) + moved.amount(40) == plain.amount(42)
    assert moved.amount(39) + moved.amount(45) == plain.amount(39)
    for total in (30, 47, 52, 53):
        assert moved.amount(total) == plain.amount(total)
