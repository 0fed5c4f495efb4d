"""splitMonthlyPlan through GraphQL, on SQLite and PostgreSQL: the defects of
issue 17's monthly split, each reproduced with its hand computation.

The bolt-kit factory (tests/scenes/production_api.py) plates FG-KIT on
WC-PLATE at 0.1 h a box, 08:00-16:00 Monday to Friday: 80 boxes a day.
November 2026 starts on a Sunday; the 18th is a Wednesday.
"""

from __future__ import annotations

import pytest

from tests.scenes.planning_shop import (
    SPLIT,
    anneal_shop,
    daily,
    pin_company_clock,
    press_shop,
    release_all,
)

SCHEDULE = """query S($start: DateTime) { schedule(start: $start) {
  operations { order opNo workCenter unit start end } late { order latenessHours } } }"""


@pytest.fixture
def planner(factory, monkeypatch):
    pin_company_clock(monkeypatch, "2026-11-18T08:00")  # Wednesday 18 November, 08:00
    return factory


def test_the_split_plans_from_today_around_the_work_already_due_on_the_bottleneck(planner):
    """Today is Wednesday 18 November: the days left are 18, 19, 20, 23-27 and 30,
    nine working days of 80 boxes, 720 (the 1st-17th are past: no order on them).

    Splitting 100 for real: the 18th takes 80 (8 h), the 19th 20 (2 h).
    A preview of 700 then plans around them: the 18th is full, the 19th has
    8 - 2 = 6 h free = 60 boxes, the 20th-30th seven days x 80 = 560; 620 fit
    and 80 are short (an empty month from today would fit all 700).
    Splitting 700 for real books the same days: no day above 80 boxes."""
    gql = planner
    first = gql.ok(SPLIT, {"item": "FG-KIT", "qty": "100", "month": "2026-11"})
    assert (first["workCenter"], first["shortfall"]) == ("WC-PLATE", "0")
    assert daily(first) == [("2026-11-18", "80", "8", "WO-000001"),
                            ("2026-11-19", "20", "2", "WO-000002")]
    preview = gql.ok(SPLIT, {"item": "FG-KIT", "qty": "700", "month": "2026-11",
                             "create": False})
    assert (first["plan"], preview["plan"], preview["shortfall"]) == ("MP-000001", None, "80")
    assert [(d["date"], d["qty"]) for d in preview["days"]] == [
        ("2026-11-19", "60"), ("2026-11-20", "80"), ("2026-11-23", "80"), ("2026-11-24", "80"),
        ("2026-11-25", "80"), ("2026-11-26", "80"), ("2026-11-27", "80"), ("2026-11-30", "80")]
    again = gql.ok(SPLIT, {"item": "FG-KIT", "qty": "700", "month": "2026-11"})
    assert (again["shortfall"], [d["number"] for d in again["days"]][:2]) == (
        "80", ["WO-000003", "WO-000004"])
    booked: dict[str, int] = {}
    for split in (first, again):
        for d in split["days"]:
            booked[d["date"]] = booked.get(d["date"], 0) + int(d["qty"])
    assert booked == {"2026-11-18": 80, "2026-11-19": 80, "2026-11-20": 80, "2026-11-23": 80,
                      "2026-11-24": 80, "2026-11-25": 80, "2026-11-26": 80, "2026-11-27": 80,
                      "2026-11-30": 80}
    # a month that is over is refused, not planned in the past
    over = gql.command(SPLIT, {"item": "FG-KIT", "qty": "10", "month": "2026-10"})
    assert (over["__typename"], over["code"]) == ("BusinessRuleViolation", "MONTH_OVER")


def test_two_presses_get_two_daily_orders_a_day_which_the_scheduler_runs_side_by_side(
        planner, monkeypatch):
    """WC-PRESS has two presses of 8 h; FG-BRKT takes 0.5 h setup and 0.25 h a
    piece, so one press holds a daily order of (8 - 0.5) / 0.25 = 30 a day.
    From Monday 23 November, 100 brackets: the 23rd two orders of 30 (8 h each),
    the 24th 30 (8 h) and 10 (0.5 + 2.5 = 3 h).

    (Counted as 16 h on one order, the 23rd would get (16 - 0.5) / 0.25 = 62,
    a 16 h operation that holds one press until Tuesday 16:00, 16 h late.)
    The schedule from Monday 08:00 runs WO-1 and WO-2 side by side on presses 0
    and 1, 08:00-16:00, then WO-3 (08:00-16:00) and WO-4 (08:00-11:00) on the
    24th: nothing late."""
    gql = planner
    press_shop(gql)
    pin_company_clock(monkeypatch, "2026-11-23T08:00")
    split = gql.ok(SPLIT, {"item": "FG-BRKT", "qty": "100", "month": "2026-11"})
    assert (split["workCenter"], split["shortfall"]) == ("WC-PRESS", "0")
    assert daily(split) == [("2026-11-23", "30", "8", "WO-000001"),
                            ("2026-11-23", "30", "8", "WO-000002"),
                            ("2026-11-24", "30", "8", "WO-000003"),
                            ("2026-11-24", "10", "3", "WO-000004")]
    release_all(gql, ["WO-000001", "WO-000002", "WO-000003", "WO-000004"])
    data = gql.gql(SCHEDULE, {"start": "2026-11-23T08:00:00"})["schedule"]
    assert [(s["order"], s["unit"], s["start"], s["end"]) for s in data["operations"]] == [
        ("WO-000001", 0, "2026-11-23T08:00:00", "2026-11-23T16:00:00"),
        ("WO-000002", 1, "2026-11-23T08:00:00", "2026-11-23T16:00:00"),
        ("WO-000003", 0, "2026-11-24T08:00:00", "2026-11-24T16:00:00"),
        ("WO-000004", 1, "2026-11-24T08:00:00", "2026-11-24T11:00:00")]
    assert data["late"] == []


def test_the_bottleneck_is_chosen_by_the_hours_the_calendars_make_available(planner):
    """FG-BOLT: 0.3 h a piece on WC-ANNEAL (one furnace, 16 h a day), 0.2 h on
    WC-PLATE (one line, 8 h a day). By run hours alone the furnace looks the
    bottleneck and each day would get 16 / 0.3 = 53 bolts, 53 x 0.2 = 10.6 h on
    an 8 h plating line. By the calendars the plating line holds 8 / 0.2 = 40 a
    day against the furnace's 16 / 0.3 = 53: it is the bottleneck, 40 a day
    (12 h of annealing, within the furnace's 16)."""
    gql = planner
    anneal_shop(gql)
    split = gql.ok(SPLIT, {"item": "FG-BOLT", "qty": "100", "month": "2026-11",
                           "create": False})
    assert (split["workCenter"], split["shortfall"]) == ("WC-PLATE", "0")
    assert daily(split) == [("2026-11-18", "40", "8", None), ("2026-11-19", "40", "8", None),
                            ("2026-11-20", "20", "4", None)]


PULL = """query S($start: DateTime, $pull: Boolean!) {
  schedule(start: $start, pullForward: $pull) { operations { order unit start end } } }"""


def test_daily_orders_are_not_scheduled_before_their_day_unless_pulled_forward(
        planner, monkeypatch):
    """On Friday the 20th, 100 brackets are split: two orders of 30 on the 20th
    (WO-1, WO-2), then 30 and 10 on Monday the 23rd (WO-3, WO-4), plan MP-000001.
    Only Monday's are released. Scheduled from Friday 08:00 they wait for their
    day: WO-3 on press 0 Monday 08:00-16:00, WO-4 on press 1 08:00-11:00.
    Pulling work forward, the idle presses take them on Friday instead (which
    is what the scheduler did to every daily order before)."""
    gql = planner
    press_shop(gql)
    pin_company_clock(monkeypatch, "2026-11-20T08:00")
    split = gql.ok(SPLIT, {"item": "FG-BRKT", "qty": "100", "month": "2026-11"})
    assert split["plan"] == "MP-000001"
    assert [(d["date"], d["qty"], d["number"]) for d in split["days"]] == [
        ("2026-11-20", "30", "WO-000001"), ("2026-11-20", "30", "WO-000002"),
        ("2026-11-23", "30", "WO-000003"), ("2026-11-23", "10", "WO-000004")]
    release_all(gql, ["WO-000003", "WO-000004"])

    def schedule(pull: bool) -> list[tuple]:
        data = gql.gql(PULL, {"start": "2026-11-20T08:00:00", "pull": pull})["schedule"]
        return [(s["order"], s["unit"], s["start"], s["end"]) for s in data["operations"]]

    assert schedule(False) == [
        ("WO-000003", 0, "2026-11-23T08:00:00", "2026-11-23T16:00:00"),
        ("WO-000004", 1, "2026-11-23T08:00:00", "2026-11-23T11:00:00")]
    assert schedule(True) == [
        ("WO-000003", 0, "2026-11-20T08:00:00", "2026-11-20T16:00:00"),
        ("WO-000004", 1, "2026-11-20T08:00:00", "2026-11-20T11:00:00")]
