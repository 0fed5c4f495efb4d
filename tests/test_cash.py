"""Cash through the use cases: receipts, payments, prepayments and their
application, offsets and expense payments, each posting its voucher with the
open items it settles; aging and statements read from those open items, and
open AR / AP / prepayments always equal the GL."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal as Dec

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.runtime import Runtime
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.finance.cash import ExpenseLineInput
from domain.finance.open_items import Ledger
from domain.ledger.entries import LineInput
from domain.parties import PartyRole, PartySpec
from domain.store import parse_database_url
from projections import cash_queries as cq
from projections import ledger_queries as lq
from projections.registry import all_projections
from projections.runner import ProjectionRunner
from projections.verify import checksums
from tests.scenes.cash import open_invoice
from tests.scenes.supply_chain import setup_company

AR, AP = Ledger.RECEIVABLE, Ledger.PAYABLE
D3, D10, D16, D20, D25, D30 = (date(2026, 11, d) for d in (3, 10, 16, 20, 25, 30))
# Another valid 统一社会信用代码 for a second customer.
USCC_OTHER = "91330100MA27XL0E2G"


@pytest.fixture
def co(runtime):
    setup_company(runtime.app)
    runtime.app.post_journal_entry(date(2026, 11, 1), "投资款", [
        LineInput("1002", debit="100000.00"), LineInput("3001", credit="100000.00")])
    return runtime


def register_other_customer(app):
    app.register_party(PartySpec("CUS-B", "宁波机电有限公司", (PartyRole.CUSTOMER,), USCC_OTHER))


def entry(rt, entry_id):
    rt.runner.catch_up()
    with rt.read() as conn:
        found = lq.journal_entry(conn, entry_id)
    return [(ln.account_code, ln.debit, ln.credit) for ln in found.lines]


def items(rt, **filters):
    rt.runner.catch_up()
    with rt.read() as conn:
        return {i.document: (i.account, i.amount, i.settled, i.open_amount)
                for i in cq.open_items_view(conn, include_settled=True, **filters)}


def assert_reconciled(rt, as_of=None):
    rt.runner.catch_up()
    with rt.read() as conn:
        rows = cq.reconciliation(conn, as_of)
    assert {(r.ledger, r.account) for r in rows} >= {
        ("receivable", "1122"), ("receivable", "2203"), ("payable", "220201"),
        ("payable", "1123")}
    for row in rows:
        assert row.difference == 0, row
    return {(r.ledger, r.account): r.open_items for r in rows}


def refused(rt, exc_type, call, *args, **kwargs):
    before = rt.app.log_position()
    with pytest.raises(exc_type) as info:
        call(*args, **kwargs)
    assert rt.app.log_position() == before, "a refused command wrote events"
    return info.value


# -- the bolt-kit month ------------------------------------------------------------------
def test_bolt_kit_payment_receipt_and_electricity_post_exactly(co):
    app = co.app
    # 3. The supplier's invoice for PO-1 (632.80 incl. VAT), then paid.
    open_invoice(app, AP, "SUP-STEEL", "04412345678901234567", D3, "632.80")
    paid = app.record_supplier_payment("SUP-STEEL", D3, "1002", "632.80",
                                       [("04412345678901234567", "632.80")]).value
    assert (paid.number, paid.prepayment) == ("PY-000001", "0.00")
    assert entry(co, paid.entry_id) == [("220201", Dec("632.80"), 0), ("1002", 0, Dec("632.80"))]
    # 9. The sales invoice (2,260.00) and the customer pays it.
    open_invoice(app, AR, "CUS-HW", "26112000000000000001", D16, "2260.00")
    received = app.record_customer_receipt(
        "CUS-HW", D20, "1002", "2260.00", [("26112000000000000001", "2260.00")],
        reference="网银 2026112000123").value
    assert received.number == "RV-000001"
    assert entry(co, received.entry_id) == [("1002", Dec("2260.00"), 0),
                                            ("1122", 0, Dec("2260.00"))]
    # 10. Electricity for the shop from the bank.
    power = app.record_expense_payment(D25, "1002", [ExpenseLineInput("4101", "100.00", "电费")],
                                       payee="国网杭州供电公司").value
    assert power.number == "EX-000001"
    assert entry(co, power.entry_id) == [("4101", Dec("100.00"), 0), ("1002", 0, Dec("100.00"))]

    with co.read() as conn:
        tb = {r.code: r.closing for r in lq.trial_balance(conn, "2026-11").rows}
        docs = cq.cash_document_views(conn)
    assert tb["1002"] == Dec("101527.20")
    assert tb["1122"] == 0 and tb["220201"] == 0
    assert [(d.number, d.kind, d.party, d.amount, d.voucher_no) for d in docs] == [
        ("PY-000001", "payment", "SUP-STEEL", Dec("632.80"), "记-0003"),
        ("RV-000001", "receipt", "CUS-HW", Dec("2260.00"), "记-0005"),
        ("EX-000001", "expense", "", Dec("100.00"), "记-0006"),
    ]
    assert [(ln.document, ln.amount) for ln in docs[1].lines] == [
        ("26112000000000000001", Dec("2260.00"))]
    assert (docs[1].reference, docs[2].payee) == ("网银 2026112000123", "国网杭州供电公司")
    assert [(ln.account, ln.amount, ln.memo) for ln in docs[2].lines] == [
        ("4101", Dec("100.00"), "电费")]
    assert items(co) == {
        "04412345678901234567": ("220201", Dec("632.80"), Dec("632.80"), 0),
        "26112000000000000001": ("1122", Dec("2260.00"), Dec("2260.00"), 0),
    }
    assert set(assert_reconciled(co).values()) == {0}


def test_a_receipt_allocated_over_two_invoices_settles_one_and_part_of_the_other(co):
    app = co.app
    open_invoice(app, AR, "CUS-HW", "INV-A", D3, "1000.00")
    open_invoice(app, AR, "CUS-HW", "INV-B", D10, "500.00")
    out = app.record_customer_receipt("CUS-HW", D16, "1002", "1200.00",
                                      [("INV-A", "1000.00"), ("INV-B", "200.00")]).value
    assert (out.amount, out.prepayment) == ("1200.00", "0.00")
    assert entry(co, out.entry_id) == [("1002", Dec("1200.00"), 0), ("1122", 0, Dec("1200.00"))]
    assert items(co) == {"INV-A": ("1122", Dec("1000.00"), Dec("1000.00"), 0),
                         "INV-B": ("1122", Dec("500.00"), Dec("200.00"), Dec("300.00"))}
    with co.read() as conn:
        still_open = cq.open_items_view(conn, ledger=AR, party="CUS-HW")
        earlier = cq.open_items_view(conn, ledger=AR, as_of=D10)
    assert [(i.document, i.open_amount) for i in still_open] == [("INV-B", Dec("300.00"))]
    # On the 10th nothing had been received yet.
    assert [(i.document, i.open_amount) for i in earlier] == [
        ("INV-A", Dec("1000.00")), ("INV-B", Dec("500.00"))]
    assert assert_reconciled(co)[("receivable", "1122")] == Dec("300.00")


def test_a_customer_prepayment_is_held_on_2203_and_applied_to_a_later_invoice(co):
    app = co.app
    open_invoice(app, AR, "CUS-HW", "INV-1", D3, "2260.00")
    out = app.record_customer_receipt("CUS-HW", D10, "1002", "3000.00",
                                      [("INV-1", "2260.00")]).value
    assert out.prepayment == "740.00"
    assert entry(co, out.entry_id) == [("1002", Dec("3000.00"), 0), ("1122", 0, Dec("2260.00")),
                                       ("2203", 0, Dec("740.00"))]
    assert items(co)["RV-000001"] == ("2203", Dec("-740.00"), 0, Dec("-740.00"))

    open_invoice(app, AR, "CUS-HW", "INV-2", D16, "500.00")
    applied = app.apply_prepayment("CUS-HW", "RV-000001", D20, [("INV-2", "500.00")]).value
    assert applied.number == "PA-000001"
    assert entry(co, applied.entry_id) == [("2203", Dec("500.00"), 0),
                                           ("1122", 0, Dec("500.00"))]
    assert items(co)["RV-000001"] == ("2203", Dec("-740.00"), Dec("-500.00"), Dec("-240.00"))
    assert items(co)["INV-2"][3] == 0
    balances = assert_reconciled(co)
    assert (balances[("receivable", "1122")], balances[("receivable", "2203")]) == (
        0, Dec("-240.00"))


def test_a_supplier_prepayment_is_held_on_1123_and_applied_to_the_invoice(co):
    app = co.app
    paid = app.record_supplier_payment("SUP-STEEL", D3, "1002", "1000.00", []).value
    assert (paid.number, paid.prepayment) == ("PY-000001", "1000.00")
    assert entry(co, paid.entry_id) == [("1123", Dec("1000.00"), 0), ("1002", 0, Dec("1000.00"))]
    open_invoice(app, AP, "SUP-STEEL", "PINV-1", D10, "632.80")
    applied = app.apply_prepayment("SUP-STEEL", "PY-000001", D10, [("PINV-1", "632.80")]).value
    assert entry(co, applied.entry_id) == [("220201", Dec("632.80"), 0),
                                           ("1123", 0, Dec("632.80"))]
    balances = assert_reconciled(co)
    assert (balances[("payable", "220201")], balances[("payable", "1123")]) == (
        0, Dec("-367.20"))
    with co.read() as conn:
        tb = {r.code: r.closing for r in lq.trial_balance(conn, "2026-11").rows}
    assert tb["1123"] == Dec("367.20")


def test_a_red_invoice_offsets_its_blue_invoice_without_cash_or_voucher(co):
    app = co.app
    open_invoice(app, AR, "CUS-HW", "BLUE-1", D3, "1130.00")
    open_invoice(app, AR, "CUS-HW", "RED-1", D10, "-226.00", kind="red_sales_invoice")
    out = app.offset_open_items("CUS-HW", "RED-1", D10, [("BLUE-1", "226.00")]).value
    assert (out.number, out.entry_id, out.voucher_no) == ("OF-000001", "", "")
    assert items(co) == {"BLUE-1": ("1122", Dec("1130.00"), Dec("226.00"), Dec("904.00")),
                         "RED-1": ("1122", Dec("-226.00"), Dec("-226.00"), 0)}
    assert assert_reconciled(co)[("receivable", "1122")] == Dec("904.00")
    # A prepayment is applied with apply_prepayment, a red invoice with an offset.
    err = refused(co, BusinessRuleViolation, app.apply_prepayment, "CUS-HW", "BLUE-1", D10,
                  [("BLUE-1", "1.00")])
    assert err.code == "NOT_A_PREPAYMENT"


def test_every_refusal_writes_nothing(co):
    app = co.app
    register_other_customer(app)
    open_invoice(app, AR, "CUS-HW", "INV-1", D10, "1000.00")
    open_invoice(app, AR, "CUS-B", "INV-B", D10, "300.00")
    receipt = app.record_customer_receipt

    assert refused(co, BusinessRuleViolation, receipt, "CUS-HW", D16, "1002", "2000.00",
                   [("INV-1", "1000.01")]).code == "OVER_ALLOCATION"
    assert refused(co, BusinessRuleViolation, receipt, "CUS-HW", D16, "1002", "500.00",
                   [("INV-1", "500.01")]).code == "ALLOCATION_EXCEEDS_AMOUNT"
    assert refused(co, BusinessRuleViolation, receipt, "CUS-HW", D16, "1002", "1300.00",
                   [("INV-1", "1000.00"), ("INV-B", "300.00")]).code == "WRONG_PARTY"
    assert refused(co, NotFound, receipt, "CUS-HW", D16, "1002", "10.00",
                   [("NO-SUCH", "10.00")]).kind == "OpenItem"
    assert refused(co, BusinessRuleViolation, receipt, "CUS-HW", D3, "1002", "10.00",
                   [("INV-1", "10.00")]).code == "BEFORE_DOCUMENT_DATE"
    assert refused(co, BusinessRuleViolation, receipt, "SUP-STEEL", D16, "1002",
                   "10.00").code == "WRONG_PARTY_ROLE"
    assert refused(co, BusinessRuleViolation, receipt, "CUS-HW", D16, "1122",
                   "10.00").code == "NOT_A_CASH_ACCOUNT"
    assert refused(co, NotFound, receipt, "CUS-HW", D16, "100299", "10.00").kind == "Account"
    assert refused(co, ValidationError, receipt, "CUS-HW", D16, "1002", "0").field == "amount"
    assert refused(co, ValidationError, receipt, "CUS-HW", D16, "1002", "10.001").field == \
        "amount"
    assert refused(co, ValidationError, receipt, "CUS-HW", D16, "1002", "20.00",
                   [("INV-1", "10.00"), ("INV-1", "10.00")]).field == "allocations.1.document"
    assert refused(co, ValidationError, receipt, "CUS-HW", D16, "1002", "20.00",
                   [("INV-1", "-10.00")]).field == "allocations.0.amount"
    assert refused(co, NotFound, receipt, "CUS-HW", date(2026, 12, 1), "1002",
                   "10.00").kind == "Period"
    # The bank may go overdrawn: that is the bank's business, not refused.
    app.record_supplier_payment("SUP-STEEL", D16, "1001", "50.00")

    # Prepayments: only the party's own, and no more than is left of it.
    app.record_customer_receipt("CUS-HW", D16, "1002", "100.00")  # RV-000001, all prepaid
    apply = app.apply_prepayment
    assert refused(co, BusinessRuleViolation, apply, "CUS-HW", "RV-000001", D16,
                   [("INV-1", "100.01")]).code == "OVER_ALLOCATION"
    assert refused(co, BusinessRuleViolation, apply, "CUS-B", "RV-000001", D16,
                   [("INV-B", "10.00")]).code == "WRONG_PARTY"
    assert refused(co, BusinessRuleViolation, apply, "CUS-HW", "RV-000001", D16,
                   [("INV-B", "10.00")]).code == "WRONG_PARTY"
    assert refused(co, ValidationError, apply, "CUS-HW", "RV-000001", D16, []).field == \
        "allocations"
    assert refused(co, NotFound, apply, "CUS-HW", "RV-999999", D16, [("INV-1", "1.00")]).kind \
        == "OpenItem"
    # Expenses never touch the party accounts or move money between cash accounts.
    expense = app.record_expense_payment
    for account, code in (("1122", "PARTY_ACCOUNT"), ("220201", "PARTY_ACCOUNT"),
                          ("2203", "PARTY_ACCOUNT"), ("1001", "CASH_ACCOUNT")):
        assert refused(co, BusinessRuleViolation, expense, D16, "1002",
                       [ExpenseLineInput(account, "10.00")]).code == code
    assert refused(co, ValidationError, expense, D16, "1002", []).field == "lines"
    assert refused(co, ValidationError, expense, D16, "1002",
                   [ExpenseLineInput("5602", "10.00")], vat="-1").field == "vat"
    assert items(co)["INV-1"][3] == Dec("1000.00")
    assert_reconciled(co)


def test_an_expense_with_input_vat_posts_22210101_and_pays_the_gross(co):
    out = co.app.record_expense_payment(
        D20, "1002", [ExpenseLineInput("5602", "300.00", "办公用品"),
                      ExpenseLineInput("4101", "200.00", "车间耗材")],
        vat="65.00", payee="杭州文具店", reference="FP-778").value
    assert out.amount == "565.00"
    assert entry(co, out.entry_id) == [
        ("5602", Dec("300.00"), 0), ("4101", Dec("200.00"), 0), ("22210101", Dec("65.00"), 0),
        ("1002", 0, Dec("565.00"))]


def test_a_retried_receipt_with_the_same_key_is_recorded_once(co):
    from domain.commands import CommandContext

    open_invoice(co.app, AR, "CUS-HW", "INV-1", D3, "800.00")
    ctx = CommandContext(idempotency_key="rv-1")
    first = co.app.record_customer_receipt("CUS-HW", D10, "1002", "800", [("INV-1", "800")],
                                           ctx=ctx)
    again = co.app.record_customer_receipt("CUS-HW", D10, "1002", "800.00",
                                           [("INV-1", "800.00")], ctx=ctx)
    assert again.replayed and again.value == first.value
    assert items(co)["INV-1"][2] == Dec("800.00")


# -- through the invoicing use cases ---------------------------------------------------------
def test_bolt_kit_month_pays_and_collects_the_real_invoices_and_the_sub_ledgers_tie(runtime):
    """Steps 1-10 with the invoicing slices' own invoices: the payable of PO-1's
    invoice paid, the 数电票 collected, the electricity paid."""
    from domain.invoicing.purchase_handlers import PurchaseInvoiceLineInput
    from domain.invoicing.purchase_invoices import PurchaseInvoiceType
    from domain.invoicing.sales_handlers import InvoiceLineInput
    from tests.scenes.sales_invoices import bolt_kit_shipped

    app = runtime.app
    shipment = bolt_kit_shipped(app)
    app.post_journal_entry(date(2026, 11, 1), "投资者投入资本", [
        LineInput("1002", debit="100000.00"), LineInput("3001", credit="100000.00")])
    supplier_invoice = "26332000000000000001"
    app.record_purchase_invoice("SUP-STEEL", supplier_invoice, date(2026, 11, 6),
                                PurchaseInvoiceType.SPECIAL, [
                                    PurchaseInvoiceLineInput("GR-000001", 1, "100", "5.00"),
                                    PurchaseInvoiceLineInput("GR-000001", 2, "2", "20.00"),
                                    PurchaseInvoiceLineInput("GR-000001", 3, "20", "1.00")])
    paid = app.record_supplier_payment("SUP-STEEL", date(2026, 11, 6), "1002", "632.80",
                                       [(supplier_invoice, "632.80")]).value
    assert entry(runtime, paid.entry_id) == [("220201", Dec("632.80"), 0),
                                             ("1002", 0, Dec("632.80"))]
    invoice = app.issue_sales_invoice("CUS-HW", D16, [InvoiceLineInput(shipment, 1, "10")]).value
    received = app.record_customer_receipt("CUS-HW", D20, "1002", "2260.00",
                                           [(invoice.number, "2260.00")]).value
    assert entry(runtime, received.entry_id) == [("1002", Dec("2260.00"), 0),
                                                 ("1122", 0, Dec("2260.00"))]
    power = app.record_expense_payment(D25, "1002", [("4101", "100.00", "电费")]).value
    assert entry(runtime, power.entry_id) == [("4101", Dec("100.00"), 0),
                                              ("1002", 0, Dec("100.00"))]
    assert set(assert_reconciled(runtime).values()) == {0}
    with runtime.read() as conn:
        tb = {r.code: r.closing for r in lq.trial_balance(conn, "2026-11").rows}
        customer = cq.party_statement(conn, "CUS-HW", date(2026, 11, 1), D30)
        supplier = cq.party_statement(conn, "SUP-STEEL", date(2026, 11, 1), D30)
    assert tb["1002"] == Dec("101527.20")
    assert [(r.document, r.kind, r.increase, r.decrease, r.balance) for r in customer.rows] == [
        (invoice.number, "sales_invoice", Dec("2260.00"), 0, Dec("2260.00")),
        ("RV-000001", "receipt", 0, Dec("2260.00"), 0)]
    assert [(r.document, r.increase, r.decrease, r.balance) for r in supplier.rows] == [
        (supplier_invoice, Dec("632.80"), 0, Dec("632.80")),
        ("PY-000001", 0, Dec("632.80"), 0)]


def test_a_red_invoice_after_payment_leaves_a_credit_that_offsets_the_next_invoice(runtime):
    from domain.invoicing.sales_handlers import InvoiceLineInput
    from domain.invoicing.sales_invoices import RedReason
    from tests.scenes.sales_invoices import sales_order, ship, trading_company

    app = runtime.app
    trading_company(app)
    order = sales_order(app, lines=(("FG-KIT", "10", "200.00"),))
    first, second = ship(app, order, "4", day=10), ship(app, order, "6", day=12)
    blue = app.issue_sales_invoice("CUS-HW", D10, [InvoiceLineInput(first, 1, "4")]).value
    app.record_customer_receipt("CUS-HW", D16, "1002", "904.00", [(blue.number, "904.00")])
    red = app.issue_red_sales_invoice(blue.number, "RC-0001", RedReason.INVOICING_ERROR,
                                      D20).value
    later = app.issue_sales_invoice("CUS-HW", D20, [InvoiceLineInput(second, 1, "6")]).value
    assert items(runtime)[red.number][3] == Dec("-904.00")  # paid already: a credit
    out = app.offset_open_items("CUS-HW", red.number, D25, [(later.number, "904.00")]).value
    assert out.entry_id == ""  # both on 1122: the sub-ledger settles, the GL has nothing to do
    assert items(runtime)[later.number][3] == Dec("452.00")
    assert assert_reconciled(runtime)[("receivable", "1122")] == Dec("452.00")
    with runtime.read() as conn:
        st_ = cq.party_statement(conn, "CUS-HW", date(2026, 11, 1), D30)
    assert [(r.document, r.increase, r.decrease, r.balance) for r in st_.rows] == [
        (blue.number, Dec("904.00"), 0, Dec("904.00")),
        ("RV-000001", 0, Dec("904.00"), 0),
        (red.number, 0, Dec("904.00"), Dec("-904.00")),
        (later.number, Dec("1356.00"), 0, Dec("452.00")),
        ("OF-000001", Dec("904.00"), Dec("904.00"), Dec("452.00")),
    ]


# -- aging -------------------------------------------------------------------------------
def test_aging_buckets_split_exactly_at_30_60_and_90_days(runtime):
    app = runtime.app
    setup_company(app)
    for period in ("2026-08", "2026-09", "2026-10"):
        app.open_period(period)
    as_of = D30
    # days old -> amount: bucket edges on both sides.
    ages = {0: "100.00", 30: "200.00", 31: "300.00", 60: "400.00", 61: "500.00",
            90: "600.00", 91: "700.00"}
    for days, amount in ages.items():
        open_invoice(app, AR, "CUS-HW", f"INV-{days:03d}", as_of - timedelta(days=days), amount)
    open_invoice(app, AP, "SUP-STEEL", "PINV-1", date(2026, 9, 15), "632.80")
    # Part of the oldest paid on 2026-11-20; a prepayment (2203) does not count on 1122.
    app.record_customer_receipt("CUS-HW", D20, "1002", "1000.00", [("INV-091", "200.00")])
    runtime.runner.catch_up()
    with runtime.read() as conn:
        ar = cq.aging(conn, AR, as_of)
        before = cq.aging(conn, AR, date(2026, 11, 19))
        prepaid = cq.aging(conn, AR, as_of, account="2203")
        ap = cq.aging(conn, AP, as_of)
    assert [b[0] for b in cq.BUCKETS] == ["0-30", "31-60", "61-90", ">90"]
    assert ar.totals == (Dec("300.00"), Dec("700.00"), Dec("1100.00"), Dec("500.00"))
    assert [(r.party, r.buckets) for r in ar.rows] == [("CUS-HW", ar.totals)]
    assert ar.total == ar.gl_balance == Dec("2600.00")
    # On the 19th: INV-000 not yet issued, the rest 11 days younger, nothing received.
    assert before.totals == (Dec("500.00"), Dec("900.00"), Dec("1300.00"), 0)
    assert before.total == before.gl_balance == Dec("2700.00")
    assert prepaid.totals == (Dec("-800.00"), 0, 0, 0)
    assert prepaid.difference == 0
    assert ap.account == "220201" and ap.totals == (0, 0, Dec("632.80"), 0)
    assert ap.difference == 0
    assert [cq.bucket_of(d) for d in (0, 30, 31, 60, 61, 90, 91, 400, -1)] == [
        0, 0, 1, 1, 2, 2, 3, 3, 0]


# -- statements --------------------------------------------------------------------------
def test_customer_statement_runs_the_balance_through_invoices_receipts_and_applications(co):
    app = co.app
    app.open_period("2026-10")
    open_invoice(app, AR, "CUS-HW", "INV-OCT", date(2026, 10, 20), "1000.00")
    open_invoice(app, AR, "CUS-HW", "INV-NOV", D3, "2260.00")
    app.record_customer_receipt("CUS-HW", D10, "1002", "3500.00",
                                [("INV-OCT", "1000.00"), ("INV-NOV", "2000.00")])
    open_invoice(app, AR, "CUS-HW", "RED-NOV", D16, "-113.00", kind="red_sales_invoice")
    app.offset_open_items("CUS-HW", "RED-NOV", D16, [("INV-NOV", "113.00")])
    open_invoice(app, AR, "CUS-HW", "INV-2", D20, "339.00")
    app.apply_prepayment("CUS-HW", "RV-000001", D25, [("INV-2", "339.00"), ("INV-NOV", "147.00")])
    co.runner.catch_up()
    with co.read() as conn:
        st_ = cq.party_statement(conn, "CUS-HW", date(2026, 11, 1), D30)
        october = cq.party_statement(conn, "CUS-HW", date(2026, 10, 1), date(2026, 10, 31))
        missing = cq.party_statement(conn, "NOBODY", date(2026, 11, 1), D30)
    assert missing is None
    assert (october.opening, october.closing) == (0, Dec("1000.00"))
    assert (st_.party_name, st_.ledger, st_.opening) == ("杭州五金贸易有限公司", "receivable",
                                                         Dec("1000.00"))
    assert [(r.day, r.document, r.kind, r.increase, r.decrease, r.balance) for r in st_.rows] == [
        (D3, "INV-NOV", "sales_invoice", Dec("2260.00"), 0, Dec("3260.00")),
        (D10, "RV-000001", "receipt", 0, Dec("3500.00"), Dec("-240.00")),
        (D16, "RED-NOV", "red_sales_invoice", 0, Dec("113.00"), Dec("-353.00")),
        (D16, "OF-000001", "offset", Dec("113.00"), Dec("113.00"), Dec("-353.00")),
        (D20, "INV-2", "sales_invoice", Dec("339.00"), 0, Dec("-14.00")),
        (D25, "PA-000001", "prepayment_application", Dec("486.00"), Dec("486.00"),
         Dec("-14.00")),
    ]
    assert (st_.increase, st_.decrease, st_.closing) == (Dec("3198.00"), Dec("4212.00"),
                                                        Dec("-14.00"))
    # The closing balance is the party's open items: 1122 open 0, prepayment 14 left.
    with co.read() as conn:
        open_now = cq.open_items_view(conn, party="CUS-HW")
    assert [(i.document, i.open_amount) for i in open_now] == [("RV-000001", Dec("-14.00"))]


def test_supplier_statement_shows_invoices_and_payments_as_what_we_owe(co):
    app = co.app
    open_invoice(app, AP, "SUP-STEEL", "PINV-1", D3, "632.80")
    open_invoice(app, AP, "SUP-STEEL", "PINV-2", D10, "113.00")
    app.record_supplier_payment("SUP-STEEL", D16, "1002", "700.00",
                                [("PINV-1", "632.80"), ("PINV-2", "67.20")])
    co.runner.catch_up()
    with co.read() as conn:
        st_ = cq.party_statement(conn, "SUP-STEEL", D10, D30)
    assert (st_.ledger, st_.opening) == ("payable", Dec("632.80"))
    assert [(r.document, r.increase, r.decrease, r.balance) for r in st_.rows] == [
        ("PINV-2", Dec("113.00"), 0, Dec("745.80")),
        ("PY-000001", 0, Dec("700.00"), Dec("45.80")),
    ]
    assert st_.closing == Dec("45.80")


# -- rebuild -----------------------------------------------------------------------------
def test_a_rebuild_reproduces_the_cash_read_models(co):
    app = co.app
    open_invoice(app, AR, "CUS-HW", "INV-1", D3, "1000.00")
    app.record_customer_receipt("CUS-HW", D10, "1002", "1200.00", [("INV-1", "400.00")])
    app.apply_prepayment("CUS-HW", "RV-000001", D10, [("INV-1", "600.00")])
    co.runner.catch_up()
    before = checksums(co.engine)
    co.runner.reset()
    ProjectionRunner(co.app, co.engine, all_projections(), batch_size=3).catch_up()
    assert checksums(co.engine) == before


# -- property: the sub-ledgers always equal the GL -----------------------------------------
@pytest.fixture(scope="module")
def property_runtime(tmp_path_factory):
    path = tmp_path_factory.mktemp("cash-property") / "store.db"
    rt = Runtime(parse_database_url(f"sqlite:///{path}"))
    setup_company(rt.app)
    rt.app.register_party(PartySpec("BOTH", "两用往来单位", (PartyRole.CUSTOMER,
                                    PartyRole.SUPPLIER), USCC_OTHER))
    yield rt
    rt.close()


_NUMBERS = itertools.count(1)
_OPS = st.lists(st.tuples(
    st.sampled_from(["invoice", "red", "receipt", "payment", "apply", "offset"]),
    st.sampled_from([AR, AP]),
    st.sampled_from(["BOTH", "MAIN"]),
    st.integers(min_value=1, max_value=500_000),  # cents
    st.integers(min_value=0, max_value=3),  # how many open items to allocate to
    st.integers(min_value=1, max_value=29),  # day of November
), min_size=1, max_size=12)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=_OPS)
def test_open_items_always_equal_the_gl(property_runtime, ops):
    rt = property_runtime
    app = rt.app
    for op, ledger, who, cents, n_alloc, day_no in ops:
        party = who if who == "BOTH" else ("CUS-HW" if ledger is AR else "SUP-STEEL")
        day = date(2026, 11, day_no)
        amount = Dec(cents) / 100
        rt.runner.catch_up()
        with rt.read() as conn:
            mine = [i for i in cq.open_items_view(conn, ledger=ledger, party=party)
                    if i.document_date <= day]
        debts = [i for i in mine if i.open_amount > 0]
        credits = [i for i in mine if i.open_amount < 0]
        if op in ("invoice", "red"):
            sign = 1 if op == "invoice" else -1
            open_invoice(app, ledger, party, f"T{next(_NUMBERS)}", day, sign * amount)
        elif op in ("receipt", "payment"):
            allocs, left = [], amount
            for item in debts[:n_alloc]:
                part = min(item.open_amount, left)
                if part > 0:
                    allocs.append((item.document, part))
                    left -= part
            record = app.record_customer_receipt if ledger is AR else \
                app.record_supplier_payment
            record(party, day, "1002", amount, allocs)
        else:
            kind_ok = [c for c in credits if (c.account in ("2203", "1123"))
                       == (op == "apply")]
            if not kind_ok or not debts:
                continue
            credit = kind_ok[0]
            left = -credit.open_amount
            allocs = []
            for item in debts[:max(n_alloc, 1)]:
                part = min(item.open_amount, left)
                if part > 0:
                    allocs.append((item.document, part))
                    left -= part
            use = app.apply_prepayment if op == "apply" else app.offset_open_items
            use(party, credit.document, day, allocs)
    balances = assert_reconciled(rt)
    rt.runner.catch_up()
    with rt.read() as conn:
        every = cq.open_items_view(conn)
    for ledger, account in ((AR, "1122"), (AR, "2203"), (AP, "220201"), (AP, "1123")):
        assert balances[(ledger.value, account)] == sum(
            (i.open_amount for i in every if i.ledger == ledger.value and i.account == account),
            Dec("0.00"))
    # A prepayment item never turns into a debt, nor a debt into a credit.
    for item in every:
        assert abs(item.open_amount) <= abs(item.amount)
        assert item.open_amount == 0 or (item.open_amount > 0) == (item.amount > 0)
