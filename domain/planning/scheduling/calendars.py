"""Calendars as minute timelines: a work center's (and an operator's) working
time as intervals in minutes after a midnight, and the bookings of one unit
or operator; ``fit`` finds the earliest gap that holds an operation."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, time, timedelta

from domain.catalog.engineering import Shift
from domain.errors import BusinessRuleViolation

DAY = 24 * 60
MAX_HORIZON_DAYS = 366 * 60  # no schedule looks further than 60 years ahead


def _minutes(hhmm: str) -> int:
    t = time.fromisoformat(hhmm)
    return t.hour * 60 + t.minute


def weekly_pattern(shifts: Iterable[Shift]) -> dict[int, list[tuple[int, int]]]:
    """Weekday -> [(start, end)] in minutes after that day's midnight."""
    out: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for s in shifts:
        a, b = _minutes(s.start), _minutes(s.end)
        if b <= a:
            b += DAY
        out[s.weekday].append((a, b))
    return out


def merge_intervals(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
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


class Calendar:
    """A weekly pattern less days off and downtime, as working intervals in minutes
    after ``origin`` (a midnight), exact on [0, horizon); extended on demand.

    ``patterns``: layers ``(weekday pattern, days off[, working days])``, all of
    which must work at a minute; a working day on a weekday without shifts works
    the shifts of the pattern's first weekday."""

    def __init__(self, origin: date, patterns: Sequence[tuple],
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
        for pattern, off, *more in self.patterns:
            extra = more[0] if more else frozenset()
            stand_in = min(pattern, default=None)
            ivs: list[tuple[int, int]] = []
            for n in range(-1, days):
                day = self.origin + timedelta(days=n)
                if day in off:
                    continue
                spans = pattern.get(day.weekday(), ())
                if not spans and day in extra and stand_in is not None:
                    spans = pattern[stand_in]  # a working day works like the first weekday
                for a, b in spans:
                    a, b = max(n * DAY + a, 0), min(n * DAY + b, horizon)
                    if a < b:
                        ivs.append((a, b))
            ivs = merge_intervals(ivs)
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


class Busy:
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


def fit(cal: Calendar, t: int, d: int, a: Busy, b: Busy | None) -> tuple[int, int]:
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
