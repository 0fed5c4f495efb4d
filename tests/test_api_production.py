"""Production (MES) through GraphQL over HTTP and WebSocket, on SQLite and PostgreSQL.

Steps 1, 2, 4 and 6-8 of the bolt-kit month (docs/examples/bolt-kit.md)
end to end: every voucher of steps 6-8, the stock and the WIP, exact. A scan
retried with its key records once; bad input comes back as a typed error and
writes nothing; a board subscribed to workOrderProgress sees a report.
"""

from __future__ import annotations

from tests.scenes.production_api import (
    CLOSE_WO,
    COMPLETE,
    CREATE_WO,
    D4,
    D5,
    D6,
    D10,
    D16,
    DEFINE_WC,
    ISSUE,
    REGISTER_OPERATOR,
    RELEASE_WO,
    REPORT_OP,
    SAVE_BOM,
    SAVE_ROUTING,
    SCAN,
    SCAN_LEAN,
    START_OP,
    SUBSCRIBE,
    WO1,
    WO2,
    WO3,
    WORK_CENTER,
    WORK_ORDER,
    make_wo1,
)
from tests.scenes.supply_api import (
    CONFIRM_SO,
    CREATE_SO,
    DOCUMENT,
    SHIP_SO,
    SO1_LINES,
    SupplyApi,
    command,
    lines_of,
)

SET_SETTINGS = command("setProductionSettings", "settings { wipAccount abnormalScrapTo5711 }")
HOLD_WO = command("holdWorkOrder", "workOrder { number status }")
CANCEL_WO = command("cancelWorkOrder", "workOrder { number status }")
PAUSE_OP = command("pauseOperation", "workOrder { status operations { opNo status } }")
RESUME_OP = command("resumeOperation", "workOrder { status operations { opNo status } }")
RETURN = command("returnMaterial", f"document {{ {DOCUMENT} }} workOrder {{ {WORK_ORDER} }}")


def wip_and_stock(api: SupplyApi) -> tuple[dict, dict]:
    data = api.gql("""{ wipReconciliation { wipTotal glBalance difference }
                        inventoryReconciliation { account stockValue glBalance difference }
                        onHand { item qty value } }""")
    return data, {r["item"]: (r["qty"], r["value"]) for r in data["onHand"]}


# -- the bolt-kit month, steps 1, 2, 4 and 6-8 ------------------------------------------------
def test_bolt_kit_production_through_graphql_costs_blanks_at_0_37_and_kits_at_49_50(factory):
    api = factory
    # 4. SO-1: 10 FG-KIT @ 200.00.
    so = api.ok(CREATE_SO, {"customer": "CUS-HW", "orderDate": D4, "lines": SO1_LINES})
    so_number = so["order"]["number"]
    api.ok(CONFIRM_SO, {"number": so_number})

    centers = api.gql(f"{{ workCenters {{ {WORK_CENTER} }} }}")["workCenters"]
    assert [(c["code"], c["laborRate"], c["overheadRate"], c["capacity"]) for c in centers] == [
        ("WC-HEAD", "40.00", "20.00", 1), ("WC-PACK", "25.00", "5.00", 1),
        ("WC-PLATE", "30.00", "50.00", 1)]
    assert centers[0]["shifts"][0] == {"weekday": 0, "start": "08:00", "end": "16:00"}
    boms = api.gql('{ boms(item: "fg-kit") { version lines { component qtyPer } } }')["boms"]
    assert boms == [{"version": "V1", "lines": [
        {"component": "SA-BLANK", "qtyPer": "100"}, {"component": "RM-ZINC", "qtyPer": "0.1"},
        {"component": "RM-BOX", "qtyPer": "1"}]}]
    routings = api.gql("{ routings { item operations { opNo workCenter runHoursPerUnit } } }")
    assert [(r["item"], [(o["opNo"], o["workCenter"], o["runHoursPerUnit"])
                         for o in r["operations"]]) for r in routings["routings"]] == [
        ("FG-KIT", [("OP10", "WC-PLATE", "0.1"), ("OP20", "WC-PACK", "0.05")]),
        ("SA-BLANK", [("OP10", "WC-HEAD", "0.002")])]

    # 6. WO-1, SA-BLANK x 1,000, released and run.
    wo1 = make_wo1(api)
    assert wo1 == "WO-000001"
    dispatch = api.gql('{ dispatchList(workCenter: "WC-HEAD") { number scanCode available '
                       'remaining standardHours } }')["dispatchList"]
    assert dispatch == [{"number": wo1, "scanCode": "WO-000001/OP10", "available": "1000",
                         "remaining": "1000", "standardHours": "2"}]
    issued = api.ok(ISSUE, {"number": wo1, "postingDate": D5,
                            "lines": [{"lineNo": 1, "qty": "50"}]})
    doc = issued["document"]
    assert (doc["kind"], doc["order"], doc["voucherNo"], doc["totalValue"]) == (
        "MATERIAL_ISSUE", wo1, "记-0003", "-250.00")
    assert lines_of(doc["entry"]) == [("400101", "250.00", "0.00"), ("1403", "0.00", "250.00")]
    assert issued["workOrder"]["materials"] == [
        {"lineNo": 1, "component": "RM-STEEL", "required": "50", "issued": "50",
         "returned": "0", "outstanding": "0", "issuedValue": "250.00"}]

    scanned = api.ok(SCAN, {"code": "wo-000001/op10", "postingDate": D5, "good": "1000",
                            "laborHours": "2.0", "idempotencyKey": "scan-wo1-op10"})
    assert (scanned["number"], scanned["opNo"], scanned["voucherNo"], scanned["flagged"]) == (
        wo1, "OP10", "记-0004", "")
    assert lines_of(scanned["entry"]) == [("400101", "120.00", "0.00"),
                                          ("2211", "0.00", "80.00"), ("4101", "0.00", "40.00")]

    done = api.ok(COMPLETE, {"number": wo1, "postingDate": D6, "qty": "1000"})
    doc = done["document"]
    assert (doc["kind"], doc["voucherNo"], doc["totalValue"]) == ("COMPLETION", "记-0005",
                                                                  "370.00")
    assert [(ln["item"], ln["warehouse"], ln["qty"], ln["value"]) for ln in doc["lines"]] == [
        ("SA-BLANK", "WH-FG", "1000", "370.00")]
    assert lines_of(doc["entry"]) == [("140502", "370.00", "0.00"), ("400101", "0.00", "370.00")]
    wo = done["workOrder"]
    assert (wo["status"], wo["completed"], wo["unitCost"], wo["wip"], wo["unitsStillExpected"],
            wo["laborHours"], wo["standardHours"]) == (
        "COMPLETED", "1000", "0.37", "0.00", "0", "2", "2")
    assert wo["cost"] == {"material": "250.00", "labor": "80.00", "overhead": "40.00",
                          "totalIn": "370.00", "completedValue": "370.00", "variance": "0.00",
                          "wip": "0.00"}
    assert wo["operations"] == [{"opNo": "OP10", "scanCode": "WO-000001/OP10",
                                 "workCenter": "WC-HEAD", "status": "RUNNING", "good": "1000",
                                 "scrap": "0", "laborHours": "2", "standardHours": "2"}]
    assert wo["completions"] == [{"document": doc["number"], "qty": "1000", "value": "370.00"}]

    # 7. WO-2, FG-KIT x 10.
    wo2 = api.ok(CREATE_WO, {"item": "FG-KIT", "qty": "10", "dueDate": D16,
                             "createdOn": D6})["workOrder"]
    assert (wo2["number"], wo2["status"], wo2["bomVersion"], wo2["routingVersion"]) == (
        "WO-000002", "CREATED", "V1", "V1")
    assert [(m["component"], m["required"]) for m in wo2["materials"]] == [
        ("SA-BLANK", "1000"), ("RM-ZINC", "1"), ("RM-BOX", "10")]
    assert api.ok(RELEASE_WO, {"number": "WO-000002"})["status"] == "RELEASED"
    issued = api.ok(ISSUE, {"number": "WO-000002", "postingDate": D6, "lines": [
        {"lineNo": 1, "qty": "1000"}, {"lineNo": 2, "qty": "1.0"}, {"lineNo": 3, "qty": "10"}]})
    doc = issued["document"]
    assert (doc["voucherNo"], doc["totalValue"]) == ("记-0006", "-400.00")
    assert [(ln["item"], ln["qty"], ln["value"]) for ln in doc["lines"]] == [
        ("SA-BLANK", "-1000", "-370.00"), ("RM-ZINC", "-1", "-20.00"), ("RM-BOX", "-10", "-10.00")]
    assert lines_of(doc["entry"])[0] == ("400101", "400.00", "0.00")
    assert sorted(lines_of(doc["entry"])[1:]) == [("1403", "0.00", "30.00"),
                                                  ("140502", "0.00", "370.00")]

    op10 = api.ok(REPORT_OP, {"number": "WO-000002", "opNo": "OP10", "postingDate": D6,
                              "good": "10", "laborHours": "1.0"})
    assert lines_of(op10["entry"]) == [("400101", "80.00", "0.00"), ("2211", "0.00", "30.00"),
                                       ("4101", "0.00", "50.00")]
    op20 = api.ok(SCAN, {"code": "WO-000002/OP20", "postingDate": D6, "good": "10",
                         "laborHours": "0.5"})
    assert lines_of(op20["entry"]) == [("400101", "15.00", "0.00"), ("2211", "0.00", "12.50"),
                                       ("4101", "0.00", "2.50")]
    assert (op10["voucherNo"], op20["voucherNo"]) == ("记-0007", "记-0008")

    done = api.ok(COMPLETE, {"number": "WO-000002", "postingDate": D10, "qty": "10"})
    doc = done["document"]
    assert (doc["voucherNo"], doc["totalValue"], doc["lines"][0]["warehouse"]) == (
        "记-0009", "495.00", "WH-FG")
    assert lines_of(doc["entry"]) == [("140501", "495.00", "0.00"), ("400101", "0.00", "495.00")]
    wo = done["workOrder"]
    assert (wo["status"], wo["unitCost"], wo["wip"], wo["laborHours"]) == (
        "COMPLETED", "49.50", "0.00", "1.5")
    assert wo["cost"] == {"material": "400.00", "labor": "42.50", "overhead": "52.50",
                          "totalIn": "495.00", "completedValue": "495.00", "variance": "0.00",
                          "wip": "0.00"}
    assert [(r["opNo"], r["laborCost"], r["overheadCost"]) for r in wo["reports"]] == [
        ("OP10", "30.00", "50.00"), ("OP20", "12.50", "2.50")]
    ready = api.gql('{ readyToShip(item: "FG-KIT") { number lineNo openQty available } }')
    assert ready["readyToShip"] == [{"number": so_number, "lineNo": 1, "openQty": "10",
                                     "available": "10"}]

    # 8. SO-1 shipped: Dr 5401 495.00 / Cr 140501 495.00.
    shipped = api.ok(SHIP_SO, {"number": so_number, "postingDate": D16,
                               "lines": [{"lineNo": 1, "qty": "10"}]})["document"]
    assert (shipped["voucherNo"], shipped["totalValue"]) == ("记-0010", "-495.00")
    assert lines_of(shipped["entry"]) == [("5401", "495.00", "0.00"),
                                          ("140501", "0.00", "495.00")]

    # Stock, WIP of both orders and the reconciliations.
    data, stock = wip_and_stock(api)
    assert stock == {"RM-STEEL": ("50", "250.00"), "RM-ZINC": ("1", "20.00"),
                     "RM-BOX": ("10", "10.00")}
    assert data["wipReconciliation"] == {"wipTotal": "0.00", "glBalance": "0.00",
                                         "difference": "0.00"}
    assert {r["difference"] for r in data["inventoryReconciliation"]} == {"0.00"}
    assert {r["account"]: r["stockValue"] for r in data["inventoryReconciliation"]}["1403"] == (
        "280.00")
    orders = api.gql("{ workOrders { edges { node { number item status wip completed } } "
                     "pageInfo { hasNextPage } } }")["workOrders"]
    assert [e["node"] for e in orders["edges"]] == [
        {"number": "WO-000001", "item": "SA-BLANK", "status": "COMPLETED", "wip": "0.00",
         "completed": "1000"},
        {"number": "WO-000002", "item": "FG-KIT", "status": "COMPLETED", "wip": "0.00",
         "completed": "10"}]
    page = api.gql('{ workOrders(first: 1) { edges { cursor } pageInfo { hasNextPage '
                   'endCursor } } }')["workOrders"]
    assert page["pageInfo"]["hasNextPage"] is True
    rest = api.gql('query R($after: String) { workOrders(first: 1, after: $after) { edges '
                   '{ node { number } } pageInfo { hasNextPage } } }',
                   {"after": page["pageInfo"]["endCursor"]})["workOrders"]
    assert [e["node"]["number"] for e in rest["edges"]] == ["WO-000002"]
    assert rest["pageInfo"]["hasNextPage"] is False
    kpis = api.gql('{ shopKpis(from: "2026-11-01", to: "2026-11-30") { day workCenter planned '
                   'done good scrap laborHours standardHours planAttainment scrapRate } }')
    by_wc = {(k["day"], k["workCenter"]): k for k in kpis["shopKpis"]}
    head = by_wc[(D5, "WC-HEAD")]
    assert (head["good"], head["laborHours"], head["standardHours"], head["scrapRate"]) == (
        "1000", "2", "2", "0.0000")
    due = by_wc[(D10, "WC-HEAD")]
    assert (due["planned"], due["done"], due["planAttainment"]) == ("1000", "1000", "1.0000")


def test_the_same_scan_twice_with_one_key_records_once(factory):
    api = factory
    wo = make_wo1(api)
    scan = {"code": f"{wo}/OP10", "postingDate": D5, "good": "400", "laborHours": "0.8",
            "operator": "", "idempotencyKey": "scanner-7:0001"}
    first = api.ok(SCAN_LEAN, scan)
    before = api.log_position()
    again = api.ok(SCAN_LEAN, scan)
    assert api.log_position() == before
    assert (first["replayed"], again["replayed"]) == (False, True)
    assert again["logPosition"] == first["logPosition"]
    assert again["voucherNo"] == first["voucherNo"]
    detail = api.gql(f'{{ workOrder(number: "{wo}") {{ operations {{ good laborHours }} '
                     'reports { good } wip } }')["workOrder"]
    assert detail == {"operations": [{"good": "400", "laborHours": "0.8"}],
                      "reports": [{"good": "400"}], "wip": "48.00"}
    other = api.refused(SCAN_LEAN, {**scan, "good": "401"})
    assert other["__typename"] == "Conflict"


def test_a_short_order_is_held_with_its_shortages_and_becomes_releasable(factory):
    api = factory
    wo = api.ok(CREATE_WO, {"item": "FG-KIT", "qty": "10", "dueDate": D16,
                            "createdOn": D4})["workOrder"]
    held = api.ok(RELEASE_WO, {"number": wo["number"]})
    assert held["status"] == "HELD"
    assert held["shortages"] == [{"item": "SA-BLANK", "needed": "1000", "available": "0"}]
    board = api.gql("{ heldWorkOrders { number releasable shortages { item needed available } } "
                    "alerts { kind subject message } }")
    assert board["heldWorkOrders"] == [{"number": wo["number"], "releasable": False,
                                        "shortages": [{"item": "SA-BLANK", "needed": "1000",
                                                       "available": "0"}]}]
    assert [(a["kind"], a["subject"]) for a in board["alerts"]] == [
        ("material_shortage", wo["number"])]
    # WO-1 makes the blanks: the held order becomes releasable.
    wo1 = make_wo1(api)
    api.ok(ISSUE, {"number": wo1, "postingDate": D5, "lines": [{"lineNo": 1, "qty": "50"}]})
    api.ok(SCAN_LEAN, {"code": f"{wo1}/OP10", "postingDate": D5, "good": "1000",
                       "laborHours": "2"})
    api.ok(COMPLETE, {"number": wo1, "postingDate": D6, "qty": "1000"})
    (row,) = api.gql("{ heldWorkOrders { number releasable } }")["heldWorkOrders"]
    assert row == {"number": wo["number"], "releasable": True}
    assert api.ok(RELEASE_WO, {"number": wo["number"]})["status"] == "RELEASED"


def scan(code: str = f"{WO3}/OP10", **kw) -> dict:
    return {"code": code, "postingDate": D10, "good": "1", **kw}


BAD_INPUTS = [
    # (case, mutation, input, typename, field / key / code)
    ("scan code unknown", SCAN, scan("WO-999999/OP10"), "NotFound", "WO-999999"),
    ("scan code malformed", SCAN, scan("hello"), "ValidationError", "code"),
    ("scan of an operation the order lacks", SCAN, scan(f"{WO3}/OP90"), "NotFound",
     f"{WO3}/OP90"),
    ("report on a closed order", SCAN, scan(f"{WO1}/OP10"), "BusinessRuleViolation",
     "WORK_ORDER_NOT_RUNNING"),
    ("negative hours", SCAN, scan(laborHours="-1"), "ValidationError", "laborHours"),
    ("hours with 5 places", SCAN, scan(machineHours="0.00001"), "ValidationError",
     "machineHours"),
    ("good + scrap beyond the ordered", SCAN, scan(good="8", scrap="3", scrapReason="crack"),
     "BusinessRuleViolation", "EXCEEDS_PREDECESSOR"),
    ("beyond what OP10 delivered", REPORT_OP,
     {"number": WO2, "opNo": "OP20", "postingDate": D10, "good": "1"},
     "BusinessRuleViolation", "EXCEEDS_PREDECESSOR"),
    ("scrap without a reason", SCAN, scan(good="0", scrap="1"), "ValidationError",
     "scrapReason"),
    ("nothing reported", SCAN, scan(good="0"), "ValidationError", "good"),
    ("negative good", SCAN, scan(good="-1"), "ValidationError", "good"),
    ("unknown operator", SCAN, scan(operator="OP-NOBODY"), "NotFound", "OP-NOBODY"),
    ("unqualified operator", REPORT_OP,
     {"number": WO2, "opNo": "OP10", "postingDate": D10, "good": "1", "operator": "OP-ZHANG"},
     "BusinessRuleViolation", "OPERATOR_NOT_QUALIFIED"),
    ("report with a bad op number", REPORT_OP,
     {"number": WO2, "opNo": "10", "postingDate": D10, "good": "1"}, "ValidationError", "opNo"),
    ("work center capacity 0", DEFINE_WC,
     {"code": "WC-X", "name": "x", "laborRate": "1", "overheadRate": "1", "capacity": 0},
     "ValidationError", "capacity"),
    ("work center shift on day 7", DEFINE_WC,
     {"code": "WC-X", "name": "x", "laborRate": "1", "overheadRate": "1",
      "shifts": [{"weekday": 7, "start": "08:00", "end": "16:00"}]},
     "ValidationError", "shifts.0.weekday"),
    ("operator at an unknown work center", REGISTER_OPERATOR,
     {"code": "OP-LI", "name": "李", "workCenters": ["WC-NONE"]}, "NotFound", "WC-NONE"),
    ("settings with an unknown account", SET_SETTINGS, {"materialVarianceAccount": "9999"},
     "NotFound", "9999"),
    ("BOM cycle", SAVE_BOM, {"item": "SA-BLANK", "version": "V2",
                             "effectiveFrom": "2027-01-01",
                             "lines": [{"component": "FG-KIT", "qtyPer": "1"}]},
     "BusinessRuleViolation", "BOM_CYCLE"),
    ("BOM version exists", SAVE_BOM, {"item": "SA-BLANK", "version": "V1",
                                      "effectiveFrom": "2027-01-01",
                                      "lines": [{"component": "RM-STEEL", "qtyPer": "1"}]},
     "BusinessRuleViolation", "VERSION_EXISTS"),
    ("BOM of a raw material", SAVE_BOM, {"item": "RM-STEEL", "version": "V1",
                                         "effectiveFrom": "2026-11-01",
                                         "lines": [{"component": "RM-ZINC", "qtyPer": "1"}]},
     "BusinessRuleViolation", "NOT_MANUFACTURED"),
    ("routing op number twice", SAVE_ROUTING,
     {"item": "SA-BLANK", "version": "V2", "effectiveFrom": "2027-01-01", "operations": [
         {"opNo": "OP10", "workCenter": "WC-HEAD", "runHoursPerUnit": "1"},
         {"opNo": "OP10", "workCenter": "WC-HEAD", "runHoursPerUnit": "1"}]},
     "ValidationError", "operations.1.opNo"),
    ("work order of an item without a BOM", CREATE_WO,
     {"item": "RM-BOX", "qty": "1", "dueDate": D16, "createdOn": D6},
     "BusinessRuleViolation", "NO_BOM_IN_FORCE"),
    ("work order due before it is created", CREATE_WO,
     {"item": "FG-KIT", "qty": "1", "dueDate": D5, "createdOn": D6},
     "ValidationError", "dueDate"),
    ("work order of zero", CREATE_WO,
     {"item": "FG-KIT", "qty": "0", "dueDate": D16, "createdOn": D6}, "ValidationError", "qty"),
    ("release an unknown order", RELEASE_WO, {"number": "WO-999999"}, "NotFound", "WO-999999"),
    ("release a closed order", RELEASE_WO, {"number": WO1}, "BusinessRuleViolation",
     "INVALID_STATUS"),
    ("hold a closed order", HOLD_WO, {"number": WO1}, "BusinessRuleViolation",
     "INVALID_STATUS"),
    ("cancel an order with material issued", CANCEL_WO, {"number": WO1},
     "BusinessRuleViolation", "MATERIAL_ISSUED"),
    ("start a running operation", START_OP, {"number": WO3, "opNo": "OP10"},
     "BusinessRuleViolation", "INVALID_OPERATION_STATUS"),
    ("pause a pending operation", PAUSE_OP, {"number": WO2, "opNo": "OP10"},
     "BusinessRuleViolation", "INVALID_OPERATION_STATUS"),
    ("resume an unknown operation", RESUME_OP, {"number": WO2, "opNo": "OP30"}, "NotFound",
     f"{WO2}/OP30"),
    ("over-issue without a reason", ISSUE,
     {"number": WO3, "postingDate": D10, "lines": [{"lineNo": 1, "qty": "1"}]},
     "BusinessRuleViolation", "OVER_ISSUE_NEEDS_REASON"),
    ("issue an unknown line", ISSUE,
     {"number": WO2, "postingDate": D10, "lines": [{"lineNo": 9, "qty": "1"}]},
     "NotFound", f"{WO2}/9"),
    ("issue with no lines", ISSUE, {"number": WO2, "postingDate": D10, "lines": []},
     "ValidationError", "lines"),
    ("return more than issued", RETURN,
     {"number": WO2, "postingDate": D10, "lines": [{"lineNo": 2, "qty": "1"}]},
     "BusinessRuleViolation", "RETURN_EXCEEDS_ISSUED"),
    ("complete beyond reported output", COMPLETE,
     {"number": WO2, "postingDate": D10, "qty": "1"},
     "BusinessRuleViolation", "EXCEEDS_REPORTED_OUTPUT"),
    ("complete a closed order", COMPLETE, {"number": WO1, "postingDate": D10, "qty": "1"},
     "BusinessRuleViolation", "WORK_ORDER_NOT_RUNNING"),
    ("close an unknown order", CLOSE_WO, {"number": "WO-999999", "postingDate": D10},
     "NotFound", "WO-999999"),
    ("close a closed order", CLOSE_WO, {"number": WO1, "postingDate": D10},
     "BusinessRuleViolation", "INVALID_STATUS"),
]


def test_bad_input_to_every_production_mutation_is_a_typed_error_and_writes_nothing(shop):
    api = shop
    wrong = []
    for case, query, input_, typename, detail in BAD_INPUTS:
        result = api.refused(query, input_)
        got = result.get("field") or result.get("key") or result.get("code")
        if (result["__typename"], got) != (typename, detail):
            wrong.append((case, result))
    assert wrong == [], "\n".join(map(str, wrong))
    data, _ = wip_and_stock(api)
    assert data["wipReconciliation"]["difference"] == "0.00"


def test_queries_refuse_bad_arguments_with_typed_errors(shop):
    api = shop
    errors = api.errors('{ workOrders(after: "bm9wZQ==") { pageInfo { hasNextPage } } }')
    assert errors[0]["extensions"] == {"type": "ValidationError", "field": "after"}
    errors = api.errors("{ workOrders(first: 0) { pageInfo { hasNextPage } } }")
    assert errors[0]["extensions"]["field"] == "first"
    errors = api.errors('{ shopKpis(from: "2026-11-30", to: "2026-11-01") { day } }')
    assert errors[0]["extensions"]["field"] == "to"
    assert api.gql('{ workOrder(number: "WO-999999") { number } }')["workOrder"] is None
    latest = api.log_position()
    held = api.gql(f"{{ heldWorkOrders(waitFor: {latest}) {{ number }} }}")
    assert held["heldWorkOrders"] == []


def test_a_board_subscribed_to_work_order_progress_sees_each_report(factory):
    api = factory
    wo = make_wo1(api)
    after = api.log_position()
    with api.client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        ws.send_json({"type": "connection_init"})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json({"id": "1", "type": "subscribe", "payload": {
            "query": SUBSCRIBE, "variables": {"number": wo, "after": after}}})
        first = api.ok(SCAN_LEAN, {"code": f"{wo}/OP10", "postingDate": D5, "good": "600",
                                   "laborHours": "1.2"})
        second = api.ok(SCAN_LEAN, {"code": f"{wo}/OP10", "postingDate": D5, "good": "400",
                                    "laborHours": "0.8"})
        pushed = [ws.receive_json(), ws.receive_json()]
        ws.send_json({"id": "1", "type": "complete"})
    assert [m["type"] for m in pushed] == ["next", "next"]
    reports = [m["payload"]["data"]["workOrderProgress"] for m in pushed]
    assert after < reports[0]["logPosition"] <= first["logPosition"]
    assert first["logPosition"] < reports[1]["logPosition"] <= second["logPosition"]
    assert reports == [
        {"number": wo, "item": "SA-BLANK", "opNo": "OP10", "scanCode": f"{wo}/OP10",
         "workCenter": "WC-HEAD", "good": "600", "scrap": "0", "laborHours": "1.2",
         "laborCost": "48.00", "overheadCost": "24.00", "logPosition": reports[0]["logPosition"]},
        {"number": wo, "item": "SA-BLANK", "opNo": "OP10", "scanCode": f"{wo}/OP10",
         "workCenter": "WC-HEAD", "good": "400", "scrap": "0", "laborHours": "0.8",
         "laborCost": "32.00", "overheadCost": "16.00", "logPosition": reports[1]["logPosition"]},
    ]
