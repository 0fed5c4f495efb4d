"""OEE, downtime and reliability by ISO 22400-2 meanings (pure rules).

Times are the company's wall-clock (naive ``datetime`` in its time zone);
a state holds from its ``at`` until the next state's ``at`` (or ``until``,
the present, for the last one). Only time inside the planned windows (the
equipment's shift calendar) counts:

- planned busy time (PBT) = calendar time - time in PLANNED_MAINTENANCE;
- operating time (APT) = time RUNNING;
- availability = APT / PBT;
- performance (effectiveness) = ideal cycle time x produced quantity / APT;
- quality = good quantity / produced quantity;
- OEE = availability x performance x quality = ideal x good / PBT.

Every figure is an exact ``Fraction`` (hours too); ``rounded`` turns one into
a ``Decimal`` for display (six places, half-up). A ratio whose denominator is
zero is None (no planned time, no operating time, nothing counted). Counts
cover the time up to their ``at``: a count belongs to the window with
start < at <= end.

Reliability over a window: a failure is a DOWN episode with a breakdown
reason (consecutive breakdown states are one episode); MTTR = the failures'
down time / failures, MTBF = operating time / failures (elapsed time, not
only planned time).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from fractions import Fraction

from domain.transcodings import transcoded

SIX = Decimal("0.000001")
ZERO = Fraction(0)


@transcoded("MachineState")
class MachineState(Enum):
    RUNNING = "RUNNING"
    IDLE = "IDLE"
    DOWN = "DOWN"
    SETUP = "SETUP"
    PLANNED_MAINTENANCE = "PLANNED_MAINTENANCE"


@dataclass(frozen=True)
class StateChange:
    at: datetime
    state: MachineState
    reason: str = ""
    breakdown: bool = False


@dataclass(frozen=True)
class Count:
    at: datetime
    total: Decimal
    good: Decimal


@dataclass(frozen=True)
class Window:
    """A planned period: one shift on one day (start < end)."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class ShiftTime:
    """A shift of the calendar: weekday (0 = Monday), "08:00", "16:00" (an end
    at or before the start runs past midnight)."""

    weekday: int
    start: str
    end: str


@dataclass(frozen=True)
class Figures:
    """One equipment's figures over some windows (exact)."""

    calendar: Fraction = ZERO  # planned time from the calendar, hours
    planned_maintenance: Fraction = ZERO
    running: Fraction = ZERO
    down: Fraction = ZERO
    setup: Fraction = ZERO
    idle: Fraction = ZERO
    unknown: Fraction = ZERO  # no state known yet
    down_by_reason: dict[str, Fraction] = field(default_factory=dict)
    produced: Decimal = Decimal(0)
    good: Decimal = Decimal(0)
    ideal_cycle: Decimal = Decimal(0)  # hours per unit

    @property
    def planned_busy(self) -> Fraction:
        return self.calendar - self.planned_maintenance

    @property
    def availability(self) -> Fraction | None:
        return ratio(self.running, self.planned_busy)

    @property
    def performance(self) -> Fraction | None:
        return ratio(Fraction(self.ideal_cycle) * Fraction(self.produced), self.running)

    @property
    def quality(self) -> Fraction | None:
        return ratio(Fraction(self.good), Fraction(self.produced))

    @property
    def oee(self) -> Fraction | None:
        """A x P x Q, which is ideal x good / PBT (defined whenever PBT is)."""
        return ratio(Fraction(self.ideal_cycle) * Fraction(self.good), self.planned_busy)


def ratio(top: Fraction, bottom: Fraction) -> Fraction | None:
    return None if bottom == 0 else Fraction(top) / bottom


def rounded(value: Fraction | None, places: Decimal = SIX) -> Decimal | None:
    """For display: half-up to six places (0.857142857… -> 0.857143)."""
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    # Decimal division is exact to 28 digits; a tie at the 7th place is exact too.
    return exact.quantize(places, rounding=ROUND_HALF_UP)


def hours(delta: timedelta) -> Fraction:
    return Fraction(delta.days * 86400 + delta.seconds, 3600) + Fraction(
        delta.microseconds, 3_600_000_000)


def _clock(text: str) -> time:
    return time.fromisoformat(text)


def windows_on(day: date, shifts: Iterable[ShiftTime],
               holidays: Iterable[date] = ()) -> list[Window]:
    """The planned windows of ``day``: each shift that starts on its weekday
    (a night shift ends the next morning), none on a holiday."""
    if day in set(holidays):
        return []
    out = []
    for s in shifts:
        if s.weekday != day.weekday():
            continue
        start = datetime.combine(day, _clock(s.start))
        end = datetime.combine(day, _clock(s.end))
        if end <= start:
            end += timedelta(days=1)
        out.append(Window(start, end))
    return sorted(out, key=lambda w: w.start)


def _overlap(a0: datetime, a1: datetime, b0: datetime, b1: datetime) -> Fraction:
    lo, hi = max(a0, b0), min(a1, b1)
    return hours(hi - lo) if hi > lo else ZERO


def spans(states: Sequence[StateChange], until: datetime | None = None
          ) -> list[tuple[datetime, datetime, StateChange]]:
    """(from, to, state) for each state, sorted by time; the last lasts until
    ``until`` (nothing when ``until`` is None or before it)."""
    ordered = sorted(states, key=lambda s: s.at)
    out = []
    for i, s in enumerate(ordered):
        end = ordered[i + 1].at if i + 1 < len(ordered) else until
        if end is not None and end > s.at:
            out.append((s.at, end, s))
    return out


def figures(windows: Sequence[Window], states: Sequence[StateChange],
            counts: Iterable[Count], ideal_cycle: Decimal,
            until: datetime | None = None) -> Figures:
    """The figures of ``windows`` from every state change up to their end
    (include the last change before the first window: it says how it began).
    ``until``: the present; time after it is neither known nor planned yet
    (None: the last state lasts to the windows' end)."""
    calendar = ZERO
    by_state: dict[MachineState | None, Fraction] = {}
    by_reason: dict[str, Fraction] = {}
    horizon = until if until is not None else max((w.end for w in windows), default=None)
    timeline = spans(states, horizon)
    for w in windows:
        end = min(w.end, until) if until is not None else w.end
        if end <= w.start:
            continue
        calendar += hours(end - w.start)
        known = ZERO
        for a, b, s in timeline:
            part = _overlap(a, b, w.start, end)
            if part:
                known += part
                by_state[s.state] = by_state.get(s.state, ZERO) + part
                if s.state is MachineState.DOWN:
                    by_reason[s.reason] = by_reason.get(s.reason, ZERO) + part
        by_state[None] = by_state.get(None, ZERO) + hours(end - w.start) - known
    produced, good = Decimal(0), Decimal(0)
    for c in counts:
        if any(w.start < c.at <= w.end for w in windows):
            produced += c.total
            good += c.good
    return Figures(
        calendar=calendar,
        planned_maintenance=by_state.get(MachineState.PLANNED_MAINTENANCE, ZERO),
        running=by_state.get(MachineState.RUNNING, ZERO),
        down=by_state.get(MachineState.DOWN, ZERO),
        setup=by_state.get(MachineState.SETUP, ZERO),
        idle=by_state.get(MachineState.IDLE, ZERO),
        unknown=by_state.get(None, ZERO),
        down_by_reason=by_reason,
        produced=produced,
        good=good,
        ideal_cycle=ideal_cycle,
    )


# -- downtime Pareto -------------------------------------------------------------------
@dataclass(frozen=True)
class ParetoRow:
    reason: str
    hours: Fraction
    share: Fraction
    cumulative: Fraction


def pareto(down_by_reason: dict[str, Fraction]) -> list[ParetoRow]:
    """Reasons by down time, largest first (ties by reason), with each one's
    share of all down time and the running share."""
    total = sum(down_by_reason.values(), ZERO)
    rows, running = [], ZERO
    for reason, h in sorted(down_by_reason.items(), key=lambda kv: (-kv[1], kv[0])):
        if not h:
            continue
        share = h / total
        running += share
        rows.append(ParetoRow(reason, h, share, running))
    return rows


# -- reliability --------------------------------------------------------------------------
@dataclass(frozen=True)
class Failure:
    start: datetime
    end: datetime | None  # None: still down
    reason: str


@dataclass(frozen=True)
class Reliability:
    failures: int
    operating: Fraction  # hours RUNNING in the window
    repair: Fraction  # hours down in the failures (to the window's end at most)

    @property
    def mtbf(self) -> Fraction | None:
        return ratio(self.operating, Fraction(self.failures))

    @property
    def mttr(self) -> Fraction | None:
        return ratio(self.repair, Fraction(self.failures))


def failures(states: Sequence[StateChange]) -> list[Failure]:
    """Breakdown episodes: from a breakdown DOWN to the next state that is not one."""
    out: list[Failure] = []
    start: StateChange | None = None
    for s in sorted(states, key=lambda s: s.at):
        broken = s.state is MachineState.DOWN and s.breakdown
        if broken and start is None:
            start = s
        elif not broken and start is not None:
            out.append(Failure(start.at, s.at, start.reason))
            start = None
    if start is not None:
        out.append(Failure(start.at, None, start.reason))
    return out


def reliability(states: Sequence[StateChange], start: datetime, end: datetime) -> Reliability:
    """Failures that began in [start, end), their repair time (up to ``end``) and
    the operating time in the window."""
    found = [f for f in failures(states) if start <= f.start < end]
    repair = sum((hours(min(f.end or end, end) - f.start) for f in found), ZERO)
    operating = sum((_overlap(a, b, start, end) for a, b, s in spans(states, end)
                     if s.state is MachineState.RUNNING), ZERO)
    return Reliability(len(found), operating, repair)
