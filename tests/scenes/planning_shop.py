"""Small plants for the planning tests through GraphQL, on top of the bolt-kit
factory (``set_up_factory``): a two-press shop, an annealing furnace on two
shifts, and the company clock pinned to a planner's morning."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import domain.clock
from tests.scenes.production_api import DEFINE_WC, RELEASE_WO, SAVE_BOM, SAVE_ROUTING
from tests.scenes.supply_api import CREATE_ITEM, SupplyApi, command

SPLIT = command("splitMonthlyPlan", "item month workCenter shortfall plan days { date qty hours "
                "number workOrder { number item qty dueDate status } }")
WEEKDAYS = [{"weekday": d, "start": "08:00", "end": "16:00"} for d in range(5)]
TWO_SHIFTS = [{"weekday": d, "start": "06:00", "end": "22:00"} for d in range(5)]


def pin_company_clock(monkeypatch, local: str) -> None:
    """The company's now at ``local`` (YYYY-MM-DDTHH:MM, Shanghai time)."""
    moment = datetime.fromisoformat(local).replace(tzinfo=UTC) - timedelta(hours=8)
    monkeypatch.setattr(domain.clock, "utc_now", domain.clock.fixed_clock(moment))


def made_item(api: SupplyApi, code: str, name: str, steel_per: str,
              operations: list[dict]) -> None:
    """A finished item of RM-STEEL (``steel_per`` kg each) made along ``operations``."""
    api.ok(CREATE_ITEM, {"code": code, "name": name, "uom": "pcs", "itemType": "FINISHED",
                         "defaultWarehouse": "WH-FG"})
    api.ok(SAVE_BOM, {"item": code, "version": "V1", "effectiveFrom": "2026-11-01",
                      "lines": [{"component": "RM-STEEL", "qtyPer": steel_per}]})
    api.ok(SAVE_ROUTING, {"item": code, "version": "V1", "effectiveFrom": "2026-11-01",
                          "operations": operations})


def press_shop(api: SupplyApi) -> None:
    """WC-PRESS: two presses, 08:00-16:00 Monday to Friday (8 h a press a day).
    FG-BRKT (bracket): one operation there, 0.5 h setup and 0.25 h a piece, so a
    daily order holds (8 - 0.5) / 0.25 = 30 pieces on one press."""
    api.ok(DEFINE_WC, {"code": "WC-PRESS", "name": "冲床 presses", "capacity": 2,
                       "laborRate": "30", "overheadRate": "20", "shifts": WEEKDAYS})
    made_item(api, "FG-BRKT", "支架 bracket", "0.1", [
        {"opNo": "OP10", "workCenter": "WC-PRESS", "setupHours": "0.5",
         "runHoursPerUnit": "0.25"}])


def anneal_shop(api: SupplyApi) -> None:
    """WC-ANNEAL: one furnace on two shifts, 06:00-22:00 Monday to Friday (16 h a
    day). FG-BOLT: annealed 0.3 h a piece, then plated 0.2 h a piece on WC-PLATE
    (one line, 08:00-16:00: 8 h a day)."""
    api.ok(DEFINE_WC, {"code": "WC-ANNEAL", "name": "退火炉 annealing furnace",
                       "laborRate": "30", "overheadRate": "40", "shifts": TWO_SHIFTS})
    made_item(api, "FG-BOLT", "退火螺栓 annealed bolt", "0.05", [
        {"opNo": "OP10", "workCenter": "WC-ANNEAL", "runHoursPerUnit": "0.3"},
        {"opNo": "OP20", "workCenter": "WC-PLATE", "runHoursPerUnit": "0.2"}])


def release_all(api: SupplyApi, numbers: list[str]) -> None:
    for number in numbers:
        assert api.ok(RELEASE_WO, {"number": number})["status"] == "RELEASED"


def daily(split: dict) -> list[tuple[str, str, str, str | None]]:
    return [(d["date"], d["qty"], d["hours"], d["number"]) for d in split["days"]]
