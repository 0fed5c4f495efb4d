"""The quality month (docs/examples/quality-month.md) through GraphQL on
SQLite and PostgreSQL: every voucher, stock bin and balance to the cent, the
sampling plans from GB/T 2828.1, the IPQC block, the supplier flag; and bad
input for every quality mutation."""

from __future__ import annotations

import pytest

from tests.scenes.graphql import rows_by_code
from tests.scenes.quality_api import (
    ALERTS,
    APPLY_YIELD,
    COMPLETE,
    COST,
    CREATE_WO,
    DEC,
    DISPOSE,
    END_PLAN,
    FLAGS,
    FQC,
    HOLDS,
    IN_LIMITS,
    IQC,
    ISSUE,
    KPIS,
    OUT_OF_LIMITS,
    OVERRIDE,
    RECALL,
    RECORD,
    RELEASE,
    RELEASE_WO,
    REPORT_OP,
    SAVE_PLAN,
    SCORECARD,
    SETTINGS,
    SPC,
    TRACE,
    TRANSFER,
    YIELD,
    QualityApi,
    make_pins,
    receive_po1,
    set_up_quality_company,
)
from tests.scenes.supply_api import (
    CONFIRM_SO,
    CREATE_PO,
    CREATE_SO,
    RECONCILIATION,
    SHIP_SO,
    lines_of,
)


@pytest.fixture
def q(api):
    qa = QualityApi(api.client, api.runtime)
    set_up_quality_company(qa)
    return qa


def test_the_quality_month(q):
    # 2 Dec: PO-000001 received. Washers (IQC plan) wait in quarantine: IL-000001.
    received = receive_po1(q)
    doc = received["document"]
    assert lines_of(doc["entry"]) == [("1403", "800.00", "0.00"), ("220202", "0.00", "800.00")]
    assert [(ln["item"], ln["location"], ln["qty"]) for ln in doc["lines"]] == [
        ("RM-WASHER", "QC", "500"), ("RM-ROD", "A1", "100")]
    lot = q.lot("IL-000001")
    assert (lot["document"], lot["location"], lot["value"], lot["sampling"]) == (
        "GR-000001", "A1", "200.00", {"codeLetter": "H", "planLetter": "H", "sampleSize": 50,
                                      "accept": 1, "reject": 2, "full": False})
    # 3 Dec: 2 burrs and 1 rust in the 50: 3 >= Re 2, rejected; held for review.
    held = q.ok(RECORD, {"number": "IL-000001", "inspectedOn": DEC[3], "hours": "2", "hold": True,
                         "defects": [{"characteristic": "LOOK", "defectCode": "BURR", "count": 2},
                                     {"characteristic": "LOOK", "defectCode": "RUST",
                                      "count": 1}]})
    assert (held["lot"]["status"], held["lot"]["computedVerdict"], held["nonconformance"]) == (
        "held", "REJECT", None)
    # 4 Dec: sorted 100%, 480 good: the admin overrides; 480 to A1 (TR-000001), 20 in NCR-000001.
    over = q.ok(OVERRIDE, {"number": "IL-000001", "postingDate": DEC[4], "acceptedQty": "480",
                           "reason": "全检挑选 100% sorted"})
    assert (over["lot"]["verdict"], over["lot"]["accepted"], over["lot"]["rejected"],
            over["lot"]["overridden"], over["releaseDocument"]) == (
        "ACCEPT", "480", "20", True, "TR-000001")
    ncr1 = over["nonconformance"]
    assert (ncr1["number"], ncr1["origin"], ncr1["qty"], ncr1["supplier"]) == (
        "NCR-000001", "INCOMING", "20", "SUP-WASH")
    # 5 Dec: returned to the supplier at the price received (not invoiced yet).
    ret = q.ok(DISPOSE, {"number": "NCR-000001", "postingDate": DEC[5],
                         "kind": "RETURN_TO_SUPPLIER", "qty": "20", "reason": "毛刺 burrs"})
    assert (ret["document"], lines_of(ret["entry"])) == (
        "RS-000001", [("220202", "8.00", "0.00"), ("1403", "0.00", "8.00")])
    assert ret["nonconformance"]["openQty"] == "0"
    # The computed reject flags the supplier (0 of 1 lot, min 1 lot); its next PO is flagged.
    q.ok(CREATE_PO, {"supplier": "SUP-WASH", "orderDate": DEC[5], "lines": [
        {"item": "RM-WASHER", "qty": "500", "unitPrice": "0.40", "dueDate": DEC[20]}]})
    assert q.gql(FLAGS)["supplierFlags"] == [{"supplier": "SUP-WASH", "lots": 1,
                                              "acceptedLots": 0, "flagged": True,
                                              "flaggedOrders": ["PO-000002"]}]
    flag = q.gql('{ order(number: "PO-000002") { supplierFlagged qualityFlag { reason } } }')
    assert flag["order"] == {"supplierFlagged": True, "qualityFlag": {
        "reason": "SUP-WASH: 0.0000 of its last 1 incoming lots accepted, below the threshold "
                  "0.90"}}
    # 6-7 Dec: WO-000001 SA-PIN x 100: rod issued, OP10 reported, IPQC rejects (10.07 > USL).
    wo = make_pins(q)
    issued = q.ok(ISSUE, {"number": wo, "postingDate": DEC[6],
                          "lines": [{"lineNo": 1, "qty": "20"}]})["document"]
    assert lines_of(issued["entry"]) == [("400101", "120.00", "0.00"), ("1403", "0.00", "120.00")]
    op10 = q.ok(REPORT_OP, {"number": wo, "opNo": "OP10", "postingDate": DEC[7], "good": "100",
                            "laborHours": "2"})
    assert lines_of(op10["entry"]) == [("400101", "120.00", "0.00"), ("2211", "0.00", "80.00"),
                                       ("4101", "0.00", "40.00")]
    ipqc = q.ok(RECORD, {"number": "IL-000002", "inspectedOn": DEC[7], "hours": "0.5",
                         "measurements": [{"characteristic": "DIA", "values": OUT_OF_LIMITS}]})
    assert (ipqc["lot"]["verdict"], ipqc["lot"]["nonconformities"],
            ipqc["nonconformance"]["number"]) == ("REJECT", 1, "NCR-000002")
    assert [m["conforming"] for m in ipqc["lot"]["measurements"]] == [True, True, False, True,
                                                                      True]
    blocked = q.refused(REPORT_OP, {"number": wo, "opNo": "OP20", "postingDate": DEC[8],
                                    "good": "100", "laborHours": "1"})
    assert blocked["code"] == "INSPECTION_PENDING"
    assert q.gql(HOLDS, {"wo": wo})["operationHolds"] == [
        {"workOrder": wo, "operation": "OP10", "heldBy": "NCR-000002", "qty": "100"}]
    # 8 Dec: reworked, 1.0 h at WC-LATHE (40 + 20), inspected again: IL-000003 passes.
    rework = q.ok(DISPOSE, {"number": "NCR-000002", "postingDate": DEC[8], "kind": "REWORK",
                            "qty": "100", "laborHours": "1", "reason": "返车 re-turned"})
    assert (rework["reinspection"], lines_of(rework["entry"])) == (
        "IL-000003", [("400101", "60.00", "0.00"), ("2211", "0.00", "40.00"),
                      ("4101", "0.00", "20.00")])
    passed = q.ok(RECORD, {"number": "IL-000003", "inspectedOn": DEC[9], "hours": "0.5",
                           "measurements": [{"characteristic": "DIA", "values": IN_LIMITS}]})
    assert (passed["lot"]["verdict"], passed["lot"]["reinspects"]) == ("ACCEPT", "NCR-000002")
    assert q.gql(HOLDS, {"wo": wo})["operationHolds"] == []
    op20 = q.ok(REPORT_OP, {"number": wo, "opNo": "OP20", "postingDate": DEC[9], "good": "100",
                            "laborHours": "1"})
    assert lines_of(op20["entry"]) == [("400101", "80.00", "0.00"), ("2211", "0.00", "30.00"),
                                       ("4101", "0.00", "50.00")]
    pins = q.ok(COMPLETE, {"number": wo, "postingDate": DEC[10], "qty": "100"})["document"]
    assert lines_of(pins["entry"]) == [("140502", "380.00", "0.00"),
                                       ("400101", "0.00", "380.00")]
    # 11-13 Dec: WO-000002 FG-ASSY x 100, completed into quarantine: IL-000004.
    assy = q.ok(CREATE_WO, {"item": "FG-ASSY", "qty": "100", "dueDate": DEC[20],
                            "createdOn": DEC[11]})["workOrder"]["number"]
    q.ok(RELEASE_WO, {"number": assy})
    issued = q.ok(ISSUE, {"number": assy, "postingDate": DEC[11], "lines": [
        {"lineNo": 1, "qty": "100"}, {"lineNo": 2, "qty": "200"}]})["document"]
    assert lines_of(issued["entry"]) == [("400101", "460.00", "0.00"),
                                         ("140502", "0.00", "380.00"), ("1403", "0.00", "80.00")]
    op10 = q.ok(REPORT_OP, {"number": assy, "opNo": "OP10", "postingDate": DEC[12],
                            "good": "100", "laborHours": "4"})
    assert lines_of(op10["entry"]) == [("400101", "120.00", "0.00"),
                                       ("2211", "0.00", "100.00"), ("4101", "0.00", "20.00")]
    done = q.ok(COMPLETE, {"number": assy, "postingDate": DEC[13], "qty": "100"})["document"]
    assert lines_of(done["entry"]) == [("140501", "580.00", "0.00"),
                                       ("400101", "0.00", "580.00")]
    assert [(ln["location"], ln["qty"]) for ln in done["lines"]] == [("QC", "100")]
    # 14 Dec: 2 scratches in 20 (lot 100: code letter F, AQL 2.5: Ac 1, Re 2): rejected.
    fqc = q.ok(RECORD, {"number": "IL-000004", "inspectedOn": DEC[14], "hours": "1",
                        "defects": [{"characteristic": "LOOK", "defectCode": "SCRATCH",
                                     "count": 2}]})
    assert (fqc["lot"]["sampling"]["codeLetter"], fqc["lot"]["sampling"]["sampleSize"],
            fqc["lot"]["verdict"], fqc["nonconformance"]["number"]) == (
        "F", 20, "REJECT", "NCR-000003")
    # 15 Dec: accepted under concession (让步接收) by the works manager, at unchanged value.
    as_is = q.ok(DISPOSE, {"number": "NCR-000003", "postingDate": DEC[15], "kind": "USE_AS_IS",
                           "qty": "100", "approver": "王厂长", "reason": "划痕不影响装配功能"})
    assert (as_is["document"], as_is["entryId"], as_is["entry"]) == ("TR-000002", None, None)
    assert q.lot("IL-000004")["conceded"] == "100"
    # 16 Dec: SO-000001, 40 assemblies shipped to CUS-MACH at 5.80: Dr 5401 232.00.
    so = q.ok(CREATE_SO, {"customer": "CUS-MACH", "orderDate": DEC[15], "lines": [
        {"item": "FG-ASSY", "qty": "40", "unitPrice": "9.00", "dueDate": DEC[16]}]})["order"]
    q.ok(CONFIRM_SO, {"number": so["number"]})
    shipped = q.ok(SHIP_SO, {"number": so["number"], "postingDate": DEC[16],
                             "lines": [{"lineNo": 1, "qty": "40"}]})["document"]
    assert lines_of(shipped["entry"]) == [("5401", "232.00", "0.00"),
                                          ("140501", "0.00", "232.00")]
    _month_end(q)


def _month_end(q: QualityApi) -> None:
    """The month's balances (stock = GL, WIP = 0) and its quality figures."""
    on_hand = {(r["item"], tuple((b["location"], b["qty"]) for b in r["bins"])): r["value"]
               for r in q.on_hand()}
    assert on_hand == {("FG-ASSY", (("F1", "60"),)): "348.00",
                       ("RM-ROD", (("A1", "80"),)): "480.00",
                       ("RM-WASHER", (("A1", "280"),)): "112.00"}
    tb = rows_by_code(q.trial_balance("2026-12"))
    closing = {code: (row["closingDebit"], row["closingCredit"]) for code, row in tb.items()
               if row["isLeaf"] and (row["closingDebit"] != "0.00"
                                     or row["closingCredit"] != "0.00")}
    assert closing == {"1403": ("592.00", "0.00"), "140501": ("348.00", "0.00"),
                       "5401": ("232.00", "0.00"), "220202": ("0.00", "792.00"),
                       "2211": ("0.00", "250.00"), "4101": ("0.00", "130.00")}
    assert {r["difference"] for r in q.gql(RECONCILIATION)["inventoryReconciliation"]} == {
        "0.00"}
    alerts = {(a["kind"], a["subject"]) for a in q.gql(ALERTS)["qualityAlerts"]}
    assert alerts == {("low_lot_yield", "IL-000001"), ("supplier_quality", "SUP-WASH"),
                      ("flagged_supplier_order", "PO-000002"), ("low_lot_yield", "IL-000002"),
                      ("low_lot_yield", "IL-000004")}
    month = {"from": DEC[1], "to": DEC[31]}
    kpis = q.gql(KPIS, {**month, "by": "ITEM"})["qualityKpis"]
    assert [(k["key"], k["lots"], k["acceptanceRate"], k["inspected"], k["firstPassYield"],
             k["rejected"], k["ppm"], k["ncrCount"], k["ncrCost"]) for k in kpis] == [
        ("FG-ASSY", 1, "0.0000", "100", "0.0000", "100", 1000000, 1, "0.00"),
        ("RM-WASHER", 1, "0.0000", "500", "0.0000", "20", 40000, 1, "0.00"),
        ("SA-PIN", 1, "0.0000", "100", "0.0000", "100", 1000000, 1, "60.00")]
    by_center = q.gql(KPIS, {**month, "by": "WORK_CENTER"})["qualityKpis"]
    assert [(k["key"], k["lots"], k["ncrCost"]) for k in by_center] == [("WC-LATHE", 1, "60.00")]
    assert q.gql(SCORECARD, month)["supplierScorecard"] == [{
        "supplier": "SUP-WASH", "lots": 1, "acceptedLots": 0, "acceptanceRate": "0.0000",
        "inspected": "500", "rejected": "20", "ppm": 40000, "returned": "20",
        "orderLines": 2, "onTimeLines": 2, "onTimeRate": "1.0000"}]
    assert q.gql(COST, month)["qualityCost"] == {
        "scrap": "0.00", "rework": "60.00", "operationScrap": "0.00",
        "internalFailure": "60.00", "customerReturns": "0.00", "redInvoices": "0.00",
        "externalFailure": "0.00", "inspectionHours": "4", "appraisal": "200.00",
        "total": "260.00"}
    chart = q.gql(SPC, {**month, "item": "SA-PIN", "ch": "DIA"})["spcChart"]
    assert chart == {
        "lower": "9.95", "upper": "10.05", "values": 10, "subgroupSize": 5,
        "grandMean": "10.011000", "meanRange": "0.055000", "xUcl": "10.042735",
        "xLcl": "9.979265", "rUcl": "0.116270", "rLcl": "0.000000", "sigma": "0.023646",
        "cp": "0.705", "cpk": "0.550",
        "subgroups": [{"mean": "10.018000", "range": "0.080000", "outOfControl": False},
                      {"mean": "10.004000", "range": "0.030000", "outOfControl": False}]}
    assert q.gql(YIELD, {"item": "FG-ASSY"})["yieldRecommendation"] == {
        "observedYield": "1.0000", "recommendedScrapFactor": "0.0000",
        "currentScrapFactor": "0", "stages": [{"key": "final", "lots": 1, "inspected": "100",
                                                "lost": "0", "yield": "1.0000"}]}
    back = q.gql(TRACE, {"item": "FG-ASSY", "lot": "", "dir": "BACKWARD"})["traceLot"]
    assert [(t["depth"], t["via"], t["item"], t["document"], t["qty"]) for t in back] == [
        (1, "completion", "FG-ASSY", "FG-000002", "100"),
        (2, "issue", "SA-PIN", "MI-000002", "100"),
        (2, "issue", "RM-WASHER", "MI-000002", "200"),
        (3, "completion", "SA-PIN", "FG-000001", "100"),
        (3, "receipt", "RM-WASHER", "GR-000001", "500"),
        (4, "issue", "RM-ROD", "MI-000001", "20"),
        (5, "receipt", "RM-ROD", "GR-000001", "100")]
    recall = q.gql(RECALL, {"item": "RM-ROD", "lot": ""})["recall"]
    assert recall == {
        "finishedLots": [{"item": "FG-ASSY", "lot": "", "qty": "100"}],
        "onHand": [{"item": "FG-ASSY", "lot": "", "warehouse": "WH-FG", "location": "F1",
                    "qty": "60"},
                   {"item": "RM-ROD", "lot": "", "warehouse": "WH-RM", "location": "A1",
                    "qty": "80"}],
        "shipments": [{"document": "SH-000001", "order": "SO-000001", "party": "CUS-MACH",
                       "qty": "40"}],
        "customers": ["CUS-MACH"]}


def test_bad_input_for_every_quality_mutation_is_a_typed_error_that_writes_nothing(q):
    receive_po1(q)
    bad = [
        (SAVE_PLAN, {**IQC, "item": "NO-SUCH"}, "NotFound"),
        (SAVE_PLAN, {**FQC, "characteristics": []}, "ValidationError"),
        (SAVE_PLAN, {**IQC, "version": "V2", "sampling": {"method": "GB2828", "aql": "3"}},
         "ValidationError"),
        (SAVE_PLAN, IQC, "BusinessRuleViolation"),  # VERSION_EXISTS
        (END_PLAN, {"item": "RM-ROD", "stage": "FINAL", "version": "V1",
                    "effectiveTo": DEC[9]}, "BusinessRuleViolation"),
        (RECORD, {"number": "IL-000099", "inspectedOn": DEC[3]}, "NotFound"),  # unknown lot
        (RECORD, {"number": "IL-000001", "inspectedOn": DEC[3],  # values without a sample
                  "measurements": [{"characteristic": "LOOK", "values": ["1"]}]},
         "ValidationError"),
        (RECORD, {"number": "IL-000001", "inspectedOn": DEC[3], "defects": [
            {"characteristic": "LOOK", "defectCode": "BURR", "count": 51}]}, "ValidationError"),
        (RELEASE, {"number": "IL-000001", "postingDate": DEC[3]}, "BusinessRuleViolation"),
        (OVERRIDE, {"number": "IL-000001", "postingDate": DEC[3], "acceptedQty": "1",
                    "reason": "x"}, "BusinessRuleViolation"),
        (DISPOSE, {"number": "NCR-000001", "postingDate": DEC[3], "kind": "SCRAP", "qty": "1"},
         "NotFound"),
        (SETTINGS, {"scrapAccount": "6602"}, "ValidationError"),
        (APPLY_YIELD, {"item": "RM-ROD"}, "BusinessRuleViolation"),
    ]
    for query, input_, kind in bad:
        assert q.refused(query, input_)["__typename"] == kind, (query, input_)
    q.ok(RECORD, {"number": "IL-000001", "inspectedOn": DEC[3], "hold": True, "defects": [
        {"characteristic": "LOOK", "defectCode": "BURR", "count": 2}]})
    q.ok(RELEASE, {"number": "IL-000001", "postingDate": DEC[3]})
    too_much = q.refused(DISPOSE, {"number": "NCR-000001", "postingDate": DEC[3],
                                   "kind": "RETURN_TO_SUPPLIER", "qty": "501"})
    assert too_much["code"] == "DISPOSITION_EXCEEDS_REJECTED"


def test_a_transfer_out_of_quarantine_is_refused_while_quality_holds_the_units(q):
    receive_po1(q)  # IL-000001 holds the 500 washers in WH-RM/QC
    out = {"postingDate": DEC[3], "lines": [{"item": "RM-WASHER", "qty": "1",
                                             "fromWarehouse": "WH-RM", "toWarehouse": "WH-RM",
                                             "fromLocation": "QC", "toLocation": "A1"}]}
    refused = q.refused(TRANSFER, out)
    assert (refused["__typename"], refused["code"]) == ("BusinessRuleViolation", "STOCK_ON_HOLD")
    assert refused["message"] == (
        "RM-WASHER in WH-RM/QC is held by quality (IL-000001 500 awaiting its decision): 0 may "
        "leave, 1 requested; held units leave by the inspection decision or the "
        "nonconformance disposition")
    q.ok(RECORD, {"number": "IL-000001", "inspectedOn": DEC[3], "hold": True, "defects": [
        {"characteristic": "LOOK", "defectCode": "BURR", "count": 2}]})
    q.ok(OVERRIDE, {"number": "IL-000001", "postingDate": DEC[4], "acceptedQty": "480",
                    "reason": "全检挑选 100% sorted"})
    assert "NCR-000001 20 awaiting its disposition" in q.refused(TRANSFER, out)["message"]
    washers = q.on_hand(item="RM-WASHER")
    assert [(r["qty"], r["value"], r["quarantined"], r["available"],
             [(b["location"], b["qty"]) for b in r["bins"]]) for r in washers] == [
        ("500", "200.00", "20", "480", [("A1", "480"), ("QC", "20")])]
    q.ok(DISPOSE, {"number": "NCR-000001", "postingDate": DEC[5], "kind": "USE_AS_IS",
                   "qty": "20", "approver": "王厂长", "reason": "毛刺可去除"})
    assert q.on_hand(item="RM-WASHER")[0]["bins"] == [{"location": "A1", "lot": "", "qty": "500"}]


def test_the_inspector_records_and_only_an_admin_overrides(q):
    from domain.users.directory import new_token

    receive_po1(q)
    admin, inspector, keeper = new_token(), new_token(), new_token()
    q.runtime.app.create_user("root", ["admin"], admin)
    q.runtime.app.create_user("zhang", ["inspector"], inspector)
    q.runtime.app.create_user("wang", ["storekeeper"], keeper)
    record = {"number": "IL-000001", "inspectedOn": DEC[3], "hold": True,
              "defects": [{"characteristic": "LOOK", "defectCode": "BURR", "count": 2}]}
    auth = {key: {"Authorization": f"Bearer {tok}"}
            for key, tok in (("admin", admin), ("inspector", inspector), ("keeper", keeper))}
    assert q.command(RECORD, record, auth["keeper"])["__typename"] == "PermissionDenied"
    assert q.command(RECORD, record, auth["inspector"])["lot"]["inspector"] == "zhang"
    override = {"number": "IL-000001", "postingDate": DEC[4], "acceptedQty": "500",
                "reason": "供应商书面保证"}
    assert q.command(OVERRIDE, override, auth["inspector"])["__typename"] == "PermissionDenied"
    assert q.command(OVERRIDE, override, auth["admin"])["lot"]["verdict"] == "ACCEPT"


SUBSCRIBE_ALERTS = """subscription A($after: Int) { qualityAlerts(after: $after) {
    kind subject message } }"""


def test_a_quality_board_subscribed_to_alerts_sees_a_low_yield_lot(q):
    receive_po1(q)
    after = q.log_position()
    with q.client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        ws.send_json({"type": "connection_init"})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json({"id": "1", "type": "subscribe", "payload": {
            "query": SUBSCRIBE_ALERTS, "variables": {"after": after}}})
        q.ok(RECORD, {"number": "IL-000001", "inspectedOn": DEC[3], "defects": [
            {"characteristic": "LOOK", "defectCode": "BURR", "count": 2}]})
        pushed = [ws.receive_json(), ws.receive_json()]
        ws.send_json({"id": "1", "type": "complete"})
    assert [m["payload"]["data"]["qualityAlerts"] for m in pushed] == [
        {"kind": "low_lot_yield", "subject": "IL-000001",
         "message": "IL-000001 of RM-WASHER (incoming): first-pass yield 0.0000 below 0.95"},
        {"kind": "supplier_quality", "subject": "SUP-WASH",
         "message": "SUP-WASH: 0.0000 of its last 1 incoming lots accepted, below the "
                    "threshold 0.90"}]
