"""``mode="cp-sat"``: a CP-SAT model minimising total tardiness (needs the
optional ``ortools`` package), decoded by the exact loader; the better of its
schedule and the heuristic's is kept (see ``domain/planning/scheduling``)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from domain.errors import BusinessRuleViolation
from domain.planning.scheduling.calendars import DAY, Calendar, merge_intervals
from domain.planning.scheduling.loader import (
    Plant,
    load_with_fixed,
    new_plant,
    order_rank,
    result_of,
)
from domain.planning.scheduling.model import ScheduleResult


def cp_model_or_refuse() -> Any:
    """OR-Tools' CP-SAT module, or SOLVER_MISSING."""
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        raise BusinessRuleViolation(
            "SOLVER_MISSING",
            "mode cp-sat needs OR-Tools: pip install 'factoryledger[planning-solver]'",
        ) from None
    return cp_model


@dataclass
class _Model:
    """The CP-SAT model under construction and the clock it runs on."""

    cp_model: Any
    model: Any
    plant: Plant
    wcs: dict
    people: tuple
    pos: Callable[[int], int]  # a wall minute on the model's clock
    wall_horizon: int
    horizon: int
    cals: dict[str, Calendar]
    starts: dict = field(default_factory=dict)
    ends: dict = field(default_factory=dict)
    by_wc: dict[str, list] = field(default_factory=lambda: defaultdict(list))
    by_person: dict[str, list] = field(default_factory=lambda: defaultdict(list))
    fixed_by_wc: dict[str, list] = field(default_factory=lambda: defaultdict(list))
    fixed_by_person: dict[str, list] = field(default_factory=lambda: defaultdict(list))
    prior: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))


def solve(heuristic: ScheduleResult, operations, all_ops, wcs, people, start, time_limit_s,
          downtime, fixed) -> ScheduleResult:
    """Minimise total tardiness with CP-SAT, decode exactly, keep the better schedule."""
    m = _model(heuristic, wcs, people, start, downtime)
    _fixed(m, fixed)
    placed = {(s.order, s.op_no): s for s in heuristic.slots}
    t0 = m.plant.minute(start)
    for op in operations:
        _operation(m, op, placed[(op.order, op.op_no)], t0)
    _capacity(m)
    m.model.Minimize(sum(_tardiness(m, operations, all_ops, start)))
    solver = m.cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit_s)
    status = solver.Solve(m.model)
    name = solver.StatusName(status)
    if status not in (m.cp_model.OPTIMAL, m.cp_model.FEASIBLE):
        return ScheduleResult(heuristic.slots, heuristic.late, "cp-sat",
                              f"{name}; kept the heuristic's schedule: {_late(heuristic)}",
                              start)
    solved = _decode(m, solver, operations, all_ops, start, downtime, fixed, t0)

    def score(r: ScheduleResult):
        return (r.tardiness_hours(), max((s.end for s in r.slots), default=start))

    kept, which = (solved, "solver's") if score(solved) <= score(heuristic) else (
        heuristic, "heuristic's")
    return ScheduleResult(kept.slots, kept.late, "cp-sat",
                          f"{name}; solver's schedule {_late(solved)}, heuristic's "
                          f"{_late(heuristic)}; kept the {which}", start)


def _late(r: ScheduleResult) -> str:
    """Total tardiness in the result's units: wall-clock and working hours."""
    return (f"{r.tardiness_hours():.2f} h late wall-clock, "
            f"{r.tardiness_working_hours():.2f} working h")


def _model(heuristic: ScheduleResult, wcs, people, start, downtime) -> _Model:
    """An empty model whose clock runs only while some work center works:
    nights and weekends vanish, so lengths are exact wherever calendars agree."""
    cp_model = cp_model_or_refuse()
    plant = new_plant(start, wcs, people, downtime)
    wall_horizon = max(plant.minute(s.end) for s in heuristic.slots) + 7 * DAY
    cals = {code: plant.calendar(code, None) for code in wcs}
    spans_all = []
    for cal in cals.values():
        cal.working(0, wall_horizon)
        spans_all += [(a, min(b, wall_horizon)) for a, b in zip(cal.starts, cal.ends,
                                                                 strict=True) if a < wall_horizon]
    axis = Calendar.__new__(Calendar)
    merged = merge_intervals(spans_all)
    axis.starts, axis.ends = [a for a, _ in merged], [b for _, b in merged]
    axis.cum_end = list(itertools.accumulate(b - a for a, b in merged))
    pos = axis._upto
    return _Model(cp_model, cp_model.CpModel(), plant, wcs, people, pos, wall_horizon,
                  pos(wall_horizon), cals)


def _fixed(m: _Model, fixed) -> None:
    """The slots that keep their place (a reschedule's running operations)."""
    for s, seq in fixed:
        a, b = m.pos(m.plant.minute(s.start, up=False)), m.pos(m.plant.minute(s.end))
        iv = m.model.NewIntervalVar(a, b - a, b, "")
        m.fixed_by_wc[s.work_center].append(iv)
        if s.operator:
            m.fixed_by_person[s.operator].append(iv)
        m.prior[s.order].append((seq, b))


def _operation(m: _Model, op, h, t0: int) -> None:
    """One operation's start (hinted at the heuristic's ``h``) in its work
    center's working time, its interval, and its choice of operator."""
    key = (op.order, op.op_no)
    pos, plant = m.pos, m.plant
    hs, he = pos(plant.minute(h.start, up=False)), pos(plant.minute(h.end))
    length = he - hs  # on the model's clock, at the heuristic's position
    lower = pos(t0)
    if op.material_ready is not None:
        lower = max(lower, pos(plant.minute(op.material_ready)))
    if op.not_before is not None:
        lower = max(lower, pos(plant.minute(op.not_before)))
    for seq, end in m.prior[op.order]:
        if seq < op.seq:
            lower = max(lower, end)
    cal = m.cals[op.work_center]
    latest = m.horizon - length
    if length > 0:
        spans = [[max(pos(a), lower), min(pos(b) - 1, latest)]
                 for a, b in zip(cal.starts, cal.ends, strict=True) if a < m.wall_horizon]
        spans = [x for x in spans if x[0] <= x[1]]
    else:
        spans = [[lower, max(lower, latest)]]
    sv = m.model.NewIntVarFromDomain(m.cp_model.Domain.FromIntervals(spans), f"s{key}")
    iv = m.model.NewFixedSizeIntervalVar(sv, length, f"i{key}")
    m.model.AddHint(sv, hs)
    m.starts[key], m.ends[key] = sv, sv + length
    m.by_wc[op.work_center].append(iv)
    if m.people:
        _operator_choice(m, op, h, sv, length)


def _operator_choice(m: _Model, op, h, sv, length: int) -> None:
    """Exactly one qualified operator who ever works when the work center does."""
    choices = []
    for person, _busy in m.plant.candidates(op):
        if m.plant.calendar(op.work_center, person) is None:
            continue
        lit = m.model.NewBoolVar("")
        m.model.AddHint(lit, person.code == h.operator)
        m.by_person[person.code].append(
            m.model.NewOptionalFixedSizeIntervalVar(sv, length, lit, "")
        )
        choices.append(lit)
    m.model.AddExactlyOne(choices)


def _capacity(m: _Model) -> None:
    """A work center runs ``capacity`` operations at once (none in its
    downtime); an operator one."""
    pos = m.pos
    for wc, ivs in m.by_wc.items():
        down = [m.model.NewIntervalVar(pos(a), pos(b) - pos(a), pos(b), "")
                for a, b in m.plant.downtime.get(wc, ())
                if a < m.wall_horizon and pos(b) > pos(a)]
        demands = [1] * (len(ivs) + len(m.fixed_by_wc[wc])) + [m.wcs[wc].capacity] * len(down)
        m.model.AddCumulative(ivs + m.fixed_by_wc[wc] + down, demands, m.wcs[wc].capacity)
    for code, ivs in m.by_person.items():
        m.model.AddNoOverlap(ivs + m.fixed_by_person[code])


def _tardiness(m: _Model, operations, all_ops, start: datetime) -> list:
    """Each order's operations in ``seq`` order, and its lateness past the end
    of its due date (what the model minimises, summed)."""
    groups: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for op in operations:
        groups[op.order][op.seq].append((op.order, op.op_no))
    due = {}
    for op in all_ops:
        due[op.order] = min(due.get(op.order, op.due), op.due)
    tardiness = []
    for order, by_seq in groups.items():
        seqs = sorted(by_seq)
        for a, b in zip(seqs, seqs[1:], strict=False):
            for p in by_seq[a]:
                for q in by_seq[b]:
                    m.model.Add(m.starts[q] >= m.ends[p])
        finish = m.model.NewIntVar(0, m.horizon, "")
        m.model.AddMaxEquality(finish, [m.ends[k] for k in by_seq[seqs[-1]]])
        deadline = m.pos(m.plant.minute(datetime.combine(due[order] + timedelta(days=1),
                                                         time(), start.tzinfo)))
        late = m.model.NewIntVar(0, m.horizon, "")
        m.model.Add(late >= finish - deadline)
        tardiness.append(late)
    return tardiness


def _decode(m: _Model, solver, operations, all_ops, start, downtime, fixed,
            t0: int) -> ScheduleResult:
    """The exact loader, placing operations in the solver's start order."""
    rank = order_rank(operations)
    order = sorted(operations, key=lambda op: (solver.Value(m.starts[(op.order, op.op_no)]),
                                               rank[op.order], op.seq, op.op_no))
    plant = new_plant(start, m.wcs, m.people, downtime)
    slots = load_with_fixed(plant, order, t0, fixed)
    return result_of([s for s, _ in fixed] + slots, all_ops, "cp-sat", "", start, m.wcs)
