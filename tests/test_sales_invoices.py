"""Sales invoices (数电票) and red-letter corrections through the use cases, on
both stores: bolt-kit step 9 to the cent, partial and multi-shipment
invoicing, the one-customer and never-twice rules, the red-letter rules,
the AR open items, the XML and HTML exports, idempotency, and every refusal
writing nothing."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal as Dec

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.commands import CommandContext
from domain.errors import BusinessRuleViolation, Conflict, NotFound, ValidationError
from domain.invoicing.company_profile import LegalParty
from domain.invoicing.einvoice import invoice_html, invoice_xml
from domain.invoicing.sales_handlers import InvoiceLineInput
from domain.invoicing.sales_invoices import (
    CreditRequest,
    InvoiceLine,
    InvoiceType,
    RedReason,
    SalesInvoice,
    invoice_number,
)
from domain.orders import MoveLineInput, OrderLineInput
from projections import invoicing_queries as invq
from tests.scenes.production import balance, entry_lines
from tests.scenes.sales_invoices import (
    SELLER,
    USCC_SELLER,
    D,
    bolt_kit_shipped,
    open_item,
    sales_order,
    ship,
    trading_company,
)
from tests.scenes.supply_chain import USCC_CUSTOMER, setup_company

ZERO = Dec("0.00")


def lines(*triples):
    return [(a, Dec(dr), Dec(cr)) for a, dr, cr in triples]


def refused(rt, exc_type, call, *args, **kwargs):
    """Call, expect ``exc_type``, and check the refused command wrote nothing."""
    before = rt.app.log_position()
    with pytest.raises(exc_type) as info:
        call(*args, **kwargs)
    assert rt.app.log_position() == before, "a refused command wrote events"
    return info.value


def register(rt, number):
    rt.runner.catch_up()
    with rt.read() as conn:
        return invq.invoice(conn, number)


def uninvoiced(rt, customer=None):
    rt.runner.catch_up()
    with rt.read() as conn:
        return [(u.shipment, u.line_no, u.uninvoiced)
                for u in invq.uninvoiced_shipments(conn, customer)]


@pytest.fixture
def co(runtime):
    trading_company(runtime.app)
    return runtime


@pytest.fixture
def co_mem(memory_runtime):
    """The same scene on the in-memory store, for use cases that need no read model."""
    trading_company(memory_runtime.app)
    return memory_runtime


def invoice(app, customer, *triples, **kwargs):
    return app.issue_sales_invoice(
        customer, kwargs.pop("day", D[16]),
        [InvoiceLineInput(s, n, q) for s, n, q in triples], **kwargs).value


# -- bolt-kit step 9 ----------------------------------------------------------------------
def test_bolt_kit_step_9_invoices_2000_plus_260_vat_as_2260_and_posts_it_to_ar(runtime):
    app = runtime.app
    shipment = bolt_kit_shipped(app)
    assert uninvoiced(runtime, "CUS-HW") == [(shipment, 1, Dec("10"))]

    out = app.issue_sales_invoice("CUS-HW", D[16], [InvoiceLineInput(shipment, 1, "10")],
                                  InvoiceType.SPECIAL, remark="SO-000001", drawer="王会计").value
    # 26 (year) + 33 (Zhejiang, from the seller's USCC) + 0 + 15-digit serial
    assert out.number == "26330000000000000001" and len(out.number) == 20
    assert out.total == "2260.00"
    assert entry_lines(runtime, out.entry_id) == lines(
        ("1122", "2260.00", "0"), ("5001", "0", "2000.00"), ("22210102", "0", "260.00"))

    inv = app.sales_invoice(out.number)
    (ln,) = inv.lines
    assert (ln.item_name, ln.tax_code, ln.spec, ln.unit) == (
        "*金属制品*镀锌螺栓套装 plated bolt kit", "1080413030000000000", "M8x30", "box")
    assert (ln.qty, ln.unit_price, ln.amount, ln.vat_rate, ln.tax) == (
        Dec("10"), Dec("200"), Dec("2000.00"), Dec("0.13"), Dec("260.00"))
    assert (inv.total_amount, inv.total_tax, inv.total) == (
        Dec("2000.00"), Dec("260.00"), Dec("2260.00"))
    assert inv.total_in_words == "贰仟贰佰陆拾元整"
    assert inv.seller == LegalParty(*SELLER)
    assert (inv.buyer.name, inv.buyer.uscc) == ("杭州五金贸易有限公司", USCC_CUSTOMER)
    assert (inv.drawer, inv.remark) == ("王会计", "SO-000001")

    item = open_item(app, out.number)
    assert (item.account, item.party, item.document_kind, item.amount, item.open_amount) == (
        "1122", "CUS-HW", "sales_invoice", Dec("2260.00"), Dec("2260.00"))
    assert (item.document_date, item.due_date) == (D[16], D[16] + timedelta(days=30))

    assert balance(runtime, "1122") == Dec("2260.00")
    assert balance(runtime, "5001") == Dec("-2000.00")
    assert balance(runtime, "22210102") == Dec("-260.00")
    row = register(runtime, out.number)
    assert (row.color, row.invoice_type, row.customer, row.status, row.confirmed) == (
        "blue", "special", "CUS-HW", "issued", False)
    assert (row.amount, row.tax, row.total, row.amount_in_words) == (
        Dec("2000.00"), Dec("260.00"), Dec("2260.00"), "贰仟贰佰陆拾元整")
    assert (row.voucher_no, row.entry_id) == (out.voucher_no, out.entry_id)
    assert [(r.shipment, r.shipment_line, r.qty, r.amount) for r in row.lines] == [
        (shipment, 1, Dec("10"), Dec("2000.00"))]
    assert uninvoiced(runtime, "CUS-HW") == []


# -- partial, multi-shipment, never twice, one customer ----------------------------------------
def test_a_shipment_line_is_invoiced_in_parts_but_never_beyond_what_was_shipped(co):
    app = co.app
    sh = ship(app, sales_order(app), "10")
    first = invoice(app, "CUS-HW", (sh, 1, "4"))
    assert first.total == "904.00"  # 800.00 + 104.00
    assert uninvoiced(co, "CUS-HW") == [(sh, 1, Dec("6"))]
    err = refused(co, BusinessRuleViolation, invoice, app, "CUS-HW", (sh, 1, "7"))
    assert err.code == "ALREADY_INVOICED"
    second = invoice(app, "CUS-HW", (sh, 1, "6"))
    assert second.number == "26330000000000000002"
    assert uninvoiced(co) == []
    err = refused(co, BusinessRuleViolation, invoice, app, "CUS-HW", (sh, 1, "0.000001"))
    assert err.code == "ALREADY_INVOICED"
    # two lines of one invoice on one shipment line add up before the check
    sh2 = ship(app, sales_order(app), "10")
    err = refused(co, BusinessRuleViolation, invoice, app, "CUS-HW", (sh2, 1, "6"),
                  (sh2, 1, "5"))
    assert err.code == "ALREADY_INVOICED"
    assert balance(co, "1122") == Dec("2260.00")


def test_one_invoice_takes_lines_of_several_shipments_and_totals_are_sums_of_rounded_lines(co):
    app = co.app
    so = sales_order(app, lines=(("FG-KIT", "10", "200.00"), ("FG-NUT", "7.5", "3.333333")))
    sh1 = ship(app, so, "4", "2.5", day=10)
    sh2 = ship(app, so, "6", "5", day=12)
    out = invoice(app, "CUS-HW", (sh1, 1, "4"), (sh1, 2, "2.5"), (sh2, 1, "6"), (sh2, 2, "5"),
                  invoice_type=InvoiceType.ORDINARY)
    inv = app.sales_invoice(out.number)
    figures = [(ln.shipment, ln.amount, ln.tax) for ln in inv.lines]
    assert figures == [
        (sh1, Dec("800.00"), Dec("104.00")),
        (sh1, Dec("8.33"), Dec("1.08")),  # 2.5 x 3.333333 = 8.3333325; 8.33 x 13% = 1.0829
        (sh2, Dec("1200.00"), Dec("156.00")),
        (sh2, Dec("16.67"), Dec("2.17")),  # 16.666665 -> 16.67; 2.1671 -> 2.17
    ]
    assert (inv.total_amount, inv.total_tax, inv.total) == (
        Dec("2025.00"), Dec("263.25"), Dec("2288.25"))
    assert inv.total_in_words == "贰仟贰佰捌拾捌元贰角伍分"
    assert inv.invoice_type is InvoiceType.ORDINARY
    assert entry_lines(co, out.entry_id) == lines(
        ("1122", "2288.25", "0"), ("5001", "0", "2025.00"), ("22210102", "0", "263.25"))
    assert uninvoiced(co) == []


def test_an_invoice_is_for_one_customer_only(co):
    app = co.app
    sh_hw = ship(app, sales_order(app), "10")
    sh_sz = ship(app, sales_order(app, "CUS-SZ"), "10")
    err = refused(co, BusinessRuleViolation, invoice, app, "CUS-HW", (sh_hw, 1, "1"),
                  (sh_sz, 1, "1"))
    assert err.code == "OTHER_CUSTOMER"
    out = invoice(app, "CUS-SZ", (sh_sz, 1, "10"))
    item = open_item(app, out.number)
    assert (item.party, item.due_date) == ("CUS-SZ", D[16] + timedelta(days=60))
    assert uninvoiced(co, "CUS-SZ") == []
    assert uninvoiced(co, "CUS-HW") == [(sh_hw, 1, Dec("10"))]


def test_bad_invoice_requests_are_refused_and_write_nothing(co):
    app = co.app
    sh = ship(app, sales_order(app), "10")
    receipt = app.receive_purchase_order(*_po(app)).value.number
    cases = [
        (NotFound, "", ("CUS-HW", D[16], [InvoiceLineInput("SH-999999", 1, "1")])),
        (NotFound, "", ("CUS-HW", D[16], [InvoiceLineInput(sh, 2, "1")])),
        (NotFound, "", ("CUS-XX", D[16], [InvoiceLineInput(sh, 1, "1")])),
        (BusinessRuleViolation, "WRONG_PARTY_ROLE",
         ("SUP-STEEL", D[16], [InvoiceLineInput(sh, 1, "1")])),
        (BusinessRuleViolation, "NOT_A_SHIPMENT",
         ("CUS-HW", D[16], [InvoiceLineInput(receipt, 1, "1")])),
        (ValidationError, "", ("CUS-HW", D[16], [InvoiceLineInput(sh, 1, "0")])),
        (ValidationError, "", ("CUS-HW", D[16], [InvoiceLineInput(sh, 1, "-1")])),
        (ValidationError, "", ("CUS-HW", D[16], [InvoiceLineInput(sh, 1, "1.0000001")])),
        (ValidationError, "", ("CUS-HW", D[16], [])),
        (ValidationError, "", ("CUS-HW", "2026-11-16", [InvoiceLineInput(sh, 1, "1")])),
        (NotFound, "", ("CUS-HW", date(2026, 12, 1), [InvoiceLineInput(sh, 1, "1")])),
    ]
    for exc, code, args in cases:
        err = refused(co, exc, app.issue_sales_invoice, *args)
        assert getattr(err, "code", "") == code, (args, err)
    one = [InvoiceLineInput(sh, 1, "1")]
    assert isinstance(refused(co, ValidationError, app.issue_sales_invoice, "CUS-HW", D[16],
                              one, remark="备" * 201), ValidationError)
    for bad in ("123", "2633000000000000000X", "263300000000000000012"):
        err = refused(co, ValidationError, app.issue_sales_invoice, "CUS-HW", D[16], one,
                      number=bad)
        assert err.field == "number"
    # the item lacks its tax short name, then its tax code
    app.change_item("FG-KIT", {"tax_short_name": ""})
    err = refused(co, BusinessRuleViolation, app.issue_sales_invoice, "CUS-HW", D[16], one)
    assert err.code == "ITEM_TAX_DATA_MISSING" and "税收分类简称" in err.message
    app.change_item("FG-KIT", {"tax_short_name": "金属制品", "tax_code": ""})
    err = refused(co, BusinessRuleViolation, app.issue_sales_invoice, "CUS-HW", D[16], one)
    assert err.code == "ITEM_TAX_DATA_MISSING" and "税收分类编码" in err.message
    with pytest.raises(ValidationError):
        app.change_item("FG-KIT", {"tax_short_name": "金属*制品"})
    assert uninvoiced(co) == [(sh, 1, Dec("10"))]


def _po(app):
    number = app.create_purchase_order("SUP-STEEL", D[2], [
        OrderLineInput("RM-STEEL", "10", "5.00", D[3])]).value.number
    app.confirm_purchase_order(number)
    return number, D[3], [MoveLineInput(1, "10")]


def test_no_invoice_is_issued_before_the_company_profile_is_set(runtime):
    app = runtime.app
    setup_company(app)
    app.change_item("FG-KIT", {"tax_short_name": "金属制品"})
    from domain.inventory.handlers import AdjustmentLineInput

    app.adjust_stock(D[2], [AdjustmentLineInput("FG-KIT", "WH-FG", "10", "49.50")],
                     offset_account="3001", reason="opening")
    sh = ship(app, sales_order(app), "10")
    err = refused(runtime, BusinessRuleViolation, app.issue_sales_invoice, "CUS-HW", D[16],
                  [InvoiceLineInput(sh, 1, "10")])
    assert err.code == "NO_COMPANY_PROFILE"
    for bad in [("", USCC_SELLER), ("某公司", "91330200MA2H0C1X5A"), ("某公司", "123")]:
        refused(runtime, ValidationError, app.set_company_profile, *bad)
    app.set_company_profile(*SELLER)
    assert app.set_company_profile(*SELLER).position  # unchanged: nothing new to say
    assert invoice(app, "CUS-HW", (sh, 1, "10")).total == "2260.00"
    runtime.runner.catch_up()
    with runtime.read() as conn:
        assert invq.profile(conn).uscc == USCC_SELLER


def test_a_given_invoice_number_is_used_once_and_generated_numbers_step_over_it(co_mem):
    app = co_mem.app
    sh = ship(app, sales_order(app), "10")
    taken = "26330000000000000001"
    out = invoice(app, "CUS-HW", (sh, 1, "1"), number=taken)
    assert out.number == taken
    err = refused(co_mem, BusinessRuleViolation, invoice, app, "CUS-HW", (sh, 1, "1"), number=taken)
    assert err.code == "INVOICE_NUMBER_TAKEN"
    assert invoice(app, "CUS-HW", (sh, 1, "1")).number == "26330000000000000002"
    assert invoice_number(2027, USCC_SELLER, 7) == "27330000000000000007"


def test_a_retried_invoice_with_one_key_is_issued_once(co):
    app = co.app
    sh = ship(app, sales_order(app), "10")
    ctx = CommandContext(actor="acc", idempotency_key="inv-1")
    args = ("CUS-HW", D[16], [InvoiceLineInput(sh, 1, "10")])
    first = app.issue_sales_invoice(*args, ctx=ctx)
    position = app.log_position()
    again = app.issue_sales_invoice(*args, ctx=ctx)
    assert again.replayed and again.value == first.value
    assert app.log_position() == position
    with pytest.raises(Conflict):
        app.issue_sales_invoice("CUS-HW", D[16], [InvoiceLineInput(sh, 1, "5")], ctx=ctx)
    assert app.log_position() == position
    assert balance(co, "1122") == Dec("2260.00")


# -- red-letter corrections -----------------------------------------------------------------
@pytest.fixture
def blue(co):
    """A blue invoice for 10 FG-KIT at 200.00 (2,260.00), not yet confirmed."""
    app = co.app
    sh = ship(app, sales_order(app), "10")
    return sh, invoice(app, "CUS-HW", (sh, 1, "10"))


def test_a_full_red_invoice_before_confirmation_mirrors_the_posting_and_clears_ar(co, blue):
    app = co.app
    sh, inv = blue
    out = app.issue_red_sales_invoice(inv.number, "HZQRD0001", RedReason.INVOICING_ERROR,
                                      D[18], drawer="王会计").value
    assert out.total == "-2260.00"
    assert entry_lines(co, out.entry_id) == lines(
        ("1122", "-2260.00", "0"), ("5001", "0", "-2000.00"), ("22210102", "0", "-260.00"))
    red = app.sales_invoice(out.number)
    assert red.is_red and red.blue_number == inv.number
    assert (red.total_amount, red.total_tax, red.total) == (
        Dec("-2000.00"), Dec("-260.00"), Dec("-2260.00"))
    assert red.total_in_words == "负数贰仟贰佰陆拾元整"
    assert red.remark == (f"被红冲蓝字数电发票号码：{inv.number} "
                          "红字发票信息确认单编号：HZQRD0001")
    assert [(ln.qty, ln.amount, ln.tax, ln.blue_line) for ln in red.lines] == [
        (Dec("-10"), Dec("-2000.00"), Dec("-260.00"), 1)]
    # the blue invoice is unchanged but for what was credited
    blue_inv = app.sales_invoice(inv.number)
    assert blue_inv.total == Dec("2260.00") and blue_inv.fully_credited
    # AR: the red item settles the blue one; nothing open
    assert open_item(app, inv.number).open_amount == ZERO
    assert open_item(app, out.number).amount == Dec("-2260.00")
    assert open_item(app, out.number).open_amount == ZERO
    assert balance(co, "1122") == ZERO and balance(co, "5001") == ZERO
    assert balance(co, "22210102") == ZERO
    row = register(co, inv.number)
    assert (row.status, row.credited_amount, row.credited_tax) == (
        "credited", Dec("2000.00"), Dec("260.00"))
    assert register(co, out.number).color == "red"
    # an invoicing error gives the shipment back: it is invoiced again, correctly
    assert uninvoiced(co, "CUS-HW") == [(sh, 1, Dec("10"))]
    again = invoice(app, "CUS-HW", (sh, 1, "10"), day=D[19])
    assert again.total == "2260.00"
    # nothing is left to credit, and a fully reversed invoice is not confirmed
    err = refused(co, BusinessRuleViolation, app.issue_red_sales_invoice, inv.number,
                  "HZQRD0002", RedReason.INVOICING_ERROR, D[20])
    assert err.code == "NOTHING_TO_CREDIT"
    err = refused(co, BusinessRuleViolation, app.confirm_sales_invoice, inv.number)
    assert err.code == "INVOICE_REVERSED"


def test_after_the_buyer_confirms_only_a_return_or_an_allowance_may_credit_part(co, blue):
    app = co.app
    sh, inv = blue
    app.confirm_sales_invoice(inv.number)
    err = refused(co, BusinessRuleViolation, app.confirm_sales_invoice, inv.number)
    assert err.code == "INVOICE_CONFIRMED"
    for reason in RedReason:
        err = refused(co, BusinessRuleViolation, app.issue_red_sales_invoice, inv.number,
                      "Q1", reason, D[18])
        assert err.code == "INVOICE_CONFIRMED"
    for reason in (RedReason.INVOICING_ERROR, RedReason.SERVICE_STOPPED):
        err = refused(co, BusinessRuleViolation, app.issue_red_sales_invoice, inv.number,
                      "Q1", reason, D[18], [CreditRequest(1, qty="1")])
        assert err.code == "PARTIAL_NOT_ALLOWED"

    # 销货退回: 2 boxes back
    ret = app.issue_red_sales_invoice(inv.number, "Q1", RedReason.SALES_RETURN, D[18],
                                      [CreditRequest(1, qty="2")]).value
    assert ret.total == "-452.00"
    assert entry_lines(co, ret.entry_id) == lines(
        ("1122", "-452.00", "0"), ("5001", "0", "-400.00"), ("22210102", "0", "-52.00"))
    assert open_item(app, inv.number).open_amount == Dec("1808.00")
    # 销售折让: 100.00 off
    allow = app.issue_red_sales_invoice(inv.number, "Q2", RedReason.SALES_ALLOWANCE, D[19],
                                        [CreditRequest(1, amount="100.00")]).value
    assert allow.total == "-113.00"
    red = app.sales_invoice(allow.number)
    assert [(ln.qty, ln.amount, ln.tax) for ln in red.lines] == [
        (Dec("0"), Dec("-100.00"), Dec("-13.00"))]
    assert red.total_in_words == "负数壹佰壹拾叁元整"
    row = register(co, inv.number)
    assert (row.status, row.confirmed, row.credited_amount + row.credited_tax) == (
        "partly_credited", True, Dec("565.00"))
    assert [(ln.credited_qty, ln.credited_amount, ln.credited_tax) for ln in row.lines] == [
        (Dec("2"), Dec("500.00"), Dec("65.00"))]
    # returns do not give the shipment back for invoicing
    assert uninvoiced(co, "CUS-HW") == []
    # a confirmation form is used once per invoice
    err = refused(co, BusinessRuleViolation, app.issue_red_sales_invoice, inv.number, "Q1",
                  RedReason.SALES_RETURN, D[20], [CreditRequest(1, qty="1")])
    assert err.code == "CONFIRMATION_USED"
    assert balance(co, "1122") == Dec("1695.00") == open_item(app, inv.number).open_amount


def test_credits_can_never_take_a_blue_invoice_below_zero(co, blue):
    app = co.app
    _, inv = blue
    r = RedReason.SALES_RETURN
    a = RedReason.SALES_ALLOWANCE
    app.issue_red_sales_invoice(inv.number, "Q1", a, D[18], [CreditRequest(1, amount="1500")])
    # 8 boxes at 200.00 would be 1,600.00 but only 500.00 is left of the line
    err = refused(co, BusinessRuleViolation, app.issue_red_sales_invoice, inv.number, "Q2", r,
                  D[18], [CreditRequest(1, qty="8")])
    assert err.code == "BELOW_ZERO"
    err = refused(co, BusinessRuleViolation, app.issue_red_sales_invoice, inv.number, "Q2", a,
                  D[18], [CreditRequest(1, amount="500.01")])
    assert err.code == "BELOW_ZERO"
    err = refused(co, BusinessRuleViolation, app.issue_red_sales_invoice, inv.number, "Q2", r,
                  D[18], [CreditRequest(1, qty="11")])
    assert err.code == "BELOW_ZERO"
    err = refused(co, BusinessRuleViolation, app.issue_red_sales_invoice, inv.number, "Q2", r,
                  D[18], [CreditRequest(1, qty="1"), CreditRequest(1, qty="10")])
    assert err.code == "BELOW_ZERO"
    # returning every box takes exactly what is left of the line, tax included
    rest = app.issue_red_sales_invoice(inv.number, "Q2", r, D[18],
                                       [CreditRequest(1, qty="10")]).value
    assert rest.total == "-565.00"
    assert app.sales_invoice(inv.number).fully_credited
    assert balance(co, "1122") == ZERO
    err = refused(co, BusinessRuleViolation, app.issue_red_sales_invoice, inv.number, "Q3", a,
                  D[19], [CreditRequest(1, amount="0.01")])
    assert err.code == "NOTHING_TO_CREDIT"


def test_bad_red_invoice_requests_are_refused_and_write_nothing(co, blue):
    app = co.app
    _, inv = blue
    r, a = RedReason.SALES_RETURN, RedReason.SALES_ALLOWANCE
    cases = [
        (NotFound, ("26330000000000000099", "Q", r, D[18])),
        (ValidationError, ("123", "Q", r, D[18])),
        (ValidationError, (inv.number, "", r, D[18])),
        (ValidationError, (inv.number, "Q 1", r, D[18])),
        (ValidationError, (inv.number, "Q", 1, D[18])),
        (ValidationError, (inv.number, "Q", r, D[15])),  # before the blue invoice
        (ValidationError, (inv.number, "Q", r, D[18], [])),
        (ValidationError, (inv.number, "Q", r, D[18], [CreditRequest(1)])),
        (ValidationError, (inv.number, "Q", r, D[18], [CreditRequest(1, amount="5")])),
        (ValidationError, (inv.number, "Q", a, D[18], [CreditRequest(1, qty="1")])),
        (ValidationError, (inv.number, "Q", a, D[18], [CreditRequest(1, amount="0")])),
        (ValidationError, (inv.number, "Q", a, D[18], [CreditRequest(1, amount="1.001")])),
        (NotFound, (inv.number, "Q", r, D[18], [CreditRequest(2, qty="1")])),
    ]
    for exc, args in cases:
        refused(co, exc, app.issue_red_sales_invoice, *args)
    red = app.issue_red_sales_invoice(inv.number, "Q", RedReason.SERVICE_STOPPED, D[18]).value
    err = refused(co, BusinessRuleViolation, app.issue_red_sales_invoice, red.number, "Q9", r,
                  D[18])
    assert err.code == "RED_INVOICE"
    err = refused(co, BusinessRuleViolation, app.confirm_sales_invoice, red.number)
    assert err.code == "RED_INVOICE"
    # 服务中止 keeps the shipment invoiced
    assert uninvoiced(co) == []


def test_a_red_invoice_for_a_part_already_paid_leaves_a_credit_for_the_customer(co, blue):
    """The red item settles the blue one only as far as it is still open; the rest
    stays open as what we owe the customer."""
    app = co.app
    _, inv = blue
    item = open_item(app, inv.number)
    item.settle(Dec("2000.00"), "RECEIPT-1", D[17])  # stands in for a customer receipt
    app.save(item)
    red = app.issue_red_sales_invoice(inv.number, "Q1", RedReason.SALES_RETURN, D[18],
                                      [CreditRequest(1, qty="2")]).value
    assert red.total == "-452.00"
    assert open_item(app, inv.number).open_amount == ZERO
    assert open_item(app, red.number).open_amount == Dec("-192.00")


def test_xml_and_html_exports_render_the_recorded_invoice(co, blue):
    app = co.app
    sh, inv = blue
    blue_inv = app.sales_invoice(inv.number)
    root = ET.fromstring(invoice_xml(blue_inv))
    assert root.tag == "EInvoice"
    assert root.findtext("Header/EIid") == inv.number
    data = root.find("EInvoiceData")
    assert data.findtext("SellerInformation/SellerIdNum") == USCC_SELLER
    assert data.findtext("SellerInformation/SellerName") == "宁波紧固件制造有限公司"
    assert data.findtext("BuyerInformation/BuyerIdNum") == USCC_CUSTOMER
    assert data.findtext("BuyerInformation/BuyerName") == "杭州五金贸易有限公司"
    basic = data.find("BasicInformation")
    assert [basic.findtext(t) for t in (
        "TotalAmWithoutTax", "TotalTaxAm", "TotalTax-includedAmount",
        "TotalTax-includedAmountInChinese", "Drawer", "RequestTime")] == [
        "2000.00", "260.00", "2260.00", "贰仟贰佰陆拾元整", "system", "2026-11-16"]
    (item,) = data.findall("IssuItemInformation")
    assert [item.findtext(t) for t in (
        "ItemName", "SpecMod", "MeaUnits", "Quantity", "UnPrice", "Amount", "TaxRate",
        "ComTaxAm", "TotaltaxIncludedAmount", "TaxClassificationCode")] == [
        "*金属制品*镀锌螺栓套装 plated bolt kit", "M8x30", "box", "10", "200.00", "2000.00",
        "0.13", "260.00", "2260.00", "1080413030000000000"]
    assert data.findtext("AdditionalInformation/Remark") == ""

    page = invoice_html(blue_inv)
    for text in ("电子发票（增值税专用发票）", inv.number, "2026年11月16日",
                 "*金属制品*镀锌螺栓套装 plated bolt kit", "贰仟贰佰陆拾元整", "¥2,260.00",
                 "13%", "杭州五金贸易有限公司", USCC_SELLER, "开票人：system"):
        assert text in page, text

    red = app.sales_invoice(app.issue_red_sales_invoice(
        inv.number, "HZQRD-1", RedReason.INVOICING_ERROR, D[18], drawer="<b>张&三</b>"
    ).value.number)
    root = ET.fromstring(invoice_xml(red))
    assert root.findtext("EInvoiceData/BasicInformation/TotalTax-includedAmount") == "-2260.00"
    assert root.findtext(
        "EInvoiceData/BasicInformation/TotalTax-includedAmountInChinese") == "负数贰仟贰佰陆拾元整"
    assert root.findtext("EInvoiceData/BasicInformation/Drawer") == "<b>张&三</b>"
    assert root.findtext("EInvoiceData/IssuItemInformation/Quantity") == "-10"
    assert inv.number in root.findtext("EInvoiceData/AdditionalInformation/Remark")
    assert "HZQRD-1" in root.findtext("EInvoiceData/AdditionalInformation/Remark")
    assert root.findtext("EInvoiceData/RedInvoiceInformation/OriginalInvoiceNumber") == inv.number
    page = invoice_html(red)
    assert "&lt;b&gt;张&amp;三&lt;/b&gt;" in page and "<b>张" not in page
    assert "负数贰仟贰佰陆拾元整" in page and "（红字）" in page and "开票有误" in page


def test_html_escapes_every_text_from_master_data(co_mem):
    app = co_mem.app
    app.change_party(replace(_customer(app), name="<script>alert(1)</script> & Co"))
    sh = ship(app, sales_order(app), "10")
    inv = app.sales_invoice(invoice(app, "CUS-HW", (sh, 1, "1"), remark='"备注" <i>').number)
    page = invoice_html(inv)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
    assert "&quot;备注&quot; &lt;i&gt;" in page
    root = ET.fromstring(invoice_xml(inv))
    assert root.findtext("EInvoiceData/BuyerInformation/BuyerName") == (
        "<script>alert(1)</script> & Co")


def _customer(app):
    from domain.parties import party_id

    return app.repository.get(party_id("CUS-HW")).spec


def test_the_invoice_keeps_the_parties_as_they_were_when_it_was_issued(co, blue):
    app = co.app
    _, inv = blue
    app.change_party(replace(_customer(app), name="杭州五金贸易集团有限公司"))
    app.set_company_profile("宁波紧固件集团有限公司", USCC_SELLER)
    again = app.sales_invoice(inv.number)
    assert again.buyer.name == "杭州五金贸易有限公司"
    assert again.seller.name == "宁波紧固件制造有限公司"


# -- property: credits never exceed the blue invoice ----------------------------------------
def _blue_invoice(qtys_prices):
    inv_lines = []
    for i, (qty, price) in enumerate(qtys_prices):
        amount = (qty * price).quantize(Dec("0.01"))
        tax = (amount * Dec("0.13")).quantize(Dec("0.01"))
        inv_lines.append(InvoiceLine(i + 1, "FG", "*金属制品*x", "1" * 19, "", "pcs", qty, price,
                                     amount, Dec("0.13"), tax))
    party = LegalParty("x", USCC_SELLER)
    amount = sum((ln.amount for ln in inv_lines), ZERO)
    tax = sum((ln.tax for ln in inv_lines), ZERO)
    return SalesInvoice(number="2".zfill(20), invoice_type=InvoiceType.SPECIAL,
                        invoice_date=D[1], customer="C", seller=party, buyer=party,
                        lines=tuple(inv_lines), total_amount=amount, total_tax=tax,
                        total=amount + tax, total_in_words="", remark="", drawer="",
                        due_date=D[1], entry_id="", voucher_no="")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 50).map(Dec), st.decimals("0.01", "99.99", places=2)),
             min_size=1, max_size=3),
    st.lists(st.tuples(st.integers(1, 3), st.booleans(), st.integers(1, 60),
                       st.integers(1, 600000)), min_size=1, max_size=12),
)
def test_random_returns_and_allowances_never_take_a_line_below_zero(blue_lines, requests):
    inv = _blue_invoice(blue_lines)
    for n, (line_no, is_return, qty, cents) in enumerate(requests):
        if line_no > len(inv.lines):
            continue
        reason = RedReason.SALES_RETURN if is_return else RedReason.SALES_ALLOWANCE
        req = (CreditRequest(line_no, qty=qty) if is_return
               else CreditRequest(line_no, amount=Dec(cents) / 100))
        try:
            credits = inv.plan_credits(reason, f"Q{n}", [req])
        except (BusinessRuleViolation, ValidationError):
            continue
        inv.credit(f"R{n}", f"Q{n}", credits)
    for ln in inv.lines:
        left = inv.remaining(ln.line_no)
        assert left.qty >= 0 and left.amount >= 0 and left.tax >= 0
        if left.qty == 0:  # all the goods came back: nothing is left to credit
            assert left.amount == left.tax == 0
