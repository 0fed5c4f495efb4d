"""The supply chain through GraphQL over HTTP, on SQLite and PostgreSQL.

Steps 1, 2, 4 and 8 of the bolt-kit month (docs/examples/bolt-kit.md),
with FG-KIT stocked in by a stock adjustment in place of production; every
bad input comes back as a typed error and writes nothing.
"""

from __future__ import annotations

import warnings

import pytest

from api.app import create_app
from api.runtime import Runtime
from domain.store import parse_database_url
from tests.scenes.graphql import INVEST, rows_by_code
from tests.scenes.supply_api import (
    ADJUST,
    CHANGE_ITEM,
    CONFIRM_PO,
    CONFIRM_SO,
    COUNT,
    CREATE_ITEM,
    CREATE_PO,
    CREATE_SO,
    CREATE_WAREHOUSE,
    D3,
    D4,
    D14,
    D16,
    D20,
    DOCUMENT,
    NOV,
    ORDER,
    PARTY,
    RECEIVE_ALL,
    RECEIVE_PO,
    RECONCILIATION,
    REGISTER_PARTY,
    SHIP_SO,
    SO1_LINES,
    STOCK_CARD,
    WAREHOUSE,
    SupplyApi,
    command,
    create_po1,
    lines_of,
    set_up_company,
)
from tests.scenes.supply_chain import USCC_CUSTOMER, USCC_SUPPLIER

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx`")
    from starlette.testclient import TestClient


DEACTIVATE_ITEM = command("deactivateItem", "item { code active }")
REACTIVATE_ITEM = command("reactivateItem", "item { code active }")
ADD_LOCATION = command("addLocation", f"warehouse {{ {WAREHOUSE} }}")
CHANGE_PARTY = command("changeParty", f"party {{ {PARTY} }}")
CANCEL_PO = command("cancelPurchaseOrder", f"order {{ {ORDER} }}")
AMEND_PO = command("amendPurchaseOrderLine", f"order {{ {ORDER} }}")
RETURN_TO_SUPPLIER = command("returnToSupplier",
                             f"document {{ {DOCUMENT} }} order {{ {ORDER} }}")
RESERVE_SO = command("reserveSalesOrder", f"order {{ {ORDER} }}")
CANCEL_SO = command("cancelSalesOrder", f"order {{ {ORDER} }}")
AMEND_SO = command("amendSalesOrderLine", f"order {{ {ORDER} }}")
RETURN_FROM_CUSTOMER = command("returnFromCustomer",
                               f"document {{ {DOCUMENT} }} order {{ {ORDER} }}")
TRANSFER = command("transferStock", f"document {{ {DOCUMENT} }}")

TRIAL_BALANCE = """
query TB($period: String!) {
  trialBalance(period: $period, includeZero: true) {
    balanced debit credit closingDebit closingCredit
    rows { code debit credit closingDebit closingCredit }
  }
}"""


# -- the bolt-kit month, steps 1, 2, 4 and 8 ------------------------------------------------
def test_bolt_kit_receipt_and_shipment_through_graphql_post_560_and_495(company):
    api = company
    # 1. The owner invests 100,000.00.
    invest = api.posted(INVEST, key="step1-invest")["entry"]
    assert invest["voucherNo"] == "记-0001"

    # 2. PO-1 confirmed and received in full: Dr 1403 560.00 / Cr 220202 560.00.
    number = create_po1(api)
    assert number == "PO-000001"
    confirmed = api.ok(CONFIRM_PO, {"number": number})["order"]
    assert confirmed["status"] == "CONFIRMED"
    received = api.ok(RECEIVE_PO, {"number": number, "postingDate": D3, "lines": RECEIVE_ALL,
                                   "idempotencyKey": "gr-po1"})
    doc = received["document"]
    assert (doc["number"], doc["kind"], doc["voucherNo"], doc["totalValue"]) == (
        "GR-000001", "RECEIPT", "记-0002", "560.00")
    assert (doc["party"], doc["order"], doc["postingDate"]) == ("SUP-STEEL", number, D3)
    assert [(ln["item"], ln["warehouse"], ln["location"], ln["qty"], ln["value"])
            for ln in doc["lines"]] == [
        ("RM-STEEL", "WH-RM", "A1", "100", "500.00"),
        ("RM-ZINC", "WH-RM", "A1", "2", "40.00"),
        ("RM-BOX", "WH-RM", "A1", "20", "20.00"),
    ]
    assert doc["entry"]["id"] == doc["entryId"]
    assert lines_of(doc["entry"]) == [("1403", "560.00", "0.00"), ("220202", "0.00", "560.00")]
    assert received["order"]["status"] == "CLOSED"
    assert [ln["openQty"] for ln in received["order"]["lines"]] == ["0", "0", "0"]
    stock = {row["item"]: (row["qty"], row["value"], row["averageCost"])
             for row in api.on_hand(warehouse="WH-RM")}
    assert stock == {"RM-STEEL": ("100", "500.00", "5.00"), "RM-ZINC": ("2", "40.00", "20.00"),
                     "RM-BOX": ("20", "20.00", "1.00")}
    assert api.gql('{ openOrderLines(kind: PURCHASE) { number } }')["openOrderLines"] == []

    # 4. SO-1: 10 FG-KIT @ 200.00, confirmed before any FG-KIT is in stock.
    so = api.ok(CREATE_SO, {"customer": "CUS-HW", "orderDate": D4, "lines": SO1_LINES})["order"]
    assert (so["number"], so["kind"], so["status"]) == ("SO-000001", "SALES", "DRAFT")
    assert (so["lines"][0]["amount"], so["lines"][0]["warehouse"]) == ("2000.00", "WH-FG")
    assert api.ok(CONFIRM_SO, {"number": so["number"]})["order"]["lines"][0]["reserved"] == "0"

    # Steps 6-7 stand-in: FG-KIT stocked in at 49.50 against 400101 (the issue allows it).
    adjusted = api.ok(ADJUST, {"postingDate": D14, "offsetAccount": "400101",
                               "reason": "stand-in for WO-2 completion",
                               "lines": [{"item": "FG-KIT", "warehouse": "WH-FG", "qty": "10",
                                          "unitCost": "49.50"}]})["document"]
    assert (adjusted["number"], adjusted["totalValue"]) == ("AJ-000001", "495.00")
    assert lines_of(adjusted["entry"]) == [("140501", "495.00", "0.00"),
                                           ("400101", "0.00", "495.00")]
    reserved = api.ok(RESERVE_SO, {"number": so["number"]})["order"]
    assert reserved["lines"][0]["reserved"] == "10"
    (kit,) = api.on_hand(item="FG-KIT")
    assert (kit["qty"], kit["value"], kit["averageCost"], kit["reserved"], kit["available"]) == (
        "10", "495.00", "49.50", "10", "0")
    assert kit["bins"] == [{"location": "F1", "lot": "", "qty": "10"}]

    # 8. SO-1 shipped: Dr 5401 495.00 / Cr 140501 495.00.
    shipped = api.ok(SHIP_SO, {"number": so["number"], "postingDate": D16,
                               "lines": [{"lineNo": 1, "qty": "10"}]})
    sh = shipped["document"]
    assert (sh["number"], sh["kind"], sh["voucherNo"], sh["totalValue"]) == (
        "SH-000001", "SHIPMENT", "记-0004", "-495.00")
    assert lines_of(sh["entry"]) == [("5401", "495.00", "0.00"), ("140501", "0.00", "495.00")]
    line = shipped["order"]["lines"][0]
    assert (shipped["order"]["status"], line["delivered"], line["deliveredValue"],
            line["reserved"], line["completedOn"]) == ("CLOSED", "10", "495.00", "0", D16)

    # The trial balance, the stock, the stock card and the reconciliation agree.
    tb = api.gql(TRIAL_BALANCE, {"period": NOV})["trialBalance"]
    rows = {code: (r["debit"], r["credit"], r["closingDebit"], r["closingCredit"])
            for code, r in rows_by_code(tb).items() if r["debit"] != "0.00"
            or r["credit"] != "0.00"}
    assert rows == {
        "1002": ("100000.00", "0.00", "100000.00", "0.00"),
        "1403": ("560.00", "0.00", "560.00", "0.00"),
        "1405": ("495.00", "495.00", "0.00", "0.00"),
        "140501": ("495.00", "495.00", "0.00", "0.00"),
        "2202": ("0.00", "560.00", "0.00", "560.00"),
        "220202": ("0.00", "560.00", "0.00", "560.00"),
        "3001": ("0.00", "100000.00", "0.00", "100000.00"),
        "4001": ("0.00", "495.00", "0.00", "495.00"),
        "400101": ("0.00", "495.00", "0.00", "495.00"),
        "5401": ("495.00", "0.00", "495.00", "0.00"),
    }
    assert (tb["debit"], tb["credit"], tb["balanced"]) == ("101550.00", "101550.00", True)

    (steel,) = api.on_hand(item="RM-STEEL")
    assert (steel["qty"], steel["value"], steel["uom"]) == ("100", "500.00", "kg")
    assert api.on_hand(item="FG-KIT") == []
    (zero_kit,) = api.on_hand(item="FG-KIT", includeZero=True)
    assert (zero_kit["qty"], zero_kit["value"], zero_kit["reserved"]) == ("0", "0.00", "0")

    (card_row,) = api.stock_card("RM-STEEL")
    assert (card_row["documentNumber"], card_row["voucherNo"], card_row["entryId"],
            card_row["kind"], card_row["balanceQty"], card_row["balanceValue"]) == (
        "GR-000001", "记-0002", doc["entryId"], "receipt", "100", "500.00")
    kit_card = api.stock_card("FG-KIT", warehouse="WH-FG")
    assert [(r["documentNumber"], r["voucherNo"], r["qty"], r["value"], r["balanceQty"],
             r["balanceValue"]) for r in kit_card] == [
        ("AJ-000001", "记-0003", "10", "495.00", "10", "495.00"),
        ("SH-000001", "记-0004", "-10", "-495.00", "0", "0.00"),
    ]

    recon = api.gql(RECONCILIATION)["inventoryReconciliation"]
    assert {r["account"]: (r["stockValue"], r["glBalance"], r["difference"]) for r in recon} == {
        "1403": ("560.00", "560.00", "0.00"),
        "140501": ("0.00", "0.00", "0.00"),
        "140502": ("0.00", "0.00", "0.00"),
    }

    valuation = api.gql('{ inventoryValuation(period: "2026-11") { period asOf total '
                        'accounts { account value } rows { item warehouse qty value '
                        'averageCost } } }')["inventoryValuation"]
    assert (valuation["asOf"], valuation["total"]) == ("2026-11-30", "560.00")
    assert valuation["accounts"] == [{"account": "1403", "value": "560.00"}]
    assert [(r["item"], r["qty"], r["value"]) for r in valuation["rows"]] == [
        ("RM-BOX", "20", "20.00"), ("RM-STEEL", "100", "500.00"), ("RM-ZINC", "2", "40.00")]

    kpis = api.gql('{ onTimeDelivery(period: "2026-11", byCustomer: true) '
                   '{ customer linesDue linesOnTime rate } '
                   'inventoryTurnover(period: "2026-11", byItem: true) '
                   '{ item costOfSales openingValue closingValue averageInventory turnover } }')
    assert kpis["onTimeDelivery"] == [
        {"customer": "CUS-HW", "linesDue": 1, "linesOnTime": 1, "rate": "1.0000"}]
    turnover = {t["item"]: t for t in kpis["inventoryTurnover"]}
    assert (turnover["FG-KIT"]["costOfSales"], turnover["FG-KIT"]["closingValue"],
            turnover["FG-KIT"]["turnover"]) == ("495.00", "0.00", None)
    assert turnover["RM-STEEL"]["averageInventory"] == "250.00"

    docs = api.gql('{ stockDocuments(kind: SHIPMENT, party: "CUS-HW") { edges { node { '
                   'number order voucherNo entry { voucherNo } } } } }')["stockDocuments"]
    assert [e["node"] for e in docs["edges"]] == [
        {"number": "SH-000001", "order": "SO-000001", "voucherNo": "记-0004",
         "entry": {"voucherNo": "记-0004"}}]


def test_replaying_a_receipt_with_the_same_key_writes_nothing(company):
    api = company
    number = create_po1(api)
    api.ok(CONFIRM_PO, {"number": number})
    first = api.ok(RECEIVE_PO, {"number": number, "postingDate": D3, "lines": RECEIVE_ALL,
                                "idempotencyKey": "gr-po1"})
    before = api.log_position()

    again = api.ok(RECEIVE_PO, {"number": number, "postingDate": D3, "lines": RECEIVE_ALL,
                                "idempotencyKey": "gr-po1"})

    assert api.log_position() == before
    assert (first["replayed"], again["replayed"]) == (False, True)
    assert again["document"] == first["document"]
    (steel,) = api.on_hand(item="RM-STEEL")
    assert (steel["qty"], steel["value"]) == ("100", "500.00")
    assert len(api.stock_card("RM-STEEL")) == 1

    other = api.refused(RECEIVE_PO, {"number": number, "postingDate": D3,
                                     "lines": [{"lineNo": 1, "qty": "1"}],
                                     "idempotencyKey": "gr-po1"})
    assert other["__typename"] == "Conflict"


def test_partial_receipts_amendments_returns_and_open_lines(company):
    api = company
    number = create_po1(api, overReceiptTolerance="0.05")
    api.ok(CONFIRM_PO, {"number": number})
    amended = api.ok(AMEND_PO, {"number": number, "lineNo": 3, "qty": "30",
                                "unitPrice": "1.10"})["order"]
    assert (amended["lines"][2]["qty"], amended["lines"][2]["unitPrice"]) == ("30", "1.10")
    api.ok(RECEIVE_PO, {"number": number, "postingDate": D3,
                        "lines": [{"lineNo": 1, "qty": "60", "location": "A2"}]})
    open_lines = api.gql('{ openOrderLines(kind: PURCHASE, party: "sup-steel") '
                         '{ number lineNo item openQty unitPrice } }')["openOrderLines"]
    assert [(r["lineNo"], r["item"], r["openQty"], r["unitPrice"]) for r in open_lines] == [
        (1, "RM-STEEL", "40", "5.00"), (2, "RM-ZINC", "2", "20.00"), (3, "RM-BOX", "30", "1.10")]
    returned = api.ok(RETURN_TO_SUPPLIER, {"number": number, "postingDate": D4,
                                           "lines": [{"lineNo": 1, "qty": "10",
                                                      "location": "A2"}]})
    assert returned["document"]["kind"] == "SUPPLIER_RETURN"
    assert lines_of(returned["document"]["entry"]) == [("220202", "50.00", "0.00"),
                                                       ("1403", "0.00", "50.00")]
    assert returned["order"]["lines"][0]["returned"] == "10"
    (steel,) = api.on_hand(item="RM-STEEL")
    assert (steel["qty"], steel["value"]) == ("50", "250.00")
    assert steel["bins"] == [{"location": "A2", "lot": "", "qty": "50"}]
    orders = api.gql('{ purchaseOrders(status: CONFIRMED) { edges { node { number } } '
                     'pageInfo { hasNextPage } } }')["purchaseOrders"]
    assert [e["node"]["number"] for e in orders["edges"]] == [number]
    assert api.gql('{ order(number: "po-000001") { number kind } }')["order"] == {
        "number": number, "kind": "PURCHASE"}
    assert api.gql('{ order(number: "PO-999999") { number } }')["order"] is None


def test_transfers_counts_and_customer_returns(company):
    api = company
    number = create_po1(api)
    api.ok(CONFIRM_PO, {"number": number})
    api.ok(RECEIVE_PO, {"number": number, "postingDate": D3, "lines": RECEIVE_ALL})
    moved = api.ok(TRANSFER, {"postingDate": D4, "lines": [
        {"item": "RM-BOX", "qty": "5", "fromWarehouse": "WH-RM", "toWarehouse": "WH-FG"}]})
    doc = moved["document"]
    assert (doc["kind"], doc["lines"][0]["toWarehouse"], doc["lines"][0]["toLocation"],
            doc["lines"][0]["value"]) == ("TRANSFER", "WH-FG", "F1", "5.00")
    counted = api.ok(COUNT, {"postingDate": D14, "warehouse": "WH-RM", "lines": [
        {"item": "RM-STEEL", "countedQty": "99.5"}]})["document"]
    assert (counted["kind"], counted["lines"][0]["qty"], counted["totalValue"]) == (
        "COUNT", "-0.5", "-2.50")
    assert lines_of(counted["entry"]) == [("1901", "2.50", "0.00"), ("1403", "0.00", "2.50")]

    api.ok(ADJUST, {"postingDate": D14, "offsetAccount": "400101", "reason": "stand-in",
                    "lines": [{"item": "FG-KIT", "warehouse": "WH-FG", "qty": "10",
                               "unitCost": "49.50"}]})
    so = api.ok(CREATE_SO, {"customer": "CUS-HW", "orderDate": D4,
                            "lines": SO1_LINES})["order"]["number"]
    api.ok(CONFIRM_SO, {"number": so})
    api.ok(SHIP_SO, {"number": so, "postingDate": D16, "lines": [{"lineNo": 1, "qty": "4"}]})
    back = api.ok(RETURN_FROM_CUSTOMER, {"number": so, "postingDate": D20,
                                         "lines": [{"lineNo": 1, "qty": "1"}]})
    assert (back["document"]["kind"], back["document"]["totalValue"]) == (
        "CUSTOMER_RETURN", "49.50")
    assert back["order"]["lines"][0]["openQty"] == "7"
    amended = api.ok(AMEND_SO, {"number": so, "lineNo": 1, "qty": "5"})["order"]
    assert amended["lines"][0]["qty"] == "5"
    recon = api.gql(RECONCILIATION)["inventoryReconciliation"]
    assert {r["difference"] for r in recon} == {"0.00"}


def test_master_data_is_listed_filtered_and_changed(company):
    api = company
    raw = api.gql('{ items(itemType: RAW) { code inventoryAccount } }')["items"]
    assert raw == [{"code": c, "inventoryAccount": "1403"}
                   for c in ("RM-BOX", "RM-STEEL", "RM-ZINC")]
    assert [i["code"] for i in api.gql('{ items(prefix: "fg") { code } }')["items"]] == ["FG-KIT"]
    box = api.gql('{ item(code: "RM-BOX") { planning { safetyStock lotSizeRule } } }')["item"]
    assert box["planning"] == {"safetyStock": "15", "lotSizeRule": "LOT_FOR_LOT"}

    changed = api.ok(CHANGE_ITEM, {"code": "RM-BOX", "name": "包装盒 carton (new)",
                                   "standardCost": "1.05"})["item"]
    assert (changed["name"], changed["standardCost"], changed["uom"]) == (
        "包装盒 carton (new)", "1.05", "pcs")
    assert api.ok(DEACTIVATE_ITEM, {"code": "RM-BOX"})["item"] == {"code": "RM-BOX",
                                                                  "active": False}
    active = api.gql('{ items(activeOnly: true) { code } }')["items"]
    assert "RM-BOX" not in [i["code"] for i in active]
    assert api.ok(REACTIVATE_ITEM, {"code": "RM-BOX"})["item"]["active"] is True

    warehouses = api.gql('{ warehouses { code locations { code quarantine } } }')["warehouses"]
    assert warehouses[1] == {"code": "WH-RM", "locations": [
        {"code": "A1", "quarantine": False}, {"code": "A2", "quarantine": False},
        {"code": "QC", "quarantine": True}]}
    grown = api.ok(ADD_LOCATION, {"warehouse": "WH-FG", "location": "F2"})["warehouse"]
    assert [loc["code"] for loc in grown["locations"]] == ["F1", "F2", "QC"]

    customers = api.gql('{ parties(role: CUSTOMER) { code roles uscc } }')["parties"]
    assert customers == [{"code": "CUS-HW", "roles": ["CUSTOMER"], "uscc": USCC_CUSTOMER}]
    both = api.ok(CHANGE_PARTY, {"code": "CUS-HW", "name": "杭州五金贸易有限公司",
                                 "roles": ["CUSTOMER", "SUPPLIER"], "uscc": USCC_CUSTOMER,
                                 "bank": "工商银行", "paymentTermsDays": 60})["party"]
    assert (both["roles"], both["bank"], both["paymentTermsDays"]) == (
        ["CUSTOMER", "SUPPLIER"], "工商银行", 60)
    suppliers = api.gql('{ parties(role: SUPPLIER) { code } }')["parties"]
    assert [p["code"] for p in suppliers] == ["CUS-HW", "SUP-STEEL"]


def test_paging_the_stock_card_and_the_documents(company):
    api = company
    for day in ("2026-11-05", "2026-11-06", "2026-11-07"):
        api.ok(ADJUST, {"postingDate": day, "reason": "opening stock", "lines": [
            {"item": "RM-ZINC", "warehouse": "WH-RM", "qty": "1", "unitCost": "20.00"}]})
    card = api.gql(STOCK_CARD, {"item": "RM-ZINC", "first": 2})["stockCard"]
    assert [e["node"]["balanceQty"] for e in card["edges"]] == ["1", "2"]
    assert card["pageInfo"]["hasNextPage"] is True
    rest = api.gql(STOCK_CARD, {"item": "RM-ZINC", "first": 2,
                                "after": card["pageInfo"]["endCursor"]})["stockCard"]
    assert [e["node"]["balanceValue"] for e in rest["edges"]] == ["60.00"]
    assert rest["pageInfo"]["hasNextPage"] is False
    docs = api.gql('{ stockDocuments(kind: ADJUSTMENT, from: "2026-11-06", to: "2026-11-30") '
                   '{ edges { node { number postingDate } } } }')["stockDocuments"]
    assert [e["node"]["number"] for e in docs["edges"]] == ["AJ-000002", "AJ-000003"]
    errors = api.errors('{ stockCard(item: "RM-ZINC", first: 0) { pageInfo { hasNextPage } } }')
    assert errors[0]["extensions"]["field"] == "first"
    errors = api.errors('{ stockDocuments(after: "bm9wZQ==") { pageInfo { hasNextPage } } }')
    assert errors[0]["extensions"] == {"type": "ValidationError", "field": "after"}
    errors = api.errors('{ inventoryValuation(period: "2026-13") { total } }')
    assert errors[0]["extensions"]["field"] == "period"
    errors = api.errors('{ onHand(waitFor: 999999) { qty } }')
    assert errors[0]["extensions"] == {"type": "ValidationError", "field": "waitFor"}
    latest = api.log_position()
    assert len(api.gql(f'{{ onHand(item: "RM-ZINC", waitFor: {latest}) {{ qty }} }}')
               ["onHand"]) == 1


# -- every bad input is a typed error and writes nothing ------------------------------------
@pytest.fixture(scope="module")
def scene(module_store_url):
    """PO-000001 received in full, PO-000002 cancelled, PO-000003 confirmed and open,
    SO-000001 confirmed for 10 FG-KIT with 10 in stock. Shared by the module's
    bad-input tests (each must write nothing, and says so), so built once per store."""
    rt = Runtime(parse_database_url(module_store_url))
    try:
        with TestClient(create_app(rt), raise_server_exceptions=False) as client:
            yield _scene(set_up_company(SupplyApi(client, rt)))
    finally:
        rt.close()


def _scene(api: SupplyApi) -> SupplyApi:
    po1 = create_po1(api)
    api.ok(CONFIRM_PO, {"number": po1})
    api.ok(RECEIVE_PO, {"number": po1, "postingDate": D3, "lines": RECEIVE_ALL})
    api.ok(CANCEL_PO, {"number": create_po1(api)})
    api.ok(CONFIRM_PO, {"number": create_po1(api)})
    api.ok(ADJUST, {"postingDate": D14, "offsetAccount": "400101", "reason": "stand-in",
                    "lines": [{"item": "FG-KIT", "warehouse": "WH-FG", "qty": "10",
                               "unitCost": "49.50"}]})
    so = api.ok(CREATE_SO, {"customer": "CUS-HW", "orderDate": D4, "lines": SO1_LINES})
    api.ok(CONFIRM_SO, {"number": so["order"]["number"]})
    return api


BAD_USCC = USCC_SUPPLIER[:17] + ("X" if USCC_SUPPLIER[17] != "X" else "Y")
ITEM_IN = {"code": "RM-WIRE", "name": "wire", "uom": "kg", "itemType": "RAW"}
PARTY_IN = {"code": "SUP-NEW", "name": "新供应商", "roles": ["SUPPLIER"], "uscc": USCC_SUPPLIER}


def po_line(**kw) -> dict:
    return {"supplier": "SUP-STEEL", "orderDate": "2026-11-02",
            "lines": [{"item": "RM-STEEL", "qty": "1", "unitPrice": "5.00", "dueDate": D3, **kw}]}


def so_line(**kw) -> dict:
    return {"customer": "CUS-HW", "orderDate": D4,
            "lines": [{"item": "FG-KIT", "qty": "1", "unitPrice": "200.00", "dueDate": D20,
                       **kw}]}


def moves(number: str, **kw) -> dict:
    return {"number": number, "postingDate": D16, "lines": [{"lineNo": 1, "qty": "1", **kw}]}


def transfer(**kw) -> dict:
    return {"postingDate": D16, "lines": [{"item": "RM-STEEL", "qty": "1",
                                           "fromWarehouse": "WH-RM", "toWarehouse": "WH-FG",
                                           **kw}]}


def count(warehouse: str = "WH-RM", **kw) -> dict:
    return {"postingDate": D16, "warehouse": warehouse,
            "lines": [{"item": "RM-STEEL", "countedQty": "99", **kw}]}


def adjust(reason: str = "write-off", **kw) -> dict:
    return {"postingDate": D16, "reason": reason,
            "lines": [{"item": "RM-STEEL", "warehouse": "WH-RM", "qty": "-1", **kw}]}


PO, OPEN_PO, SO = "PO-000001", "PO-000003", "SO-000001"
BAD_INPUTS = [
    # (case, mutation, input, typename, field / key / code)
    # master data
    ("item code with a space", CREATE_ITEM, {**ITEM_IN, "code": "RM WIRE"},
     "ValidationError", "code"),
    ("item standard cost with 7 places", CREATE_ITEM, {**ITEM_IN, "standardCost": "1.1234567"},
     "ValidationError", "standardCost"),
    ("item VAT rate not a Chinese rate", CREATE_ITEM, {**ITEM_IN, "vatRate": "0.15"},
     "ValidationError", "vatRate"),
    ("item inventory account unknown", CREATE_ITEM, {**ITEM_IN, "inventoryAccount": "9999"},
     "NotFound", "9999"),
    ("item exists", CREATE_ITEM, {**ITEM_IN, "code": "RM-STEEL"},
     "BusinessRuleViolation", "ITEM_EXISTS"),
    ("change unknown item", CHANGE_ITEM, {"code": "RM-NONE", "name": "x"}, "NotFound", "RM-NONE"),
    ("change item empty name", CHANGE_ITEM, {"code": "RM-STEEL", "name": " "},
     "ValidationError", "name"),
    ("deactivate unknown item", DEACTIVATE_ITEM, {"code": "RM-NONE"}, "NotFound", "RM-NONE"),
    ("reactivate an active item", REACTIVATE_ITEM, {"code": "RM-STEEL"},
     "BusinessRuleViolation", "ITEM_STATE_UNCHANGED"),
    ("warehouse exists", CREATE_WAREHOUSE, {"code": "WH-RM", "name": "again"},
     "BusinessRuleViolation", "WAREHOUSE_EXISTS"),
    ("location in an unknown warehouse", ADD_LOCATION, {"warehouse": "WH-XX", "location": "B1"},
     "NotFound", "WH-XX"),
    ("location exists", ADD_LOCATION, {"warehouse": "WH-RM", "location": "A1"},
     "BusinessRuleViolation", "LOCATION_EXISTS"),
    ("USCC with a wrong check character", REGISTER_PARTY, {**PARTY_IN, "uscc": BAD_USCC},
     "ValidationError", "uscc"),
    ("USCC too short", REGISTER_PARTY, {**PARTY_IN, "uscc": "91350100M000100"},
     "ValidationError", "uscc"),
    ("USCC with a letter I", REGISTER_PARTY, {**PARTY_IN, "uscc": "91350100I000100Y43"},
     "ValidationError", "uscc"),
    ("party without a role", REGISTER_PARTY, {**PARTY_IN, "roles": []}, "ValidationError", "roles"),
    ("change party to a bad USCC", CHANGE_PARTY,
     {**PARTY_IN, "code": "SUP-STEEL", "uscc": BAD_USCC}, "ValidationError", "uscc"),
    ("change unknown party", CHANGE_PARTY, PARTY_IN, "NotFound", "SUP-NEW"),
    # purchasing
    ("PO unknown item", CREATE_PO, po_line(item="RM-NONE"), "NotFound", "RM-NONE"),
    ("PO zero quantity", CREATE_PO, po_line(qty="0"), "ValidationError", "lines.0.qty"),
    ("PO negative quantity", CREATE_PO, po_line(qty="-5"), "ValidationError", "lines.0.qty"),
    ("PO quantity with 7 places", CREATE_PO, po_line(qty="1.0000001"),
     "ValidationError", "lines.0.qty"),
    ("PO price with 7 places", CREATE_PO, po_line(unitPrice="5.0000001"),
     "ValidationError", "lines.0.unitPrice"),
    ("PO wrong warehouse", CREATE_PO, po_line(warehouse="WH-XX"), "NotFound", "WH-XX"),
    ("PO due before the order", CREATE_PO, po_line(dueDate="2026-11-01"),
     "ValidationError", "lines.0.dueDate"),
    ("PO unknown supplier", CREATE_PO, {**po_line(), "supplier": "SUP-NONE"},
     "NotFound", "SUP-NONE"),
    ("PO to a customer", CREATE_PO, {**po_line(), "supplier": "CUS-HW"},
     "BusinessRuleViolation", "WRONG_PARTY_ROLE"),
    ("PO without lines", CREATE_PO, {**po_line(), "lines": []}, "ValidationError", "lines"),
    ("PO tolerance above 100%", CREATE_PO, {**po_line(), "overReceiptTolerance": "1.5"},
     "ValidationError", "overReceiptTolerance"),
    ("confirm unknown PO", CONFIRM_PO, {"number": "PO-999999"}, "NotFound", "PO-999999"),
    ("confirm a cancelled PO", CONFIRM_PO, {"number": "PO-000002"},
     "BusinessRuleViolation", "INVALID_STATUS"),
    ("cancel a received PO", CANCEL_PO, {"number": PO},
     "BusinessRuleViolation", "ORDER_PARTLY_DELIVERED"),
    ("amend PO negative quantity", AMEND_PO, {"number": OPEN_PO, "lineNo": 1, "qty": "-1"},
     "ValidationError", "qty"),
    ("receive against a cancelled PO", RECEIVE_PO, moves("PO-000002"),
     "BusinessRuleViolation", "ORDER_NOT_OPEN"),
    ("receive a closed PO again", RECEIVE_PO, moves(PO),
     "BusinessRuleViolation", "ORDER_NOT_OPEN"),
    ("receive beyond the order", RECEIVE_PO, moves(OPEN_PO, qty="100.000001"),
     "BusinessRuleViolation", "OVER_RECEIPT"),
    ("receive zero", RECEIVE_PO, moves(OPEN_PO, qty="0"), "ValidationError", "lines.0.qty"),
    ("receive into a wrong warehouse", RECEIVE_PO, moves(OPEN_PO, warehouse="WH-XX"),
     "NotFound", "WH-XX"),
    ("receive an unknown line", RECEIVE_PO, {**moves(OPEN_PO), "lines": [{"lineNo": 7,
                                                                         "qty": "1"}]},
     "NotFound", "PO-000003/7"),
    ("receive unknown PO", RECEIVE_PO, moves("PO-999999"), "NotFound", "PO-999999"),
    ("return more than received", RETURN_TO_SUPPLIER, moves(PO, qty="101"),
     "BusinessRuleViolation", "RETURN_EXCEEDS_RECEIPTS"),
    ("return from a wrong warehouse", RETURN_TO_SUPPLIER, moves(PO, warehouse="WH-XX"),
     "NotFound", "WH-XX"),
    ("return from a wrong location", RETURN_TO_SUPPLIER, moves(PO, location="Z9"),
     "ValidationError", "lines.0.location"),
    ("return with 7 places", RETURN_TO_SUPPLIER, moves(PO, qty="0.0000001"),
     "ValidationError", "lines.0.qty"),
    # sales
    ("SO unknown item", CREATE_SO, so_line(item="FG-NONE"), "NotFound", "FG-NONE"),
    ("SO zero quantity", CREATE_SO, so_line(qty="0"), "ValidationError", "lines.0.qty"),
    ("SO negative price", CREATE_SO, so_line(unitPrice="-1"),
     "ValidationError", "lines.0.unitPrice"),
    ("SO wrong warehouse", CREATE_SO, so_line(warehouse="WH-XX"), "NotFound", "WH-XX"),
    ("SO to a supplier", CREATE_SO, {**so_line(), "customer": "SUP-STEEL"},
     "BusinessRuleViolation", "WRONG_PARTY_ROLE"),
    ("confirm a confirmed SO", CONFIRM_SO, {"number": SO},
     "BusinessRuleViolation", "INVALID_STATUS"),
    ("reserve unknown SO", RESERVE_SO, {"number": "SO-999999"}, "NotFound", "SO-999999"),
    ("cancel unknown SO", CANCEL_SO, {"number": "SO-999999"}, "NotFound", "SO-999999"),
    ("amend SO price with 7 places", AMEND_SO,
     {"number": SO, "lineNo": 1, "unitPrice": "1.0000001"}, "ValidationError", "unitPrice"),
    ("amend SO unknown line", AMEND_SO, {"number": SO, "lineNo": 9, "qty": "1"},
     "NotFound", "SO-000001/9"),
    ("ship beyond the order", SHIP_SO, moves(SO, qty="11"),
     "BusinessRuleViolation", "OVER_SHIPMENT"),
    ("ship negative", SHIP_SO, moves(SO, qty="-1"), "ValidationError", "lines.0.qty"),
    ("ship with 7 places", SHIP_SO, moves(SO, qty="1.0000001"), "ValidationError", "lines.0.qty"),
    ("ship from a wrong warehouse", SHIP_SO, moves(SO, warehouse="WH-XX"), "NotFound", "WH-XX"),
    ("ship from a warehouse without stock", SHIP_SO, moves(SO, warehouse="WH-RM"),
     "BusinessRuleViolation", "INSUFFICIENT_STOCK"),
    ("customer return before any shipment", RETURN_FROM_CUSTOMER, moves(SO),
     "BusinessRuleViolation", "RETURN_EXCEEDS_SHIPMENTS"),
    # inventory
    ("transfer unknown item", TRANSFER, transfer(item="RM-NONE"), "NotFound", "RM-NONE"),
    ("transfer zero", TRANSFER, transfer(qty="0"), "ValidationError", "lines.0.qty"),
    ("transfer with 7 places", TRANSFER, transfer(qty="0.1234567"),
     "ValidationError", "lines.0.qty"),
    ("transfer to a wrong warehouse", TRANSFER, transfer(toWarehouse="WH-XX"),
     "NotFound", "WH-XX"),
    ("transfer more than on hand", TRANSFER, transfer(qty="101"),
     "BusinessRuleViolation", "INSUFFICIENT_STOCK"),
    ("transfer to the same place", TRANSFER, transfer(toWarehouse="WH-RM"),
     "ValidationError", "lines.0"),
    ("count unknown item", COUNT, count(item="RM-NONE"), "NotFound", "RM-NONE"),
    ("count in a wrong warehouse", COUNT, count("WH-XX"), "NotFound", "WH-XX"),
    ("count negative", COUNT, count(countedQty="-1"), "ValidationError", "lines.0.countedQty"),
    ("count with 7 places", COUNT, count(countedQty="99.0000001"),
     "ValidationError", "lines.0.countedQty"),
    ("adjust zero", ADJUST, adjust(qty="0"), "ValidationError", "lines.0.qty"),
    ("adjust with 7 places", ADJUST, adjust(qty="-0.0000001"), "ValidationError", "lines.0.qty"),
    ("adjust unknown item", ADJUST, adjust(item="RM-NONE"), "NotFound", "RM-NONE"),
    ("adjust in a wrong warehouse", ADJUST, adjust(warehouse="WH-XX"), "NotFound", "WH-XX"),
    ("adjust without a reason", ADJUST, adjust(reason="  "), "ValidationError", "reason"),
    ("adjust below zero stock", ADJUST, adjust(qty="-101"),
     "BusinessRuleViolation", "INSUFFICIENT_STOCK"),
    ("adjust against a parent account", ADJUST, {**adjust(), "offsetAccount": "4001"},
     "BusinessRuleViolation", "ACCOUNT_NOT_LEAF"),
]


@pytest.mark.parametrize(
    "query, input_, typename, detail",
    [case[1:] for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
def test_a_bad_supply_chain_command_is_a_typed_error_and_writes_nothing(
    scene, query, input_, typename, detail
):
    error = scene.refused(query, input_)
    assert error["__typename"] == typename, error
    assert detail == {"ValidationError": error.get("field"), "NotFound": error.get("key"),
                      "BusinessRuleViolation": error.get("code")}[typename], error
    recon = scene.gql(RECONCILIATION)["inventoryReconciliation"]
    assert {r["difference"] for r in recon} == {"0.00"}


@pytest.mark.parametrize("qty", ["abc", "1e", True, [1]])
def test_a_quantity_that_is_not_a_number_is_a_graphql_error_not_a_500(company, qty):
    before = company.log_position()
    errors = company.errors(CREATE_PO, {"input": po_line(qty=qty)})
    assert "qty" in errors[0]["message"]
    assert company.log_position() == before


def test_a_bad_enum_or_missing_field_is_a_graphql_error(company):
    before = company.log_position()
    assert company.errors(CREATE_ITEM, {"input": {**ITEM_IN, "itemType": "GADGET"}})
    assert company.errors(RECEIVE_PO, {"input": {"number": PO, "lines": []}})
    assert company.log_position() == before
