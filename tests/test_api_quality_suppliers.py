"""Supplier quality -> purchasing and planning through GraphQL, on SQLite and
PostgreSQL: quality's approved supplier list per item (approveSuppliers,
approvedSuppliers), MRP's planned purchase proposing the preferred approved
supplier not flagged for quality and switching when the first is flagged,
falling back with a suppliers_flagged message when all are, and firming
with the supplier proposed."""

from __future__ import annotations

import pytest

from tests.scenes.quality_api import DEC, FLAGS, RECORD, QualityApi, set_up_quality_company
from tests.scenes.supply_api import (
    CONFIRM_PO,
    CONFIRM_SO,
    CREATE_SO,
    RECEIVE_PO,
    REGISTER_PARTY,
    command,
)

USCC_ALT = "91330100MA2GALT01N"
APPROVED = "item rank supplier approvedOn flagged"
APPROVE = command("approveSuppliers", f"item suppliers {{ {APPROVED} }}")
APPROVED_QUERY = f"query A($item: String) {{ approvedSuppliers(item: $item) {{ {APPROVED} }} }}"
PLANNED = "id item kind qty needDate supplier firmedAs"
RUN_MRP = command("runMrp", f"run {{ number plannedOrders {{ {PLANNED} }} "
                  "exceptions { kind item ref message } }")
FIRM = command("firmPlannedOrder", f"order kind plannedOrder {{ {PLANNED} }}")
ORDER = "query O($n: String!) { order(number: $n) { number party status lines { item qty } } }"


@pytest.fixture
def q(api):
    qa = QualityApi(api.client, api.runtime)
    set_up_quality_company(qa)
    qa.ok(REGISTER_PARTY, {"code": "SUP-ALT", "name": "温州垫圈厂", "roles": ["SUPPLIER"],
                           "uscc": USCC_ALT})
    return qa


def _washers_planned(q: QualityApi) -> tuple[str, dict, list[tuple[str, str, str]]]:
    """An MRP run on 3 Dec: (its number, its planned purchase of washers, its messages)."""
    run = q.ok(RUN_MRP, {"today": DEC[3]})["run"]
    (washers,) = [p for p in run["plannedOrders"] if p["item"] == "RM-WASHER"]
    return run["number"], washers, [(x["kind"], x["ref"], x["message"])
                                    for x in run["exceptions"]]


def _rejected_lot(q: QualityApi, supplier: str, qty: str, lot: str) -> None:
    """A receipt of ``qty`` washers from ``supplier``, its IQC lot rejected (2 burrs)."""
    from tests.scenes.supply_api import CREATE_PO

    po = q.ok(CREATE_PO, {"supplier": supplier, "orderDate": DEC[2], "lines": [
        {"item": "RM-WASHER", "qty": qty, "unitPrice": "0.40", "dueDate": DEC[2]}]})["order"]
    q.ok(CONFIRM_PO, {"number": po["number"]})
    q.ok(RECEIVE_PO, {"number": po["number"], "postingDate": DEC[2],
                      "lines": [{"lineNo": 1, "qty": qty}]})
    out = q.ok(RECORD, {"number": lot, "inspectedOn": DEC[3], "defects": [
        {"characteristic": "LOOK", "defectCode": "BURR", "count": 2}]})
    assert (out["lot"]["supplier"], out["lot"]["verdict"]) == (supplier, "REJECT")


def test_mrp_proposes_the_preferred_approved_supplier_not_flagged_for_quality(q):
    approved = q.ok(APPROVE, {"item": "rm-washer", "suppliers": ["SUP-WASH", "sup-alt"]})
    assert approved["item"] == "RM-WASHER"
    assert [(s["rank"], s["supplier"], s["flagged"]) for s in approved["suppliers"]] == [
        (1, "SUP-WASH", False), (2, "SUP-ALT", False)]
    so = q.ok(CREATE_SO, {"customer": "CUS-MACH", "orderDate": DEC[1], "lines": [
        {"item": "RM-WASHER", "qty": "100", "unitPrice": "1.00", "dueDate": DEC[21]}]})
    q.ok(CONFIRM_SO, {"number": so["order"]["number"]})
    # Nothing flagged: the preferred supplier.
    run, washers, messages = _washers_planned(q)
    assert (run, washers["qty"], washers["needDate"], washers["supplier"], messages) == (
        "MRP-000001", "100", DEC[21], "SUP-WASH", [])
    # SUP-WASH's first lot is rejected (min 1 lot, threshold 0.90): flagged. MRP switches.
    _rejected_lot(q, "SUP-WASH", "500", "IL-000001")
    assert q.gql(APPROVED_QUERY, {"item": "RM-WASHER"})["approvedSuppliers"] == [
        {"item": "RM-WASHER", "rank": 1, "supplier": "SUP-WASH", "approvedOn": "2027-01-31",
         "flagged": True},
        {"item": "RM-WASHER", "rank": 2, "supplier": "SUP-ALT", "approvedOn": "2027-01-31",
         "flagged": False}]
    run, washers, messages = _washers_planned(q)
    assert (run, washers["qty"], washers["supplier"], messages) == (
        "MRP-000002", "100", "SUP-ALT", [])
    # Firmed without naming a supplier: the order goes to the supplier proposed.
    firmed = q.ok(FIRM, {"run": run, "plannedId": washers["id"], "unitPrice": "0.42"})
    assert (firmed["order"], firmed["kind"], firmed["plannedOrder"]["firmedAs"]) == (
        "PO-000002", "purchase_order", "PO-000002")
    order = q.gql(ORDER, {"n": "PO-000002"})["order"]
    assert (order["party"], order["status"], order["lines"]) == (
        "SUP-ALT", "DRAFT", [{"item": "RM-WASHER", "qty": "100"}])
    # SUP-ALT's lot is rejected as well: every approved supplier is flagged; the preferred
    # one is proposed, with a message.
    q.ok(CONFIRM_PO, {"number": "PO-000002"})
    q.ok(RECEIVE_PO, {"number": "PO-000002", "postingDate": DEC[2],
                      "lines": [{"lineNo": 1, "qty": "100"}]})
    out = q.ok(RECORD, {"number": "IL-000002", "inspectedOn": DEC[3], "defects": [
        {"characteristic": "LOOK", "defectCode": "BURR", "count": 2}]})
    assert (out["lot"]["supplier"], out["lot"]["verdict"]) == ("SUP-ALT", "REJECT")
    assert [(f["supplier"], f["flagged"]) for f in q.gql(FLAGS)["supplierFlags"]] == [
        ("SUP-ALT", True), ("SUP-WASH", True)]
    run, washers, messages = _washers_planned(q)
    assert (run, washers["qty"], washers["supplier"]) == ("MRP-000003", "100", "SUP-WASH")
    assert messages == [(
        "suppliers_flagged", washers["id"],
        f"{washers['id']} (RM-WASHER): every approved supplier is flagged for incoming "
        "quality (SUP-WASH, SUP-ALT); SUP-WASH, the preferred one, is proposed")]
    # An item without approved suppliers proposes none: firming still needs one.
    q.ok(APPROVE, {"item": "RM-WASHER", "suppliers": []})
    assert q.gql(APPROVED_QUERY, {"item": "RM-WASHER"})["approvedSuppliers"] == []
    run, washers, messages = _washers_planned(q)
    assert (washers["supplier"], messages) == (None, [])
    assert q.refused(FIRM, {"run": run, "plannedId": washers["id"]})["field"] == "supplier"


def test_approving_suppliers_takes_registered_suppliers_once_each_by_an_inspector(q):
    from domain.users.directory import new_token

    bad = [
        ({"item": "NO-ITEM", "suppliers": ["SUP-WASH"]}, "NotFound", "Item"),
        ({"item": "RM-WASHER", "suppliers": ["SUP-NONE"]}, "NotFound", "Party"),
        ({"item": "RM-WASHER", "suppliers": ["CUS-MACH"]}, "BusinessRuleViolation",
         "WRONG_PARTY_ROLE"),
        ({"item": "RM-WASHER", "suppliers": ["SUP-WASH", "sup-wash"]}, "ValidationError",
         "suppliers.1"),
        ({"item": "RM-WASHER", "suppliers": [" "]}, "ValidationError", "suppliers.0"),
    ]
    for input_, kind, detail in bad:
        error = q.refused(APPROVE, input_)
        assert error["__typename"] == kind, (input_, error)
        assert detail in (error.get("field") or error.get("code") or error.get("kind") or "")
    inspector, planner = new_token(), new_token()
    q.runtime.app.create_user("zhang", ["inspector"], inspector)
    q.runtime.app.create_user("li", ["planner"], planner)
    approve = {"item": "RM-WASHER", "suppliers": ["SUP-ALT"]}
    denied = q.command(APPROVE, approve, {"Authorization": f"Bearer {planner}"})
    assert denied["__typename"] == "PermissionDenied"
    done = q.command(APPROVE, approve, {"Authorization": f"Bearer {inspector}"})
    assert [s["supplier"] for s in done["suppliers"]] == ["SUP-ALT"]
    # The planner reads the list (quality area).
    read = q.gql(APPROVED_QUERY, {}, {"Authorization": f"Bearer {planner}"})
    assert [s["supplier"] for s in read["approvedSuppliers"]] == ["SUP-ALT"]


ALERTS = "{ qualityAlerts { kind subject raisedAt } }"
ORDER_FLAG = """query O($n: String!) { order(number: $n) { number kind party supplierFlagged
  qualityFlag { supplier reason message flaggedAt } } }"""
PURCHASE_ORDERS = """query P($s: String) { purchaseOrders(supplier: $s) { edges { node {
  number supplierFlagged qualityFlag { supplier } } } } }"""


def test_a_purchase_order_placed_with_a_flagged_supplier_shows_its_flag(q):
    from tests.scenes.supply_api import CREATE_PO

    def po(supplier: str) -> str:
        return q.ok(CREATE_PO, {"supplier": supplier, "orderDate": DEC[4], "lines": [
            {"item": "RM-WASHER", "qty": "100", "unitPrice": "0.40",
             "dueDate": DEC[20]}]})["order"]["number"]

    _rejected_lot(q, "SUP-WASH", "500", "IL-000001")  # PO-000001, placed before the flag
    flagged, other = po("SUP-WASH"), po("SUP-ALT")
    assert (flagged, other) == ("PO-000002", "PO-000003")
    order = q.gql(ORDER_FLAG, {"n": flagged})["order"]
    assert (order["kind"], order["party"], order["supplierFlagged"]) == (
        "PURCHASE", "SUP-WASH", True)
    # flaggedAt is when the order was recorded: the instant its alert was raised.
    (raised,) = [a["raisedAt"] for a in q.gql(ALERTS)["qualityAlerts"]
                 if a["kind"] == "flagged_supplier_order"]
    assert order["qualityFlag"] == {
        "supplier": "SUP-WASH",
        "reason": "SUP-WASH: 0.0000 of its last 1 incoming lots accepted, below the "
                  "threshold 0.90",
        "message": "PO-000002 placed with SUP-WASH, flagged for incoming quality; prefer "
                   "another approved supplier",
        "flaggedAt": raised}
    assert raised.endswith("+00:00")
    # Placed before the flag: not flagged itself, but its supplier is now.
    first = q.gql(ORDER_FLAG, {"n": "PO-000001"})["order"]
    assert (first["qualityFlag"], first["supplierFlagged"]) == (None, True)
    alt = q.gql(ORDER_FLAG, {"n": other})["order"]
    assert (alt["qualityFlag"], alt["supplierFlagged"]) == (None, False)
    listed = q.gql(PURCHASE_ORDERS, {"s": "SUP-WASH"})["purchaseOrders"]["edges"]
    assert [(e["node"]["number"], e["node"]["supplierFlagged"],
             e["node"]["qualityFlag"]) for e in listed] == [
        ("PO-000001", True, None), ("PO-000002", True, {"supplier": "SUP-WASH"})]
    # A sales order has neither.
    so = q.ok(CREATE_SO, {"customer": "CUS-MACH", "orderDate": DEC[4], "lines": [
        {"item": "RM-WASHER", "qty": "1", "unitPrice": "1.00", "dueDate": DEC[20]}]})
    sales = q.gql(ORDER_FLAG, {"n": so["order"]["number"]})["order"]
    assert (sales["kind"], sales["qualityFlag"], sales["supplierFlagged"]) == (
        "SALES", None, None)


def test_a_viewer_reading_orders_but_not_quality_is_refused_the_flag(q):
    from domain.users.directory import new_token

    _rejected_lot(q, "SUP-WASH", "500", "IL-000001")
    viewer = new_token()
    q.runtime.app.create_user("board", ["viewer"], viewer)
    q.runtime.app.set_viewer_read_areas(["master-data", "orders"])
    body = q.post({"query": ORDER_FLAG, "variables": {"n": "PO-000001"}},
                  headers={"Authorization": f"Bearer {viewer}"}).json()
    assert (body["data"]["order"]["number"], body["data"]["order"]["qualityFlag"]) == (
        "PO-000001", None)
    refused = sorted((e["extensions"]["query"], tuple(e["extensions"]["roles"]))
                     for e in body["errors"])
    readers = ("accountant", "admin", "inspector", "planner", "storekeeper")
    assert refused == [("Order.qualityFlag", readers), ("Order.supplierFlagged", readers)]
