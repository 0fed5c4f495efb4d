"""Planning through GraphQL, on SQLite and PostgreSQL.

Step 5 of the bolt-kit month (docs/examples/bolt-kit.md): runMrp plans
exactly FG-KIT 10 and SA-BLANK 1,000 to make and RM-BOX 5 to buy, pegged to
SO-000001; firming turns them into a work order and a purchase order. Bad
input comes back as a typed error, never as HTTP 500.
"""

from __future__ import annotations

import pytest

from tests.scenes.planning_api import (
    D5,
    PLANNED,
    PLANNED_ORDERS,
    STEP5,
    sales_order_1,
    summary,
)
from tests.scenes.planning_shop import pin_company_clock
from tests.scenes.production_api import COMPLETE, ISSUE, SCAN, make_wo1
from tests.scenes.supply_api import CONFIRM_PO, command

RUN = (f"number today plannedCount exceptionCount plannedOrders {{ {PLANNED} }} "
       "exceptions { kind item ref message date }")
RUN_MRP = command("runMrp", f"run {{ {RUN} }}")
FIRM = command("firmPlannedOrder", f"order kind plannedOrder {{ {PLANNED} }}")
SET_FORECAST = command("setForecast", "forecast { item date qty }")
RUNS = "query { mrpRuns { number plannedCount exceptionCount } }"
EXCEPTIONS = """query X($run: String, $kind: String) {
  mrpExceptions(run: $run, kind: $kind) { kind item ref message } }"""


@pytest.fixture
def planner(factory):
    """Steps 1 and 2 of the bolt-kit month and the engineering data, through GraphQL."""
    return factory




def test_bolt_kit_step_5_run_mrp_plans_fg_kit_sa_blank_and_five_boxes_only(planner):
    gql = planner
    assert sales_order_1(gql) == "SO-000001"
    run = gql.ok(RUN_MRP, {"today": D5})["run"]
    assert (run["number"], run["today"], run["plannedCount"], run["exceptionCount"]) == (
        "MRP-000001", D5, 3, 0)
    assert summary(run["plannedOrders"]) == STEP5
    assert [p["id"] for p in run["plannedOrders"]] == [
        "MRP-000001/00001", "MRP-000001/00002", "MRP-000001/00003"]
    assert run["exceptions"] == []
    # the filters
    assert [p["item"] for p in gql.gql(PLANNED_ORDERS, {"kind": "buy"})["plannedOrders"]] == [
        "RM-BOX"]
    assert [p["item"] for p in gql.gql(PLANNED_ORDERS, {"top": "SO-000001"})[
        "plannedOrders"]] == ["FG-KIT", "SA-BLANK"]
    assert [p["item"] for p in gql.gql(PLANNED_ORDERS, {"item": "sa-blank",
                                                        "run": "MRP-000001"})[
        "plannedOrders"]] == ["SA-BLANK"]
    assert gql.gql(RUNS)["mrpRuns"] == [
        {"number": "MRP-000001", "plannedCount": 3, "exceptionCount": 0}]


def test_run_mrp_retried_with_its_key_records_one_run(planner):
    gql = planner
    sales_order_1(gql)
    first = gql.ok(RUN_MRP, {"today": D5, "idempotencyKey": "mrp-nov-5"})
    again = gql.ok(RUN_MRP, {"today": D5, "idempotencyKey": "mrp-nov-5"})
    assert (first["replayed"], again["replayed"]) == (False, True)
    assert again["run"]["number"] == first["run"]["number"] == "MRP-000001"
    assert [r["number"] for r in gql.gql(RUNS)["mrpRuns"]] == ["MRP-000001"]


def test_firming_planned_orders_creates_the_work_order_and_the_purchase_order(planner):
    gql = planner
    sales_order_1(gql)
    gql.ok(RUN_MRP, {"today": D5})
    wo = gql.ok(FIRM, {"run": "MRP-000001", "plannedId": "MRP-000001/00003"})
    assert (wo["order"], wo["kind"]) == ("WO-000001", "work_order")
    assert wo["plannedOrder"]["firmedAs"] == "WO-000001"
    po = gql.ok(FIRM, {"run": "MRP-000001", "plannedId": "MRP-000001/00002",
                       "supplier": "SUP-STEEL", "unitPrice": "1.00"})
    assert (po["order"], po["kind"]) == ("PO-000002", "purchase_order")
    firmed = gql.gql(PLANNED_ORDERS, {"firmed": True})["plannedOrders"]
    assert [(p["id"], p["firmedAs"]) for p in firmed] == [
        ("MRP-000001/00002", "PO-000002"), ("MRP-000001/00003", "WO-000001")]
    assert [p["id"] for p in gql.gql(PLANNED_ORDERS, {"firmed": False})["plannedOrders"]] == [
        "MRP-000001/00001"]
    # once the purchase order is confirmed, the next run sees both as supply: only
    # FG-KIT is left to plan
    gql.ok(CONFIRM_PO, {"number": "PO-000002"})
    run = gql.ok(RUN_MRP, {"today": D5})["run"]
    assert [(p["item"], p["qty"]) for p in run["plannedOrders"]] == [("FG-KIT", "10")]


def test_set_forecast_is_consumed_by_the_sales_order_of_the_same_month(planner):
    gql = planner
    fc = gql.ok(SET_FORECAST, {"item": "FG-KIT", "date": "2026-11-25", "qty": "25"})
    assert fc["forecast"] == {"item": "FG-KIT", "date": "2026-11-25", "qty": "25"}
    sales_order_1(gql)
    run = gql.ok(RUN_MRP, {"today": D5})["run"]
    kits = [(p["qty"], p["needDate"], [(g["demand"], g["qty"]) for g in p["pegs"]])
            for p in run["plannedOrders"] if p["item"] == "FG-KIT"]
    # 10 sold consume 10 of the 25 forecast: 15 are left for the 25th
    assert kits == [("10", "2026-11-20", [("SO-000001/1", "10")]),
                    ("15", "2026-11-25", [("FC:FG-KIT:2026-11-25", "15")])]


def test_bad_planning_input_comes_back_as_typed_errors(planner):
    gql = planner
    sales_order_1(gql)
    unknown_run = gql.command(FIRM, {"run": "MRP-000009", "plannedId": "MRP-000009/00001"})
    assert (unknown_run["__typename"], unknown_run["kind"]) == ("NotFound", "MrpRun")
    gql.ok(RUN_MRP, {"today": D5})
    unknown = gql.command(FIRM, {"run": "MRP-000001", "plannedId": "MRP-000001/00099"})
    assert (unknown["__typename"], unknown["kind"]) == ("NotFound", "PlannedOrder")
    no_supplier = gql.command(FIRM, {"run": "MRP-000001", "plannedId": "MRP-000001/00002"})
    assert (no_supplier["__typename"], no_supplier["field"]) == ("ValidationError", "supplier")
    gql.ok(FIRM, {"run": "MRP-000001", "plannedId": "MRP-000001/00001"})
    twice = gql.command(FIRM, {"run": "MRP-000001", "plannedId": "MRP-000001/00001"})
    assert (twice["__typename"], twice["code"]) == ("BusinessRuleViolation", "ALREADY_FIRMED")
    bad_forecast = gql.command(SET_FORECAST, {"item": "NOPE", "date": D5, "qty": "1"})
    assert bad_forecast["__typename"] == "NotFound"
    negative = gql.command(SET_FORECAST, {"item": "FG-KIT", "date": D5, "qty": "-1"})
    assert negative["__typename"] == "ValidationError"
    (error,) = gql.errors(PLANNED_ORDERS, {"run": "MRP-000042"})
    assert error["extensions"]["type"] == "NotFound"
    (error,) = gql.errors(PLANNED_ORDERS, {"kind": "steal"})
    assert error["extensions"] == {"type": "ValidationError", "field": "kind"}
    assert gql.gql(EXCEPTIONS, {"kind": "cancel"})["mrpExceptions"] == []


SPLIT = command("splitMonthlyPlan", "item month workCenter shortfall days { date qty hours "
                "number workOrder { number item qty dueDate status } }")


def test_split_monthly_plan_makes_one_work_order_per_day_of_the_plating_line(planner,
                                                                            monkeypatch):
    pin_company_clock(monkeypatch, "2026-11-05T08:00")  # December is ahead
    gql = planner
    # FG-KIT: WC-PLATE 0.1 h/box is the bottleneck (WC-PACK 0.05); 8 h a day = 80 boxes
    split = gql.ok(SPLIT, {"item": "FG-KIT", "qty": "200", "month": "2026-12"})
    assert (split["workCenter"], split["shortfall"]) == ("WC-PLATE", "0")
    assert [(d["date"], d["qty"], d["hours"], d["number"]) for d in split["days"]] == [
        ("2026-12-01", "80", "8", "WO-000001"), ("2026-12-02", "80", "8", "WO-000002"),
        ("2026-12-03", "40", "4", "WO-000003")]
    assert split["days"][2]["workOrder"] == {"number": "WO-000003", "item": "FG-KIT",
                                             "qty": "40", "dueDate": "2026-12-03",
                                             "status": "CREATED"}
    # by the packing bench instead, and only shown: 160 a day less what the three
    # orders just made need there (80 x 0.05 = 4 h on the 1st and 2nd, 2 h on the 3rd):
    # 4 h free = 80 on the 1st and the 2nd, the last 40 on the 3rd
    packing = gql.ok(SPLIT, {"item": "FG-KIT", "qty": "200", "month": "2026-12",
                             "workCenter": "WC-PACK", "create": False})
    assert [(d["date"], d["qty"], d["number"]) for d in packing["days"]] == [
        ("2026-12-01", "80", None), ("2026-12-02", "80", None), ("2026-12-03", "40", None)]
    # 23 working days x 80 = 1,840 in December, less the 200 booked: 1,640 fit on 21
    # days (the 1st and 2nd are full, the 3rd has 40 left): 360 short
    whole = gql.ok(SPLIT, {"item": "FG-KIT", "qty": "2000", "month": "2026-12",
                           "create": False})
    assert (len(whole["days"]), whole["shortfall"]) == (21, "360")


def test_split_monthly_plan_refuses_a_bad_month_and_a_work_center_off_the_routing(
        planner, monkeypatch):
    pin_company_clock(monkeypatch, "2026-11-05T08:00")
    gql = planner
    bad_month = gql.command(SPLIT, {"item": "FG-KIT", "qty": "10", "month": "2026-13"})
    assert (bad_month["__typename"], bad_month["field"]) == ("ValidationError", "month")
    off = gql.command(SPLIT, {"item": "FG-KIT", "qty": "10", "month": "2026-12",
                              "workCenter": "WC-HEAD"})
    assert (off["__typename"], off["field"]) == ("ValidationError", "workCenter")
    unknown = gql.command(SPLIT, {"item": "NOPE", "qty": "10", "month": "2026-12"})
    assert unknown["__typename"] == "NotFound"
    fractional = gql.command(SPLIT, {"item": "FG-KIT", "qty": "1.5", "month": "2026-12"})
    assert (fractional["__typename"], fractional["field"]) == ("ValidationError", "qty")


RELEASE_WO = command("releaseWorkOrder", "status workOrder { number status }")
SLOT = "order opNo item workCenter unit start end due"
SCHEDULE = f"""query S($mode: String!, $start: DateTime) {{
  schedule(mode: $mode, start: $start) {{ mode start operations {{ {SLOT} }}
    late {{ order item due predictedFinish latenessDays latenessHours }} tardinessHours }}
  scheduleByWorkCenter(mode: $mode, start: $start) {{ workCenter operations {{ order opNo }} }}
  lateOrders(mode: $mode, start: $start) {{ order latenessHours }}
}}"""


def slots(schedule: dict) -> list[tuple]:
    return [(s["order"], s["opNo"], s["workCenter"], s["start"], s["end"])
            for s in schedule["operations"]]


def test_schedule_loads_the_released_work_order_and_the_planned_one_on_the_calendars(planner):
    gql = planner
    sales_order_1(gql)
    gql.ok(RUN_MRP, {"today": D5})
    gql.ok(FIRM, {"run": "MRP-000001", "plannedId": "MRP-000001/00003"})  # SA-BLANK -> WO-1
    assert gql.ok(RELEASE_WO, {"number": "WO-000001"})["status"] == "RELEASED"
    # from Thursday 5 Nov 08:00: WO-000001 (2 h of heading) runs at once; the planned
    # FG-KIT order waits for its release date, Friday 20th
    data = gql.gql(SCHEDULE, {"mode": "heuristic", "start": "2026-11-05T08:00:00"})
    assert slots(data["schedule"]) == [
        ("WO-000001", "OP10", "WC-HEAD", "2026-11-05T08:00:00", "2026-11-05T10:00:00"),
        ("MRP-000001/00001", "OP10", "WC-PLATE", "2026-11-20T08:00:00",
         "2026-11-20T09:00:00"),
        ("MRP-000001/00001", "OP20", "WC-PACK", "2026-11-20T09:00:00", "2026-11-20T09:30:00"),
    ]
    assert data["schedule"]["late"] == [] and data["lateOrders"] == []
    assert data["scheduleByWorkCenter"] == [
        {"workCenter": "WC-HEAD", "operations": [{"order": "WO-000001", "opNo": "OP10"}]},
        {"workCenter": "WC-PACK", "operations": [{"order": "MRP-000001/00001", "opNo": "OP20"}]},
        {"workCenter": "WC-PLATE",
         "operations": [{"order": "MRP-000001/00001", "opNo": "OP10"}]}]
    # from Friday 20th 15:00 both spill over the weekend and finish late on Monday
    late = gql.gql(SCHEDULE, {"mode": "heuristic", "start": "2026-11-20T15:00:00"})
    assert late["schedule"]["late"] == [
        {"order": "WO-000001", "item": "SA-BLANK", "due": "2026-11-20",
         "predictedFinish": "2026-11-23T09:00:00", "latenessDays": 3, "latenessHours": "57"},
        {"order": "MRP-000001/00001", "item": "FG-KIT", "due": "2026-11-20",
         "predictedFinish": "2026-11-23T08:30:00", "latenessDays": 3,
         "latenessHours": "56.5"}]
    assert late["schedule"]["tardinessHours"] == "113.5"
    (error,) = gql.errors('query { schedule(mode: "fastest") { mode } }')
    assert error["extensions"] == {"type": "ValidationError", "field": "mode"}


COSTS = "material labor overhead total"
ROLLUP = f"""query R($item: String!) {{ costRollup(item: $item, date: "2026-11-05") {{
  item level {COSTS} }} }}"""
BUDGET = f"""query B($number: String!) {{ workOrderBudget(number: $number) {{
  number item qty status budget {{ {COSTS} }} actual {{ {COSTS} }} variance {{ {COSTS} }} }} }}"""


def costs(material, labor, overhead, total) -> dict:
    return {"material": material, "labor": labor, "overhead": overhead, "total": total}


def test_cost_rollup_of_the_bolt_kit_is_49_50_a_box_and_0_37_a_blank(planner):
    gql = planner
    rows = gql.gql(ROLLUP, {"item": "FG-KIT"})["costRollup"]
    assert [(r["item"], r["level"], r["material"], r["labor"], r["overhead"], r["total"])
            for r in rows] == [
        ("FG-KIT", 0, "40.00", "4.25", "5.25", "49.50"),
        ("RM-BOX", 1, "1.00", "0.00", "0.00", "1.00"),
        ("RM-ZINC", 1, "20.00", "0.00", "0.00", "20.00"),
        ("SA-BLANK", 1, "0.25", "0.08", "0.04", "0.37"),
        ("RM-STEEL", 2, "5.00", "0.00", "0.00", "5.00"),
    ]
    (error,) = gql.errors(ROLLUP, {"item": "NOPE"})
    assert error["extensions"]["type"] == "NotFound"


def test_work_order_budget_is_compared_with_actual_cost_after_completion(planner):
    gql = planner
    wo1 = make_wo1(gql)
    before = gql.gql(BUDGET, {"number": wo1})["workOrderBudget"]
    assert before == {"number": wo1, "item": "SA-BLANK", "qty": "1000", "status": "released",
                      "budget": costs("250.00", "80.00", "40.00", "370.00"),
                      "actual": None, "variance": None}
    gql.ok(ISSUE, {"number": wo1, "postingDate": "2026-11-05",
                   "lines": [{"lineNo": 1, "qty": "50"}]})
    gql.ok(SCAN, {"code": f"{wo1}/OP10", "postingDate": "2026-11-05", "good": "1000",
                  "laborHours": "2.5"})
    gql.ok(COMPLETE, {"number": wo1, "postingDate": "2026-11-06", "qty": "1000"})
    after = gql.gql(BUDGET, {"number": wo1})["workOrderBudget"]
    # half an hour over standard: 20.00 labor and 10.00 overhead over budget
    assert (after["status"], after["budget"], after["actual"], after["variance"]) == (
        "completed", costs("250.00", "80.00", "40.00", "370.00"),
        costs("250.00", "100.00", "50.00", "400.00"), costs("0.00", "20.00", "10.00", "30.00"))
    assert gql.gql(BUDGET, {"number": "WO-000099"})["workOrderBudget"] is None


def test_cp_sat_mode_schedules_the_tiny_case_with_the_same_slots(planner):
    pytest.importorskip("ortools")
    gql = planner
    sales_order_1(gql)
    gql.ok(RUN_MRP, {"today": D5})
    data = gql.gql(SCHEDULE, {"mode": "cp-sat", "start": "2026-11-05T08:00:00"})
    assert data["schedule"]["mode"] == "cp-sat"
    # slots come by start, then work center
    assert slots(data["schedule"]) == [
        ("MRP-000001/00003", "OP10", "WC-HEAD", "2026-11-20T08:00:00", "2026-11-20T10:00:00"),
        ("MRP-000001/00001", "OP10", "WC-PLATE", "2026-11-20T08:00:00",
         "2026-11-20T09:00:00"),
        ("MRP-000001/00001", "OP20", "WC-PACK", "2026-11-20T09:00:00", "2026-11-20T09:30:00"),
    ]
    assert data["lateOrders"] == []


RESCHEDULE = """query R($breakdowns: [BreakdownInput!], $rush: [String!], $start: DateTime) {
  reschedule(breakdowns: $breakdowns, rushOrders: $rush, start: $start) {
    schedule { operations { order opNo workCenter start end } }
    moved { order opNo oldStart newStart } } }"""


def test_reschedule_after_a_breakdown_moves_the_heading_past_it_and_says_so(planner):
    gql = planner
    sales_order_1(gql)
    gql.ok(RUN_MRP, {"today": D5})
    gql.ok(FIRM, {"run": "MRP-000001", "plannedId": "MRP-000001/00003"})  # SA-BLANK -> WO-1
    gql.ok(RELEASE_WO, {"number": "WO-000001"})
    # the cold header breaks down 08:00-12:00 on Thursday 5th: WO-1's 2 h slide to 12:00
    data = gql.gql(RESCHEDULE, {"start": "2026-11-05T08:00:00", "breakdowns": [
        {"workCenter": "WC-HEAD", "start": "2026-11-05T08:00:00",
         "end": "2026-11-05T12:00:00"}]})["reschedule"]
    head = [s for s in data["schedule"]["operations"] if s["workCenter"] == "WC-HEAD"]
    assert head == [{"order": "WO-000001", "opNo": "OP10", "workCenter": "WC-HEAD",
                     "start": "2026-11-05T12:00:00", "end": "2026-11-05T14:00:00"}]
    assert data["moved"] == [{"order": "WO-000001", "opNo": "OP10",
                              "oldStart": "2026-11-05T08:00:00",
                              "newStart": "2026-11-05T12:00:00"}]
    (error,) = gql.errors("""query { reschedule(breakdowns: [{workCenter: "WC-HEAD",
        start: "2026-11-05T12:00:00", end: "2026-11-05T08:00:00"}]) { moved { order } } }""")
    assert error["extensions"] == {"type": "ValidationError", "field": "breakdowns.0.end"}


RESCHEDULE_MACHINES = """query R($start: DateTime, $repair: Decimal) {
  reschedule(start: $start, equipmentDowntime: true, repairHours: $repair) {
    schedule { operations { order opNo workCenter start end } }
    moved { order opNo oldStart newStart }
    equipmentDowntime { equipment workCenter state start end applied note } } }"""


def test_reschedule_takes_a_machine_that_is_down_as_its_work_centers_breakdown(planner):
    """Issue #14: CH-01, WC-HEAD's only machine, went DOWN (故障) at 07:00 on
    Thursday 5th and has no repair history; with repairHours 5 it is expected
    back at 12:00, so WO-1's 2 h on WC-HEAD slide from 08:00-10:00 to
    12:00-14:00 exactly as with the explicit breakdown 08:00-12:00 above."""
    from tests.scenes.equipment_api import REGISTER, STATE

    gql = planner
    sales_order_1(gql)
    gql.ok(RUN_MRP, {"today": D5})
    gql.ok(FIRM, {"run": "MRP-000001", "plannedId": "MRP-000001/00003"})  # SA-BLANK -> WO-1
    gql.ok(RELEASE_WO, {"number": "WO-000001"})
    gql.ok(REGISTER, {"code": "CH-01", "name": "冷镦机 1号", "workCenter": "WC-HEAD"})
    gql.ok(STATE, {"equipment": "CH-01", "at": "2026-11-05T07:00:00+08:00", "state": "DOWN",
                   "reason": "故障"})
    (error,) = gql.errors(RESCHEDULE_MACHINES, {"start": "2026-11-05T08:00:00"})
    assert error["extensions"]["field"] == "repairHours" and "CH-01" in error["message"]
    data = gql.gql(RESCHEDULE_MACHINES, {"start": "2026-11-05T08:00:00",
                                         "repair": "5"})["reschedule"]
    assert data["equipmentDowntime"] == [{
        "equipment": "CH-01", "workCenter": "WC-HEAD", "state": "DOWN",
        "start": "2026-11-05T07:00:00", "end": "2026-11-05T12:00:00", "applied": True,
        "note": ""}]
    head = [s for s in data["schedule"]["operations"] if s["workCenter"] == "WC-HEAD"]
    assert head == [{"order": "WO-000001", "opNo": "OP10", "workCenter": "WC-HEAD",
                     "start": "2026-11-05T12:00:00", "end": "2026-11-05T14:00:00"}]
    assert data["moved"] == [{"order": "WO-000001", "opNo": "OP10",
                              "oldStart": "2026-11-05T08:00:00",
                              "newStart": "2026-11-05T12:00:00"}]


PLAN_WINDOW = command("planMaintenanceWindow",
                      "maintenanceOrder { number plannedStart plannedEnd }")
SCHEDULE_HEAD = """query S($start: DateTime) { schedule(start: $start) {
  operations { order opNo workCenter start end } } }"""


def test_a_planned_maintenance_window_keeps_its_work_center_free_in_the_schedule(planner):
    """Issue #14: CH-01's lubrication is planned Thursday 5th 08:00 for 3.5 h;
    WC-HEAD has one unit, so WO-1's 2 h heading is scheduled 11:30-13:30
    instead of 08:00-10:00, and reschedule lists the window as applied."""
    from tests.scenes.equipment_api import OPEN_ORDER, REGISTER

    gql = planner
    sales_order_1(gql)
    gql.ok(RUN_MRP, {"today": D5})
    gql.ok(FIRM, {"run": "MRP-000001", "plannedId": "MRP-000001/00003"})  # SA-BLANK -> WO-1
    gql.ok(RELEASE_WO, {"number": "WO-000001"})
    gql.ok(REGISTER, {"code": "CH-01", "name": "冷镦机 1号", "workCenter": "WC-HEAD"})
    order = gql.ok(OPEN_ORDER, {"equipment": "CH-01", "description": "润滑 lubrication",
                                "day": "2026-11-04"})["maintenanceOrder"]["number"]
    planned = gql.ok(PLAN_WINDOW, {"number": order, "start": "2026-11-05T08:00:00",
                                   "hours": "3.5"})["maintenanceOrder"]
    assert (planned["plannedStart"], planned["plannedEnd"]) == ("2026-11-05T08:00:00",
                                                                "2026-11-05T11:30:00")
    head = [s for s in gql.gql(SCHEDULE_HEAD, {"start": "2026-11-05T08:00:00"})
            ["schedule"]["operations"] if s["workCenter"] == "WC-HEAD"]
    assert head == [{"order": "WO-000001", "opNo": "OP10", "workCenter": "WC-HEAD",
                     "start": "2026-11-05T11:30:00", "end": "2026-11-05T13:30:00"}]
    data = gql.gql(RESCHEDULE_MACHINES, {"start": "2026-11-05T08:00:00"})["reschedule"]
    assert data["equipmentDowntime"] == [{
        "equipment": "CH-01", "workCenter": "WC-HEAD", "state": "PLANNED_MAINTENANCE",
        "start": "2026-11-05T08:00:00", "end": "2026-11-05T11:30:00", "applied": True,
        "note": ""}]
    assert data["moved"] == []  # the schedule recomputed from start kept the window too
    bad = gql.refused(PLAN_WINDOW, {"number": order, "start": "2026-11-05T08:00:00",
                                    "hours": "0"})
    assert bad["__typename"] == "ValidationError" and "hours" in bad["message"]
    missing = gql.refused(PLAN_WINDOW, {"number": "MO-999999", "start": "2026-11-05T08:00:00",
                                        "hours": "1"})
    assert missing["__typename"] == "NotFound"
