"""Equipment through GraphQL: its documents and the bolt-kit cold header
(WC-HEAD with machine CH-01, ideal 0.002 h/pc) as plain functions; the
bolt-kit day (docs/examples/bolt-kit.md, "Shop-floor figures") as states and
counts, the same facts the MQTT tests publish."""

from __future__ import annotations

from tests.scenes.graphql import mutation
from tests.scenes.supply_api import command

EQUIPMENT = """code name workCenter model serial installedOn idealCycleHours ownCalendar
    status state reason stateAt counted good shifts { weekday start end }
    spareParts { item perRepair }"""
OEE = """equipment day start end plannedHours plannedMaintenanceHours plannedBusyHours
    runningHours downHours setupHours idleHours unknownHours produced good
    availability performance quality oee downtime { reason hours }"""
ORDER = """number equipment workCenter kind plan reason description status openedOn startedOn
    closedOn note partsCost laborHours laborCost totalCost
    costs { kind day document detail hours amount entryId voucherNo }"""
DEFINE_WC = command("defineWorkCenter", "workCenter { code }")
REGISTER = command("registerEquipment", f"equipment {{ {EQUIPMENT} }}")
CHANGE = command("changeEquipment", f"equipment {{ {EQUIPMENT} }}")
STATE = command("recordEquipmentState", f"failure maintenanceOrder equipment {{ {EQUIPMENT} }}")
COUNT = command("recordEquipmentCount", f"maintenanceOrders equipment {{ {EQUIPMENT} }}")
SETTINGS = mutation("setEquipmentSettings", "SetEquipmentSettingsInput",
                    "SetEquipmentSettingsSuccess { logPosition replayed "
                    "reasons { code name breakdown } }")
OEE_QUERY = f"""
query Oee($equipment: String!, $from: Date!, $to: Date, $waitFor: Int) {{
  equipmentOee(equipment: $equipment, from: $from, to: $to, waitFor: $waitFor) {{
    day total {{ {OEE} }} shifts {{ {OEE} }}
  }}
}}"""
PARETO = """
query Pareto($from: Date!, $to: Date, $equipment: String, $workCenter: String) {
  downtimePareto(from: $from, to: $to, equipment: $equipment, workCenter: $workCenter) {
    reason name hours share cumulativeShare
  }
}"""
RELIABILITY = """
query R($equipment: String!, $from: Date!, $to: Date) {
  equipmentReliability(equipment: $equipment, from: $from, to: $to) {
    equipment failures operatingHours repairHours mtbfHours mttrHours
  }
}"""
ALERTS = """
query A($equipment: String) {
  equipmentAlerts(equipment: $equipment) { logPosition equipment workCenter kind reason at message }
}"""
EQUIPMENT_LIST = f"query {{ equipment {{ {EQUIPMENT} }} }}"
ORDERS = f"""
query O($equipment: String, $status: MaintenanceStatus) {{
  maintenanceOrders(equipment: $equipment, status: $status) {{ {ORDER} }}
}}"""
DEAD_LETTERS = """
query { equipmentDeadLetters { logPosition topic messageId code reason payload receivedAt } }"""

BOLT_DAY = "2026-11-20"  # a Friday: WC-HEAD's default shift 08:00-16:00
# The bolt-kit day: down 1.0 h for a die change, running 7.0 h, 3,000 counted, 2,970 good.
BOLT_KIT_STATES = [
    ("2026-11-20T08:00:00+08:00", "DOWN", "换模"),
    ("2026-11-20T09:00:00+08:00", "RUNNING", None),
]
BOLT_KIT_COUNT = ("2026-11-20T16:00:00+08:00", "3000", "2970")


def set_up_cold_header(api, ideal: str = "0.002", **extra) -> dict:
    """WC-HEAD (default shifts Mon-Fri 08:00-16:00) and its machine CH-01."""
    api.ok(DEFINE_WC, {"code": "WC-HEAD", "name": "冷镦机 cold header", "laborRate": "40",
                       "overheadRate": "20"})
    return api.ok(REGISTER, {"code": "CH-01", "name": "冷镦机 1号", "workCenter": "WC-HEAD",
                             "model": "ZH-12B", "serial": "SN-2019-0042",
                             "installedOn": "2019-06-01", "idealCycleHours": ideal,
                             **extra})["equipment"]


def record_bolt_kit_day(api) -> int:
    """The bolt-kit day through recordEquipmentState/Count; the last log position."""
    for i, (at, state, reason) in enumerate(BOLT_KIT_STATES):
        api.ok(STATE, {"equipment": "CH-01", "at": at, "state": state, "reason": reason,
                       "messageId": f"gql-{i}"})
    at, total, good = BOLT_KIT_COUNT
    return api.ok(COUNT, {"equipment": "CH-01", "at": at, "total": total, "good": good,
                          "messageId": "gql-count"})["logPosition"]


def oee_day(api, day: str = BOLT_DAY, wait_for: int | None = None) -> dict:
    (found,) = api.gql(OEE_QUERY, {"equipment": "CH-01", "from": day,
                                   "waitFor": wait_for})["equipmentOee"]
    return found


# -- maintenance -----------------------------------------------------------------------------
PLAN = command("setMaintenancePlan", "plan { equipment code description everyDays everyUnits "
               "lastDoneOn lastDoneUnits openOrder }")
OPEN_ORDER = command("openMaintenanceOrder", f"maintenanceOrder {{ {ORDER} }}")
OPEN_DUE = command("openDueMaintenance", f"maintenanceOrders {{ {ORDER} }}")
START_ORDER = command("startMaintenanceOrder", f"maintenanceOrder {{ {ORDER} }}")
ISSUE_PARTS = command("issueMaintenanceParts", f"document entryId voucherNo value "
                      f"maintenanceOrder {{ {ORDER} }}")
LABOR = command("recordMaintenanceLabor",
                f"amount entryId voucherNo maintenanceOrder {{ {ORDER} }}")
CLOSE_ORDER = command("closeMaintenanceOrder", f"maintenanceOrder {{ {ORDER} }}")
ENTRY = """query E($id: ID!) { journalEntry(id: $id) { voucherNo summary
    lines { accountCode debit credit } } }"""


def set_up_spare_parts(api) -> None:
    """November open; SP-BEARING (轴承, raw: 1403) in WH-RM: 10 at 30.00 and 5 at 35.00,
    so 15 at 475.00 on moving average; WC-HEAD and CH-01 using 2 per repair; a
    maintenance rate of 60.00 CNY/h."""
    from tests.scenes.graphql import OPEN_PERIOD
    from tests.scenes.supply_api import ADJUST, CREATE_ITEM, CREATE_WAREHOUSE, NOV

    api.ok(OPEN_PERIOD, {"period": NOV})
    api.ok(CREATE_WAREHOUSE, {"code": "WH-RM", "name": "原料库 raw materials",
                              "locations": ["A1"]})
    api.ok(CREATE_ITEM, {"code": "SP-BEARING", "name": "轴承 bearing 6205", "uom": "pcs",
                         "itemType": "RAW", "defaultWarehouse": "WH-RM"})
    for qty, cost in (("10", "30.00"), ("5", "35.00")):
        api.ok(ADJUST, {"postingDate": "2026-11-02", "reason": "期初 opening stock",
                        "lines": [{"item": "SP-BEARING", "warehouse": "WH-RM", "qty": qty,
                                   "unitCost": cost}]})
    set_up_cold_header(api, spareParts=[{"item": "SP-BEARING", "perRepair": "2"}])
    api.ok(SETTINGS, {"reasons": [{"code": "换模", "name": "die change"},
                                  {"code": "故障", "name": "breakdown", "breakdown": True},
                                  {"code": "待料", "name": "waiting for material"}],
                      "maintenanceRate": "60.00"})
