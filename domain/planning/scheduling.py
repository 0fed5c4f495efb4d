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
   ``material_ready`` time (the expected receipt of what is short), nor before
   the schedule's ``start``.
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
   date.

``mode="cp-sat"`` (needs the optional ``ortools`` package, extra
``planning-solver``) builds a CP-SAT model minimising total tardiness with the
same constraints, calendars approximated: a start may only fall in working
time and each operation's elapsed length is the one it has at the heuristic's
position (exact where it stays put). The solver's start times are then
decoded by the exact loader of rule 4 (operations placed in the solver's
start order), so every constraint holds exactly; the better of that schedule
and the heuristic's (total tardiness, then last end) is returned.

``reschedule`` repairs a schedule in place at ``now`` after breakdowns or a
rush order: operations already running (started before ``now``) and not hit
by a breakdown keep their slots; all others are loaded again from ``now`` on
calendars with the breakdown windows removed; it reports each operation whose
start changed.
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple

from domain.catalog.engineering import Shift
from domain.errors import BusinessRuleViolation, ValidationError

MODES = ("heuristic", "cp-sat")
DAY = 24 * 60
MAX_HORIZON_DAYS = 366 * 60  # no schedule looks further than 60 years ahead

Window = tuple[datetime, datetime]


# --- inputs and outputs ---------------------------------------------------------------


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
    qualified_operators: tuple[str, ...] = ()  # empty = any operator of the work center


@dataclass(frozen=True)
class SchedWorkCenter:
    code: str
    capacity: int  # parallel units
    shifts: tuple[Shift, ...]
    holidays: frozenset[date] = frozenset()


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
    lateness_hours: Decimal  # hours after the end of the due date


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
        return sum((x.lateness_hours for x in self.late), Decimal(0))

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


# --- calendars as minute timelines ------------------------------------------------------


def _minutes(hhmm: str) -> int:
    t = time.fromisoformat(hhmm)
    return t.hour * 60 + t.minute


def _pattern(shifts: Iterable[Shift]) -> dict[int, list[tuple[int, int]]]:
    """Weekday -> [(start, end)] in minutes after that day's midnight."""
    out: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for s in shifts:
        a, b = _minutes(s.start), _minutes(s.end)
        if b <= a:
            b += DAY
        out[s.weekday].append((a, b))
    return out


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    intervals.sort()
    out: list[tuple[int, int]] = []
    for a, b in intervals:
        if b <= a:
            continue
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _intersect(x: list[tuple[int, int]], y: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out, i, j = [], 0, 0
    while i < len(x) and j < len(y):
        a, b = max(x[i][0], y[j][0]), min(x[i][1], y[j][1])
        if a < b:
            out.append((a, b))
        if x[i][1] < y[j][1]:
            i += 1
        else:
            j += 1
    return out


def _subtract(x: list[tuple[int, int]], cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    for c0, c1 in cuts:
        nxt = []
        for a, b in x:
            if b <= c0 or a >= c1:
                nxt.append((a, b))
                continue
            if a < c0:
                nxt.append((a, c0))
            if b > c1:
                nxt.append((c1, b))
        x = nxt
    return x


class _Calendar:
    """A weekly pattern less days off and downtime, as working intervals in minutes
    after ``origin`` (a midnight), exact on [0, horizon); extended on demand."""

    def __init__(self, origin: date, patterns: Sequence[tuple[dict, frozenset[date]]],
                 downtime: list[tuple[int, int]], name: str):
        self.origin, self.patterns, self.downtime, self.name = origin, patterns, downtime, name
        self.days = 0
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.cum_end: list[int] = []  # working minutes up to each interval's end
        self._build(28)

    def _build(self, days: int) -> None:
        if days > MAX_HORIZON_DAYS:
            raise BusinessRuleViolation(
                "NO_CAPACITY", f"{self.name} has no working time to fit the schedule"
            )
        horizon = days * DAY
        result: list[tuple[int, int]] | None = None
        for pattern, off in self.patterns:
            ivs: list[tuple[int, int]] = []
            for n in range(-1, days):
                day = self.origin + timedelta(days=n)
                if day in off:
                    continue
                for a, b in pattern.get(day.weekday(), ()):
                    a, b = max(n * DAY + a, 0), min(n * DAY + b, horizon)
                    if a < b:
                        ivs.append((a, b))
            ivs = _merge(ivs)
            result = ivs if result is None else _intersect(result, ivs)
        ivs = _subtract(result or [], self.downtime)
        self.days = days
        self.starts = [a for a, _ in ivs]
        self.ends = [b for _, b in ivs]
        total, self.cum_end = 0, []
        for a, b in ivs:
            total += b - a
            self.cum_end.append(total)

    def _grow(self) -> None:
        self._build(self.days * 2)

    def next(self, t: int) -> int:
        """The first working minute at or after ``t``."""
        while True:
            i = bisect_right(self.ends, t)
            if i < len(self.ends):
                return max(t, self.starts[i])
            self._grow()

    def add(self, s: int, d: int) -> int:
        """When ``d`` working minutes started at working minute ``s`` are done."""
        if d <= 0:
            return s
        while True:
            i = bisect_right(self.ends, s)
            if i < len(self.ends):
                before = self.cum_end[i] - (self.ends[i] - max(s, self.starts[i]))
                target = before + d
                j = bisect_right(self.cum_end, target - 1)  # first cum_end >= target
                if j < len(self.cum_end):
                    return self.ends[j] - (self.cum_end[j] - target)
            self._grow()

    def working(self, a: int, b: int) -> int:
        """Working minutes in [a, b) (b inside the known horizon)."""
        while b > self.days * DAY:
            self._grow()
        return self._upto(b) - self._upto(a)

    def _upto(self, t: int) -> int:
        i = bisect_right(self.ends, t)
        if i < len(self.ends) and self.starts[i] < t:
            return self.cum_end[i] - (self.ends[i] - t)
        return self.cum_end[i - 1] if i else 0


class _Busy:
    """Booked, non-overlapping [start, end) minute intervals of one unit or operator."""

    __slots__ = ("starts", "ends")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def conflict(self, s: int, e: int) -> int | None:
        """End of the first booking overlapping [s, e), if any."""
        i = bisect_right(self.ends, s)
        if i < len(self.starts) and self.starts[i] < e:
            return self.ends[i]
        return None

    def book(self, s: int, e: int) -> None:
        if e > s:
            i = bisect_right(self.starts, s)
            self.starts.insert(i, s)
            self.ends.insert(i, e)


# --- the loader -----------------------------------------------------------------------


@dataclass
class _Plant:
    origin: datetime  # midnight of the start day (naive)
    tz: object
    wcs: dict[str, SchedWorkCenter]
    operators: tuple[SchedOperator, ...]
    downtime: dict[str, list[tuple[int, int]]]
    calendars: dict[tuple[str, str], _Calendar | None] = field(default_factory=dict)
    units: dict[str, list[_Busy]] = field(default_factory=dict)
    people: dict[str, _Busy] = field(default_factory=dict)
    eligible: dict[str, list[SchedOperator]] = field(default_factory=dict)

    def minute(self, dt: datetime, up: bool = True) -> int:
        if dt.tzinfo is not None:
            if self.tz is None:
                raise ValidationError("mix of naive and timezone-aware datetimes", "start")
            dt = dt.astimezone(self.tz).replace(tzinfo=None)
        elif self.tz is not None:
            raise ValidationError("mix of naive and timezone-aware datetimes", "start")
        secs = (dt - self.origin).total_seconds()
        return math.ceil(secs / 60) if up else math.floor(secs / 60)

    def when(self, m: int) -> datetime:
        dt = self.origin + timedelta(minutes=m)
        return dt.replace(tzinfo=self.tz) if self.tz is not None else dt

    def calendar(self, wc: str, person: SchedOperator | None) -> _Calendar | None:
        key = (wc, person.code if person and person.shifts is not None else "")
        if key not in self.calendars:
            spec = self.wcs[wc]
            layers = [(_pattern(spec.shifts), spec.holidays)]
            name = f"work center {wc}"
            if person is not None and person.shifts is not None:
                layers.append((_pattern(person.shifts), person.absent))
                name += f" with operator {person.code}"
            cal = _Calendar(self.origin.date(), layers, self.downtime.get(wc, []), name)
            if person is not None and person.shifts is not None and not self._ever(layers):
                cal = None  # the operator never works while the work center does
            self.calendars[key] = cal
        return self.calendars[key]

    @staticmethod
    def _ever(layers) -> bool:
        probe = _Calendar(date(2001, 1, 1), [(p, frozenset()) for p, _ in layers], [], "probe")
        return bool(probe.starts)

    def candidates(self, op: SchedOperation) -> list[tuple[SchedOperator | None, _Busy | None]]:
        if not self.operators:
            return [(None, None)]
        people = self.eligible.setdefault(
            op.work_center,
            [p for p in self.operators if op.work_center in p.work_centers],
        )
        if op.qualified_operators:
            allowed = set(op.qualified_operators)
            people = [p for p in people if p.code in allowed]
        out = [(p, self.people.setdefault(p.code, _Busy())) for p in people]
        if not out:
            raise BusinessRuleViolation(
                "NO_OPERATOR",
                f"no qualified operator for {op.order} operation {op.op_no} at {op.work_center}",
            )
        return out

    def units_of(self, wc: str) -> list[_Busy]:
        """The work center's units; downtime is booked on all of them, so no
        operation spans a breakdown (it may span nights and weekends)."""
        if wc not in self.units:
            self.units[wc] = [_Busy() for _ in range(self.wcs[wc].capacity)]
            for a, b in self.downtime.get(wc, ()):
                for unit in self.units[wc]:
                    unit.book(a, b)
        return self.units[wc]

    def place(self, op: SchedOperation, ready: int, d: int) -> tuple[int, int, int, str]:
        """Earliest (start, end, unit, operator) holding ``op`` from ``ready`` on; booked."""
        units = self.units_of(op.work_center)
        best: tuple[int, int, int, str] | None = None  # (end, start, unit, operator)
        best_refs: tuple[_Busy, _Busy | None] | None = None
        idle_tried: set[int] = set()
        for person, pbusy in self.candidates(op):
            cal = self.calendar(op.work_center, person)
            if cal is None:
                continue
            if pbusy is not None and not pbusy.starts:
                if id(cal) in idle_tried:
                    continue  # an idle operator on the same calendar as one tried: alike
                idle_tried.add(id(cal))
            seen_empty = False
            for u, ubusy in enumerate(units):
                if not ubusy.starts:
                    if seen_empty:
                        continue  # all empty units are alike: try the first only
                    seen_empty = True
                s, e = _fit(cal, ready, d, ubusy, pbusy)
                key = (e, s, u, person.code if person else "")
                if best is None or key < best:
                    best, best_refs = key, (ubusy, pbusy)
        if best is None or best_refs is None:
            raise BusinessRuleViolation(
                "NO_OPERATOR",
                f"no operator for {op.order} operation {op.op_no} ever works when "
                f"{op.work_center} does",
            )
        end, start, unit, code = best
        best_refs[0].book(start, end)
        if best_refs[1] is not None:
            best_refs[1].book(start, end)
        return start, end, unit, code


def _fit(cal: _Calendar, t: int, d: int, a: _Busy, b: _Busy | None) -> tuple[int, int]:
    """Earliest [s, e) from ``t`` on, ``d`` working minutes long, free in ``a`` and ``b``."""
    while True:
        s = cal.next(t)
        e = cal.add(s, d)
        if d == 0:
            return s, e
        c = a.conflict(s, e)
        if c is None and b is not None:
            c = b.conflict(s, e)
        if c is None:
            return s, e
        t = c


def _duration(hours: Decimal) -> int:
    if hours < 0:
        raise ValidationError("operation hours cannot be negative", "hours")
    return math.ceil(Decimal(hours) * 60)


def _order_rank(operations: Sequence[SchedOperation]) -> dict[str, tuple]:
    rank: dict[str, tuple] = {}
    for op in operations:
        key = (op.due, op.priority_key, op.order)
        if op.order not in rank or key < rank[op.order]:
            rank[op.order] = key
    return rank


def _check(operations: Sequence[SchedOperation], work_centers: Iterable[SchedWorkCenter],
           operators: Iterable[SchedOperator]) -> tuple[dict[str, SchedWorkCenter], tuple]:
    wcs = {w.code: w for w in work_centers}
    for w in wcs.values():
        if w.capacity < 1:
            raise ValidationError(f"work center {w.code} needs capacity of at least 1", "capacity")
        if not w.shifts:
            raise BusinessRuleViolation("NO_CAPACITY", f"work center {w.code} has no shifts")
    seen = set()
    for op in operations:
        if op.work_center not in wcs:
            raise ValidationError(
                f"{op.order} operation {op.op_no}: unknown work center {op.work_center}",
                "work_center",
            )
        if (op.order, op.op_no) in seen:
            raise ValidationError(f"{op.order} operation {op.op_no} given twice", "op_no")
        seen.add((op.order, op.op_no))
    return wcs, tuple(sorted(operators, key=lambda p: p.code))


def _windows(plant: _Plant, downtime: Mapping[str, Window | Sequence[Window]] | None):
    out: dict[str, list[tuple[int, int]]] = {}
    for wc, w in (downtime or {}).items():
        windows = [w] if len(w) == 2 and isinstance(w[0], datetime) else list(w)
        out[wc] = _merge([(plant.minute(a, up=False), plant.minute(b)) for a, b in windows])
    return out


def _plant(start: datetime, wcs, people, downtime) -> _Plant:
    tz = start.tzinfo
    local = start.replace(tzinfo=None)
    plant = _Plant(datetime.combine(local.date(), time()), tz, wcs, people, {})
    plant.downtime = _windows(plant, downtime)
    return plant


def _result(slots: Sequence[Slot], operations: Sequence[SchedOperation], mode: str,
            status: str, start: datetime) -> ScheduleResult:
    due: dict[str, date] = {}
    for op in operations:
        due[op.order] = min(due.get(op.order, op.due), op.due)
    finish: dict[str, datetime] = {}
    for s in slots:
        if s.order not in finish or s.end > finish[s.order]:
            finish[s.order] = s.end
    late = []
    for order, end in finish.items():
        deadline = datetime.combine(due[order] + timedelta(days=1), time(), end.tzinfo)
        if end > deadline:
            hours = Decimal(int((end - deadline).total_seconds())) / 3600
            late.append(Late(order, due[order], end, (end.date() - due[order]).days,
                             hours.quantize(Decimal("0.01"))))
    late.sort(key=lambda x: (-x.lateness_hours, x.order))
    ordered = tuple(sorted(slots, key=lambda s: (s.start, s.work_center, s.unit, s.order,
                                                 s.op_no)))
    return ScheduleResult(ordered, tuple(late), mode, status, start)


def _priority_order(operations: Sequence[SchedOperation]) -> list[SchedOperation]:
    rank = _order_rank(operations)
    return sorted(operations, key=lambda op: (rank[op.order], op.seq, op.op_no))


# --- public functions -----------------------------------------------------------------


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
    wcs, people = _check(operations, work_centers, operators)
    if mode == "cp-sat":
        _ortools()  # fail before doing any work
    plant = _plant(start, wcs, people, downtime)
    slots = _load_with_fixed(plant, _priority_order(operations), plant.minute(start), fixed)
    result = _result([s for s, _ in fixed] + slots, all_ops, mode, "", start)
    if mode == "heuristic" or not operations:
        return result
    return _solve(result, operations, all_ops, wcs, people, start, time_limit_s, downtime,
                  fixed)


def _load_with_fixed(plant: _Plant, ordered: Sequence[SchedOperation], t0: int,
                     fixed: Sequence[tuple[Slot, int]]) -> list[Slot]:
    for s, _seq in fixed:
        a, b = plant.minute(s.start, up=False), plant.minute(s.end)
        plant.units_of(s.work_center)[s.unit].book(a, b)
        if s.operator:
            plant.people.setdefault(s.operator, _Busy()).book(
                plant.minute(s.start, up=False), plant.minute(s.end)
            )
    prior: dict[str, list[tuple[int, int]]] = defaultdict(list)  # order -> [(seq, end)]
    for s, seq in fixed:
        prior[s.order].append((seq, plant.minute(s.end)))
    out: list[Slot] = []
    for op in ordered:
        ready = t0
        for seq, end in prior[op.order]:
            if seq < op.seq and end > ready:
                ready = end
        if op.material_ready is not None:
            ready = max(ready, plant.minute(op.material_ready))
        s, e, unit, person = plant.place(op, ready, _duration(op.hours))
        prior[op.order].append((op.seq, e))
        out.append(Slot(op.order, op.op_no, op.work_center, plant.when(s), plant.when(e),
                        unit, person))
    return out


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
) -> tuple[ScheduleResult, list[Moved]]:
    """Repair ``previous`` at ``now`` for breakdowns and/or new (rush) operations.

    ``operations`` is the work still to do (a rush order is just more of it,
    with an early due date). An operation that ``previous`` started before
    ``now`` keeps its slot unless a breakdown window of its work center
    overlaps it; everything else is loaded again from ``now`` with the
    breakdown windows taken out of the calendars. Returns the new schedule and
    the operations whose start changed (new operations are not "moved").
    """
    operations = tuple(operations)
    wcs = tuple(work_centers)
    plant = _plant(now, {w.code: w for w in wcs}, (), breakdowns)
    old = {(s.order, s.op_no): s for s in previous.slots}
    fixed: list[tuple[Slot, int]] = []
    rest: list[SchedOperation] = []
    for op in operations:
        s = old.get((op.order, op.op_no))
        running = s is not None and s.start < now and s.work_center == op.work_center
        if running and not any(
            a < plant.minute(s.end) and b > plant.minute(s.start, up=False)
            for a, b in plant.downtime.get(s.work_center, ())
        ):
            fixed.append((s, op.seq))
        else:
            rest.append(op)
    result = _schedule(rest, wcs, operators, now, mode, time_limit_s, breakdowns, fixed,
                       operations)
    moved = []
    for s in result.slots:
        was = old.get((s.order, s.op_no))
        if was is not None and was.start != s.start:
            moved.append(Moved(s.order, s.op_no, was.start, s.start))
    moved.sort(key=lambda m: (m.new_start, m.order, m.op_no))
    return result, moved


# --- CP-SAT (optional) ------------------------------------------------------------------


def _ortools():
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        raise BusinessRuleViolation(
            "SOLVER_MISSING",
            "mode cp-sat needs OR-Tools: pip install 'factoryledger[planning-solver]'",
        ) from None
    return cp_model


def _solve(heuristic: ScheduleResult, operations, all_ops, wcs, people, start, time_limit_s,
           downtime, fixed) -> ScheduleResult:
    """Minimise total tardiness with CP-SAT, decode exactly, keep the better schedule."""
    cp_model = _ortools()
    plant = _plant(start, wcs, people, downtime)
    t0 = plant.minute(start)
    placed = {(s.order, s.op_no): s for s in heuristic.slots}
    wall_horizon = max(plant.minute(s.end) for s in heuristic.slots) + 7 * DAY
    # The model's clock runs only while some work center works: nights and
    # weekends vanish, so lengths are exact wherever calendars agree.
    cals = {code: plant.calendar(code, None) for code in wcs}
    spans_all = []
    for cal in cals.values():
        cal.working(0, wall_horizon)
        spans_all += [(a, min(b, wall_horizon)) for a, b in zip(cal.starts, cal.ends,
                                                                 strict=True) if a < wall_horizon]
    axis = _Calendar.__new__(_Calendar)
    merged = _merge(spans_all)
    axis.starts, axis.ends = [a for a, _ in merged], [b for _, b in merged]
    axis.cum_end = list(itertools.accumulate(b - a for a, b in merged))
    pos = axis._upto
    horizon = pos(wall_horizon)
    model = cp_model.CpModel()
    fixed_by_wc: dict[str, list] = defaultdict(list)
    fixed_by_person: dict[str, list] = defaultdict(list)
    prior: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for s, seq in fixed:
        a, b = pos(plant.minute(s.start, up=False)), pos(plant.minute(s.end))
        iv = model.NewIntervalVar(a, b - a, b, "")
        fixed_by_wc[s.work_center].append(iv)
        if s.operator:
            fixed_by_person[s.operator].append(iv)
        prior[s.order].append((seq, b))

    starts, ends, by_wc = {}, {}, defaultdict(list)
    by_person: dict[str, list] = defaultdict(list)
    for op in operations:
        key = (op.order, op.op_no)
        h = placed[key]
        hs, he = pos(plant.minute(h.start, up=False)), pos(plant.minute(h.end))
        length = he - hs  # on the model's clock, at the heuristic's position
        lower = pos(t0)
        if op.material_ready is not None:
            lower = max(lower, pos(plant.minute(op.material_ready)))
        for seq, end in prior[op.order]:
            if seq < op.seq:
                lower = max(lower, end)
        cal = cals[op.work_center]
        latest = horizon - length
        if length > 0:
            spans = [[max(pos(a), lower), min(pos(b) - 1, latest)]
                     for a, b in zip(cal.starts, cal.ends, strict=True) if a < wall_horizon]
            spans = [x for x in spans if x[0] <= x[1]]
        else:
            spans = [[lower, max(lower, latest)]]
        sv = model.NewIntVarFromDomain(cp_model.Domain.FromIntervals(spans), f"s{key}")
        iv = model.NewFixedSizeIntervalVar(sv, length, f"i{key}")
        model.AddHint(sv, hs)
        starts[key], ends[key] = sv, sv + length
        by_wc[op.work_center].append(iv)
        if people:
            choices = []
            for person, _busy in plant.candidates(op):
                if plant.calendar(op.work_center, person) is None:
                    continue
                lit = model.NewBoolVar("")
                model.AddHint(lit, person.code == h.operator)
                by_person[person.code].append(
                    model.NewOptionalFixedSizeIntervalVar(sv, length, lit, "")
                )
                choices.append(lit)
            model.AddExactlyOne(choices)
    for wc, ivs in by_wc.items():
        down = [model.NewIntervalVar(pos(a), pos(b) - pos(a), pos(b), "")
                for a, b in plant.downtime.get(wc, ())
                if a < wall_horizon and pos(b) > pos(a)]
        demands = [1] * (len(ivs) + len(fixed_by_wc[wc])) + [wcs[wc].capacity] * len(down)
        model.AddCumulative(ivs + fixed_by_wc[wc] + down, demands, wcs[wc].capacity)
    for code, ivs in by_person.items():
        model.AddNoOverlap(ivs + fixed_by_person[code])

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
                    model.Add(starts[q] >= ends[p])
        finish = model.NewIntVar(0, horizon, "")
        model.AddMaxEquality(finish, [ends[k] for k in by_seq[seqs[-1]]])
        deadline = pos(plant.minute(datetime.combine(due[order] + timedelta(days=1), time(),
                                                     start.tzinfo)))
        late = model.NewIntVar(0, horizon, "")
        model.Add(late >= finish - deadline)
        tardiness.append(late)
    model.Minimize(sum(tardiness))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit_s)
    status = solver.Solve(model)
    name = solver.StatusName(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ScheduleResult(heuristic.slots, heuristic.late, "cp-sat",
                              f"{name}; kept the heuristic schedule", start)
    rank = _order_rank(operations)
    order = sorted(operations, key=lambda op: (solver.Value(starts[(op.order, op.op_no)]),
                                               rank[op.order], op.seq, op.op_no))
    plant = _plant(start, wcs, people, downtime)
    slots = _load_with_fixed(plant, order, t0, fixed)
    solved = _result([s for s, _ in fixed] + slots, all_ops, "cp-sat", "", start)

    def score(r: ScheduleResult):
        return (r.tardiness_hours(), max((s.end for s in r.slots), default=start))

    model_h = Decimal(int(solver.ObjectiveValue())) / 60
    if score(solved) <= score(heuristic):
        return ScheduleResult(solved.slots, solved.late, "cp-sat",
                              f"{name}; model tardiness {model_h:.2f} h; kept the solver's", start)
    return ScheduleResult(heuristic.slots, heuristic.late, "cp-sat",
                          f"{name}; model tardiness {model_h:.2f} h; kept the heuristic's", start)


__all__ = [
    "Late",
    "Moved",
    "SchedOperation",
    "SchedOperator",
    "SchedWorkCenter",
    "ScheduleResult",
    "Slot",
    "reschedule",
    "schedule",
]
