"""Finite-capacity forward scheduling, a pure function over plain values.

Rules (the heuristic, ``mode="heuristic"``):

1. Time only passes inside shifts. Each work center has a weekly shift
   pattern (a shift whose end is not after its start runs past midnight and
   belongs to the day it starts) less its holidays and any downtime
   (breakdowns). Durations are whole minutes: ``hours`` rounded up.
2. A work center has ``capacity`` parallel units (machines or crews); a unit
   runs one operation at a time, and an operation holds one unit from its
   start to its end, across shift gaps, nights and weekends if it must.
3. Orders are loaded one after another by priority: due date (earliest
   first), then ``priority_key`` (lowest first), then order number. Within an
   order, operations go in ``seq`` order; an operation cannot start before
   every operation of the order with a lower ``seq`` has ended, before its
   ``material_ready`` time (the expected receipt of what is short), before its
   ``not_before`` time (a monthly plan's daily work order: its own day,
   unless the planner pulls work forward), nor before the schedule's
   ``start``.
4. Each operation goes into the earliest gap that holds it on any unit
   ("forward sequential loading": an earlier order's operations are never
   pushed back by a later order, and a later order may fill idle gaps).
   Ties go to the earlier end, then the lower unit number, then the operator
   code.
5. When operators are given, an operation also needs one operator qualified
   for its work center (and, if the operation lists ``qualified_operators``,
   one of those) free for its whole duration; an operator with shifts works
   only inside them, so the operation's time then passes only where the work
   center's and the operator's calendars overlap. Operators are shared by all
   work centers. With no operators, labour is not a constraint.
6. An order is late when its last operation ends after the end of its due
   date; its lateness is given in wall-clock hours and in working hours of
   the calendar of the work center its last operation ends on.

``mode="cp-sat"`` (needs the optional ``ortools`` package, extra
``planning-solver``) builds a CP-SAT model minimising total tardiness with the
same constraints, calendars approximated: a start may only fall in working
time and each operation's elapsed length is the one it has at the heuristic's
position (exact where it stays put). The solver's start times are then
decoded by the exact loader of rule 4 (operations placed in the solver's
start order), so every constraint holds exactly; the better of that schedule
and the heuristic's (total tardiness, then last end) is returned.

``reschedule`` repairs a schedule in place at ``now`` after breakdowns or a
rush order: operations already running (those the shop floor has started,
or, when that is not given, those the schedule started before ``now``) keep
their machine and slot, unless a breakdown of their work center overlaps the
slot: then they are loaded again after it on the same machine; all others
are loaded again from ``now`` on calendars with the breakdown windows
removed; it reports each operation whose start or machine changed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from domain.errors import ValidationError
from domain.planning.scheduling.cp_sat import cp_model_or_refuse, solve
from domain.planning.scheduling.loader import (
    check_inputs,
    load_with_fixed,
    new_plant,
    priority_order,
    result_of,
)
from domain.planning.scheduling.model import (
    MODES,
    Late,
    Moved,
    SchedOperation,
    SchedOperator,
    ScheduleResult,
    ScheduleSnapshot,
    SchedWorkCenter,
    Slot,
    Window,
)


def schedule(
    operations: Sequence[SchedOperation],
    work_centers: Iterable[SchedWorkCenter],
    operators: Iterable[SchedOperator] = (),
    *,
    start: datetime,
    mode: str = "heuristic",
    time_limit_s: float = 10,
    downtime: Mapping[str, Window | Sequence[Window]] | None = None,
) -> ScheduleResult:
    """Schedule ``operations`` forward from ``start`` (see the module docstring).

    ``downtime`` maps a work center to a ``(from, to)`` window, or a list of
    them, in which none of its units works (a breakdown, maintenance).
    """
    return _schedule(operations, work_centers, operators, start, mode, time_limit_s,
                     downtime, ())


def _schedule(operations, work_centers, operators, start, mode, time_limit_s, downtime,
              fixed: Sequence[tuple[Slot, int]], all_ops=None) -> ScheduleResult:
    """Load ``operations`` around ``fixed`` slots (each with its ``seq``); lateness is
    judged over ``all_ops`` (default: ``operations``)."""
    if mode not in MODES:
        raise ValidationError(f"mode is one of {', '.join(MODES)}", "mode")
    operations = tuple(operations)
    all_ops = operations if all_ops is None else tuple(all_ops)
    work_centers = tuple(work_centers)
    wcs, people = check_inputs(operations, work_centers, operators)
    if mode == "cp-sat":
        cp_model_or_refuse()  # fail before doing any work
    plant = new_plant(start, wcs, people, downtime)
    slots = load_with_fixed(plant, priority_order(operations), plant.minute(start), fixed)
    result = result_of([s for s, _ in fixed] + slots, all_ops, mode, "", start, wcs)
    if mode == "heuristic" or not operations:
        return result
    return solve(result, operations, all_ops, wcs, people, start, time_limit_s, downtime,
                  fixed)


def reschedule(
    previous: ScheduleResult,
    operations: Sequence[SchedOperation],
    work_centers: Iterable[SchedWorkCenter],
    operators: Iterable[SchedOperator] = (),
    *,
    now: datetime,
    breakdowns: Mapping[str, Window | Sequence[Window]] | None = None,
    mode: str = "heuristic",
    time_limit_s: float = 10,
    running: Collection[tuple[str, str]] | None = None,
) -> tuple[ScheduleResult, list[Moved]]:
    """Repair ``previous`` at ``now`` for breakdowns and/or new (rush) operations.

    ``operations`` is the work still to do (a rush order is just more of it,
    with an early due date). ``running``: the (order, op_no) the shop floor has
    started; None takes those ``previous`` started before ``now``. A running
    operation keeps its slot (machine, start and end) unless a breakdown
    window of its work center overlaps it; then it is loaded again on its own
    machine. Everything else is loaded again from ``now`` with the breakdown
    windows taken out of the calendars. Returns the new schedule and the
    operations whose start or machine changed (new operations are not "moved").
    """
    operations = tuple(operations)
    wcs = tuple(work_centers)
    capacity = {w.code: w.capacity for w in wcs}
    plant = new_plant(now, {w.code: w for w in wcs}, (), breakdowns)
    old = {(s.order, s.op_no): s for s in previous.slots}
    fixed: list[tuple[Slot, int]] = []
    rest: list[SchedOperation] = []
    for op in operations:
        s = old.get((op.order, op.op_no))
        started = (s is not None and s.start < now if running is None
                   else (op.order, op.op_no) in running)
        if s is None or not started or s.work_center != op.work_center:
            rest.append(op)
        elif not any(a < plant.minute(s.end) and b > plant.minute(s.start, up=False)
                     for a, b in plant.downtime.get(s.work_center, ())):
            fixed.append((s, op.seq))
        else:  # its machine broke down under it: it goes on again there after the repair
            rest.append(replace(op, unit=s.unit) if s.unit < capacity.get(op.work_center, 0)
                        else op)
    result = _schedule(rest, wcs, operators, now, mode, time_limit_s, breakdowns, fixed,
                       operations)
    moved = []
    for s in result.slots:
        was = old.get((s.order, s.op_no))
        if was is not None and (was.start, was.unit) != (s.start, s.unit):
            moved.append(Moved(s.order, s.op_no, was.start, s.start))
    moved.sort(key=lambda m: (m.new_start, m.order, m.op_no))
    return result, moved


__all__ = [
    "MODES",
    "Late",
    "Moved",
    "SchedOperation",
    "SchedOperator",
    "SchedWorkCenter",
    "ScheduleResult",
    "ScheduleSnapshot",
    "Slot",
    "reschedule",
    "schedule",
]
