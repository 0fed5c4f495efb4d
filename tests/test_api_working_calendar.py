"""The working calendar through GraphQL, on SQLite and PostgreSQL (issue 17):
the company's holidays and make-up working days and a work center's own,
used by MRP's lead-time offsetting, the monthly split and the scheduler.

November 2026: the 16th is a Monday. The company is off on Wednesday the
18th and works Saturday the 21st (调休, like a Monday); the plating line
also works Sunday the 22nd and is off Tuesday the 24th.
"""

from __future__ import annotations

import pytest

from tests.scenes.planning_api import D5, PLANNED
from tests.scenes.planning_shop import SPLIT, pin_company_clock, press_shop, release_all
from tests.scenes.production_api import CREATE_WO
from tests.scenes.supply_api import CONFIRM_SO, CREATE_ITEM, CREATE_SO, command

SET_CALENDAR = command("setWorkingCalendar",
                       "calendar { workCenter year holidays workingDays }")
CALENDAR = """query C($wc: String, $from: Date!, $to: Date!) {
  workingCalendar(workCenter: $wc, from: $from, to: $to) { date working hours note } }"""
RUN_MRP = command("runMrp", f"run {{ plannedOrders {{ {PLANNED} }} }}")
SCHEDULE = """query S($start: DateTime) { schedule(start: $start) {
  operations { order opNo workCenter unit start end } late { order } } }"""


@pytest.fixture
def planner(factory):
    gql = factory
    company = gql.ok(SET_CALENDAR, {"year": 2026, "holidays": ["2026-11-18"],
                                    "workingDays": ["2026-11-21"]})["calendar"]
    assert company == {"workCenter": None, "year": 2026, "holidays": ["2026-11-18"],
                       "workingDays": ["2026-11-21"]}
    gql.ok(SET_CALENDAR, {"year": 2026, "workCenter": "wc-plate", "holidays": ["2026-11-24"],
                          "workingDays": ["2026-11-22"]})
    return gql


def days(gql, wc: str | None) -> list[tuple]:
    rows = gql.gql(CALENDAR, {"wc": wc, "from": "2026-11-16", "to": "2026-11-24"})
    return [(d["date"][8:], d["working"], d["hours"], d["note"])
            for d in rows["workingCalendar"]]


def test_the_calendar_reads_back_for_the_company_and_for_a_work_center(planner):
    """Company: Monday to Friday less the 18th, plus Saturday the 21st.
    WC-PLATE (one line, 08:00-16:00): the company's days, plus its own Sunday
    the 22nd, less its own Tuesday the 24th; 8 h on each day it works (the
    weekend days work Monday's shift)."""
    gql = planner
    assert days(gql, None) == [
        ("16", True, None, ""), ("17", True, None, ""), ("18", False, None, "holiday"),
        ("19", True, None, ""), ("20", True, None, ""), ("21", True, None, "working day"),
        ("22", False, None, "day off"), ("23", True, None, ""), ("24", True, None, "")]
    assert days(gql, "WC-PLATE") == [
        ("16", True, "8", ""), ("17", True, "8", ""), ("18", False, "0", "holiday"),
        ("19", True, "8", ""), ("20", True, "8", ""), ("21", True, "8", "working day"),
        ("22", True, "8", "working day"), ("23", True, "8", ""),
        ("24", False, "0", "holiday")]
    # a year set again replaces that year's days
    gql.ok(SET_CALENDAR, {"year": 2026, "workCenter": "WC-PLATE", "holidays": [],
                          "workingDays": []})
    assert [d[1] for d in days(gql, "WC-PLATE")] == [True, True, False, True, True, True,
                                                      False, True, True]
    for bad, field in [({"year": 2026, "holidays": ["2027-01-01"], "workingDays": []},
                        "holidays.0"),
                       ({"year": 2026, "holidays": ["2026-11-21"],
                         "workingDays": ["2026-11-21"]}, "workingDays"),
                       ({"year": 1999, "holidays": [], "workingDays": []}, "year")]:
        refused = gql.command(SET_CALENDAR, bad)
        assert (refused["__typename"], refused["field"]) == ("ValidationError", field)
    unknown = gql.command(SET_CALENDAR, {"year": 2026, "workCenter": "WC-NOPE",
                                         "holidays": [], "workingDays": []})
    assert (unknown["__typename"], unknown["kind"]) == ("NotFound", "WorkCenter")
    (error,) = gql.errors(CALENDAR, {"from": "2026-11-24", "to": "2026-11-16"})
    assert error["extensions"] == {"type": "ValidationError", "field": "to"}


def test_mrp_offsets_lead_times_on_the_company_calendar(planner):
    """RM-NUT is bought with 3 working days' lead time. SO-2 wants 10 on
    Wednesday the 18th (the holiday): needed Tuesday the 17th, released 3 working
    days earlier: 16th, 13th, 12th. SO-1 wants 10 on Sunday the 22nd: needed
    Saturday the 21st (a working day), released 20th, 19th, (18th off) 17th.
    (On a bare Monday-Friday: needed the 18th and Friday the 20th, released the
    13th and the 17th.)"""
    gql = planner
    gql.ok(CREATE_ITEM, {"code": "RM-NUT", "name": "螺母 nut", "uom": "pcs", "itemType": "RAW",
                         "defaultWarehouse": "WH-RM", "planning": {"leadTimeDays": 3}})
    for due in ("2026-11-22", "2026-11-18"):
        number = gql.ok(CREATE_SO, {"customer": "CUS-HW", "orderDate": "2026-11-04", "lines": [
            {"item": "RM-NUT", "qty": "10", "unitPrice": "1.00", "dueDate": due}]})["order"]
        gql.ok(CONFIRM_SO, {"number": number["number"]})
    run = gql.ok(RUN_MRP, {"today": D5})["run"]
    assert [(p["needDate"], p["releaseDate"], p["pegs"][0]["top"])
            for p in run["plannedOrders"]] == [("2026-11-17", "2026-11-12", "SO-000002"),
                                               ("2026-11-21", "2026-11-17", "SO-000001")]


def test_the_split_and_the_scheduler_use_the_work_centers_calendar(planner, monkeypatch):
    """Splitting 500 FG-KIT from Monday the 16th: the plating line (80 a day)
    works the 16th, 17th, 19th, 20th, Saturday 21st and Sunday 22nd (80 each,
    480) and the 23rd takes the last 20; nothing on the 18th.

    WC-PRESS follows the company: a bracket order of 70 (0.5 + 70 x 0.25 = 18 h
    on one press) from Tuesday the 17th 08:00 runs 8 h on the 17th, none on
    the 18th, 8 h on the 19th and 2 h on the 20th: it ends Friday 10:00 (on a
    bare calendar Thursday 10:00)."""
    gql = planner
    pin_company_clock(monkeypatch, "2026-11-16T08:00")
    split = gql.ok(SPLIT, {"item": "FG-KIT", "qty": "500", "month": "2026-11",
                           "create": False})
    assert (split["workCenter"], split["shortfall"]) == ("WC-PLATE", "0")
    assert [(d["date"][8:], d["qty"]) for d in split["days"]] == [
        ("16", "80"), ("17", "80"), ("19", "80"), ("20", "80"), ("21", "80"), ("22", "80"),
        ("23", "20")]
    press_shop(gql)
    number = gql.ok(CREATE_WO, {"item": "FG-BRKT", "qty": "70", "dueDate": "2026-11-20",
                                "createdOn": "2026-11-16"})["workOrder"]["number"]
    release_all(gql, [number])
    data = gql.gql(SCHEDULE, {"start": "2026-11-17T08:00:00"})["schedule"]
    assert [(s["order"], s["start"], s["end"]) for s in data["operations"]] == [
        (number, "2026-11-17T08:00:00", "2026-11-20T10:00:00")]
    assert data["late"] == []
