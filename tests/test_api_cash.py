"""Cash through GraphQL over HTTP, on SQLite and PostgreSQL: bolt-kit steps 3,
9 and 10 paid, collected and expensed; a prepayment applied; open items,
aging, the statement and the reconciliation read back; refusals typed and
writing nothing."""

from __future__ import annotations

from datetime import date

import pytest

from domain.finance.open_items import Ledger
from tests.scenes.cash import open_invoice
from tests.scenes.cash_api import EXPENSE, ITEM, SUCCESS
from tests.scenes.graphql import INVEST
from tests.scenes.supply_api import command

RECEIPT = command("recordCustomerReceipt", SUCCESS).replace(
    "RecordCustomerReceiptSuccess", "CashDocumentSuccess")
PAYMENT = command("recordSupplierPayment", SUCCESS).replace(
    "RecordSupplierPaymentSuccess", "CashDocumentSuccess")
APPLY = command("applyPrepayment", SUCCESS).replace(
    "ApplyPrepaymentSuccess", "CashDocumentSuccess")
OFFSET = command("offsetOpenItems", SUCCESS).replace(
    "OffsetOpenItemsSuccess", "CashDocumentSuccess")

OPEN_ITEMS = f"""query O($ledger: Ledger, $party: String, $asOf: Date) {{
  openItems(ledger: $ledger, party: $party, asOf: $asOf) {{ {ITEM} }} }}"""
AGING = """query A($ledger: Ledger!, $asOf: Date!, $account: String) {
  aging(ledger: $ledger, asOf: $asOf, account: $account) {
    ledger account asOf total glBalance difference totals { label amount }
    rows { party partyName total buckets { label amount } } } }"""
STATEMENT = """query S($party: String!, $from: Date!, $to: Date!) {
  partyStatement(party: $party, from: $from, to: $to) {
    party partyName ledger opening increase decrease closing
    rows { day document kind increase decrease balance } } }"""
RECONCILE = """{ subledgerReconciliation { ledger account openItems glBalance difference } }"""

PINV, SINV = "26332000000000000001", "26112000000000000001"


def lines(doc: dict) -> list[tuple[str, str, str]]:
    return [(ln["accountCode"], ln["debit"], ln["credit"]) for ln in doc["entry"]["lines"]]


@pytest.fixture
def booked(company):
    """Investment posted; PO-1's supplier invoice and SO-1's sales invoice open."""
    gq = company
    gq.posted(INVEST)
    app = gq.runtime.app
    open_invoice(app, Ledger.PAYABLE, "SUP-STEEL", PINV, date(2026, 11, 3), "632.80")
    open_invoice(app, Ledger.RECEIVABLE, "CUS-HW", SINV, date(2026, 11, 16), "2260.00")
    return gq


def test_bolt_kit_cash_steps_through_graphql(booked):
    gq = booked
    paid = gq.ok(PAYMENT, {"supplier": "SUP-STEEL", "postingDate": "2026-11-03",
                            "bankAccount": "1002", "amount": "632.80",
                            "allocations": [{"document": PINV, "amount": "632.80"}],
                            "idempotencyKey": "py-1"})
    doc = paid["document"]
    assert (doc["number"], doc["kind"], doc["amount"], doc["prepayment"]) == (
        "PY-000001", "PAYMENT", "632.80", "0.00")
    assert lines(doc) == [("220201", "632.80", "0.00"), ("1002", "0.00", "632.80")]
    assert [(i["document"], i["openAmount"]) for i in paid["openItems"]] == [(PINV, "0.00")]
    again = gq.ok(PAYMENT, {"supplier": "SUP-STEEL", "postingDate": "2026-11-03",
                             "bankAccount": "1002", "amount": "632.8",
                             "allocations": [{"document": PINV, "amount": "632.8"}],
                             "idempotencyKey": "py-1"})
    assert again["replayed"] and again["document"]["number"] == "PY-000001"

    received = gq.ok(RECEIPT, {"customer": "CUS-HW", "postingDate": "2026-11-20",
                                "bankAccount": "1002", "amount": "3000.00",
                                "allocations": [{"document": SINV, "amount": "2260.00"}],
                                "reference": "网银 0001"})
    doc = received["document"]
    assert (doc["number"], doc["prepayment"], doc["reference"]) == (
        "RV-000001", "740.00", "网银 0001")
    assert lines(doc) == [("1002", "3000.00", "0.00"), ("1122", "0.00", "2260.00"),
                          ("2203", "0.00", "740.00")]
    assert {i["document"]: (i["account"], i["amount"], i["openAmount"])
            for i in received["openItems"]} == {
        SINV: ("1122", "2260.00", "0.00"), "RV-000001": ("2203", "-740.00", "-740.00")}

    power = gq.ok(EXPENSE, {"postingDate": "2026-11-25", "bankAccount": "1002",
                             "lines": [{"account": "4101", "amount": "100.00", "memo": "电费"}],
                             "payee": "国网杭州供电公司"})
    doc = power["document"]
    assert (doc["number"], doc["kind"], doc["payee"]) == (
        "EX-000001", "EXPENSE", "国网杭州供电公司")
    assert lines(doc) == [("4101", "100.00", "0.00"), ("1002", "0.00", "100.00")]
    assert power["openItems"] == []

    # The prepayment left over is applied to a later invoice.
    open_invoice(gq.runtime.app, Ledger.RECEIVABLE, "CUS-HW", "26112000000000000002",
                 date(2026, 11, 26), "500.00")
    applied = gq.ok(APPLY, {"party": "CUS-HW", "prepayment": "RV-000001",
                             "postingDate": "2026-11-27",
                             "allocations": [{"document": "26112000000000000002",
                                              "amount": "500.00"}]})
    assert (applied["document"]["kind"], applied["document"]["creditDocument"]) == (
        "PREPAYMENT_APPLICATION", "RV-000001")
    assert lines(applied["document"]) == [("2203", "500.00", "0.00"),
                                          ("1122", "0.00", "500.00")]

    assert gq.gql(OPEN_ITEMS, {"ledger": "RECEIVABLE"})["openItems"] == [{
        "ledger": "RECEIVABLE", "account": "2203", "party": "CUS-HW", "document": "RV-000001",
        "documentKind": "receipt", "amount": "-740.00", "settled": "-500.00",
        "openAmount": "-240.00",
        "settlements": [{"byDocument": "PA-000001", "day": "2026-11-27", "amount": "-500.00"}],
    }]
    # On the 19th the sales invoice was still open and nothing was prepaid.
    assert [(i["document"], i["openAmount"]) for i in gq.gql(
        OPEN_ITEMS, {"party": "CUS-HW", "asOf": "2026-11-19"})["openItems"]] == [
        (SINV, "2260.00")]
    aging = gq.gql(AGING, {"ledger": "RECEIVABLE", "asOf": "2026-11-19"})["aging"]
    assert (aging["account"], aging["total"], aging["glBalance"], aging["difference"]) == (
        "1122", "2260.00", "2260.00", "0.00")
    assert [(b["label"], b["amount"]) for b in aging["totals"]] == [
        ("0-30", "2260.00"), ("31-60", "0.00"), ("61-90", "0.00"), (">90", "0.00")]
    prepaid = gq.gql(AGING, {"ledger": "RECEIVABLE", "asOf": "2026-11-30",
                              "account": "2203"})["aging"]
    assert (prepaid["total"], prepaid["difference"]) == ("-240.00", "0.00")

    statement = gq.gql(STATEMENT, {"party": "cus-hw", "from": "2026-11-01",
                                    "to": "2026-11-30"})["partyStatement"]
    assert (statement["partyName"], statement["ledger"], statement["opening"],
            statement["closing"]) == ("杭州五金贸易有限公司", "RECEIVABLE", "0.00", "-240.00")
    assert [(r["document"], r["kind"], r["increase"], r["decrease"], r["balance"])
            for r in statement["rows"]] == [
        (SINV, "sales_invoice", "2260.00", "0.00", "2260.00"),
        ("RV-000001", "receipt", "0.00", "3000.00", "-740.00"),
        ("26112000000000000002", "sales_invoice", "500.00", "0.00", "-240.00"),
        ("PA-000001", "prepayment_application", "500.00", "500.00", "-240.00"),
    ]
    rec = {(r["ledger"], r["account"]): (r["openItems"], r["difference"])
           for r in gq.gql(RECONCILE)["subledgerReconciliation"]}
    assert rec == {("RECEIVABLE", "1122"): ("0.00", "0.00"),
                   ("RECEIVABLE", "2203"): ("-240.00", "0.00"),
                   ("PAYABLE", "220201"): ("0.00", "0.00"),
                   ("PAYABLE", "1123"): ("0.00", "0.00")}
    tb = {r["code"]: r["closingDebit"] for r in gq.trial_balance()["rows"]}
    assert tb["1002"] == "102267.20"  # 100,000.00 - 632.80 + 3,000.00 - 100.00
    docs = gq.gql("{ cashDocuments { number voucherNo } }")["cashDocuments"]
    assert [d["number"] for d in docs] == ["PY-000001", "RV-000001", "EX-000001", "PA-000001"]


def test_refusals_come_back_typed_and_write_nothing(booked):
    gq = booked
    cases = [
        (RECEIPT, {"customer": "CUS-HW", "postingDate": "2026-11-20", "bankAccount": "1002",
                   "amount": "3000.00", "allocations": [{"document": SINV, "amount": "2260.01"}]},
         "BusinessRuleViolation", "OVER_ALLOCATION"),
        (RECEIPT, {"customer": "CUS-HW", "postingDate": "2026-11-20", "bankAccount": "1002",
                   "amount": "100.00", "allocations": [{"document": SINV, "amount": "200.00"}]},
         "BusinessRuleViolation", "ALLOCATION_EXCEEDS_AMOUNT"),
        (PAYMENT, {"supplier": "SUP-STEEL", "postingDate": "2026-11-20", "bankAccount": "1002",
                   "amount": "10.00", "allocations": [{"document": SINV, "amount": "10.00"}]},
         "NotFound", None),
        (RECEIPT, {"customer": "CUS-HW", "postingDate": "2026-11-20", "bankAccount": "5001",
                   "amount": "10.00"}, "BusinessRuleViolation", "NOT_A_CASH_ACCOUNT"),
        (RECEIPT, {"customer": "CUS-HW", "postingDate": "2026-11-20", "bankAccount": "1002",
                   "amount": "0"}, "ValidationError", None),
        (APPLY, {"party": "SUP-STEEL", "prepayment": SINV, "postingDate": "2026-11-20",
                 "allocations": [{"document": SINV, "amount": "1.00"}]},
         "BusinessRuleViolation", "WRONG_PARTY"),
        (EXPENSE, {"postingDate": "2026-11-25", "bankAccount": "1002",
                   "lines": [{"account": "1122", "amount": "100.00"}]},
         "BusinessRuleViolation", "PARTY_ACCOUNT"),
    ]
    for query, input_, typename, code in cases:
        before = gq.log_position()
        result = gq.command(query, input_)
        assert result["__typename"] == typename, (input_, result)
        if code:
            assert result["code"] == code
        assert gq.log_position() == before
