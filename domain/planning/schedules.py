"""Saved schedules: each schedule a planner records (and each repair of it)
is one event, with the fingerprint of its inputs, so that ``reschedule``
compares against the schedule people were following, not one recomputed.

``ScheduleRun`` is numbered SCH-000001…; the latest is the one in force.
A schedule runs on the company's wall clock (naive date-times, its time
zone), which the event stores as ISO text ("2026-11-23T08:00:00"): the log
keeps aware UTC timestamps only for instants, and these are not.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.errors import NotFound
from domain.planning.scheduling.model import (
    Late,
    ScheduleResult,
    ScheduleSnapshot,
    Slot,
)
from domain.sequences import sequence_id
from domain.transcodings import transcoded
from domain.unit_of_work import UnitOfWork

PREFIX = "SCH"


@dataclass(frozen=True)
class Breakdown:
    """A work center down from ``start`` to ``end`` (wall clock, the company's time)."""

    work_center: str
    start: datetime
    end: datetime


def wall(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@transcoded("SavedBreakdown")
@dataclass(frozen=True)
class SavedBreakdown:
    work_center: str
    start: str  # wall clock, ISO
    end: str


@transcoded("ScheduledOrder")
@dataclass(frozen=True)
class ScheduledOrder:
    order: str
    item: str
    due: date


@transcoded("SavedSlot")
@dataclass(frozen=True)
class SavedSlot:
    """A slot as stored (``scheduling.Slot`` with its times as wall-clock text)."""

    order: str
    op_no: str
    work_center: str
    unit: int
    operator: str
    start: str
    end: str

    @classmethod
    def of(cls, s: Slot) -> SavedSlot:
        return cls(s.order, s.op_no, s.work_center, s.unit, s.operator, wall(s.start),
                   wall(s.end))

    def slot(self) -> Slot:
        return Slot(self.order, self.op_no, self.work_center, at(self.start), at(self.end),
                    self.unit, self.operator)


@transcoded("SavedLate")
@dataclass(frozen=True)
class SavedLate:
    """A late order as stored (``scheduling.Late`` with its finish as text)."""

    order: str
    due: date
    finish: str
    lateness_days: int
    lateness_hours: Decimal  # wall-clock hours after the end of the due date
    working_hours: Decimal  # working hours of the calendar it finishes on, after it

    @classmethod
    def of(cls, x: Late) -> SavedLate:
        return cls(x.order, x.due, wall(x.finish), x.lateness_days, x.lateness_hours,
                   x.working_hours)

    def late(self) -> Late:
        return Late(self.order, self.due, at(self.finish), self.lateness_days,
                    self.lateness_hours, self.working_hours)


@transcoded("MovedSlot")
@dataclass(frozen=True)
class MovedSlot:
    """An operation a repair moved: where and when it was, where and when it is."""

    order: str
    op_no: str
    work_center: str
    old_unit: int
    old_start: str
    old_end: str
    new_unit: int
    new_start: str
    new_end: str


def schedule_fingerprint(snapshot: ScheduleSnapshot, start: datetime, mode: str,
                         breakdowns: Sequence[Breakdown], repair: bool) -> str:
    """SHA-256 of what a schedule is made from, so equal inputs are seen as equal."""

    def default(o: Any) -> Any:
        if isinstance(o, (date, datetime)):
            return o.isoformat()
        if isinstance(o, (frozenset, set)):
            return sorted(o)
        return str(o)

    body = {
        "start": start, "mode": mode, "repair": repair,
        "breakdowns": [[b.work_center, wall(b.start), wall(b.end)] for b in breakdowns],
        "operations": [asdict(o) for o in snapshot.operations],
        "work_centers": [asdict(w) for w in snapshot.work_centers],
        "operators": [asdict(p) for p in snapshot.operators],
        "running": sorted(snapshot.running),
    }
    text = json.dumps(body, sort_keys=True, default=default)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def schedule_run_id(number: str) -> uuid.UUID:
    return derived_id("schedule-run", number)


class ScheduleRun(Aggregate):
    """One recorded schedule: when it starts, how it was made, its slots."""

    @event("Recorded")
    def __init__(
        self,
        number: str,
        start: str,
        mode: str,
        status: str,
        fingerprint: str,
        based_on: str,
        breakdowns: tuple[SavedBreakdown, ...],
        orders: tuple[ScheduledOrder, ...],
        slots: tuple[SavedSlot, ...],
        late: tuple[SavedLate, ...],
        moved: tuple[MovedSlot, ...],
    ):
        self.number = number
        self.start = start
        self.mode = mode
        self.status = status
        self.fingerprint = fingerprint
        self.based_on = based_on
        self.breakdowns = tuple(breakdowns)
        self.orders = tuple(orders)
        self.slots = tuple(slots)
        self.late = tuple(late)
        self.moved = tuple(moved)

    @classmethod
    def create_id(cls, number: str, **_: object) -> uuid.UUID:
        return schedule_run_id(number)

    def result(self) -> ScheduleResult:
        """The schedule as the scheduler's result (what a repair starts from)."""
        return ScheduleResult(tuple(s.slot() for s in self.slots),
                              tuple(x.late() for x in self.late), self.mode, self.status,
                              at(self.start))


def latest_schedule(uow: UnitOfWork) -> ScheduleRun | None:
    """The schedule in force: the last one recorded (None before the first)."""
    if not uow.exists(sequence_id(PREFIX)):
        return None
    sequence = uow.peek(sequence_id(PREFIX))
    if sequence.last == 0:
        return None
    return saved_schedule_run(uow, sequence.format(sequence.last))


def saved_schedule_run(uow: UnitOfWork, number: str) -> ScheduleRun:
    return uow.peek(schedule_run_id(number),
                    NotFound(f"schedule {number} does not exist", "ScheduleRun", number))
