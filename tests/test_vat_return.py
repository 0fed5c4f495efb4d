"""增值税申报 figures through GraphQL, on SQLite and PostgreSQL: the VAT month of
docs/vat-return.md (two rates, a red invoice, a special purchase invoice, an
expense with VAT, an input transferred out), the month-end transfer to 222102
as its entry, the CSV for the tax platform; then a month that carries its
input forward (留抵) into the next."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as Dec

import pytest

from domain.finance.cash import ExpenseLineInput
from domain.invoicing.purchase_handlers import PurchaseInvoiceLineInput
from domain.invoicing.purchase_invoices import PurchaseInvoiceType
from domain.invoicing.sales_handlers import InvoiceLineInput
from domain.invoicing.sales_invoices import CreditRequest, RedReason
from domain.ledger.entries import LineInput
from domain.orders import MoveLineInput, OrderLineInput
from tests.scenes.sales_invoices import D, sales_order, ship, trading_company
from tests.scenes.supply_api import command

RETURN = """query V($period: String!) { vatReturn(period: $period) {
  period payable carriedForward transferred difference
  rows { line label amount tax formLine } } }"""
TRANSFER = command("transferVat", "payable carriedForward entry { voucherNo lines { "
                   "accountCode debit credit } } vatReturn { difference }")


def vat_month(app) -> None:
    """November: 13 % and 9 % goods sold, an allowance credited, steel bought on a
    专用发票, power paid with its VAT, and 6.50 of input VAT transferred out."""
    trading_company(app)
    app.change_item("FG-NUT", {"vat_rate": Dec("0.09")})
    kits = ship(app, sales_order(app, "CUS-HW"), "10")
    blue = app.issue_sales_invoice("CUS-HW", D[16], [InvoiceLineInput(kits, 1, "10")])
    nuts = ship(app, sales_order(app, "CUS-SZ", (("FG-NUT", "20", "18.00"),)), "20")
    app.issue_sales_invoice("CUS-SZ", D[18], [InvoiceLineInput(nuts, 1, "20")])
    app.confirm_sales_invoice(blue.value.number)
    app.issue_red_sales_invoice(blue.value.number, "2026112000001",
                                RedReason.SALES_ALLOWANCE, D[20],
                                [CreditRequest(1, amount="100.00")])
    po = app.create_purchase_order("SUP-STEEL", D[3], [
        OrderLineInput("RM-STEEL", "100", "5.00", D[3])]).value.number
    app.confirm_purchase_order(po)
    gr = app.receive_purchase_order(po, D[3], [MoveLineInput(1, "100")]).value.number
    app.record_purchase_invoice("SUP-STEEL", "26332000000000110001", D[5],
                                PurchaseInvoiceType.SPECIAL,
                                [PurchaseInvoiceLineInput(gr, 1, "100", "5.00")])
    app.record_expense_payment(D[25], "1002", [ExpenseLineInput("4101", "100.00", "电费")],
                               vat="13.00")
    app.post_journal_entry(D[26], "进项税额转出 非正常损失", [
        LineInput("5711", debit="6.50"), LineInput("22210103", credit="6.50")])


@pytest.fixture
def gq(api):
    vat_month(api.runtime.app)
    assert api.runtime.settle(api.runtime.app.log_position())
    return api


def rows(data: dict) -> dict[int, tuple]:
    return {r["line"]: (r["amount"], r["tax"], r["formLine"]) for r in data["rows"]}


def test_the_vat_month_and_its_transfer_to_222102(gq):
    data = gq.gql(RETURN, {"period": "2026-11"})["vatReturn"]
    assert rows(data) == {
        1: ("1900.00", "247.00", "附列资料（一）"),  # 2,000.00 - 100.00 allowance; 260 - 13
        2: ("360.00", "32.40", "附列资料（一）"),  # 20 kg x 18.00 at 9 %
        10: (None, "0.00", ""),
        11: ("2260.00", "279.40", "1 / 11"),
        12: ("500.00", "65.00", "12"),
        13: ("0.00", "0.00", "12"),
        14: (None, "13.00", "12"),
        15: (None, "78.00", "12"),
        16: (None, "0.00", "13"),
        17: (None, "6.50", "14"),
        18: (None, "71.50", "17"),
        19: (None, "71.50", "18"),
        20: (None, "207.90", "19"),
        21: (None, "0.00", "20"),
        22: (None, "0.00", ""),
        23: (None, "0.00", ""),
        24: (None, "207.90", ""),
        25: (None, "0.00", ""),
        26: (None, "207.90", ""),
    }
    assert [r["label"] for r in data["rows"]][:2] == [
        "销项：13% 税率开具的数电票 (蓝字减红字)", "销项：9% 税率开具的数电票 (蓝字减红字)"]
    assert (data["payable"], data["carriedForward"], data["difference"]) == (
        "207.90", "0.00", "207.90")

    moved = gq.ok(TRANSFER, {"period": "2026-11", "idempotencyKey": "vat-2026-11"})
    assert (moved["payable"], moved["vatReturn"]["difference"]) == ("207.90", "0.00")
    assert moved["entry"]["lines"] == [
        {"accountCode": "22210105", "debit": "207.90", "credit": "0.00"},
        {"accountCode": "222102", "debit": "0.00", "credit": "207.90"}]
    again = gq.ok(TRANSFER, {"period": "2026-11"})
    assert (again["payable"], again["entry"]) == ("0.00", None)  # nothing left
    csv = gq.client.get("/reports/vat-return.csv?period=2026-11")
    assert csv.status_code == 200
    text = csv.content.decode("utf-8-sig").splitlines()
    assert text[2] == "行次,项目,销售额,税额,申报表栏次"
    assert "26,差额 (应转出 - 已转出),,0.00," in text


def test_input_above_output_is_carried_forward_to_the_next_month(gq):
    app = gq.runtime.app
    gq.ok(TRANSFER, {"period": "2026-11"})
    app.open_period("2026-12")
    paid = app.post_journal_entry(date(2026, 12, 10), "缴纳增值税", [
        LineInput("222102", debit="207.90"), LineInput("1002", credit="207.90")]).value
    assert [(f.item.value, f.amount) for f in app.journal_entry(paid.entry_id).cash_flows] == [
        ("CF05", Dec("-207.90"))]  # 支付的税费
    app.record_expense_payment(date(2026, 12, 12), "1002",
                               [ExpenseLineInput("5602", "1000.00", "办公设备维修")],
                               vat="130.00")
    december = gq.ok(TRANSFER, {"period": "2026-12"})
    assert (december["payable"], december["carriedForward"], december["entry"]) == (
        "0.00", "130.00", None)
    january = rows(gq.gql(RETURN, {"period": "2027-01"})["vatReturn"])
    assert (january[16][1], january[18][1], january[21][1]) == ("130.00", "130.00", "130.00")
