"""A planner's worked week (docs/examples/planner-week.md) through GraphQL as a
scene: each step returns what the planner sees, rendered as the document's
tables (lists of cells), so the test compares every figure."""

from __future__ import annotations

from tests.scenes.planning_api import PLANNED
from tests.scenes.planning_shop import SPLIT, pin_company_clock, press_shop, release_all
from tests.scenes.production_api import SCAN_LEAN, START_OP
from tests.scenes.supply_api import (
    CHANGE_ITEM,
    CONFIRM_SO,
    CREATE_SO,
    SupplyApi,
    command,
)

RUN_MRP = command("runMrp", f"run {{ number plannedOrders {{ {PLANNED} }} "
                  "exceptions { kind ref } }")
SET_FORECAST = command("setForecast", "forecast { item date qty }")
RECEIPTS = """query R($top: String) { peggedReceipts(top: $top) {
  ref item qty due availableOn pegs { demand top qty } } }"""
SLOTS = "order opNo workCenter unit start end"
LATE = "order due predictedFinish latenessWallClockHours latenessWorkingHours"
SAVED = (f"number basedOn schedule {{ operations {{ {SLOTS} }} late {{ {LATE} }} "
         "tardinessHours tardinessWorkingHours } "
         "moved { order opNo oldUnit oldStart oldEnd newUnit newStart newEnd }")
RECORD = command("recordSchedule", f"savedSchedule {{ {SAVED} }}")
RESCHEDULE = f"""query R($breakdowns: [BreakdownInput!]) {{
  reschedule(breakdowns: $breakdowns) {{ basedOn schedule {{ operations {{ {SLOTS} }} }}
    moved {{ order opNo oldUnit oldStart oldEnd newUnit newStart newEnd }} }} }}"""
BREAKDOWN = [{"workCenter": "WC-PRESS", "start": "2026-11-24T16:00:00",
              "end": "2026-11-25T12:00:00"}]


def when(iso: str) -> str:
    """2026-11-24T16:00:00 -> Tue 24 16:00."""
    from datetime import datetime

    moment = datetime.fromisoformat(iso)
    return moment.strftime("%a %d %H:%M")


def pegs(items: list[dict]) -> str:
    return "; ".join(f"{g['top']} {g['qty']}" for g in items)


def monday(gql: SupplyApi, monkeypatch) -> dict[str, list[list[str]]]:
    """Monday 23 November, 08:00: the split, the orders, MRP, the schedule."""
    press_shop(gql)
    gql.ok(CHANGE_ITEM, {"code": "FG-KIT", "planning": {"lotSizeRule": "FIXED",
                                                        "lotSize": "30"}})
    pin_company_clock(monkeypatch, "2026-11-23T08:00")
    split = gql.ok(SPLIT, {"item": "FG-BRKT", "qty": "150", "month": "2026-11"})
    release_all(gql, [d["number"] for d in split["days"]])
    for qty in ("10", "15"):
        number = gql.ok(CREATE_SO, {"customer": "CUS-HW", "orderDate": "2026-11-23", "lines": [
            {"item": "FG-KIT", "qty": qty, "unitPrice": "200.00",
             "dueDate": "2026-11-27"}]})["order"]["number"]
        gql.ok(CONFIRM_SO, {"number": number})
    gql.ok(SET_FORECAST, {"item": "FG-BRKT", "date": "2026-11-30", "qty": "150"})
    run = gql.ok(RUN_MRP, {})["run"]
    receipts = gql.gql(RECEIPTS, {"top": "FC:FG-BRKT:2026-11-30"})["peggedReceipts"]
    first = gql.ok(RECORD, {})["savedSchedule"]
    return {
        "split": [[d["date"], d["qty"], d["hours"], d["number"]] for d in split["days"]]
        + [["shortfall", split["shortfall"], "", split["plan"]]],
        "planned": [[p["id"], p["item"], p["kind"], p["qty"], p["needDate"], p["releaseDate"],
                     pegs(p["pegs"])] for p in run["plannedOrders"]],
        "exceptions": [[x["kind"], x["ref"]] for x in run["exceptions"]],
        "receipts": [[r["ref"], r["item"], r["qty"], r["due"], pegs(r["pegs"])]
                     for r in receipts],
        "schedule": _slots(first),
        "saved": [[first["number"], first["basedOn"] or "", first["schedule"]["tardinessHours"]]],
    }


def tuesday(gql: SupplyApi, monkeypatch) -> dict[str, list[list[str]]]:
    """Tuesday 24 November, 12:00: the floor's news, a breakdown, the repair."""
    pin_company_clock(monkeypatch, "2026-11-24T12:00")
    for number in ("WO-000001", "WO-000002"):
        gql.ok(SCAN_LEAN, {"code": f"{number}/OP10", "postingDate": "2026-11-23",
                           "good": "30", "laborHours": "8"})
    gql.ok(START_OP, {"number": "WO-000003", "opNo": "OP10"})
    preview = gql.gql(RESCHEDULE, {"breakdowns": BREAKDOWN})["reschedule"]
    repaired = gql.ok(RECORD, {"repair": True, "breakdowns": BREAKDOWN})["savedSchedule"]
    return {
        "preview": [[preview["basedOn"]]] + _moves(preview["moved"]),
        "moved": _moves(repaired["moved"]),
        "rescheduled": _slots(repaired),
        "late": [[x["order"], x["due"], when(x["predictedFinish"]),
                  x["latenessWallClockHours"], x["latenessWorkingHours"]]
                 for x in repaired["schedule"]["late"]]
        + [["total", "", "", repaired["schedule"]["tardinessHours"],
            repaired["schedule"]["tardinessWorkingHours"]]],
        "saved": [[repaired["number"], repaired["basedOn"] or "",
                   repaired["schedule"]["tardinessHours"]]],
    }


def _slots(saved: dict) -> list[list[str]]:
    return [[s["order"], s["opNo"], s["workCenter"], str(s["unit"]), when(s["start"]),
             when(s["end"])] for s in saved["schedule"]["operations"]]


def _moves(moved: list[dict]) -> list[list[str]]:
    return [[m["order"], m["opNo"], str(m["oldUnit"]), when(m["oldStart"]), when(m["oldEnd"]),
             str(m["newUnit"]), when(m["newStart"]), when(m["newEnd"])] for m in moved]
