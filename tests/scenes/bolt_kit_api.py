"""The bolt-kit month through GraphQL as a scene: its commands, every voucher in
story order, and the steps up to period end (tests/test_bolt_kit_api.py and
tests/test_cli_workflows.py)."""

from __future__ import annotations

from tests.scenes.graphql import INVEST, mutation
from tests.scenes.production_api import (
    COMPLETE,
    CREATE_WO,
    ISSUE,
    RELEASE_WO,
    SCAN,
    setup_engineering,
)
from tests.scenes.supply_api import (
    CHANGE_ITEM,
    CONFIRM_PO,
    CONFIRM_SO,
    CREATE_SO,
    RECEIVE_ALL,
    RECEIVE_PO,
    SHIP_SO,
    SO1_LINES,
    command,
    create_po1,
)

SET_PROFILE = command("setCompanyProfile", "profile { name uscc }")
RECORD_PI = command("recordPurchaseInvoice",
                    "invoice { number status gross tax estimateRelieved voucherNo }")


def cash(name: str) -> str:
    """Cash mutations share one success payload, CashDocumentSuccess."""
    title = name[0].upper() + name[1:]
    return mutation(name, f"{title}Input", "CashDocumentSuccess { logPosition document { "
                    "number amount prepayment voucherNo } }")


PAY = cash("recordSupplierPayment")
ISSUE_SI = command("issueSalesInvoice",
                   "invoice { number amount tax total amountInWords voucherNo openTotal "
                   "lines { itemName qty unitPrice amount vatRate tax } }")
COLLECT = cash("recordCustomerReceipt")
EXPENSE = cash("recordExpensePayment")
SETTLE = command("settleOverhead", "amount entry { voucherNo }")
CLOSE = command("closeBooks", "profit period { status } transferEntry { voucherNo } "
                "carryForwardEntry { voucherNo }")

SELLER_USCC = "91330200MA2H0C1X5K"
SUPPLIER_INVOICE = "26332000000012345678"
STATEMENT = "code title period asOf columns lines { line label kind amounts }"

# Every voucher of the month in story order: (voucher, [(account, debit, credit)]).
VOUCHERS = [
    ("记-0001", [("1002", "100000.00", "0.00"), ("3001", "0.00", "100000.00")]),
    ("记-0002", [("1403", "560.00", "0.00"), ("220202", "0.00", "560.00")]),
    ("记-0003", [("220202", "560.00", "0.00"), ("22210101", "72.80", "0.00"),
                ("220201", "0.00", "632.80")]),
    ("记-0004", [("220201", "632.80", "0.00"), ("1002", "0.00", "632.80")]),
    ("记-0005", [("400101", "250.00", "0.00"), ("1403", "0.00", "250.00")]),
    ("记-0006", [("400101", "120.00", "0.00"), ("2211", "0.00", "80.00"),
                ("4101", "0.00", "40.00")]),
    ("记-0007", [("140502", "370.00", "0.00"), ("400101", "0.00", "370.00")]),
    ("记-0008", [("400101", "400.00", "0.00"), ("140502", "0.00", "370.00"),
                ("1403", "0.00", "30.00")]),
    ("记-0009", [("400101", "80.00", "0.00"), ("2211", "0.00", "30.00"),
                ("4101", "0.00", "50.00")]),
    ("记-0010", [("400101", "15.00", "0.00"), ("2211", "0.00", "12.50"),
                ("4101", "0.00", "2.50")]),
    ("记-0011", [("140501", "495.00", "0.00"), ("400101", "0.00", "495.00")]),
    ("记-0012", [("5401", "495.00", "0.00"), ("140501", "0.00", "495.00")]),
    ("记-0013", [("1122", "2260.00", "0.00"), ("5001", "0.00", "2000.00"),
                ("22210102", "0.00", "260.00")]),
    ("记-0014", [("1002", "2260.00", "0.00"), ("1122", "0.00", "2260.00")]),
    ("记-0015", [("4101", "100.00", "0.00"), ("1002", "0.00", "100.00")]),
    ("记-0016", [("5401", "7.50", "0.00"), ("4101", "0.00", "7.50")]),
    ("记-0017", [("5001", "2000.00", "0.00"), ("5401", "0.00", "502.50"),
                ("3103", "0.00", "1497.50")]),
]

# The closing trial balance table of the worked example (leaf accounts).
CLOSING = {
    "1002": ("101527.20", "0.00"), "1403": ("280.00", "0.00"), "2211": ("0.00", "122.50"),
    "22210101": ("72.80", "0.00"), "22210102": ("0.00", "260.00"),
    "3001": ("0.00", "100000.00"), "3103": ("0.00", "1497.50"),
}
ZERO = ["1122", "140501", "140502", "220201", "220202", "400101", "4101", "5001", "5401"]


def sorted_lines(lines):
    """Vouchers list debits first; within a side, the order is the posting rule's."""
    return [(ln["accountCode"], ln["debit"], ln["credit"]) for ln in lines]



def month_up_to_period_end(a) -> dict:
    """Steps 1-4 and 6-10 of the month (also tests/test_cli_workflows.py's scene)."""
    a.ok(SET_PROFILE, {"name": "宁波紧固件制造有限公司", "uscc": SELLER_USCC,
                       "address": "浙江省宁波市北仑区", "bank": "中国工商银行宁波北仑支行",
                       "bankAccount": "3901110009000012345"})
    a.ok(CHANGE_ITEM, {"code": "FG-KIT", "taxShortName": "金属制品"})
    # 1. The owner invests.
    a.posted(INVEST, key="step1-invest")
    # 2. PO-1 received in full, estimated.
    po = create_po1(a)
    a.ok(CONFIRM_PO, {"number": po})
    receipt = a.ok(RECEIVE_PO, {"number": po, "postingDate": "2026-11-03",
                                "lines": RECEIVE_ALL})["document"]["number"]
    # 3. The supplier's VAT invoice, matched, then paid.
    invoice = a.ok(RECORD_PI, {
        "supplier": "SUP-STEEL", "number": SUPPLIER_INVOICE, "invoiceDate": "2026-11-05",
        "invoiceType": "SPECIAL", "lines": [
            {"receipt": receipt, "lineNo": 1, "qty": "100", "unitPrice": "5.00"},
            {"receipt": receipt, "lineNo": 2, "qty": "2", "unitPrice": "20.00"},
            {"receipt": receipt, "lineNo": 3, "qty": "20", "unitPrice": "1.00"}]})["invoice"]
    assert (invoice["status"], invoice["gross"], invoice["tax"],
            invoice["estimateRelieved"]) == ("MATCHED", "632.80", "72.80", "560.00")
    paid = a.ok(PAY, {"supplier": "SUP-STEEL", "postingDate": "2026-11-05",
                      "bankAccount": "1002", "amount": "632.80",
                      "allocations": [{"document": SUPPLIER_INVOICE, "amount": "632.80"}]})
    assert paid["document"]["prepayment"] == "0.00"
    # 4. SO-1.
    so = a.ok(CREATE_SO, {"customer": "CUS-HW", "orderDate": "2026-11-04",
                          "lines": SO1_LINES})["order"]["number"]
    a.ok(CONFIRM_SO, {"number": so})
    # 6. WO-1: SA-BLANK x 1,000.
    setup_engineering(a)
    wo1 = a.ok(CREATE_WO, {"item": "SA-BLANK", "qty": "1000", "dueDate": "2026-11-12",
                           "createdOn": "2026-11-09"})["workOrder"]["number"]
    a.ok(RELEASE_WO, {"number": wo1})
    a.ok(ISSUE, {"number": wo1, "postingDate": "2026-11-10", "lines": [{"lineNo": 1,
                                                                        "qty": "50"}]})
    a.ok(SCAN, {"code": f"{wo1}/OP10", "postingDate": "2026-11-10", "good": "1000",
                "laborHours": "2.0", "idempotencyKey": "scan-wo1-op10"})
    a.ok(COMPLETE, {"number": wo1, "postingDate": "2026-11-11", "qty": "1000"})
    # 7. WO-2: FG-KIT x 10.
    wo2 = a.ok(CREATE_WO, {"item": "FG-KIT", "qty": "10", "dueDate": "2026-11-15",
                           "createdOn": "2026-11-11"})["workOrder"]["number"]
    a.ok(RELEASE_WO, {"number": wo2})
    a.ok(ISSUE, {"number": wo2, "postingDate": "2026-11-12", "lines": [
        {"lineNo": 1, "qty": "1000"}, {"lineNo": 2, "qty": "1.0"}, {"lineNo": 3, "qty": "10"}]})
    for op, hours in (("OP10", "1.0"), ("OP20", "0.5")):
        a.ok(SCAN, {"code": f"{wo2}/{op}", "postingDate": "2026-11-13", "good": "10",
                    "laborHours": hours})
    a.ok(COMPLETE, {"number": wo2, "postingDate": "2026-11-14", "qty": "10"})
    # 8. SO-1 shipped.
    shipment = a.ok(SHIP_SO, {"number": so, "postingDate": "2026-11-16",
                              "lines": [{"lineNo": 1, "qty": "10"}]})["document"]["number"]
    # 9. The 数电票, then the customer pays.
    sales_invoice = a.ok(ISSUE_SI, {"customer": "CUS-HW", "invoiceDate": "2026-11-16",
                                    "lines": [{"shipment": shipment, "lineNo": 1,
                                               "qty": "10"}]})["invoice"]
    a.ok(COLLECT, {"customer": "CUS-HW", "postingDate": "2026-11-20", "bankAccount": "1002",
                   "amount": "2260.00", "allocations": [
                       {"document": sales_invoice["number"], "amount": "2260.00"}]})
    # 10. Electricity for the shop.
    a.ok(EXPENSE, {"postingDate": "2026-11-25", "bankAccount": "1002", "payee": "国网宁波供电",
                   "lines": [{"account": "4101", "amount": "100.00", "memo": "车间电费"}]})
    return {"sales_invoice": sales_invoice,
            "before_period_end": a.runtime.app.log_position()}




def one_open_order_and_overhead_under_applied(a) -> str:
    """The month up to step 10 with WO-2 open (its blanks and zinc issued) and no
    shipment: 4101 holds 60.00 under-applied. Returns WO-2's number."""
    a.posted(INVEST, key="invest")
    po = create_po1(a)
    a.ok(CONFIRM_PO, {"number": po})
    a.ok(RECEIVE_PO, {"number": po, "postingDate": "2026-11-03", "lines": RECEIVE_ALL})
    setup_engineering(a)
    wo1 = a.ok(CREATE_WO, {"item": "SA-BLANK", "qty": "1000", "dueDate": "2026-11-12",
                           "createdOn": "2026-11-09"})["workOrder"]["number"]
    a.ok(RELEASE_WO, {"number": wo1})
    a.ok(ISSUE, {"number": wo1, "postingDate": "2026-11-10",
                 "lines": [{"lineNo": 1, "qty": "50"}]})
    a.ok(SCAN, {"code": f"{wo1}/OP10", "postingDate": "2026-11-10", "good": "1000",
                "laborHours": "2.0"})
    a.ok(COMPLETE, {"number": wo1, "postingDate": "2026-11-11", "qty": "1000"})
    wo2 = a.ok(CREATE_WO, {"item": "FG-KIT", "qty": "10", "dueDate": "2026-11-15",
                           "createdOn": "2026-11-11"})["workOrder"]["number"]
    a.ok(RELEASE_WO, {"number": wo2})
    a.ok(ISSUE, {"number": wo2, "postingDate": "2026-11-12", "lines": [
        {"lineNo": 1, "qty": "1000"}, {"lineNo": 2, "qty": "1.0"}]})
    a.ok(EXPENSE, {"postingDate": "2026-11-25", "bankAccount": "1002",
                   "lines": [{"account": "4101", "amount": "100.00"}]})
    return wo2
