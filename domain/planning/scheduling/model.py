"""The scheduler's inputs and outputs (plain values)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from domain.catalog.engineering import Shift

MODES = ("heuristic", "cp-sat")

Window = tuple[datetime, datetime]


@dataclass(frozen=True)
class SchedOperation:
    """One operation still to run: ``hours`` = setup + run x quantity remaining."""

    order: str
    op_no: str
    seq: int
    work_center: str
    hours: Decimal
    due: date
    priority_key: int = 0  # breaks ties between orders due the same day; lowest first
    material_ready: datetime | None = None  # cannot start before (expected receipt)
    not_before: datetime | None = None  # nor before this (a daily work order's own day)
    qualified_operators: tuple[str, ...] = ()  # empty = any operator of the work center
    unit: int | None = None  # the unit it must run on (a running operation stays on its own)


@dataclass(frozen=True)
class SchedWorkCenter:
    code: str
    capacity: int  # parallel units
    shifts: tuple[Shift, ...]
    holidays: frozenset[date] = frozenset()
    # extra working days (a make-up Saturday): on a weekday without shifts they work the
    # shifts of the first weekday that has some (domain/planning/working_days.py)
    working_days: frozenset[date] = frozenset()


@dataclass(frozen=True)
class SchedOperator:
    code: str
    work_centers: tuple[str, ...]  # qualified for
    shifts: tuple[Shift, ...] | None = None  # None = whenever the work center works
    absent: frozenset[date] = frozenset()  # days off (shifts starting on them)


@dataclass(frozen=True)
class Slot:
    order: str
    op_no: str
    work_center: str
    start: datetime
    end: datetime
    unit: int  # which parallel unit of the work center, from 0
    operator: str = ""  # "" when scheduled without operators


@dataclass(frozen=True)
class Late:
    order: str
    due: date
    finish: datetime
    lateness_days: int  # calendar days after the due date
    lateness_hours: Decimal  # wall-clock hours after the end of the due date
    # working hours after the end of the due date on the calendar of the work center its
    # last operation ends on (its shifts, holidays and working days)
    working_hours: Decimal = Decimal("0")


@dataclass(frozen=True)
class ScheduleResult:
    slots: tuple[Slot, ...]  # sorted by start, work center, unit
    late: tuple[Late, ...]  # sorted by lateness, most late first, then order
    mode: str = "heuristic"
    status: str = ""  # cp-sat: solver status and which schedule was kept
    start: datetime | None = None

    def by_work_center(self) -> dict[str, list[Slot]]:
        """Gantt rows: each work center's slots by start, then unit."""
        rows: dict[str, list[Slot]] = defaultdict(list)
        for s in self.slots:
            rows[s.work_center].append(s)
        return {wc: sorted(r, key=lambda s: (s.start, s.unit)) for wc, r in sorted(rows.items())}

    def tardiness_hours(self) -> Decimal:
        """Total lateness in wall-clock hours."""
        return sum((x.lateness_hours for x in self.late), Decimal(0))

    def tardiness_working_hours(self) -> Decimal:
        """Total lateness in working hours of each order's calendar."""
        return sum((x.working_hours for x in self.late), Decimal(0))

    def slot(self, order: str, op_no: str) -> Slot | None:
        for s in self.slots:
            if s.order == order and s.op_no == op_no:
                return s
        return None


class Moved(NamedTuple):
    """An operation whose start changed; unpacks as (order, op_no, old_start, new_start)."""

    order: str
    op_no: str
    old_start: datetime
    new_start: datetime



@dataclass(frozen=True)
class ScheduleSnapshot:
    """What a schedule is made from, read from the read models at one log
    position: the operations still to run, the work centers on their
    calendars, the operators, each order's item, and the operations running
    on the shop floor (started or reported, not finished)."""

    operations: tuple[SchedOperation, ...]
    work_centers: tuple[SchedWorkCenter, ...]
    operators: tuple[SchedOperator, ...] = ()
    items: dict[str, str] = field(default_factory=dict)  # order -> item
    running: frozenset[tuple[str, str]] = frozenset()  # (order, op_no)
