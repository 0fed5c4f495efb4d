"""Planning's scheduling commands: record a schedule (or a repair of the one in
force) as one event with its inputs' fingerprint (``domain/planning/
schedules.py``).

The scheduler itself is pure (``domain/planning/scheduling``) over a
snapshot the caller reads from the read models (the read port's
``schedule_snapshot``, through ``domain/workflows/schedule.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from domain.commands import recorded_as
from domain.errors import BusinessRuleViolation, ValidationError
from domain.planning import scheduling
from domain.planning.schedules import (
    PREFIX,
    Breakdown,
    MovedSlot,
    SavedBreakdown,
    SavedLate,
    SavedSlot,
    ScheduledOrder,
    ScheduleRun,
    latest_schedule,
    saved_schedule_run,
    schedule_fingerprint,
    wall,
)
from domain.planning.scheduling import Moved, ScheduleResult, ScheduleSnapshot
from domain.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ScheduleRunResult:
    number: str
    based_on: str  # the schedule a repair started from ("" for a fresh one)
    late: int
    moved: int


@recorded_as(payload=lambda snapshot, start, mode, time_limit_s, breakdowns, repair: (
    schedule_fingerprint(snapshot, start, mode, breakdowns, repair)))
def record_schedule(uow: UnitOfWork, snapshot: ScheduleSnapshot, start: datetime,
                    mode: str = "heuristic", time_limit_s: float = 10,
                    breakdowns: Sequence[Breakdown] = (),
                    repair: bool = False) -> ScheduleRunResult:
    """Schedule the snapshot from ``start`` around ``breakdowns`` and record it;
    ``repair``: repair the schedule in force instead (its running operations
    keep their machine and slot, the rest moves), recording what moved."""
    centers = {w.code for w in snapshot.work_centers}
    downtime = _downtime(breakdowns, centers)
    previous = latest_schedule(uow) if repair else None
    if repair and previous is None:
        raise BusinessRuleViolation("NO_SAVED_SCHEDULE",
                                    "there is no saved schedule to repair: record one first")
    moved: list[Moved] = []
    if previous is not None:
        result, moved = scheduling.reschedule(
            previous.result(), snapshot.operations, snapshot.work_centers, snapshot.operators,
            now=start, breakdowns=downtime or None, mode=mode, time_limit_s=time_limit_s,
            running=snapshot.running)
    else:
        result = scheduling.schedule(snapshot.operations, snapshot.work_centers,
                                     snapshot.operators, start=start, mode=mode,
                                     time_limit_s=time_limit_s, downtime=downtime or None)
    number = uow.number(PREFIX)
    uow.add(ScheduleRun(
        number=number, start=wall(start), mode=result.mode, status=result.status,
        fingerprint=schedule_fingerprint(snapshot, start, mode, breakdowns, repair),
        based_on=previous.number if previous is not None else "",
        breakdowns=tuple(SavedBreakdown(b.work_center, wall(b.start), wall(b.end))
                         for b in breakdowns),
        orders=_orders(snapshot, result), slots=tuple(SavedSlot.of(s) for s in result.slots),
        late=tuple(SavedLate.of(x) for x in result.late),
        moved=_moved(previous.result() if previous else None, result, moved)))
    return ScheduleRunResult(number, previous.number if previous else "", len(result.late),
                             len(moved))


def saved_schedule(uow: UnitOfWork, number: str | None = None) -> ScheduleRun | None:
    """A recorded schedule, to read; by default the one in force (None before any)."""
    return saved_schedule_run(uow, number) if number else latest_schedule(uow)


def _downtime(breakdowns: Sequence[Breakdown],
              centers: set[str]) -> dict[str, list[tuple[datetime, datetime]]]:
    down: dict[str, list[tuple[datetime, datetime]]] = {}
    for i, b in enumerate(breakdowns):
        if b.work_center not in centers:
            raise ValidationError(f"work center {b.work_center} does not exist",
                                  f"breakdowns.{i}.workCenter")
        if b.end <= b.start:
            raise ValidationError("a breakdown ends after it starts", f"breakdowns.{i}.end")
        down.setdefault(b.work_center, []).append((b.start, b.end))
    return down


def _orders(snapshot: ScheduleSnapshot, result: ScheduleResult) -> tuple[ScheduledOrder, ...]:
    due: dict[str, date] = {}
    for op in snapshot.operations:
        due[op.order] = min(due.get(op.order, op.due), op.due)
    orders = sorted({s.order for s in result.slots})
    return tuple(ScheduledOrder(o, snapshot.items.get(o, ""), due[o]) for o in orders)


def _moved(previous: ScheduleResult | None, result: ScheduleResult,
           moved: list[Moved]) -> tuple[MovedSlot, ...]:
    if previous is None:
        return ()
    out = []
    for m in moved:
        was, now = previous.slot(m.order, m.op_no), result.slot(m.order, m.op_no)
        assert was is not None and now is not None
        out.append(MovedSlot(m.order, m.op_no, now.work_center, was.unit, wall(was.start),
                             wall(was.end), now.unit, wall(now.start), wall(now.end)))
    return tuple(out)


HANDLERS = (record_schedule,)
READERS = (saved_schedule,)
