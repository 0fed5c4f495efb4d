"""Equipment through GraphQL on both stores: the register, states and counts,
the bolt-kit day's OEE (exact: 0.875 x 0.857143 x 0.99 = 0.742500), downtime
Pareto, MTBF/MTTR, DOWN alerts, and bad input refused with a typed error that
writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from tests.scenes.equipment_api import (
    ALERTS,
    CHANGE,
    COUNT,
    EQUIPMENT_LIST,
    PARETO,
    REGISTER,
    RELIABILITY,
    SETTINGS,
    STATE,
    oee_day,
    record_bolt_kit_day,
    set_up_cold_header,
)
from tests.scenes.supply_api import SupplyApi


@pytest.fixture(scope="module")
def cold_header(module_runtime) -> Iterator[SupplyApi]:
    """CH-01 on WC-HEAD, IDLE since 07:00 on the bolt-kit day, on a store this
    module's refusals share (they write nothing)."""
    runtime, _kind = module_runtime
    with TestClient(create_app(runtime), raise_server_exceptions=False) as client:
        api = SupplyApi(client, runtime)
        set_up_cold_header(api)
        api.ok(STATE, {"equipment": "CH-01", "at": "2026-11-20T07:00:00+08:00",
                       "state": "IDLE"})
        yield api


def figures(oee: dict) -> dict:
    keys = ("plannedHours", "plannedBusyHours", "runningHours", "downHours", "produced",
            "good", "availability", "performance", "quality", "oee")
    return {k: oee[k] for k in keys}


BOLT_KIT_FIGURES = {
    "plannedHours": "8.000000", "plannedBusyHours": "8.000000", "runningHours": "7.000000",
    "downHours": "1.000000", "produced": "3000", "good": "2970", "availability": "0.875000",
    "performance": "0.857143", "quality": "0.990000", "oee": "0.742500"}


def test_the_bolt_kit_day_through_graphql(api):
    registered = set_up_cold_header(api)
    assert (registered["workCenter"], registered["idealCycleHours"], registered["ownCalendar"],
            registered["shifts"][0]) == ("WC-HEAD", "0.002", False,
                                         {"weekday": 0, "start": "08:00", "end": "16:00"})
    position = record_bolt_kit_day(api)
    day = oee_day(api, wait_for=position)
    assert figures(day["total"]) == BOLT_KIT_FIGURES
    (shift,) = day["shifts"]
    assert figures(shift) == BOLT_KIT_FIGURES
    assert (shift["start"], shift["end"]) == ("2026-11-20T08:00:00", "2026-11-20T16:00:00")
    assert day["total"]["downtime"] == [{"reason": "换模", "hours": "1.000000"}]
    (machine,) = api.gql(EQUIPMENT_LIST)["equipment"]
    assert (machine["state"], machine["stateAt"], machine["counted"], machine["good"]) == (
        "RUNNING", "2026-11-20T09:00:00", "3000", "2970")
    alert = api.gql(ALERTS, {"equipment": "CH-01"})["equipmentAlerts"]
    assert [(a["kind"], a["reason"], a["at"]) for a in alert] == [
        ("equipment_down", "换模", "2026-11-20T08:00:00")]


def test_breakdowns_give_pareto_mtbf_mttr_and_a_corrective_order(api):
    set_up_cold_header(api)
    record_bolt_kit_day(api)
    for at, state, reason in [("2026-11-23T08:00:00+08:00", "RUNNING", None),
                              ("2026-11-23T10:00:00+08:00", "DOWN", "故障"),
                              ("2026-11-23T13:00:00+08:00", "RUNNING", None),
                              ("2026-11-23T14:00:00+08:00", "DOWN", "待料"),
                              ("2026-11-23T14:30:00+08:00", "RUNNING", None)]:
        out = api.ok(STATE, {"equipment": "CH-01", "at": at, "state": state, "reason": reason})
    broke = api.gql(ALERTS)["equipmentAlerts"][1]
    assert (broke["kind"], broke["reason"]) == ("equipment_breakdown", "故障")
    pareto = api.gql(PARETO, {"from": "2026-11-20", "to": "2026-11-23",
                              "waitFor": out["logPosition"]})["downtimePareto"]
    assert pareto == [
        {"reason": "故障", "name": "breakdown", "hours": "3.000000", "share": "0.666667",
         "cumulativeShare": "0.666667"},
        {"reason": "换模", "name": "die change", "hours": "1.000000", "share": "0.222222",
         "cumulativeShare": "0.888889"},
        {"reason": "待料", "name": "waiting for material", "hours": "0.500000",
         "share": "0.111111", "cumulativeShare": "1.000000"}]
    r = api.gql(RELIABILITY, {"equipment": "CH-01", "from": "2026-11-20", "to": "2026-11-23"})
    # running Fri 09:00 to Mon 10:00 (73 h), 13:00-14:00, 14:30 to midnight: 83.5 h
    assert r["equipmentReliability"] == {
        "equipment": "CH-01", "failures": 1, "operatingHours": "83.500000",
        "repairHours": "3.000000", "mtbfHours": "83.500000", "mttrHours": "3.000000"}


def test_settings_give_the_company_reasons(api):
    set_up_cold_header(api)
    out = api.ok(SETTINGS, {"reasons": [{"code": "换模", "name": "die change"},
                                        {"code": "断刀", "name": "broken tool",
                                         "breakdown": True}],
                            "lateWindowSeconds": 60})
    assert out["reasons"][1] == {"code": "断刀", "name": "broken tool", "breakdown": True}
    refused = api.refused(STATE, {"equipment": "CH-01", "at": "2026-11-20T08:00:00+08:00",
                                  "state": "DOWN", "reason": "故障"})
    assert refused["field"] == "reason"
    made = api.ok(STATE, {"equipment": "CH-01", "at": "2026-11-20T08:00:00+08:00",
                          "state": "DOWN", "reason": "断刀"})
    assert (made["failure"], made["maintenanceOrder"]) == (True, "MO-000001")


def test_same_idempotency_key_records_once(api):
    set_up_cold_header(api)
    first = api.ok(COUNT, {"equipment": "CH-01", "at": "2026-11-20T12:00:00+08:00",
                           "total": "10", "good": "9", "idempotencyKey": "count-1"})
    again = api.ok(COUNT, {"equipment": "CH-01", "at": "2026-11-20T12:00:00+08:00",
                           "total": "10", "good": "9", "idempotencyKey": "count-1"})
    assert (again["replayed"], again["equipment"]["counted"]) == (True, "10")
    assert again["logPosition"] >= first["logPosition"]


AT = "2026-11-20T08:00:00+08:00"


@pytest.mark.parametrize("query, input_, kind, field", [
    (STATE, {"equipment": "NOPE", "at": AT, "state": "RUNNING"}, "NotFound", None),
    (STATE, {"equipment": "CH-01", "at": "2026-11-20T08:00:00", "state": "RUNNING"},
     "ValidationError", "at"),
    (STATE, {"equipment": "CH-01", "at": AT, "state": "DOWN"}, "ValidationError", "reason"),
    (STATE, {"equipment": "CH-01", "at": AT, "state": "DOWN", "reason": "午休"},
     "ValidationError", "reason"),
    (STATE, {"equipment": "CH-01", "at": AT, "state": "RUNNING", "reason": "换模"},
     "ValidationError", "reason"),
    (STATE, {"equipment": "CH-01", "at": "2024-01-01T08:00:00+08:00", "state": "RUNNING"},
     "BusinessRuleViolation", None),
    (STATE, {"equipment": "CH-01", "at": AT, "state": "RUNNING", "messageId": "x" * 101},
     "ValidationError", "id"),
    (COUNT, {"equipment": "CH-01", "at": AT, "total": "-1", "good": "0"},
     "ValidationError", "total"),
    (COUNT, {"equipment": "CH-01", "at": AT, "total": "10", "good": "11"},
     "ValidationError", "good"),
    (COUNT, {"equipment": "CH-01", "at": AT, "total": "1.0000001", "good": "1"},
     "ValidationError", "total"),
    (COUNT, {"equipment": "CH-01", "at": AT, "total": "NaN", "good": "1"},
     "ValidationError", "total"),
    (REGISTER, {"code": "CH-01", "name": "again", "workCenter": "WC-HEAD"},
     "BusinessRuleViolation", None),
    (REGISTER, {"code": "CH-02", "name": "x", "workCenter": "WC-NONE"}, "NotFound", None),
    (REGISTER, {"code": "bad code!", "name": "x", "workCenter": "WC-HEAD"},
     "ValidationError", "code"),
    (REGISTER, {"code": "CH-02", "name": " ", "workCenter": "WC-HEAD"}, "ValidationError",
     "name"),
    (REGISTER, {"code": "CH-02", "name": "x", "workCenter": "WC-HEAD",
                "idealCycleHours": "-0.1"}, "ValidationError", "idealCycleHours"),
    (REGISTER, {"code": "CH-02", "name": "x", "workCenter": "WC-HEAD",
                "shifts": [{"weekday": 7, "start": "08:00", "end": "16:00"}]},
     "ValidationError", "shifts.0.weekday"),
    (REGISTER, {"code": "CH-02", "name": "x", "workCenter": "WC-HEAD",
                "shifts": [{"weekday": 1, "start": "8h", "end": "16:00"}]},
     "ValidationError", "shifts.0"),
    (REGISTER, {"code": "CH-02", "name": "x", "workCenter": "WC-HEAD",
                "spareParts": [{"item": "NO-ITEM", "perRepair": "1"}]}, "NotFound", None),
    (CHANGE, {"code": "CH-09", "name": "x", "workCenter": "WC-HEAD"}, "NotFound", None),
    (SETTINGS, {"reasons": []}, "ValidationError", "reasons"),
    (SETTINGS, {"reasons": [{"code": "a", "name": "a"}, {"code": "a", "name": "b"}]},
     "ValidationError", "reasons.1.code"),
    (SETTINGS, {"reasons": [{"code": "a", "name": "a"}], "lateWindowSeconds": -1},
     "ValidationError", "lateWindowSeconds"),
    (SETTINGS, {"reasons": [{"code": "a", "name": "a"}], "expenseAccount": "9999"},
     "ValidationError", "expenseAccount"),
    (SETTINGS, {"reasons": [{"code": "a", "name": "a"}], "maintenanceRate": "-1"},
     "ValidationError", "maintenanceRate"),
])
def test_bad_input_is_a_typed_error_and_writes_nothing(cold_header, query, input_, kind,
                                                      field):
    refused = cold_header.refused(query, input_)
    assert refused["__typename"] == kind, refused
    if field is not None:
        assert refused["field"] == field, refused


def test_a_message_too_late_for_the_window_is_refused(api):
    set_up_cold_header(api)
    api.ok(STATE, {"equipment": "CH-01", "at": "2026-11-20T10:00:00+08:00", "state": "IDLE"})
    inside = api.ok(STATE, {"equipment": "CH-01", "at": "2026-11-20T09:56:00+08:00",
                            "state": "RUNNING"})  # 4 min late: sorts in
    assert inside["equipment"]["state"] == "IDLE"  # the newest stays the newest
    late = api.refused(STATE, {"equipment": "CH-01", "at": "2026-11-20T09:54:59+08:00",
                               "state": "RUNNING"})
    assert (late["__typename"], late["code"]) == ("BusinessRuleViolation", "OUT_OF_ORDER")


def test_retired_equipment_takes_no_more_states(api):
    set_up_cold_header(api)
    api.ok(CHANGE, {"code": "CH-01", "name": "冷镦机 1号", "workCenter": "WC-HEAD",
                    "status": "RETIRED"})
    refused = api.refused(COUNT, {"equipment": "CH-01", "at": AT, "total": "1", "good": "1"})
    assert refused["code"] == "EQUIPMENT_RETIRED"
    assert Decimal(api.gql(EQUIPMENT_LIST)["equipment"][0]["counted"]) == 0


ALERT_FEED = """subscription Alerts($equipment: String, $after: Int) {
  equipmentAlerts(equipment: $equipment, after: $after) { logPosition equipment kind reason at }
}"""


def test_a_maintenance_board_subscribed_to_alerts_sees_each_down(api):
    set_up_cold_header(api)
    after = api.log_position()
    with api.client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        ws.send_json({"type": "connection_init"})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json({"id": "1", "type": "subscribe", "payload": {
            "query": ALERT_FEED, "variables": {"equipment": "CH-01", "after": after}}})
        api.ok(STATE, {"equipment": "CH-01", "at": "2026-11-20T08:00:00+08:00",
                       "state": "DOWN", "reason": "换模"})
        api.ok(STATE, {"equipment": "CH-01", "at": "2026-11-20T09:00:00+08:00",
                       "state": "RUNNING"})
        down = api.ok(STATE, {"equipment": "CH-01", "at": "2026-11-20T11:00:00+08:00",
                              "state": "DOWN", "reason": "故障"})
        pushed = [ws.receive_json(), ws.receive_json()]
        ws.send_json({"id": "1", "type": "complete"})
    alerts = [m["payload"]["data"]["equipmentAlerts"] for m in pushed]
    assert [(a["kind"], a["reason"], a["at"]) for a in alerts] == [
        ("equipment_down", "换模", "2026-11-20T08:00:00"),
        ("equipment_breakdown", "故障", "2026-11-20T11:00:00")]
    assert alerts[1]["logPosition"] <= down["logPosition"]
