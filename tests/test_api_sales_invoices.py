"""Sales invoices through GraphQL over HTTP, on SQLite and PostgreSQL: bolt-kit
step 9 to the cent, the register and the uninvoiced-shipments list, red
invoices, the XML and HTML downloads with their auth, idempotency, and
typed errors that write nothing."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from domain.users.directory import new_token
from tests.scenes.sales_invoices import SELLER, USCC_SELLER
from tests.scenes.supply_api import (
    ADJUST,
    CHANGE_ITEM,
    CONFIRM_SO,
    CREATE_SO,
    ENTRY,
    ITEM,
    NOV,
    SHIP_SO,
    SO1_LINES,
    command,
    lines_of,
)
from tests.scenes.supply_chain import USCC_CUSTOMER

INVOICE = f"""number invoiceType color blueNumber confirmationNo redReason customer buyerName
    buyerUscc sellerName sellerUscc invoiceDate dueDate amount tax total amountInWords remark
    drawer confirmed status creditedAmount creditedTax creditedTotal openTotal voucherNo
    xmlUrl htmlUrl redInvoices
    lines {{ lineNo item itemName taxCode spec unit qty unitPrice amount vatRate tax shipment
             shipmentLine order orderLine blueLine creditedQty creditedAmount creditedTax }}
    entry {{ {ENTRY} }}"""
PROFILE = "name uscc address phone bank bankAccount"
SET_PROFILE = command("setCompanyProfile", f"profile {{ {PROFILE} }}")
ISSUE = command("issueSalesInvoice", f"invoice {{ {INVOICE} }}")
CONFIRM = command("confirmSalesInvoice", f"invoice {{ {INVOICE} }}")
RED = command("issueRedSalesInvoice",
              f"invoice {{ {INVOICE} }} blueInvoice {{ {INVOICE} }}")
CREATE_ITEM_SHORT = command("createItem", f"item {{ {ITEM} taxShortName }}")
REGISTER = """
query R($customer: String, $period: String, $color: InvoiceColor, $first: Int! = 50,
        $after: String) {
  salesInvoices(customer: $customer, period: $period, color: $color, first: $first,
                after: $after) {
    edges { cursor node { number color total status } }
    pageInfo { hasNextPage endCursor }
  }
}"""
ONE = f"query One($number: String!) {{ salesInvoice(number: $number) {{ {INVOICE} }} }}"
UNINVOICED = """
query U($customer: String) {
  uninvoicedShipments(customer: $customer) {
    shipment lineNo shippedOn customer customerName order orderLine item itemName unit
    shipped invoiced uninvoiced unitPrice vatRate uninvoicedAmount
  }
}"""
D14, D16, D18 = "2026-11-14", "2026-11-16", "2026-11-18"


@pytest.fixture
def shipped(company):
    """The bolt-kit company through GraphQL, FG-KIT stocked in and SO-1 shipped (step 8)."""
    gq = company
    profile = gq.ok(SET_PROFILE, dict(zip(
        ("name", "uscc", "address", "phone", "bank", "bankAccount"), SELLER, strict=True)))
    assert profile["profile"]["uscc"] == USCC_SELLER
    item = gq.ok(CHANGE_ITEM, {"code": "FG-KIT", "taxShortName": "金属制品"})
    assert item["item"]["taxCode"] == "1080413030000000000"
    gq.ok(ADJUST, {"postingDate": D14, "offsetAccount": "400101", "reason": "stand-in for WO-2",
                    "lines": [{"item": "FG-KIT", "warehouse": "WH-FG", "qty": "10",
                               "unitCost": "49.50"}]})
    so = gq.ok(CREATE_SO, {"customer": "CUS-HW", "orderDate": "2026-11-04",
                            "lines": SO1_LINES})["order"]["number"]
    gq.ok(CONFIRM_SO, {"number": so})
    gq.ok(SHIP_SO, {"number": so, "postingDate": "2026-11-15",
                     "lines": [{"lineNo": 1, "qty": "10"}]})
    return gq


def issue(gq, qty="10", **extra):
    return gq.ok(ISSUE, {"customer": "CUS-HW", "invoiceDate": D16,
                          "lines": [{"shipment": "SH-000001", "lineNo": 1, "qty": qty}],
                          **extra})["invoice"]


def test_bolt_kit_step_9_through_graphql_invoices_2260_and_lists_it(shipped):
    gq = shipped
    (line,) = gq.gql(UNINVOICED, {"customer": "CUS-HW"})["uninvoicedShipments"]
    assert (line["shipment"], line["lineNo"], line["uninvoiced"], line["unitPrice"],
            line["vatRate"], line["uninvoicedAmount"], line["customerName"]) == (
        "SH-000001", 1, "10", "200.00", "0.13", "2000.00", "杭州五金贸易有限公司")

    inv = issue(gq, remark="SO-000001", drawer="王会计", idempotencyKey="step9-invoice")
    assert inv["number"] == "26330000000000000001"
    assert (inv["invoiceType"], inv["color"], inv["status"], inv["confirmed"]) == (
        "SPECIAL", "BLUE", "ISSUED", False)
    assert (inv["amount"], inv["tax"], inv["total"], inv["amountInWords"]) == (
        "2000.00", "260.00", "2260.00", "贰仟贰佰陆拾元整")
    assert (inv["sellerUscc"], inv["buyerUscc"], inv["buyerName"], inv["drawer"]) == (
        USCC_SELLER, USCC_CUSTOMER, "杭州五金贸易有限公司", "王会计")
    assert (inv["invoiceDate"], inv["dueDate"]) == (D16, "2026-12-16")
    (ln,) = inv["lines"]
    assert (ln["itemName"], ln["taxCode"], ln["unit"], ln["qty"], ln["unitPrice"],
            ln["amount"], ln["vatRate"], ln["tax"]) == (
        "*金属制品*镀锌螺栓套装 plated bolt kit", "1080413030000000000", "box", "10", "200.00",
        "2000.00", "0.13", "260.00")
    assert lines_of(inv["entry"]) == [("1122", "2260.00", "0.00"), ("5001", "0.00", "2000.00"),
                                      ("22210102", "0.00", "260.00")]
    assert inv["entry"]["voucherNo"] == inv["voucherNo"]
    assert gq.gql(UNINVOICED, {"customer": "CUS-HW"})["uninvoicedShipments"] == []

    # the same key again: the first answer, nothing new written
    before = gq.log_position()
    again = gq.ok(ISSUE, {"customer": "CUS-HW", "invoiceDate": D16,
                           "lines": [{"shipment": "SH-000001", "lineNo": 1, "qty": "10"}],
                           "remark": "SO-000001", "drawer": "王会计",
                           "idempotencyKey": "step9-invoice"})
    assert again["replayed"] and again["invoice"]["number"] == inv["number"]
    assert gq.log_position() == before

    page = gq.gql(REGISTER, {"customer": "CUS-HW", "period": NOV})["salesInvoices"]
    assert [e["node"] for e in page["edges"]] == [
        {"number": inv["number"], "color": "BLUE", "total": "2260.00", "status": "ISSUED"}]
    assert gq.gql(REGISTER, {"period": "2026-12"})["salesInvoices"]["edges"] == []
    assert gq.gql(REGISTER, {"customer": "SUP-STEEL"})["salesInvoices"]["edges"] == []
    one = gq.gql(ONE, {"number": inv["number"]})["salesInvoice"]
    assert one["total"] == "2260.00" and one["xmlUrl"] == f"/invoices/{inv['number']}.xml"
    assert gq.gql(ONE, {"number": "26330000000000000999"})["salesInvoice"] is None
    errors = gq.errors(REGISTER, {"period": "2026-13"})
    assert errors[0]["extensions"] == {"type": "ValidationError", "field": "period"}


def test_partial_then_red_invoices_through_graphql(shipped):
    gq = shipped
    blue = issue(gq, qty="6")
    (line,) = gq.gql(UNINVOICED)["uninvoicedShipments"]
    assert (line["invoiced"], line["uninvoiced"]) == ("6", "4")
    refused = gq.refused(ISSUE, {"customer": "CUS-HW", "invoiceDate": D16,
                                  "lines": [{"shipment": "SH-000001", "lineNo": 1,
                                             "qty": "5"}]})
    assert refused["code"] == "ALREADY_INVOICED"

    confirmed = gq.ok(CONFIRM, {"number": blue["number"]})["invoice"]
    assert (confirmed["confirmed"], confirmed["status"]) == (True, "CONFIRMED")
    full = gq.refused(RED, {"blueNumber": blue["number"], "confirmationNo": "Q1",
                             "reason": "INVOICING_ERROR", "invoiceDate": D18})
    assert full["code"] == "INVOICE_CONFIRMED"
    part = gq.refused(RED, {"blueNumber": blue["number"], "confirmationNo": "Q1",
                             "reason": "SERVICE_STOPPED", "invoiceDate": D18,
                             "lines": [{"lineNo": 1, "qty": "1"}]})
    assert part["code"] == "PARTIAL_NOT_ALLOWED"
    below = gq.refused(RED, {"blueNumber": blue["number"], "confirmationNo": "Q1",
                              "reason": "SALES_RETURN", "invoiceDate": D18,
                              "lines": [{"lineNo": 1, "qty": "7"}]})
    assert below["code"] == "BELOW_ZERO"

    out = gq.ok(RED, {"blueNumber": blue["number"], "confirmationNo": "Q1",
                       "reason": "SALES_RETURN", "invoiceDate": D18,
                       "lines": [{"lineNo": 1, "qty": "1"}]})
    red, after = out["invoice"], out["blueInvoice"]
    assert (red["color"], red["blueNumber"], red["redReason"], red["total"],
            red["amountInWords"]) == ("RED", blue["number"], "SALES_RETURN", "-226.00",
                                      "负数贰佰贰拾陆元整")
    assert blue["number"] in red["remark"] and "Q1" in red["remark"]
    assert lines_of(red["entry"]) == [("1122", "-226.00", "0.00"), ("5001", "0.00", "-200.00"),
                                      ("22210102", "0.00", "-26.00")]
    assert (after["status"], after["creditedTotal"], after["openTotal"],
            after["redInvoices"]) == ("PARTLY_CREDITED", "226.00", "1130.00", [red["number"]])
    assert after["lines"][0]["creditedQty"] == "1"
    allowance = gq.ok(RED, {"blueNumber": blue["number"], "confirmationNo": "Q2",
                             "reason": "SALES_ALLOWANCE", "invoiceDate": D18,
                             "lines": [{"lineNo": 1, "amount": "1000.00"}]})
    assert allowance["invoice"]["total"] == "-1130.00"
    assert allowance["blueInvoice"]["status"] == "CREDITED"
    reds = gq.gql(REGISTER, {"color": "RED"})["salesInvoices"]["edges"]
    assert [e["node"]["total"] for e in reds] == ["-226.00", "-1130.00"]


def test_bad_invoicing_input_comes_back_as_typed_errors_and_writes_nothing(shipped):
    gq = shipped
    base = {"customer": "CUS-HW", "invoiceDate": D16,
            "lines": [{"shipment": "SH-000001", "lineNo": 1, "qty": "1"}]}
    assert gq.refused(ISSUE, {**base, "customer": "NOBODY"})["__typename"] == "NotFound"
    assert gq.refused(ISSUE, {**base, "lines": [{"shipment": "SH-000009", "lineNo": 1,
                                                  "qty": "1"}]})["kind"] == "Shipment"
    assert gq.refused(ISSUE, {**base, "lines": [{"shipment": "SH-000001", "lineNo": 1,
                                                  "qty": "0"}]})["field"] == "lines.0.qty"
    assert gq.refused(ISSUE, {**base, "number": "12"})["field"] == "number"
    assert gq.refused(ISSUE, {**base, "lines": [{"shipment": "AJ-000001", "lineNo": 1,
                                                  "qty": "1"}]})["code"] == "NOT_A_SHIPMENT"
    assert gq.refused(SET_PROFILE, {"name": "x", "uscc": "91330200MA2H0C1X5A"})[
        "field"] == "uscc"
    assert gq.refused(CONFIRM, {"number": "26330000000000000001"})["__typename"] == "NotFound"
    assert gq.refused(RED, {"blueNumber": "26330000000000000001", "confirmationNo": "Q",
                             "reason": "SALES_RETURN", "invoiceDate": D18})[
        "__typename"] == "NotFound"
    gq.ok(CHANGE_ITEM, {"code": "FG-KIT", "taxShortName": ""})
    assert gq.refused(ISSUE, base)["code"] == "ITEM_TAX_DATA_MISSING"
    created = gq.ok(CREATE_ITEM_SHORT, {"code": "FG-NUT", "name": "螺母", "uom": "kg",
                                         "itemType": "FINISHED", "taxShortName": "金属制品"})
    assert created["item"]["taxShortName"] == "金属制品"


def test_invoice_downloads_render_the_invoice_and_need_a_reader(shipped, runtime):
    gq = shipped
    inv = issue(gq, remark="<备注> & \"quoted\"")
    client = gq.client
    xml = client.get(f"/invoices/{inv['number']}.xml")
    assert xml.status_code == 200 and xml.headers["content-type"].startswith("application/xml")
    assert f'{inv["number"]}.xml' in xml.headers["content-disposition"]
    root = ET.fromstring(xml.content)
    assert root.findtext("Header/EIid") == inv["number"]
    assert root.findtext("EInvoiceData/BasicInformation/TotalTax-includedAmount") == "2260.00"
    assert root.findtext("EInvoiceData/BasicInformation/TotalTax-includedAmountInChinese") == (
        "贰仟贰佰陆拾元整")
    assert root.findtext("EInvoiceData/IssuItemInformation/ItemName") == (
        "*金属制品*镀锌螺栓套装 plated bolt kit")
    assert root.findtext("EInvoiceData/AdditionalInformation/Remark") == '<备注> & "quoted"'
    page = client.get(f"/invoices/{inv['number']}.html")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "贰仟贰佰陆拾元整" in page.text and "¥2,260.00" in page.text
    assert "&lt;备注&gt; &amp; &quot;quoted&quot;" in page.text and "<备注>" not in page.text
    assert client.get("/invoices/26330000000000000999.xml").status_code == 404
    assert client.get("/invoices/not-a-number.html").status_code == 400

    admin, viewer = new_token(), new_token()
    runtime.app.create_user("root", ["admin"], admin)
    runtime.app.create_user("boss", ["viewer"], viewer)
    assert client.get(f"/invoices/{inv['number']}.xml").status_code == 401
    bad = client.get(f"/invoices/{inv['number']}.xml",
                     headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    # A viewer reads invoices only if the company allows it (default: not).
    refused = client.get(f"/invoices/{inv['number']}.html",
                         headers={"Authorization": f"Bearer {viewer}"})
    assert refused.status_code == 403 and refused.json()["type"] == "PermissionDenied"
    runtime.app.set_viewer_read_areas(["invoices"])
    ok = client.get(f"/invoices/{inv['number']}.html",
                    headers={"Authorization": f"Bearer {viewer}"})
    assert ok.status_code == 200 and inv["number"] in ok.text
    # and a viewer may not issue
    denied = gq.command(ISSUE, {"customer": "CUS-HW", "invoiceDate": D16,
                                 "lines": [{"shipment": "SH-000001", "lineNo": 1,
                                            "qty": "1"}]},
                         headers={"Authorization": f"Bearer {viewer}"})
    assert denied["__typename"] == "PermissionDenied"
