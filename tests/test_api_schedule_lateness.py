"""Lateness through GraphQL, on SQLite and PostgreSQL (issue 17): in wall-clock
hours and in working hours of the order's calendar, both labelled, and the
CP-SAT status in the same units as the result.

WC-LATHE: one lathe, 08:00-16:00 Monday to Friday. FG-PIN: 0.2 h a pin there.
Monday 23 November 2026, 08:00.
"""

from __future__ import annotations

import pytest

from tests.scenes.planning_shop import WEEKDAYS, made_item, release_all
from tests.scenes.production_api import CREATE_WO, DEFINE_WC

LATE = ("order latenessHours latenessWallClockHours latenessWorkingHours latenessDays "
        "predictedFinish")
SCHEDULE = f"""query S($mode: String!, $start: DateTime) {{
  schedule(mode: $mode, start: $start) {{ mode status operations {{ order start end }}
    late {{ {LATE} }} tardinessHours tardinessWorkingHours }} }}"""


@pytest.fixture
def lathe(factory):
    """A 80 pins (16 h) due Monday the 23rd; B and C 20 pins (4 h) each due Tuesday."""
    gql = factory
    gql.ok(DEFINE_WC, {"code": "WC-LATHE", "name": "车床 lathe", "laborRate": "30",
                       "overheadRate": "20", "shifts": WEEKDAYS})
    made_item(gql, "FG-PIN", "销 pin", "0.01", [
        {"opNo": "OP10", "workCenter": "WC-LATHE", "runHoursPerUnit": "0.2"}])
    numbers = [gql.ok(CREATE_WO, {"item": "FG-PIN", "qty": qty, "dueDate": due,
                                  "createdOn": "2026-11-20"})["workOrder"]["number"]
               for qty, due in [("80", "2026-11-23"), ("20", "2026-11-24"),
                                ("20", "2026-11-24")]]
    release_all(gql, numbers)
    return gql


def late(schedule: dict) -> list[tuple]:
    return [(x["order"], x["latenessWallClockHours"], x["latenessWorkingHours"],
             x["latenessHours"]) for x in schedule["late"]]


def test_lateness_in_wall_clock_and_working_hours(lathe):
    """By due date: A 08:00 Monday to 16:00 Tuesday, 16 wall-clock hours after
    Monday's end of which 8 are working hours (Tuesday 08:00-16:00); B Wednesday
    08:00-12:00, 12 h after Tuesday's end, 4 working; C Wednesday 12:00-16:00,
    16 h, 8 working. Total 44 wall-clock hours, 20 working hours."""
    gql = lathe
    data = gql.gql(SCHEDULE, {"mode": "heuristic", "start": "2026-11-23T08:00:00"})
    schedule = data["schedule"]
    assert late(schedule) == [("WO-000001", "16", "8", "16"), ("WO-000003", "16", "8", "16"),
                              ("WO-000002", "12", "4", "12")]
    assert (schedule["tardinessHours"], schedule["tardinessWorkingHours"]) == ("44", "20")


def test_cp_sat_finds_the_better_order_and_says_so_in_the_results_units(lathe):
    """B and C first (Monday 08:00-12:00 and 12:00-16:00), A from Tuesday 08:00
    to Wednesday 16:00: 40 wall-clock hours after Monday's end, 16 working hours
    (Tuesday and Wednesday); the status gives both schedules in those units."""
    pytest.importorskip("ortools")
    gql = lathe
    schedule = gql.gql(SCHEDULE, {"mode": "cp-sat", "start": "2026-11-23T08:00:00"})["schedule"]
    assert [(s["order"], s["start"][8:16], s["end"][8:16]) for s in schedule["operations"]] in (
        [("WO-000002", "23T08:00", "23T12:00"), ("WO-000003", "23T12:00", "23T16:00"),
         ("WO-000001", "24T08:00", "25T16:00")],
        [("WO-000003", "23T08:00", "23T12:00"), ("WO-000002", "23T12:00", "23T16:00"),
         ("WO-000001", "24T08:00", "25T16:00")])
    assert late(schedule) == [("WO-000001", "40", "16", "40")]
    assert (schedule["tardinessHours"], schedule["tardinessWorkingHours"]) == ("40", "16")
    assert schedule["status"] == (
        "OPTIMAL; solver's schedule 40.00 h late wall-clock, 16.00 working h, heuristic's "
        "44.00 h late wall-clock, 20.00 working h; kept the solver's")
