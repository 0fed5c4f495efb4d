"""Maintenance through GraphQL on both stores: a breakdown opens a corrective
order and raises an alert; spare parts leave stock at moving average posted
Dr 4101 / Cr 1403 in the same save and labour Dr 4101 / Cr 2211, stock = GL
after it; preventive plans by units and by days; bad input for every
maintenance mutation is a typed error that writes nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from tests.scenes.equipment_api import (
    ALERTS,
    CLOSE_ORDER,
    COUNT,
    ENTRY,
    ISSUE_PARTS,
    LABOR,
    OPEN_DUE,
    OPEN_ORDER,
    ORDERS,
    PLAN,
    START_ORDER,
    STATE,
    set_up_spare_parts,
)
from tests.scenes.supply_api import RECONCILIATION, SupplyApi

DAY = "2026-11-20"


def lines(api, entry_id: str) -> list[tuple[str, str, str]]:
    entry = api.gql(ENTRY, {"id": entry_id})["journalEntry"]
    return [(ln["accountCode"], ln["debit"], ln["credit"]) for ln in entry["lines"]]


def test_a_breakdown_repaired_with_spare_parts_and_labour_keeps_stock_equal_to_gl(api):
    set_up_spare_parts(api)
    api.ok(STATE, {"equipment": "CH-01", "at": f"{DAY}T08:00:00+08:00", "state": "RUNNING"})
    broke = api.ok(STATE, {"equipment": "CH-01", "at": f"{DAY}T10:00:00+08:00",
                           "state": "DOWN", "reason": "故障"})
    assert (broke["failure"], broke["maintenanceOrder"]) == (True, "MO-000001")
    assert api.gql(ALERTS)["equipmentAlerts"][0]["kind"] == "equipment_breakdown"
    # a second breakdown message while still broken opens nothing more
    again = api.ok(STATE, {"equipment": "CH-01", "at": f"{DAY}T10:30:00+08:00",
                           "state": "DOWN", "reason": "故障"})
    assert (again["failure"], again["maintenanceOrder"]) == (False, "")

    started = api.ok(START_ORDER, {"number": "MO-000001", "day": DAY})["maintenanceOrder"]
    assert (started["kind"], started["status"], started["reason"]) == (
        "corrective", "started", "故障")
    parts = api.ok(ISSUE_PARTS, {"number": "MO-000001", "postingDate": DAY,
                                 "lines": [{"item": "SP-BEARING", "qty": "2"}]})
    # moving average: 475.00 x 2 / 15 = 63.33
    assert (parts["document"], parts["value"]) == ("MT-000001", "63.33")
    assert lines(api, parts["entryId"]) == [("4101", "63.33", "0.00"), ("1403", "0.00", "63.33")]
    labor = api.ok(LABOR, {"number": "MO-000001", "postingDate": DAY, "hours": "1.5"})
    assert labor["amount"] == "90.00"  # 1.5 h x 60.00
    assert lines(api, labor["entryId"]) == [("4101", "90.00", "0.00"), ("2211", "0.00", "90.00")]
    api.ok(STATE, {"equipment": "CH-01", "at": f"{DAY}T12:00:00+08:00", "state": "RUNNING"})
    closed = api.ok(CLOSE_ORDER, {"number": "MO-000001", "day": DAY,
                                  "note": "换轴承 bearing replaced"})["maintenanceOrder"]
    assert {k: closed[k] for k in ("status", "closedOn", "partsCost", "laborHours",
                                   "laborCost", "totalCost", "note")} == {
        "status": "closed", "closedOn": DAY, "partsCost": "63.33", "laborHours": "1.5",
        "laborCost": "90.00", "totalCost": "153.33", "note": "换轴承 bearing replaced"}
    assert [(c["kind"], c["document"], c["detail"], c["amount"], c["voucherNo"] != "")
            for c in closed["costs"]] == [
        ("parts", "MT-000001", "SP-BEARING 2 @ WH-RM = 63.33", "63.33", True),
        ("labor", "", "1.5 h @ 60", "90.00", True)]
    (bearing,) = api.on_hand(item="SP-BEARING")
    assert (bearing["qty"], bearing["value"]) == ("13", "411.67")
    reconciliation = api.gql(RECONCILIATION)["inventoryReconciliation"]
    assert {r["account"]: (r["stockValue"], r["glBalance"], r["difference"])
            for r in reconciliation}["1403"] == ("411.67", "411.67", "0.00")
    # a new breakdown after the close opens a new order
    third = api.ok(STATE, {"equipment": "CH-01", "at": f"{DAY}T14:00:00+08:00",
                           "state": "DOWN", "reason": "故障"})
    assert third["maintenanceOrder"] == "MO-000002"


def test_preventive_plans_by_units_and_by_days(api):
    set_up_spare_parts(api)
    plan = api.ok(PLAN, {"equipment": "CH-01", "code": "PM-LUBE", "description": "润滑 lube",
                         "everyUnits": "5000", "day": "2026-11-01"})["plan"]
    assert (plan["lastDoneOn"], plan["lastDoneUnits"], plan["openOrder"]) == (
        "2026-11-01", "0", "")
    api.ok(PLAN, {"equipment": "CH-01", "code": "PM-MONTH", "description": "月检 monthly",
                  "everyDays": 30, "day": "2026-11-01"})
    first = api.ok(COUNT, {"equipment": "CH-01", "at": f"{DAY}T12:00:00+08:00",
                           "total": "3000", "good": "2970"})
    assert first["maintenanceOrders"] == []
    due = api.ok(COUNT, {"equipment": "CH-01", "at": f"{DAY}T16:00:00+08:00",
                         "total": "2500", "good": "2500"})
    assert due["maintenanceOrders"] == ["MO-000001"]
    (order,) = api.gql(ORDERS, {"equipment": "CH-01"})["maintenanceOrders"]
    assert (order["kind"], order["plan"], order["description"]) == (
        "preventive", "PM-LUBE", "润滑 lube (every 5000 units)")
    assert api.ok(OPEN_DUE, {"day": "2026-11-30"})["maintenanceOrders"] == []
    monthly = api.ok(OPEN_DUE, {"day": "2026-12-01"})["maintenanceOrders"]
    assert [(o["number"], o["plan"]) for o in monthly] == [("MO-000002", "PM-MONTH")]
    assert api.ok(OPEN_DUE, {"day": "2026-12-02"})["maintenanceOrders"] == []  # one open
    api.ok(START_ORDER, {"number": "MO-000001", "day": DAY})
    api.ok(CLOSE_ORDER, {"number": "MO-000001", "day": DAY})
    more = api.ok(COUNT, {"equipment": "CH-01", "at": f"{DAY}T16:30:00+08:00",
                          "total": "4999", "good": "4999"})
    assert more["maintenanceOrders"] == []  # 5,500 at the close: due again at 10,500
    assert api.ok(COUNT, {"equipment": "CH-01", "at": f"{DAY}T17:00:00+08:00",
                          "total": "1", "good": "1"})["maintenanceOrders"] == ["MO-000003"]


@pytest.fixture(scope="module")
def workshop(module_runtime) -> Iterator[SupplyApi]:
    """set_up_spare_parts; MO-000001 open (not started), MO-000002 started,
    MO-000003 closed; on a store this module's refusals share."""
    runtime, _kind = module_runtime
    with TestClient(create_app(runtime), raise_server_exceptions=False) as client:
        api = SupplyApi(client, runtime)
        set_up_spare_parts(api)
        for _ in range(3):
            api.ok(OPEN_ORDER, {"equipment": "CH-01", "description": "检查 check", "day": DAY})
        api.ok(START_ORDER, {"number": "MO-000002", "day": DAY})
        api.ok(START_ORDER, {"number": "MO-000003", "day": DAY})
        api.ok(CLOSE_ORDER, {"number": "MO-000003", "day": DAY})
        yield api


PARTS = [{"item": "SP-BEARING", "qty": "1"}]


@pytest.mark.parametrize("query, input_, kind, field_or_code", [
    (PLAN, {"equipment": "CH-09", "code": "P", "description": "d", "everyDays": 1},
     "NotFound", None),
    (PLAN, {"equipment": "CH-01", "code": "P", "description": "d"}, "ValidationError",
     "everyDays"),
    (PLAN, {"equipment": "CH-01", "code": "P", "description": "d", "everyDays": -1},
     "ValidationError", "everyDays"),
    (PLAN, {"equipment": "CH-01", "code": "P", "description": "d", "everyUnits": "-5"},
     "ValidationError", "everyUnits"),
    (PLAN, {"equipment": "CH-01", "code": "p q", "description": "d", "everyDays": 1},
     "ValidationError", "code"),
    (PLAN, {"equipment": "CH-01", "code": "P", "description": " ", "everyDays": 1},
     "ValidationError", "description"),
    (PLAN, {"equipment": "CH-01", "code": "P", "description": "d", "everyDays": 1,
            "day": "2020-01-01"}, "BusinessRuleViolation", "DATE_OUT_OF_RANGE"),
    (OPEN_ORDER, {"equipment": "CH-09", "description": "d"}, "NotFound", None),
    (OPEN_ORDER, {"equipment": "CH-01", "description": ""}, "ValidationError", "description"),
    (OPEN_ORDER, {"equipment": "CH-01", "description": "d", "reason": "午休"},
     "ValidationError", "reason"),
    (OPEN_DUE, {"day": "2099-01-01"}, "BusinessRuleViolation", "DATE_OUT_OF_RANGE"),
    (START_ORDER, {"number": "MO-999999"}, "NotFound", None),
    (START_ORDER, {"number": "MO-000002", "day": DAY}, "BusinessRuleViolation",
     "MAINTENANCE_ORDER_NOT_OPEN"),
    (START_ORDER, {"number": "MO-000001", "day": "2026-11-19"}, "ValidationError", "day"),
    (ISSUE_PARTS, {"number": "MO-000001", "postingDate": DAY, "lines": PARTS},
     "BusinessRuleViolation", "MAINTENANCE_ORDER_NOT_STARTED"),
    (ISSUE_PARTS, {"number": "MO-000003", "postingDate": DAY, "lines": PARTS},
     "BusinessRuleViolation", "MAINTENANCE_ORDER_CLOSED"),
    (ISSUE_PARTS, {"number": "MO-000002", "postingDate": DAY, "lines": []},
     "ValidationError", "lines"),
    (ISSUE_PARTS, {"number": "MO-000002", "postingDate": DAY,
                   "lines": [{"item": "NO-SUCH", "qty": "1"}]}, "NotFound", None),
    (ISSUE_PARTS, {"number": "MO-000002", "postingDate": DAY,
                   "lines": [{"item": "SP-BEARING", "qty": "0"}]}, "ValidationError",
     "lines.0.qty"),
    (ISSUE_PARTS, {"number": "MO-000002", "postingDate": DAY,
                   "lines": [{"item": "SP-BEARING", "qty": "10"},
                             {"item": "SP-BEARING", "qty": "6"}]},
     "BusinessRuleViolation", "INSUFFICIENT_STOCK"),
    (ISSUE_PARTS, {"number": "MO-000002", "postingDate": DAY,
                   "lines": [{"item": "SP-BEARING", "qty": "1", "warehouse": "WH-XX"}]},
     "NotFound", None),
    (ISSUE_PARTS, {"number": "MO-000002", "postingDate": "2026-12-01", "lines": PARTS},
     "NotFound", None),  # December was never opened
    (ISSUE_PARTS, {"number": "MO-000002", "postingDate": "2026-11-19", "lines": PARTS},
     "ValidationError", "postingDate"),
    (LABOR, {"number": "MO-000002", "postingDate": DAY, "hours": "0"}, "ValidationError",
     "hours"),
    (LABOR, {"number": "MO-000001", "postingDate": DAY, "hours": "1"},
     "BusinessRuleViolation", "MAINTENANCE_ORDER_NOT_STARTED"),
    (CLOSE_ORDER, {"number": "MO-000001", "day": DAY}, "BusinessRuleViolation",
     "MAINTENANCE_ORDER_NOT_STARTED"),
    (CLOSE_ORDER, {"number": "MO-000003", "day": DAY}, "BusinessRuleViolation",
     "MAINTENANCE_ORDER_CLOSED"),
    (CLOSE_ORDER, {"number": "MO-000002", "day": DAY, "note": "x" * 201}, "ValidationError",
     "note"),
])
def test_bad_maintenance_input_is_a_typed_error_and_writes_nothing(workshop, query, input_,
                                                                   kind, field_or_code):
    refused = workshop.refused(query, input_)
    assert refused["__typename"] == kind, refused
    if kind == "ValidationError":
        assert refused["field"] == field_or_code, refused
    elif kind == "BusinessRuleViolation":
        assert refused["code"] == field_or_code, refused
