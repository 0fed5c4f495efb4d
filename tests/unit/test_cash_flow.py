"""现金流量表 rules: classifying an entry's cash movement (the default rule by
counter-account, a manual voucher's marks, a document's own items, red
entries) and laying the items out on 会小企03表 (docs/cash-flow.md)."""

from decimal import Decimal as Dec

import pytest

from domain.errors import ValidationError
from domain.ledger.cash_flow import CashFlow, CashFlowItem, cash_flow_statement, classify
from domain.ledger.entries import JournalLine

pytestmark = pytest.mark.unit
I = CashFlowItem  # noqa: E741


def line(account: str, debit: str = "0.00", credit: str = "0.00") -> JournalLine:
    return JournalLine(account, Dec(debit), Dec(credit))


def flows(*pairs) -> tuple[CashFlow, ...]:
    return tuple(CashFlow(item, Dec(amount)) for item, amount in pairs)


@pytest.mark.parametrize("lines, expected", [
    # bolt-kit step 1: the owner invests
    ([line("1002", "100000.00"), line("3001", credit="100000.00")],
     flows((I.OWNER_INVESTMENT, "100000.00"))),
    # step 3 paid, step 9 collected (a prepayment left over is a sale's cash too)
    ([line("220201", "632.80"), line("1002", credit="632.80")], flows((I.PURCHASES, "-632.80"))),
    ([line("1002", "3000.00"), line("1122", credit="2260.00"), line("2203", credit="740.00")],
     flows((I.SALES_RECEIPTS, "3000.00"))),
    # step 10: power for the shop, with deductible VAT
    ([line("4101", "100.00"), line("22210101", "13.00"), line("1002", credit="113.00")],
     flows((I.PURCHASES, "-113.00"))),
    # wages, taxes and a bank fee in one payment
    ([line("2211", "5000.00"), line("222102", "300.00"), line("5603", "5.00"),
      line("1002", credit="5305.00")],
     flows((I.WAGES, "-5000.00"), (I.TAXES, "-300.00"), (I.OTHER_OPERATING_PAYMENTS, "-5.00"))),
    # a loan in, repaid with its interest
    ([line("1002", "50000.00"), line("2001", credit="50000.00")],
     flows((I.BORROWINGS, "50000.00"))),
    ([line("2001", "50000.00"), line("2231", "800.00"), line("1002", credit="50800.00")],
     flows((I.LOAN_REPAYMENTS, "-50000.00"), (I.INTEREST_PAID, "-800.00"))),
    # a machine bought for cash; one sold for cash
    ([line("1601", "20000.00"), line("1002", credit="20000.00")],
     flows((I.ASSET_PURCHASES, "-20000.00"))),
    ([line("1002", "6000.00"), line("1606", credit="6000.00")],
     flows((I.ASSET_DISPOSALS, "6000.00"))),
    # petty cash drawn from the bank moves no cash in total
    ([line("1001", "500.00"), line("1002", credit="500.00")], ()),
    # nothing to do with cash
    ([line("5401", "495.00"), line("140501", credit="495.00")], ()),
    # a red reversal of a loan keeps the loan's item (negative)
    ([line("1002", "-50000.00"), line("2001", credit="-50000.00")],
     flows((I.BORROWINGS, "-50000.00"))),
])
def test_the_default_rule_classifies_by_the_counter_accounts(lines, expected):
    assert classify(lines) == expected


def test_a_manual_voucher_names_the_purpose_on_the_lines_it_means():
    lines = [line("1002", "10000.00"), line("2241", credit="10000.00")]
    assert classify(lines) == flows((I.OTHER_OPERATING_RECEIPTS, "10000.00"))
    assert classify(lines, [None, I.BORROWINGS]) == flows((I.BORROWINGS, "10000.00"))
    with pytest.raises(ValidationError, match="not on the cash line"):
        classify(lines, [I.BORROWINGS, None])
    # Naming some lines: those must cover the cash movement.
    mixed = [line("1002", "1000.00"), line("5602", "200.00"), line("1122", credit="1000.00"),
             line("2241", credit="200.00")]
    assert classify(mixed, [None, None, I.SALES_RECEIPTS]) == flows((I.SALES_RECEIPTS,
                                                                      "1000.00"))
    with pytest.raises(ValidationError, match="add up to 200.00"):
        classify(mixed, [None, None, None, I.BORROWINGS])


def test_a_document_gives_its_own_items_and_they_must_cover_the_cash():
    paid = [line("220201", "135600.00"), line("1002", credit="135600.00")]
    given = flows((I.ASSET_PURCHASES, "-135600.00"))
    assert classify(paid, given=given) == given
    with pytest.raises(ValidationError, match="changes cash by -135600.00"):
        classify(paid, given=flows((I.ASSET_PURCHASES, "-100.00")))


def test_the_statement_sums_the_items_and_adds_the_opening_cash():
    year = {I.SALES_RECEIPTS: Dec("2260.00"), I.PURCHASES: Dec("-732.80"),
            I.OWNER_INVESTMENT: Dec("100000.00"), I.ASSET_DISPOSALS: Dec("-50.00")}
    st = cash_flow_statement("2026-11", year, year, Dec("0.00"), Dec("0.00"))
    assert (st.code, st.columns, len(st.lines)) == ("会小企03表", ("本年累计金额", "本月金额"), 22)
    amounts = {ln.line: ln.amounts[0] for ln in st.lines}
    assert (amounts[1], amounts[3], amounts[7]) == (Dec("2260.00"), Dec("732.80"),
                                                   Dec("1527.20"))
    # a disposal that cost more than it brought: a negative net on line 10
    assert (amounts[10], amounts[13]) == (Dec("-50.00"), Dec("-50.00"))
    assert (amounts[15], amounts[19], amounts[20], amounts[22]) == (
        Dec("100000.00"), Dec("100000.00"), Dec("101477.20"), Dec("101477.20"))
    month = cash_flow_statement("2026-12", year, {I.PURCHASES: Dec("-10.00")}, Dec("0.00"),
                                Dec("101477.20"))
    assert [ln.amounts for ln in month.lines if ln.line in (3, 20, 21, 22)] == [
        (Dec("732.80"), Dec("10.00")), (Dec("101477.20"), Dec("-10.00")),
        (Dec("0.00"), Dec("101477.20")), (Dec("101477.20"), Dec("101467.20"))]
