"""Machines that are down, as the finite scheduler's breakdowns (issue #14:
"the schedule's reschedule can take the downtime as a breakdown").

A maintenance order's planned window stops its machine for that window. A
machine whose newest state is DOWN or PLANNED_MAINTENANCE is expected back
one repair time after it stopped: its own MTTR over the recent past when it
has failed before, else the repair time the planner gives. A machine already
down longer than that is expected to need one more repair time from now.

The scheduler takes a whole work center down (its breakdowns), so a machine
becomes a breakdown of its work center only when every parallel unit of the
center is down at once; a center that keeps some of its units is listed as
not applied, with why, rather than silently stopped or silently ignored.
Pure: the read models give the states, the API passes the result on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from domain.errors import ValidationError

STOPPED = ("DOWN", "PLANNED_MAINTENANCE")


@dataclass(frozen=True)
class MachineStop:
    """A machine's newest state, as the equipment read model shows it."""

    code: str
    work_center: str
    state: str
    since: datetime  # wall clock, the company's time (as the schedule's clock)
    mttr_hours: Decimal | None  # its mean time to repair, None before any repair
    until: datetime | None = None  # a planned window's end (a maintenance order's)


@dataclass(frozen=True)
class MachineDowntime:
    code: str
    work_center: str
    state: str
    start: datetime
    end: datetime
    applied: bool
    note: str


def machine_downtime(
    machines: Iterable[MachineStop],
    capacities: Mapping[str, int],
    now: datetime,
    repair_hours: Decimal | None = None,
) -> tuple[dict[str, list[tuple[datetime, datetime]]], list[MachineDowntime]]:
    """(breakdown windows by work center, every stopped machine with its window
    and whether it was applied)."""
    stopped = [m for m in machines if m.state in STOPPED]
    by_center: dict[str, list[MachineStop]] = {}
    for m in stopped:
        by_center.setdefault(m.work_center, []).append(m)
    windows: dict[str, list[tuple[datetime, datetime]]] = {}
    listed: list[MachineDowntime] = []
    for center, down in sorted(by_center.items()):
        capacity = capacities.get(center, 0)
        spans = [(m, _window(m, now, repair_hours)) for m in sorted(down, key=lambda m: m.code)]
        whole = capacity > 0 and len(down) >= capacity
        if whole:
            # the center is out while every unit is: from the last to stop (or now)
            # until the first is back
            start = max(max(s for _, (s, _e) in spans), now)
            end = min(e for _, (_s, e) in spans)
            if end > start:
                windows[center] = [(start, end)]
        for m, (start, end) in spans:
            note = "" if whole else (
                f"work center {center} keeps {capacity - len(down)} of its {capacity} units "
                "running; the schedule takes whole work centers down only"
                if capacity else f"work center {center} is not in the schedule")
            listed.append(MachineDowntime(m.code, center, m.state, start, end, whole, note))
    return windows, listed


def _window(m: MachineStop, now: datetime, repair_hours: Decimal | None) -> tuple[datetime,
                                                                                   datetime]:
    if m.until is not None:
        return m.since, m.until
    hours = m.mttr_hours if m.mttr_hours else repair_hours
    if not hours or hours <= 0:
        raise ValidationError(
            f"equipment {m.code} is {m.state} since {m.since.isoformat()} and has no repair "
            "history; give repairHours (the hours you expect it to need)", "repairHours")
    repair = timedelta(hours=float(hours))
    end = m.since + repair
    if end <= now:
        end = now + repair  # overdue: one more repair time from now
    return m.since, end
