"""Purchase invoices through GraphQL over HTTP, on SQLite and PostgreSQL:
bolt-kit step 3 (632.80 incl. VAT), a held invoice listed with its
differences and then approved, a cancelled one, tolerances, the queries,
and typed errors that write nothing."""

from __future__ import annotations

from tests.scenes.graphql import mutation
from tests.scenes.production import receive_po1, setup_factory
from tests.scenes.supply_api import SupplyApi

NO1, NO2, NO3 = "26332000000000000001", "26332000000000000002", "26332000000000000003"
INVOICE = """supplier number invoiceDate invoiceType dueDate status amount tax gross
    estimateRelieved priceDifference postingDate entryId voucherNo reason
    lines { lineNo receipt receiptLine order orderLine item qty unitPrice amount vatRate tax }
    differences { lineNo kind expected actual }
    priceDifferences { lineNo target reference account qty amount }"""


def command(name: str, success: str) -> str:
    title = name[0].upper() + name[1:]
    return mutation(name, f"{title}Input", f"{title}Success {{ logPosition replayed {success} }}")


RECORD = command("recordPurchaseInvoice", f"invoice {{ {INVOICE} }}")
APPROVE = command("approvePurchaseInvoice", f"invoice {{ {INVOICE} }}")
CANCEL = command("cancelPurchaseInvoice", f"invoice {{ {INVOICE} }}")
TOLERANCES = command("setInvoiceMatchTolerances", "qty price")
LIST = """query L($supplier: String, $status: PurchaseInvoiceStatusEnum) {
  purchaseInvoices(supplier: $supplier, status: $status) { number status gross } }"""
ONE = f"""query O($supplier: String!, $number: String!) {{
  purchaseInvoice(supplier: $supplier, number: $number) {{ {INVOICE} }} }}"""
OPEN = """query U($supplier: String!) { uninvoicedReceipts(supplier: $supplier) {
    receipt lineNo order item received invoiced openQty value } }"""
PO1 = [{"receipt": "GR-000001", "lineNo": 1, "qty": "100", "unitPrice": "5.00"},
       {"receipt": "GR-000001", "lineNo": 2, "qty": "2", "unitPrice": "20.00"},
       {"receipt": "GR-000001", "lineNo": 3, "qty": "20", "unitPrice": "1.00"}]


def invoice(number: str, lines: list[dict], **extra) -> dict:
    return {"supplier": "SUP-STEEL", "number": number, "invoiceDate": "2026-11-06",
            "invoiceType": "SPECIAL", "lines": lines, **extra}


def voucher(client: SupplyApi, inv: dict) -> list[tuple[str, str, str]]:
    from projections import ledger_queries as lq

    client.runtime.runner.catch_up()
    with client.runtime.read() as conn:
        entry = lq.journal_entry(conn, inv["entryId"])
    assert entry.voucher_no == inv["voucherNo"]
    return [(ln.account_code, f"{ln.debit:.2f}", f"{ln.credit:.2f}") for ln in entry.lines]


def test_purchase_invoices_through_graphql(api):
    setup_factory(api.runtime.app)
    receive_po1(api.runtime.app)

    # Bolt-kit step 3: Dr 220202 560.00, Dr 22210101 72.80 / Cr 220201 632.80.
    out = api.ok(RECORD, invoice(NO1, PO1, idempotencyKey="pi-po1"))
    inv = out["invoice"]
    assert (inv["status"], inv["amount"], inv["tax"], inv["gross"], inv["estimateRelieved"]) == (
        "MATCHED", "560.00", "72.80", "632.80", "560.00")
    assert (inv["invoiceType"], inv["dueDate"], inv["differences"]) == (
        "SPECIAL", "2026-12-06", [])
    assert [(ln["item"], ln["qty"], ln["unitPrice"], ln["amount"], ln["tax"])
            for ln in inv["lines"]] == [
        ("RM-STEEL", "100", "5.00", "500.00", "65.00"), ("RM-ZINC", "2", "20.00", "40.00", "5.20"),
        ("RM-BOX", "20", "1.00", "20.00", "2.60")]
    assert voucher(api, inv) == [
        ("220202", "560.00", "0.00"), ("22210101", "72.80", "0.00"),
        ("220201", "0.00", "632.80")]
    before = api.log_position()
    again = api.ok(RECORD, invoice(NO1, PO1, idempotencyKey="pi-po1"))
    assert again["replayed"] and api.log_position() == before
    assert api.gql(OPEN, {"supplier": "SUP-STEEL"})["uninvoicedReceipts"] == []

    # A second receipt: 10 kg steel more, invoiced at 5.20 (held), then approved.
    app = api.runtime.app
    from datetime import date

    from domain.orders import MoveLineInput, OrderLineInput

    po = app.create_purchase_order("SUP-STEEL", date(2026, 11, 7), [
        OrderLineInput("RM-STEEL", "10", "5.00", date(2026, 11, 8))]).value.number
    app.confirm_purchase_order(po)
    app.receive_purchase_order(po, date(2026, 11, 8), [MoveLineInput(1, "10")])
    api.runtime.runner.catch_up()
    assert api.gql(OPEN, {"supplier": "SUP-STEEL"})["uninvoicedReceipts"] == [
        {"receipt": "GR-000002", "lineNo": 1, "order": po, "item": "RM-STEEL",
         "received": "10", "invoiced": "0", "openQty": "10", "value": "50.00"}]
    held = api.ok(RECORD, invoice(NO2, [{"receipt": "GR-000002", "lineNo": 1, "qty": "10",
                                         "unitPrice": "5.20"}]))["invoice"]
    assert (held["status"], held["voucherNo"], held["differences"]) == ("HELD", "", [
        {"lineNo": 1, "kind": "price", "expected": "5", "actual": "5.2"}])
    listed = api.gql(LIST, {"supplier": "SUP-STEEL", "status": "HELD"})["purchaseInvoices"]
    assert listed == [{"number": NO2, "status": "HELD", "gross": "58.76"}]
    api.refused(APPROVE, {"supplier": "SUP-STEEL", "number": NO2, "reason": ""})
    approved = api.ok(APPROVE, {"supplier": "SUP-STEEL", "number": NO2,
                                "reason": "price rise agreed by phone"})["invoice"]
    # 110 kg on hand; 2.00 difference (52.00 - 50.00) all on hand -> 1403.
    assert (approved["status"], approved["priceDifference"]) == ("APPROVED", "2.00")
    assert approved["priceDifferences"] == [
        {"lineNo": 1, "target": "stock", "reference": "RM-STEEL@WH-RM", "account": "1403",
         "qty": "10", "amount": "2.00"}]
    assert voucher(api, approved) == [
        ("220202", "50.00", "0.00"), ("22210101", "6.76", "0.00"), ("1403", "2.00", "0.00"),
        ("220201", "0.00", "58.76")]

    # Tolerances; a cancelled invoice.
    assert api.ok(TOLERANCES, {"qty": "0.05", "price": "0.01"})["price"] == "0.01"
    api.refused(TOLERANCES, {"qty": "2", "price": "0"})
    po3 = app.create_purchase_order("SUP-STEEL", date(2026, 11, 9), [
        OrderLineInput("RM-BOX", "10", "1.00", date(2026, 11, 9))]).value.number
    app.confirm_purchase_order(po3)
    app.receive_purchase_order(po3, date(2026, 11, 9), [MoveLineInput(1, "10")])
    held = api.ok(RECORD, invoice(NO3, [{"receipt": "GR-000003", "lineNo": 1, "qty": "11",
                                         "unitPrice": "1.00"}]))["invoice"]
    assert held["differences"] == [{"lineNo": 1, "kind": "qty", "expected": "10",
                                    "actual": "11"}]
    cancelled = api.ok(CANCEL, {"supplier": "SUP-STEEL", "number": NO3,
                                "reason": "asked for 10"})["invoice"]
    assert cancelled["status"] == "CANCELLED"
    one = api.gql(ONE, {"supplier": "SUP-STEEL", "number": NO3})["purchaseInvoice"]
    assert (one["status"], one["reason"]) == ("CANCELLED", "asked for 10")
    assert api.gql(ONE, {"supplier": "SUP-STEEL", "number": "1" * 20})["purchaseInvoice"] is None

    # Typed errors, nothing written.
    err = api.refused(RECORD, invoice(NO1, PO1))
    assert (err["__typename"], err["code"]) == ("BusinessRuleViolation", "INVOICE_EXISTS")
    err = api.refused(RECORD, invoice("123", PO1))
    assert (err["__typename"], err["field"]) == ("ValidationError", "number")
    err = api.refused(RECORD, invoice(NO2[:-1] + "9", [{"receipt": "GR-000099", "lineNo": 1,
                                                       "qty": "1", "unitPrice": "1"}]))
    assert err["__typename"] == "NotFound"
    err = api.refused(APPROVE, {"supplier": "SUP-STEEL", "number": NO1, "reason": "x"})
    assert err["code"] == "INVOICE_NOT_HELD"
    assert [i["number"] for i in api.gql(LIST, {"supplier": "SUP-STEEL"})[
        "purchaseInvoices"]] == [NO3, NO2, NO1]
