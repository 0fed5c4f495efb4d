"""Failures feed planning: three breakdowns of CH-01 in 90 days, a bearing with
30 days' lead time and 2 per repair give a safety stock of 6 (2 expected +
1.6449 x 2); applied to the item's planning data, the next MRP run plans a
purchase it did not plan before. On both stores, through GraphQL."""

from __future__ import annotations

from tests.scenes.equipment_api import SETTINGS, STATE, set_up_cold_header
from tests.scenes.graphql import OPEN_PERIOD
from tests.scenes.supply_api import ADJUST, CREATE_ITEM, CREATE_WAREHOUSE, NOV, command

APPLY = command("applySafetyStockRecommendation", "item previousSafetyStock safetyStock "
                "expectedParts failures equipment")
RUN_MRP = command("runMrp", "run { number plannedOrders { item kind qty needDate } }")
RECOMMENDATION = """query R($item: String!, $day: Date, $serviceLevel: Decimal) {
  safetyStockRecommendation(item: $item, day: $day, serviceLevel: $serviceLevel) {
    item leadTimeDays uses { equipment failures perRepair } expectedParts deviation margin
    safetyStock } }"""
ITEM = "query I($code: String!) { item(code: $code) { planning { safetyStock } } }"
BREAKDOWNS = [("2026-11-09", "10:00", "12:00"), ("2026-11-16", "09:00", "13:00"),
              ("2026-11-23", "14:00", "15:00")]


def set_up(api) -> None:
    api.ok(OPEN_PERIOD, {"period": NOV})
    api.ok(CREATE_WAREHOUSE, {"code": "WH-RM", "name": "原料库", "locations": ["A1"]})
    for code, name in (("SP-BEARING", "轴承 bearing 6205"), ("SP-BELT", "皮带 belt")):
        api.ok(CREATE_ITEM, {"code": code, "name": name, "uom": "pcs", "itemType": "RAW",
                             "defaultWarehouse": "WH-RM", "planning": {"leadTimeDays": 30}})
    api.ok(ADJUST, {"postingDate": "2026-11-02", "reason": "期初 opening stock",
                    "lines": [{"item": "SP-BEARING", "warehouse": "WH-RM", "qty": "4",
                               "unitCost": "30.00"}]})
    set_up_cold_header(api, spareParts=[{"item": "SP-BEARING", "perRepair": "2"}])
    api.ok(SETTINGS, {"reasons": [{"code": "故障", "name": "breakdown", "breakdown": True}]})
    for day, down, up in BREAKDOWNS:
        api.ok(STATE, {"equipment": "CH-01", "at": f"{day}T{down}:00+08:00", "state": "DOWN",
                       "reason": "故障"})
        api.ok(STATE, {"equipment": "CH-01", "at": f"{day}T{up}:00+08:00", "state": "RUNNING"})


def buys(api, today: str) -> list[tuple[str, str]]:
    run = api.ok(RUN_MRP, {"today": today})["run"]
    return [(p["item"], p["qty"]) for p in run["plannedOrders"] if p["kind"] == "buy"]


def test_failures_raise_the_safety_stock_and_mrp_plans_the_purchase(api):
    set_up(api)
    assert buys(api, "2026-11-30") == []  # 4 on hand, no safety stock, no demand
    advice = api.gql(RECOMMENDATION, {"item": "SP-BEARING", "day": "2026-11-30"})[
        "safetyStockRecommendation"]
    assert advice == {"item": "SP-BEARING", "leadTimeDays": 30,
                      "uses": [{"equipment": "CH-01", "failures": 3, "perRepair": "2"}],
                      "expectedParts": "2.000000", "deviation": "2.000000",
                      "margin": "3.289800", "safetyStock": "6"}
    applied = api.ok(APPLY, {"item": "SP-BEARING", "day": "2026-11-30"})
    assert {k: applied[k] for k in ("previousSafetyStock", "safetyStock", "expectedParts",
                                    "failures", "equipment")} == {
        "previousSafetyStock": "0", "safetyStock": "6", "expectedParts": "2.000000",
        "failures": 3, "equipment": ["CH-01"]}
    assert api.gql(ITEM, {"code": "SP-BEARING"})["item"]["planning"]["safetyStock"] == "6"
    assert buys(api, "2026-11-30") == [("SP-BEARING", "2")]  # up to 6 from 4
    # a stricter level asks for more; applying the same again changes nothing
    strict = api.gql(RECOMMENDATION, {"item": "SP-BEARING", "day": "2026-11-30",
                                      "serviceLevel": "0.99"})["safetyStockRecommendation"]
    assert strict["safetyStock"] == "7"
    again = api.ok(APPLY, {"item": "SP-BEARING", "day": "2026-11-30"})
    assert (again["previousSafetyStock"], again["safetyStock"]) == ("6", "6")


def test_refusals_write_nothing(api):
    set_up(api)
    refused = api.refused(APPLY, {"item": "SP-BELT"})
    assert refused["code"] == "NOT_A_SPARE_PART"
    assert api.refused(APPLY, {"item": "SP-BEARING", "serviceLevel": "0.5"})[
        "field"] == "serviceLevel"
    assert api.refused(APPLY, {"item": "SP-BEARING", "windowDays": 0})["field"] == "windowDays"
    assert api.refused(APPLY, {"item": "NO-SUCH"})["__typename"] == "NotFound"
    assert api.refused(APPLY, {"item": "SP-BEARING", "day": "2020-01-01"})[
        "code"] == "DATE_OUT_OF_RANGE"
