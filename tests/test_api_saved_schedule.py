"""Saved schedules and rescheduling against them through GraphQL, on SQLite and
PostgreSQL (issue 17), with the hand computation.

WC-PRESS has two presses and WC-HEAD one cold header, 08:00-16:00 Monday to
Friday. FG-BRKT: 0.5 h setup + 0.25 h a piece on a press; SA-BLANK: 0.002 h a
piece on the header. Monday 23 November 2026, 08:00.
"""

from __future__ import annotations

import pytest

from tests.scenes.planning_shop import pin_company_clock, press_shop, release_all
from tests.scenes.production_api import CREATE_WO, START_OP
from tests.scenes.supply_api import command

SLOTS = "order opNo workCenter unit start end"
MOVED = "order opNo workCenter oldUnit oldStart oldEnd newUnit newStart newEnd"
SAVED = (f"number basedOn fingerprint schedule {{ start operations {{ {SLOTS} }} "
         f"late {{ order latenessHours }} }} moved {{ {MOVED} }} "
         "breakdowns { workCenter start end }")
RECORD = command("recordSchedule", f"savedSchedule {{ {SAVED} }}")
RESCHEDULE = f"""query R($breakdowns: [BreakdownInput!], $start: DateTime) {{
  reschedule(breakdowns: $breakdowns, start: $start) {{
    basedOn schedule {{ operations {{ {SLOTS} }} }} moved {{ {MOVED} }} }} }}"""
SAVED_SCHEDULE = f"query S($n: String) {{ savedSchedule(number: $n) {{ {SAVED} }} }}"
DOWN = [{"workCenter": "WC-PRESS", "start": "2026-11-23T09:00:00",
         "end": "2026-11-23T13:00:00"}]


def slots(operations: list[dict]) -> list[tuple]:
    return [(s["order"], s["workCenter"], s["unit"], s["start"][5:16], s["end"][5:16])
            for s in operations]


def moves(moved: list[dict]) -> list[tuple]:
    return [(m["order"], m["oldUnit"], m["oldStart"][5:16], m["oldEnd"][5:16], m["newUnit"],
             m["newStart"][5:16], m["newEnd"][5:16]) for m in moved]


@pytest.fixture
def shop(factory, monkeypatch):
    """WO-1 FG-BRKT 30 (8 h) and WO-3 SA-BLANK 1,000 (2 h) due Monday the 23rd,
    WO-2 FG-BRKT 14 (4 h) and WO-4 SA-BLANK 500 (1 h) due Tuesday the 24th, all
    released; the company's clock at Monday 08:00."""
    gql = factory
    press_shop(gql)
    pin_company_clock(monkeypatch, "2026-11-23T08:00")
    numbers = [gql.ok(CREATE_WO, {"item": item, "qty": qty, "dueDate": due,
                                  "createdOn": "2026-11-20"})["workOrder"]["number"]
               for item, qty, due in [("FG-BRKT", "30", "2026-11-23"),
                                      ("FG-BRKT", "14", "2026-11-24"),
                                      ("SA-BLANK", "1000", "2026-11-23"),
                                      ("SA-BLANK", "500", "2026-11-24")]]
    release_all(gql, numbers)
    return gql


def test_reschedule_compares_against_the_saved_schedule_and_keeps_running_work(
        shop, monkeypatch):
    """SCH-000001 from Monday 08:00, by due date then number: WO-1 on press 0
    08:00-16:00, WO-3 on the header 08:00-10:00, WO-2 on press 1 08:00-12:00,
    WO-4 on the header 10:00-11:00.

    At 09:00 the floor has started WO-1 (press 0) and WO-3 (header), WO-2 has
    not started, rush order WO-5 (SA-BLANK 500, 1 h, due today) arrives, and
    the presses break down 09:00-13:00. Repaired against SCH-000001:
    WO-3 is running and its header is fine: it keeps 08:00-10:00 (recomputed
    from 09:00, as before, it would have been put at 09:00-11:00 and WO-4 not
    seen to move at all). WO-1 is running on press 0, which broke down: it goes
    on again there at 13:00 with its 8 h, 13:00-16:00 and Tuesday 08:00-13:00,
    13 h after the end of its due date. WO-5 takes the header 10:00-11:00, so
    WO-4 (not started) moves to 11:00-12:00; WO-2 (not started) moves to press 1
    at 13:00, until Tuesday 09:00."""
    gql = shop
    no_saved = gql.command(RECORD, {"repair": True})
    assert (no_saved["__typename"], no_saved["code"]) == ("BusinessRuleViolation",
                                                          "NO_SAVED_SCHEDULE")
    first = gql.ok(RECORD, {"start": "2026-11-23T08:00:00"})["savedSchedule"]
    assert (first["number"], first["basedOn"], len(first["fingerprint"])) == (
        "SCH-000001", None, 64)
    assert slots(first["schedule"]["operations"]) == [
        ("WO-000003", "WC-HEAD", 0, "11-23T08:00", "11-23T10:00"),
        ("WO-000001", "WC-PRESS", 0, "11-23T08:00", "11-23T16:00"),
        ("WO-000002", "WC-PRESS", 1, "11-23T08:00", "11-23T12:00"),
        ("WO-000004", "WC-HEAD", 0, "11-23T10:00", "11-23T11:00")]
    pin_company_clock(monkeypatch, "2026-11-23T09:00")
    gql.ok(START_OP, {"number": "WO-000001", "opNo": "OP10"})
    gql.ok(START_OP, {"number": "WO-000003", "opNo": "OP10"})
    rush = gql.ok(CREATE_WO, {"item": "SA-BLANK", "qty": "500", "dueDate": "2026-11-23",
                              "createdOn": "2026-11-23"})["workOrder"]["number"]
    release_all(gql, [rush])
    preview = gql.gql(RESCHEDULE, {"breakdowns": DOWN})["reschedule"]
    expected_slots = [
        ("WO-000003", "WC-HEAD", 0, "11-23T08:00", "11-23T10:00"),
        ("WO-000005", "WC-HEAD", 0, "11-23T10:00", "11-23T11:00"),
        ("WO-000004", "WC-HEAD", 0, "11-23T11:00", "11-23T12:00"),
        ("WO-000001", "WC-PRESS", 0, "11-23T13:00", "11-24T13:00"),
        ("WO-000002", "WC-PRESS", 1, "11-23T13:00", "11-24T09:00")]
    expected_moves = [
        ("WO-000004", 0, "11-23T10:00", "11-23T11:00", 0, "11-23T11:00", "11-23T12:00"),
        ("WO-000001", 0, "11-23T08:00", "11-23T16:00", 0, "11-23T13:00", "11-24T13:00"),
        ("WO-000002", 1, "11-23T08:00", "11-23T12:00", 1, "11-23T13:00", "11-24T09:00")]
    assert preview["basedOn"] == "SCH-000001"
    assert slots(preview["schedule"]["operations"]) == expected_slots
    assert moves(preview["moved"]) == expected_moves
    # the preview recorded nothing; the repair records SCH-000002 with its moves
    repaired = gql.ok(RECORD, {"repair": True, "breakdowns": DOWN})["savedSchedule"]
    assert (repaired["number"], repaired["basedOn"]) == ("SCH-000002", "SCH-000001")
    assert slots(repaired["schedule"]["operations"]) == expected_slots
    assert moves(repaired["moved"]) == expected_moves
    assert repaired["schedule"]["late"] == [{"order": "WO-000001", "latenessHours": "13"}]
    assert repaired["breakdowns"] == [{"workCenter": "WC-PRESS",
                                       "start": "2026-11-23T09:00:00",
                                       "end": "2026-11-23T13:00:00"}]
    # it is the schedule in force now: nothing moves against it
    assert gql.gql(SAVED_SCHEDULE)["savedSchedule"]["number"] == "SCH-000002"
    assert gql.gql(SAVED_SCHEDULE, {"n": "SCH-000001"})["savedSchedule"]["number"] == (
        "SCH-000001")
    again = gql.gql(RESCHEDULE, {"breakdowns": DOWN})["reschedule"]
    assert (again["basedOn"], again["moved"]) == ("SCH-000002", [])
    assert gql.gql(SAVED_SCHEDULE, {"n": "SCH-000009"})["savedSchedule"] is None
