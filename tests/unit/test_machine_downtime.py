"""Machines down as the scheduler's breakdowns (domain/planning/machine_downtime.py)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from domain.errors import ValidationError
from domain.planning.machine_downtime import MachineStop, machine_downtime

pytestmark = pytest.mark.unit
NOW = datetime(2026, 11, 20, 10, 0)


def stop(code, center, state="DOWN", since=datetime(2026, 11, 20, 9, 0), mttr=None):
    return MachineStop(code, center, state, since, None if mttr is None else Decimal(mttr))


def test_a_single_unit_center_is_down_for_the_machines_repair_time():
    # CH-01 broke at 09:00; its MTTR is 1.5 h, so WC-HEAD is out 10:00 (now) to 10:30.
    windows, listed = machine_downtime([stop("CH-01", "WC-HEAD", mttr="1.5")],
                                       {"WC-HEAD": 1}, NOW)
    assert windows == {"WC-HEAD": [(NOW, datetime(2026, 11, 20, 10, 30))]}
    assert [(m.code, m.start, m.end, m.applied) for m in listed] == [
        ("CH-01", datetime(2026, 11, 20, 9, 0), datetime(2026, 11, 20, 10, 30), True)]


def test_without_history_the_planners_repair_time_counts_and_overdue_means_one_more():
    # Down since 06:00 with no MTTR; repairHours 2 -> back by 08:00, already past at 10:00,
    # so one more repair time from now: out until 12:00.
    windows, _ = machine_downtime([stop("CH-01", "WC-HEAD", since=datetime(2026, 11, 20, 6))],
                                  {"WC-HEAD": 1}, NOW, Decimal("2"))
    assert windows == {"WC-HEAD": [(NOW, datetime(2026, 11, 20, 12, 0))]}
    with pytest.raises(ValidationError) as refused:
        machine_downtime([stop("CH-01", "WC-HEAD")], {"WC-HEAD": 1}, NOW)
    assert refused.value.field == "repairHours" and "CH-01" in str(refused.value)


def test_a_center_keeping_some_units_is_listed_not_stopped():
    # PR-01 of two presses in planned maintenance: WC-PRESS keeps one unit.
    windows, listed = machine_downtime(
        [stop("PR-01", "WC-PRESS", "PLANNED_MAINTENANCE", mttr="4"),
         stop("CH-01", "WC-HEAD", "RUNNING")], {"WC-PRESS": 2, "WC-HEAD": 1}, NOW)
    assert windows == {}
    (press,) = listed
    assert (press.code, press.applied) == ("PR-01", False)
    assert "keeps 1 of its 2 units" in press.note


def test_every_unit_down_stops_the_center_until_the_first_is_back():
    # Both presses down: 09:00 + 4 h = 13:00 and 09:30 + 1 h = 10:30 -> out 10:00 to 10:30.
    windows, listed = machine_downtime(
        [stop("PR-01", "WC-PRESS", mttr="4"),
         stop("PR-02", "WC-PRESS", since=datetime(2026, 11, 20, 9, 30), mttr="1")],
        {"WC-PRESS": 2}, NOW)
    assert windows == {"WC-PRESS": [(NOW, datetime(2026, 11, 20, 10, 30))]}
    assert [m.applied for m in listed] == [True, True]
