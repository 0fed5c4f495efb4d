"""Production through GraphQL: its documents, the bolt-kit factory (steps 1-2
and the engineering data, ``set_up_factory``) and the shop floor
(``set_up_shop``) as plain functions."""

from __future__ import annotations

from tests.scenes.graphql import INVEST
from tests.scenes.supply_api import (
    CONFIRM_PO,
    DOCUMENT,
    ENTRY,
    RECEIVE_ALL,
    RECEIVE_PO,
    SupplyApi,
    command,
    create_po1,
)

WORK_ORDER = f"""number item qty dueDate createdOn status warehouse bomVersion routingVersion
    completed scrapped unitsStillExpected wip variance unitCost laborHours machineHours
    standardHours
    operations {{ opNo scanCode workCenter status good scrap laborHours standardHours }}
    materials {{ lineNo component required issued returned outstanding issuedValue }}
    reports {{ opNo scanCode good laborHours laborCost overheadCost entry {{ {ENTRY} }} }}
    completions {{ document qty value }}
    shortages {{ item needed available }}
    cost {{ material labor overhead totalIn completedValue variance wip }}"""
WORK_CENTER = "code name capacity laborRate overheadRate shifts { weekday start end } holidays"
REPORT = f"number opNo scanCode entryId voucherNo flagged entry {{ {ENTRY} }}"
DEFINE_WC = command("defineWorkCenter", f"workCenter {{ {WORK_CENTER} }}")
REGISTER_OPERATOR = command("registerOperator", "operator { code name workCenters }")
SAVE_BOM = command("saveBom", "bom { item version effectiveFrom lines { lineNo component "
                   "qtyPer issueMethod operation } }")
SAVE_ROUTING = command("saveRouting", "routing { item version operations { opNo workCenter "
                       "setupHours runHoursPerUnit } }")
CREATE_WO = command("createWorkOrder", f"workOrder {{ {WORK_ORDER} }}")
RELEASE_WO = command("releaseWorkOrder", "status shortages { item needed available } "
                     "workOrder { number status }")
START_OP = command("startOperation", "workOrder { status operations { opNo status } }")
ISSUE = command("issueMaterial", f"document {{ {DOCUMENT} }} workOrder {{ {WORK_ORDER} }}")
REPORT_OP = command("reportOperation", REPORT)
SCAN = command("reportByScan", REPORT)
SCAN_LEAN = command("reportByScan", "number opNo voucherNo")
COMPLETE = command("completeWorkOrder", f"document {{ {DOCUMENT} }} workOrder {{ {WORK_ORDER} }}")
CLOSE_WO = command("closeWorkOrder", "workOrder { number status wip variance }")
D3, D4, D5, D6, D10, D16, D20 = ("2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06",
                                 "2026-11-10", "2026-11-16", "2026-11-20")
WORK_CENTERS = [("WC-HEAD", "冷镦机 cold header", "40", "20"),
                ("WC-PLATE", "电镀线 plating line", "30", "50"),
                ("WC-PACK", "包装台 packing bench", "25", "5")]


def setup_engineering(api: SupplyApi) -> None:
    """Work centers, BOMs and routings of the worked example, in force from 1 Nov."""
    for code, name, labor, overhead in WORK_CENTERS:
        api.ok(DEFINE_WC, {"code": code, "name": name, "laborRate": labor,
                           "overheadRate": overhead})
    api.ok(SAVE_BOM, {"item": "SA-BLANK", "version": "V1", "effectiveFrom": "2026-11-01",
                      "lines": [{"component": "RM-STEEL", "qtyPer": "0.05"}]})
    api.ok(SAVE_BOM, {"item": "FG-KIT", "version": "V1", "effectiveFrom": "2026-11-01",
                      "lines": [{"component": "SA-BLANK", "qtyPer": "100"},
                                {"component": "RM-ZINC", "qtyPer": "0.1"},
                                {"component": "RM-BOX", "qtyPer": "1"}]})
    api.ok(SAVE_ROUTING, {"item": "SA-BLANK", "version": "V1", "effectiveFrom": "2026-11-01",
                          "operations": [{"opNo": "OP10", "workCenter": "WC-HEAD",
                                          "runHoursPerUnit": "0.002"}]})
    api.ok(SAVE_ROUTING, {"item": "FG-KIT", "version": "V1", "effectiveFrom": "2026-11-01",
                          "operations": [
                              {"opNo": "OP10", "workCenter": "WC-PLATE", "runHoursPerUnit": "0.1"},
                              {"opNo": "OP20", "workCenter": "WC-PACK",
                               "runHoursPerUnit": "0.05"}]})


def set_up_factory(api: SupplyApi) -> SupplyApi:
    """Step 1 and 2 (invested, PO-1 received) plus the engineering data."""
    api.posted(INVEST, key="step1-invest")
    po = create_po1(api)
    api.ok(CONFIRM_PO, {"number": po})
    api.ok(RECEIVE_PO, {"number": po, "postingDate": D3, "lines": RECEIVE_ALL})
    setup_engineering(api)
    return api


def make_wo1(api: SupplyApi) -> str:
    """WO-1: SA-BLANK x 1000, released."""
    wo = api.ok(CREATE_WO, {"item": "SA-BLANK", "qty": "1000", "dueDate": D10,
                            "createdOn": D5})["workOrder"]
    released = api.ok(RELEASE_WO, {"number": wo["number"]})
    assert (released["status"], released["shortages"]) == ("RELEASED", [])
    return wo["number"]


# -- every bad input is a typed error and writes nothing ------------------------------------
def set_up_shop(factory: SupplyApi) -> SupplyApi:
    """WO-000001 run, completed and closed; WO-000002 (FG-KIT 10) released, nothing issued;
    WO-000003 (SA-BLANK 10) released with OP10 started."""
    api = factory
    wo1 = make_wo1(api)
    api.ok(ISSUE, {"number": wo1, "postingDate": D5, "lines": [{"lineNo": 1, "qty": "50"}]})
    api.ok(SCAN_LEAN, {"code": f"{wo1}/OP10", "postingDate": D5, "good": "1000",
                       "laborHours": "2"})
    api.ok(COMPLETE, {"number": wo1, "postingDate": D6, "qty": "1000"})
    closed = api.ok(CLOSE_WO, {"number": wo1, "postingDate": D6})["workOrder"]
    assert (closed["status"], closed["wip"], closed["variance"]) == ("CLOSED", "0.00", "0.00")
    wo2 = api.ok(CREATE_WO, {"item": "FG-KIT", "qty": "10", "dueDate": D16,
                             "createdOn": D6})["workOrder"]["number"]
    assert api.ok(RELEASE_WO, {"number": wo2})["status"] == "RELEASED"
    wo3 = api.ok(CREATE_WO, {"item": "SA-BLANK", "qty": "10", "dueDate": D16,
                             "createdOn": D6})["workOrder"]["number"]
    api.ok(RELEASE_WO, {"number": wo3})
    started = api.ok(START_OP, {"number": wo3, "opNo": "OP10"})["workOrder"]
    assert started["operations"] == [{"opNo": "OP10", "status": "RUNNING"}]
    api.ok(REGISTER_OPERATOR, {"code": "OP-ZHANG", "name": "张师傅",
                               "workCenters": ["WC-HEAD"]})
    return api


WO1, WO2, WO3 = "WO-000001", "WO-000002", "WO-000003"
# -- the live board --------------------------------------------------------------------------
SUBSCRIBE = """subscription Progress($number: String, $after: Int) {
  workOrderProgress(number: $number, after: $after) {
    number item opNo scanCode workCenter good scrap laborHours laborCost overheadCost logPosition
  }
}"""
