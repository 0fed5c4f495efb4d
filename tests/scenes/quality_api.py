"""The quality month (docs/examples/quality-month.md) through GraphQL: its
documents and the master data, plans and steps as plain functions."""

from __future__ import annotations

from tests.scenes.graphql import OPEN_PERIOD
from tests.scenes.production_api import (
    COMPLETE,
    CREATE_WO,
    DEFINE_WC,
    ISSUE,
    RELEASE_WO,
    REPORT_OP,
    SAVE_BOM,
    SAVE_ROUTING,
)
from tests.scenes.supply_api import (
    CONFIRM_PO,
    CREATE_ITEM,
    CREATE_PO,
    CREATE_WAREHOUSE,
    DOCUMENT,
    ENTRY,
    RECEIVE_PO,
    REGISTER_PARTY,
    SupplyApi,
    command,
)
from tests.scenes.supply_chain import USCC_CUSTOMER, USCC_SUPPLIER

DEC = {n: f"2026-12-{n:02d}" for n in range(1, 32)}
PLAN = ("item stage operation version effectiveFrom effectiveTo method aql level sampleSize "
        "accept blocksNext characteristics { code name kind nominal lower upper unit decimals "
        "defectCodes }")
LOT = ("number stage item qty warehouse location lot document supplier order orderLine "
       "operation workCenter value reinspects planVersion "
       "sampling { codeLetter planLetter sampleSize accept reject full } blocksNext openedOn "
       "status inspectedOn nonconformities computedVerdict verdict accepted rejected decidedOn "
       "overridden reason ncr releaseDocument hours inspector conceded "
       "measurements { characteristic sampleNo value conforming } "
       "defects { characteristic defectCode count }")
NCR = ("number origin inspectionLot item qty disposed openQty warehouse lot supplier order "
       "operation workCenter defects description openedOn cost "
       "dispositions { seq kind qty day cost document entryId approver reason reinspection }")
INSPECTED = f"lot {{ {LOT} }} nonconformance {{ {NCR} }} releaseDocument"

SAVE_PLAN = command("saveInspectionPlan", f"plan {{ {PLAN} }}")
END_PLAN = command("endInspectionPlanVersion", f"plan {{ {PLAN} }}")
RECORD = command("recordInspection", INSPECTED)
RELEASE = command("releaseInspection", INSPECTED)
OVERRIDE = command("overrideInspection", INSPECTED)
DISPOSE = command("disposeNonconformance", f"nonconformance {{ {NCR} }} seq document entryId "
                  f"reinspection entry {{ {ENTRY} }}")
SETTINGS = command("setQualitySettings", "settings { scrapAccount supplierThreshold "
                   "supplierWindow supplierMinLots lowYield yieldLots autoApplyYield "
                   "inspectorRate }")
APPLY_YIELD = command("applyYieldRecommendation", "item scrapFactor previous observedYield lots")

TRANSFER = command("transferStock", f"document {{ {DOCUMENT} }}")

LOT_QUERY = f"query L($number: String!) {{ inspectionLot(number: $number) {{ {LOT} }} }}"
NCR_QUERY = f"query N($number: String!) {{ nonconformance(number: $number) {{ {NCR} }} }}"
HOLDS = "query H($wo: String) { operationHolds(workOrder: $wo) { workOrder operation heldBy qty } }"
FLAGS = "{ supplierFlags { supplier lots acceptedLots flagged flaggedOrders } }"
ALERTS = "{ qualityAlerts { kind subject message } }"

IQC = {"item": "RM-WASHER", "stage": "INCOMING", "version": "V1", "effectiveFrom": DEC[1],
       "characteristics": [{"code": "LOOK", "name": "外观 appearance", "kind": "ATTRIBUTE",
                            "defectCodes": ["BURR", "RUST"]}],
       "sampling": {"method": "GB2828", "aql": "1.0"}}
IPQC = {"item": "SA-PIN", "stage": "IN_PROCESS", "operation": "OP10", "version": "V1",
        "effectiveFrom": DEC[1], "blocksNext": True,
        "characteristics": [{"code": "DIA", "name": "外径 diameter", "kind": "MEASURED",
                             "nominal": "10.00", "lower": "9.95", "upper": "10.05",
                             "unit": "mm", "decimals": 2}],
        "sampling": {"method": "FIXED", "sampleSize": 5, "accept": 0}}
FQC = {"item": "FG-ASSY", "stage": "FINAL", "version": "V1", "effectiveFrom": DEC[1],
       "characteristics": [{"code": "LOOK", "name": "外观 appearance", "kind": "ATTRIBUTE",
                            "defectCodes": ["SCRATCH"]}],
       "sampling": {"method": "GB2828", "aql": "2.5"}}
OUT_OF_LIMITS = ["10.00", "10.02", "10.07", "9.99", "10.01"]
IN_LIMITS = ["10.00", "10.01", "9.99", "10.02", "10.00"]


class QualityApi(SupplyApi):
    def lot(self, number: str) -> dict:
        return self.gql(LOT_QUERY, {"number": number})["inspectionLot"]

    def ncr(self, number: str) -> dict:
        return self.gql(NCR_QUERY, {"number": number})["nonconformance"]


def set_up_quality_company(api: SupplyApi) -> None:
    """December open; the month's master data, engineering data, settings and plans."""
    api.ok(OPEN_PERIOD, {"period": "2026-12"})
    api.ok(CREATE_WAREHOUSE, {"code": "WH-RM", "name": "原料库 raw materials",
                              "locations": ["A1"]})
    api.ok(CREATE_WAREHOUSE, {"code": "WH-FG", "name": "成品库 finished goods",
                              "locations": ["F1"]})
    for code, name, uom, kind in [("RM-WASHER", "垫圈 washer", "pcs", "RAW"),
                                  ("RM-ROD", "圆钢 steel rod", "kg", "RAW"),
                                  ("SA-PIN", "销轴 pin", "pcs", "SEMI_FINISHED"),
                                  ("FG-ASSY", "销轴组件 pin assembly", "pcs", "FINISHED")]:
        api.ok(CREATE_ITEM, {"code": code, "name": name, "uom": uom, "itemType": kind,
                             "defaultWarehouse": "WH-RM" if kind == "RAW" else "WH-FG"})
    api.ok(REGISTER_PARTY, {"code": "SUP-WASH", "name": "宁波垫圈有限公司",
                            "roles": ["SUPPLIER"], "uscc": USCC_SUPPLIER})
    api.ok(REGISTER_PARTY, {"code": "CUS-MACH", "name": "杭州机械有限公司",
                            "roles": ["CUSTOMER"], "uscc": USCC_CUSTOMER})
    for code, name, labor, overhead in [("WC-LATHE", "车床 lathe", "40", "20"),
                                        ("WC-HEAT", "热处理 heat treatment", "30", "50"),
                                        ("WC-ASSY", "装配 assembly", "25", "5")]:
        api.ok(DEFINE_WC, {"code": code, "name": name, "laborRate": labor,
                           "overheadRate": overhead})
    api.ok(SAVE_BOM, {"item": "SA-PIN", "version": "V1", "effectiveFrom": DEC[1],
                      "lines": [{"component": "RM-ROD", "qtyPer": "0.2"}]})
    api.ok(SAVE_BOM, {"item": "FG-ASSY", "version": "V1", "effectiveFrom": DEC[1],
                      "lines": [{"component": "SA-PIN", "qtyPer": "1"},
                                {"component": "RM-WASHER", "qtyPer": "2"}]})
    api.ok(SAVE_ROUTING, {"item": "SA-PIN", "version": "V1", "effectiveFrom": DEC[1],
                          "operations": [
                              {"opNo": "OP10", "workCenter": "WC-LATHE", "runHoursPerUnit": "0.02"},
                              {"opNo": "OP20", "workCenter": "WC-HEAT",
                               "runHoursPerUnit": "0.01"}]})
    api.ok(SAVE_ROUTING, {"item": "FG-ASSY", "version": "V1", "effectiveFrom": DEC[1],
                          "operations": [{"opNo": "OP10", "workCenter": "WC-ASSY",
                                          "runHoursPerUnit": "0.04"}]})
    api.ok(SETTINGS, {"supplierMinLots": 1, "inspectorRate": "50.00"})
    for plan in (IQC, IPQC, FQC):
        api.ok(SAVE_PLAN, plan)


def receive_po1(api: SupplyApi) -> dict:
    """PO-000001: 500 washers @ 0.40 and 100 kg rod @ 6.00, received on 2 Dec."""
    po = api.ok(CREATE_PO, {"supplier": "SUP-WASH", "orderDate": DEC[1], "lines": [
        {"item": "RM-WASHER", "qty": "500", "unitPrice": "0.40", "dueDate": DEC[2]},
        {"item": "RM-ROD", "qty": "100", "unitPrice": "6.00", "dueDate": DEC[2]}]})["order"]
    api.ok(CONFIRM_PO, {"number": po["number"]})
    return api.ok(RECEIVE_PO, {"number": po["number"], "postingDate": DEC[2], "lines": [
        {"lineNo": 1, "qty": "500", "location": "A1"},
        {"lineNo": 2, "qty": "100", "location": "A1"}]})


def make_pins(api: SupplyApi) -> str:
    wo = api.ok(CREATE_WO, {"item": "SA-PIN", "qty": "100", "dueDate": DEC[20],
                            "createdOn": DEC[6]})["workOrder"]["number"]
    api.ok(RELEASE_WO, {"number": wo})
    return wo


__all__ = ["COMPLETE", "ISSUE", "REPORT_OP", "CREATE_WO", "RELEASE_WO"]

KPIS = """query K($from: Date!, $to: Date!, $by: QualityGroup!) {
  qualityKpis(from: $from, to: $to, groupBy: $by) {
    key lots acceptedLots acceptanceRate inspected firstPassYield rejected ppm ncrCount ncrCost
  } }"""
SCORECARD = """query S($from: Date!, $to: Date!) { supplierScorecard(from: $from, to: $to) {
    supplier lots acceptedLots acceptanceRate inspected rejected ppm returned orderLines
    onTimeLines onTimeRate } }"""
COST = """query C($from: Date!, $to: Date!) { qualityCost(from: $from, to: $to) {
    scrap rework operationScrap internalFailure customerReturns redInvoices externalFailure
    inspectionHours appraisal total } }"""
SPC = """query P($item: String!, $ch: String!, $from: Date!, $to: Date!) {
  spcChart(item: $item, characteristic: $ch, from: $from, to: $to) {
    lower upper values subgroupSize grandMean meanRange xUcl xLcl rUcl rLcl sigma cp cpk
    subgroups { mean range outOfControl } } }"""
YIELD = """query Y($item: String!) { yieldRecommendation(item: $item) {
    observedYield recommendedScrapFactor currentScrapFactor
    stages { key lots inspected lost yield } } }"""
TRACE = """query T($item: String!, $lot: String!, $dir: TraceDirection!) {
  traceLot(item: $item, lot: $lot, direction: $dir) {
    depth via item lot document order party qty } }"""
RECALL = """query R($item: String!, $lot: String!) { recall(item: $item, lot: $lot) {
    finishedLots { item lot qty } onHand { item lot warehouse location qty }
    shipments { document order party qty } customers } }"""
