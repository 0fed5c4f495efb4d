"""The loader (rules 1-6 of ``domain/planning/scheduling``): a plant of
calendars and bookings, operations placed one by one into the earliest gap
that holds them, and the result with each late order."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from domain.errors import BusinessRuleViolation, ValidationError
from domain.planning.scheduling.calendars import (
    Busy,
    Calendar,
    fit,
    merge_intervals,
    weekly_pattern,
)
from domain.planning.scheduling.model import (
    Late,
    SchedOperation,
    SchedOperator,
    ScheduleResult,
    SchedWorkCenter,
    Slot,
    Window,
)


@dataclass
class Plant:
    origin: datetime  # midnight of the start day (naive)
    tz: object
    wcs: dict[str, SchedWorkCenter]
    operators: tuple[SchedOperator, ...]
    downtime: dict[str, list[tuple[int, int]]]
    calendars: dict[tuple[str, str], Calendar | None] = field(default_factory=dict)
    units: dict[str, list[Busy]] = field(default_factory=dict)
    people: dict[str, Busy] = field(default_factory=dict)
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

    def calendar(self, wc: str, person: SchedOperator | None) -> Calendar | None:
        key = (wc, person.code if person and person.shifts is not None else "")
        if key not in self.calendars:
            spec = self.wcs[wc]
            layers = [(weekly_pattern(spec.shifts), spec.holidays, spec.working_days)]
            name = f"work center {wc}"
            if person is not None and person.shifts is not None:
                layers.append((weekly_pattern(person.shifts), person.absent))
                name += f" with operator {person.code}"
            cal = Calendar(self.origin.date(), layers, self.downtime.get(wc, []), name)
            if person is not None and person.shifts is not None and not self._ever(layers):
                cal = None  # the operator never works while the work center does
            self.calendars[key] = cal
        return self.calendars[key]

    @staticmethod
    def _ever(layers) -> bool:
        probe = Calendar(date(2001, 1, 1), [(p, frozenset()) for p, *_ in layers], [], "probe")
        return bool(probe.starts)

    def candidates(self, op: SchedOperation) -> list[tuple[SchedOperator | None, Busy | None]]:
        if not self.operators:
            return [(None, None)]
        people = self.eligible.setdefault(
            op.work_center,
            [p for p in self.operators if op.work_center in p.work_centers],
        )
        if op.qualified_operators:
            allowed = set(op.qualified_operators)
            people = [p for p in people if p.code in allowed]
        out = [(p, self.people.setdefault(p.code, Busy())) for p in people]
        if not out:
            raise BusinessRuleViolation(
                "NO_OPERATOR",
                f"no qualified operator for {op.order} operation {op.op_no} at {op.work_center}",
            )
        return out

    def units_of(self, wc: str) -> list[Busy]:
        """The work center's units; downtime is booked on all of them, so no
        operation spans a breakdown (it may span nights and weekends)."""
        if wc not in self.units:
            self.units[wc] = [Busy() for _ in range(self.wcs[wc].capacity)]
            for a, b in self.downtime.get(wc, ()):
                for unit in self.units[wc]:
                    unit.book(a, b)
        return self.units[wc]

    def place(self, op: SchedOperation, ready: int, d: int) -> tuple[int, int, int, str]:
        """Earliest (start, end, unit, operator) holding ``op`` from ``ready`` on; booked."""
        units = self.units_of(op.work_center)
        best: tuple[int, int, int, str] | None = None  # (end, start, unit, operator)
        best_refs: tuple[Busy, Busy | None] | None = None
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
                if op.unit is not None and u != op.unit:
                    continue  # pinned to its own machine
                if not ubusy.starts:
                    if seen_empty:
                        continue  # all empty units are alike: try the first only
                    seen_empty = True
                s, e = fit(cal, ready, d, ubusy, pbusy)
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


def duration(hours: Decimal) -> int:
    if hours < 0:
        raise ValidationError("operation hours cannot be negative", "hours")
    return math.ceil(Decimal(hours) * 60)


def order_rank(operations: Sequence[SchedOperation]) -> dict[str, tuple]:
    rank: dict[str, tuple] = {}
    for op in operations:
        key = (op.due, op.priority_key, op.order)
        if op.order not in rank or key < rank[op.order]:
            rank[op.order] = key
    return rank


def check_inputs(operations: Sequence[SchedOperation], work_centers: Iterable[SchedWorkCenter],
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


def _windows(plant: Plant, downtime: Mapping[str, Window | Sequence[Window]] | None):
    out: dict[str, list[tuple[int, int]]] = {}
    for wc, w in (downtime or {}).items():
        windows = [w] if len(w) == 2 and isinstance(w[0], datetime) else list(w)
        out[wc] = merge_intervals([(plant.minute(a, up=False), plant.minute(b))
                                   for a, b in windows])
    return out


def new_plant(start: datetime, wcs, people, downtime) -> Plant:
    tz = start.tzinfo
    local = start.replace(tzinfo=None)
    plant = Plant(datetime.combine(local.date(), time()), tz, wcs, people, {})
    plant.downtime = _windows(plant, downtime)
    return plant


def result_of(slots: Sequence[Slot], operations: Sequence[SchedOperation], mode: str,
              status: str, start: datetime,
              wcs: Mapping[str, SchedWorkCenter] | None = None) -> ScheduleResult:
    """The schedule with each late order, its lateness in wall-clock hours and in
    working hours of the calendar of the work center it finishes on (``wcs``)."""
    due: dict[str, date] = {}
    for op in operations:
        due[op.order] = min(due.get(op.order, op.due), op.due)
    last: dict[str, Slot] = {}
    for s in slots:
        if s.order not in last or s.end > last[s.order].end:
            last[s.order] = s
    late = []
    for order, s in last.items():
        end = s.end
        deadline = datetime.combine(due[order] + timedelta(days=1), time(), end.tzinfo)
        if end > deadline:
            hours = Decimal(int((end - deadline).total_seconds())) / 3600
            late.append(Late(order, due[order], end, (end.date() - due[order]).days,
                             hours.quantize(Decimal("0.01")),
                             _working_hours(wcs, s.work_center, deadline, end)))
    late.sort(key=lambda x: (-x.lateness_hours, x.order))
    ordered = tuple(sorted(slots, key=lambda s: (s.start, s.work_center, s.unit, s.order,
                                                 s.op_no)))
    return ScheduleResult(ordered, tuple(late), mode, status, start)


def _working_hours(wcs: Mapping[str, SchedWorkCenter] | None, code: str, deadline: datetime,
                   end: datetime) -> Decimal:
    """Working hours of ``code``'s calendar from ``deadline`` (a midnight) to ``end``."""
    spec = (wcs or {}).get(code)
    if spec is None:
        return Decimal("0")
    cal = Calendar(deadline.date(), [(weekly_pattern(spec.shifts), spec.holidays,
                                      spec.working_days)], [], f"work center {code}")
    minutes = math.ceil((end - deadline).total_seconds() / 60)
    return (Decimal(cal.working(0, minutes)) / 60).quantize(Decimal("0.01"))


def priority_order(operations: Sequence[SchedOperation]) -> list[SchedOperation]:
    rank = order_rank(operations)
    return sorted(operations, key=lambda op: (rank[op.order], op.seq, op.op_no))


def load_with_fixed(plant: Plant, ordered: Sequence[SchedOperation], t0: int,
                     fixed: Sequence[tuple[Slot, int]]) -> list[Slot]:
    for s, _seq in fixed:
        a, b = plant.minute(s.start, up=False), plant.minute(s.end)
        plant.units_of(s.work_center)[s.unit].book(a, b)
        if s.operator:
            plant.people.setdefault(s.operator, Busy()).book(
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
        if op.not_before is not None:
            ready = max(ready, plant.minute(op.not_before))
        s, e, unit, person = plant.place(op, ready, duration(op.hours))
        prior[op.order].append((op.seq, e))
        out.append(Slot(op.order, op.op_no, op.work_center, plant.when(s), plant.when(e),
                        unit, person))
    return out
