"""OEE by ISO 22400-2 meanings, downtime Pareto and MTBF/MTTR: hand-computed
rows (the bolt-kit day first), exact fractions, six places only for display."""

from datetime import date, datetime
from decimal import Decimal as Dec
from fractions import Fraction as F

import pytest

from domain.equipment.oee import (
    Count,
    MachineState,
    ShiftTime,
    StateChange,
    Window,
    failures,
    figures,
    pareto,
    reliability,
    rounded,
    windows_on,
)

pytestmark = pytest.mark.unit

RUN, DOWN, IDLE, SETUP, PM = (MachineState.RUNNING, MachineState.DOWN, MachineState.IDLE,
                              MachineState.SETUP, MachineState.PLANNED_MAINTENANCE)
DAY = date(2026, 11, 20)  # a Friday
DAY_SHIFT = [ShiftTime(d, "08:00", "16:00") for d in range(5)]
NIGHT_SHIFT = [ShiftTime(d, "22:00", "06:00") for d in range(5)]


def t(text: str) -> datetime:
    return datetime.fromisoformat(text)


def st(at: str, state: MachineState, reason: str = "", breakdown: bool = False) -> StateChange:
    return StateChange(t(at), state, reason, breakdown)


def six(value) -> str | None:
    out = rounded(value)
    return None if out is None else str(out)


# (name, shifts, day, states, counts (at, total, good), ideal h/pc,
#  -> planned busy h, running h, availability, performance, quality, oee)
ROWS = [
    ("bolt-kit day: 8 h planned, 1.0 h 换模, 7.0 h running, 3,000 counted, 2,970 good",
     DAY_SHIFT, DAY,
     [st("2026-11-20T08:00", DOWN, "换模"), st("2026-11-20T09:00", RUN)],
     [("2026-11-20T16:00", "3000", "2970")], "0.002",
     "8.000000", "7.000000", "0.875000", "0.857143", "0.990000", "0.742500"),
    ("the same day counted in two messages, the last one at the shift's end",
     DAY_SHIFT, DAY,
     [st("2026-11-20T08:00", DOWN, "换模"), st("2026-11-20T09:00", RUN)],
     [("2026-11-20T12:00", "1500", "1490"), ("2026-11-20T16:00", "1500", "1480")], "0.002",
     "8.000000", "7.000000", "0.875000", "0.857143", "0.990000", "0.742500"),
    ("a night shift from Friday 22:00 to Saturday 06:00 belongs to Friday",
     NIGHT_SHIFT, DAY,
     [st("2026-11-20T21:30", IDLE), st("2026-11-20T22:00", RUN),
      st("2026-11-21T01:00", DOWN, "故障", True), st("2026-11-21T02:30", RUN)],
     [("2026-11-21T00:00", "1000", "990"), ("2026-11-21T06:00", "2000", "2000")], "0.002",
     "8.000000", "6.500000", "0.812500", "0.923077", "0.996667", "0.747500"),
    ("planned maintenance 08:00-10:00 is not planned busy time",
     DAY_SHIFT, DAY,
     [st("2026-11-20T08:00", PM), st("2026-11-20T10:00", RUN), st("2026-11-20T15:00", IDLE)],
     [("2026-11-20T16:00", "2400", "2400")], "0.002",
     "6.000000", "5.000000", "0.833333", "0.960000", "1.000000", "0.800000"),
    ("setup and idle are losses like down time; before the first state it is unknown",
     DAY_SHIFT, DAY,
     [st("2026-11-20T09:00", SETUP), st("2026-11-20T10:00", RUN), st("2026-11-20T15:00", IDLE)],
     [("2026-11-20T15:00", "2000", "1900")], "0.002",
     "8.000000", "5.000000", "0.625000", "0.800000", "0.950000", "0.475000"),
    ("a holiday-free Saturday with no shift: nothing planned, every ratio undefined",
     DAY_SHIFT, date(2026, 11, 21),
     [st("2026-11-21T08:00", RUN)], [("2026-11-21T12:00", "100", "100")], "0.002",
     "0.000000", "0.000000", None, None, None, None),
    ("running all shift but nothing counted: performance 0, quality undefined",
     DAY_SHIFT, DAY, [st("2026-11-19T23:00", RUN)], [], "0.002",
     "8.000000", "8.000000", "1.000000", "0.000000", None, "0.000000"),
    ("down all shift: availability 0, performance undefined, OEE 0",
     DAY_SHIFT, DAY, [st("2026-11-20T07:00", DOWN, "待料")], [], "0.002",
     "8.000000", "0.000000", "0.000000", None, None, "0.000000"),
    ("a count outside the shift is not the shift's (start < at <= end)",
     DAY_SHIFT, DAY, [st("2026-11-20T08:00", RUN)],
     [("2026-11-20T08:00", "50", "50"), ("2026-11-20T16:00", "4000", "4000"),
      ("2026-11-20T16:00:01", "10", "10")], "0.002",
     "8.000000", "8.000000", "1.000000", "1.000000", "1.000000", "1.000000"),
]


@pytest.mark.parametrize(
    "name, shifts, day, states, counts, ideal, busy, running, a, p, q, oee", ROWS,
    ids=[r[0][:40] for r in ROWS])
def test_oee_of_a_day(name, shifts, day, states, counts, ideal, busy, running, a, p, q, oee):
    found = figures(windows_on(day, shifts), states,
                    [Count(t(at), Dec(total), Dec(good)) for at, total, good in counts],
                    Dec(ideal))
    assert (six(found.planned_busy), six(found.running)) == (busy, running)
    assert (six(found.availability), six(found.performance), six(found.quality),
            six(found.oee)) == (a, p, q, oee)


def test_the_bolt_kit_day_is_exact_and_oee_is_the_product():
    found = figures(windows_on(DAY, DAY_SHIFT),
                    [st("2026-11-20T08:00", DOWN, "换模"), st("2026-11-20T09:00", RUN)],
                    [Count(t("2026-11-20T16:00"), Dec(3000), Dec(2970))], Dec("0.002"))
    assert found.availability == F(7, 8)
    assert found.performance == F(6, 7)  # 0.857142857…: rounded only for display
    assert found.quality == F(99, 100)
    assert found.oee == found.availability * found.performance * found.quality == F(297, 400)
    assert found.down_by_reason == {"换模": F(1)}
    assert (found.calendar, found.planned_maintenance, found.down, found.unknown) == (
        F(8), F(0), F(1), F(0))


def test_the_present_cuts_a_shift_in_progress():
    found = figures(windows_on(DAY, DAY_SHIFT), [st("2026-11-20T08:00", RUN)], [],
                    Dec("0.002"), until=t("2026-11-20T12:30"))
    assert (found.calendar, found.running, found.availability) == (F(9, 2), F(9, 2), F(1))


@pytest.mark.parametrize("day, shifts, holidays, expected", [
    (DAY, DAY_SHIFT, (), [("2026-11-20T08:00", "2026-11-20T16:00")]),
    (DAY, NIGHT_SHIFT, (), [("2026-11-20T22:00", "2026-11-21T06:00")]),
    (DAY, DAY_SHIFT + NIGHT_SHIFT, (), [("2026-11-20T08:00", "2026-11-20T16:00"),
                                        ("2026-11-20T22:00", "2026-11-21T06:00")]),
    (DAY, DAY_SHIFT, (DAY,), []),
    (date(2026, 11, 22), DAY_SHIFT, (), []),  # Sunday
])
def test_planned_windows_of_a_day(day, shifts, holidays, expected):
    assert windows_on(day, shifts, holidays) == [Window(t(a), t(b)) for a, b in expected]


@pytest.mark.parametrize("down, expected", [
    ({"换模": F(1), "故障": F(3), "待料": F(1, 2)},
     [("故障", "3.000000", "0.666667", "0.666667"), ("换模", "1.000000", "0.222222", "0.888889"),
      ("待料", "0.500000", "0.111111", "1.000000")]),
    ({"a": F(1), "b": F(1)}, [("a", "1.000000", "0.500000", "0.500000"),
                              ("b", "1.000000", "0.500000", "1.000000")]),
    ({}, []),
])
def test_downtime_pareto_largest_first_with_running_share(down, expected):
    assert [(r.reason, six(r.hours), six(r.share), six(r.cumulative))
            for r in pareto(down)] == expected


BREAKDOWNS = [
    st("2026-11-02T08:00", RUN),
    st("2026-11-02T10:00", DOWN, "故障", True),  # failure 1: 2 h (reason changes inside)
    st("2026-11-02T11:00", DOWN, "故障", True),
    st("2026-11-02T12:00", RUN),
    st("2026-11-02T14:00", DOWN, "换模"),  # not a failure
    st("2026-11-02T15:00", RUN),
    st("2026-11-03T08:00", DOWN, "故障", True),  # failure 2: 4 h
    st("2026-11-03T12:00", IDLE),
    st("2026-11-03T13:00", RUN),
    st("2026-11-03T17:00", DOWN, "故障", True),  # failure 3: still down at the window's end
]


def test_failures_are_breakdown_episodes():
    assert [(f.start.isoformat(), f.end and f.end.isoformat()) for f in failures(BREAKDOWNS)] == [
        ("2026-11-02T10:00:00", "2026-11-02T12:00:00"),
        ("2026-11-03T08:00:00", "2026-11-03T12:00:00"),
        ("2026-11-03T17:00:00", None)]


@pytest.mark.parametrize("start, end, count, operating, mtbf, mttr", [
    # running 2 + 2 + 17 h (15:00 to 08:00) + 4 h; failures 2 + 4 + 1 h (cut at 18:00)
    ("2026-11-02T00:00", "2026-11-03T18:00", 3, "25.000000", "8.333333", "2.333333"),
    # the 2nd alone: 2 + 2 + 9 h running (to midnight), one failure of 2 h
    ("2026-11-02T00:00", "2026-11-03T00:00", 1, "13.000000", "13.000000", "2.000000"),
    ("2026-11-04T00:00", "2026-11-05T00:00", 0, "0.000000", None, None),
])
def test_mtbf_and_mttr_over_a_window(start, end, count, operating, mtbf, mttr):
    found = reliability(BREAKDOWNS, t(start), t(end))
    assert (found.failures, six(found.operating), six(found.mtbf), six(found.mttr)) == (
        count, operating, mtbf, mttr)
