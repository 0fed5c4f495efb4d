"""Posting rules as tables: which accounts a stock movement, a cash document and
a voucher's netting hit, each row hand-computed (the bolt-kit month's vouchers
where the month has one)."""

from decimal import Decimal as Dec

import pytest

from domain.finance.cash import Allocation, post_cash, post_opening, post_settlement, unallocated
from domain.finance.open_items import Ledger
from domain.inventory import posting
from domain.ledger.voucher import Voucher
from tests.unit.rows import cr, dr, lines

pytestmark = pytest.mark.unit
D = Dec


@pytest.mark.parametrize("post, expected", [
    pytest.param(lambda v: posting.receipt(v, "1403", D("560.00")),
                 [dr("1403", "560.00"), cr("220202", "560.00")], id="step2-receipt-PO-1"),
    pytest.param(lambda v: posting.shipment(v, "140501", D("495.00")),
                 [dr("5401", "495.00"), cr("140501", "495.00")], id="step8-ship-SO-1"),
    pytest.param(lambda v: posting.customer_return(v, "140501", D("49.50")),
                 [dr("140501", "49.50"), cr("5401", "49.50")], id="customer-return-1-box"),
    pytest.param(lambda v: posting.supplier_return(v, "1403", D("50.00"), D("50.00")),
                 [dr("220202", "50.00"), cr("1403", "50.00")], id="supplier-return-no-residue"),
    pytest.param(lambda v: posting.supplier_return(v, "1403", D("48.00"), D("50.00")),
                 [dr("220202", "50.00"), cr("1403", "48.00"), cr("5401", "2.00")],
                 id="supplier-return-residue-credit-cost"),
    pytest.param(lambda v: posting.supplier_return(v, "1403", D("52.00"), D("50.00")),
                 [dr("220202", "50.00"), dr("5401", "2.00"), cr("1403", "52.00")],
                 id="supplier-return-residue-debit-cost"),
    pytest.param(lambda v: posting.count_difference(v, "1403", D("12.00")),
                 [dr("1403", "12.00"), cr("1901", "12.00")], id="count-gain-盘盈"),
    pytest.param(lambda v: posting.count_difference(v, "1403", D("-8.00")),
                 [dr("1901", "8.00"), cr("1403", "8.00")], id="count-loss-盘亏"),
    pytest.param(lambda v: posting.adjustment(v, "140501", D("495.00"), "3001"),
                 [dr("140501", "495.00"), cr("3001", "495.00")], id="adjust-in"),
    pytest.param(lambda v: posting.adjustment(v, "1403", D("-30.00"), "5711"),
                 [dr("5711", "30.00"), cr("1403", "30.00")], id="adjust-out"),
    pytest.param(lambda v: posting.transfer(v, "140502", "140501", D("370.00")),
                 [dr("140501", "370.00"), cr("140502", "370.00")], id="transfer-across-accounts"),
    pytest.param(lambda v: posting.transfer(v, "1403", "1403", D("30.00")),
                 [], id="transfer-within-one-account-posts-nothing"),
])
def test_stock_movement_posting(post, expected):
    voucher = Voucher()
    post(voucher)
    assert lines(voucher) == expected
    assert bool(voucher) == bool(expected)


@pytest.mark.parametrize("steps, expected", [
    # bolt-kit step 7, issue to WO-2: three issues net on 400101
    ([("dr", "400101", "370.00"), ("cr", "140502", "370.00"),
      ("dr", "400101", "20.00"), ("cr", "1403", "20.00"),
      ("dr", "400101", "10.00"), ("cr", "1403", "10.00")],
     [dr("400101", "400.00"), cr("140502", "370.00"), cr("1403", "30.00")]),
    # step 7, OP10 1.0 h and OP20 0.5 h at WC-PLATE 30/50 and WC-PACK 25/5
    ([("dr", "400101", "30.00"), ("cr", "2211", "30.00"),
      ("dr", "400101", "50.00"), ("cr", "4101", "50.00"),
      ("dr", "400101", "12.50"), ("cr", "2211", "12.50"),
      ("dr", "400101", "2.50"), ("cr", "4101", "2.50")],
     [dr("400101", "95.00"), cr("2211", "42.50"), cr("4101", "52.50")]),
    # credits and debits print debits first, each in order of first mention
    ([("cr", "3001", "5.00"), ("dr", "1002", "3.00"), ("dr", "1001", "2.00")],
     [dr("1002", "3.00"), dr("1001", "2.00"), cr("3001", "5.00")]),
    # an account that nets to zero prints nothing; a negative debit is a credit
    ([("dr", "1403", "10.00"), ("cr", "1403", "10.00")], []),
    ([("dr", "1002", "-5.00"), ("dr", "3001", "5.00")], [dr("3001", "5.00"), cr("1002", "5.00")]),
    ([], []),
])
def test_voucher_nets_per_account(steps, expected):
    voucher = Voucher()
    for side, account, amount in steps:
        getattr(voucher, {"dr": "debit", "cr": "credit"}[side])(account, D(amount))
    assert lines(voucher) == expected
    assert bool(voucher) == bool(expected)


R, P = Ledger.RECEIVABLE, Ledger.PAYABLE


@pytest.mark.parametrize("post, expected", [
    # bolt-kit step 9: the invoice opens 2,260.00 receivable; the customer pays it
    pytest.param(lambda v: post_opening(v, R, "1122", D("2260.00")),
                 [dr("1122", "2260.00")], id="step9-open-receivable"),
    pytest.param(lambda v: (post_cash(v, R, "1002", D("2260.00")),
                            post_settlement(v, R, "1122", D("2260.00"))),
                 [dr("1002", "2260.00"), cr("1122", "2260.00")], id="step9-customer-pays"),
    # step 3: the supplier's invoice opens 632.80 payable; it is paid
    pytest.param(lambda v: post_opening(v, P, "220201", D("632.80")),
                 [cr("220201", "632.80")], id="step3-open-payable"),
    pytest.param(lambda v: (post_cash(v, P, "1002", D("632.80")),
                            post_settlement(v, P, "220201", D("632.80"))),
                 [dr("220201", "632.80"), cr("1002", "632.80")], id="step3-supplier-paid"),
    # a red invoice's item is negative: settling it turns the sides round
    pytest.param(lambda v: post_settlement(v, R, "1122", D("-226.00")),
                 [dr("1122", "226.00")], id="settle-red-receivable"),
    # a receipt of 3,000.00 against 2,260.00 due: 740.00 is a prepayment (2203)
    pytest.param(lambda v: (post_cash(v, R, "1002", D("3000.00")),
                            post_settlement(v, R, "1122", D("2260.00")),
                            post_settlement(v, R, "2203", D("740.00"))),
                 [dr("1002", "3000.00"), cr("1122", "2260.00"), cr("2203", "740.00")],
                 id="receipt-with-prepayment"),
])
def test_cash_posting(post, expected):
    voucher = Voucher()
    post(voucher)
    assert lines(voucher) == expected


@pytest.mark.parametrize("amount, allocated, left", [
    ("2260.00", ["2260.00"], "0.00"),
    ("3000.00", ["2260.00"], "740.00"),
    ("3000.00", ["1000.00", "1500.00"], "500.00"),
    ("100.00", [], "100.00"),
])
def test_what_a_receipt_leaves_unallocated(amount, allocated, left):
    allocations = [Allocation(f"SI-{i}", D(a)) for i, a in enumerate(allocated)]
    assert unallocated(D(amount), allocations) == D(left)


def test_allocating_more_than_was_received_is_refused():
    from domain.errors import BusinessRuleViolation

    with pytest.raises(BusinessRuleViolation) as refused:
        unallocated(D("100.00"), [Allocation("SI-1", D("60.00")), Allocation("SI-2", D("41.00"))])
    assert refused.value.code == "ALLOCATION_EXCEEDS_AMOUNT"
