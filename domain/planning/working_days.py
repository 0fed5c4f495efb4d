"""The working calendar: the company's holidays and make-up working days
(调休), and each work center's own, year by year.

A day is worked by a work center when its shifts cover that weekday, unless
it is a holiday; a working day on a weekday it has no shift works the shifts
of its first working weekday (normally Monday's), so a make-up Saturday runs
like a Monday. A work center's own days win over the company's: its own
working day is worked on a company holiday, its own holiday (or one of its
definition's holidays) is off on a company working day.

Used by MRP's lead-time offsetting (the company's days: Monday to Friday,
less holidays, plus working days), by the monthly split (hours a work center
has on a day) and by the scheduler (the shifts of each day).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from eventsourcing.domain import Aggregate, event

from domain.catalog.engineering import Shift
from domain.commands import derived_id
from domain.errors import ValidationError

COMPANY = ""  # the scope of the company's own calendar
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class CalendarDays:
    """Exceptions to the weekly pattern: days off and extra working days."""

    holidays: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()


def center_days(company: CalendarDays, own: CalendarDays,
                defined_holidays: Iterable[date] = ()) -> CalendarDays:
    """A work center's days: its own (and its definition's holidays) over the
    company's."""
    own_off = own.holidays | frozenset(defined_holidays)
    working = (company.working_days - own_off) | own.working_days
    holidays = ((company.holidays | own_off) - own.working_days)
    return CalendarDays(frozenset(holidays), frozenset(working))


def stand_in_weekday(shifts: Sequence[Shift]) -> int | None:
    """The weekday whose shifts a working day on a weekday without shifts works."""
    return min((s.weekday for s in shifts), default=None)


def shifts_on(shifts: Sequence[Shift], day: date, days: CalendarDays) -> list[Shift]:
    """The shifts starting on ``day`` (none on a holiday)."""
    if day in days.holidays:
        return []
    todays = [s for s in shifts if s.weekday == day.weekday()]
    if todays or day not in days.working_days:
        return todays
    stand_in = stand_in_weekday(shifts)
    return [s for s in shifts if s.weekday == stand_in]


@dataclass(frozen=True)
class CenterCalendar:
    """A work center's capacity on its calendar: what the monthly split reads."""

    code: str
    capacity: int
    shifts: tuple[Shift, ...]
    days: CalendarDays = CalendarDays()

    def hours_on(self, day: date) -> Decimal:
        """Hours all its units have on ``day``."""
        return sum((s.hours for s in shifts_on(self.shifts, day, self.days)),
                   Decimal("0")) * self.capacity


def calendar_id(scope: str) -> uuid.UUID:
    return derived_id("working-calendar", scope or "*company*")


def check_year(year: int, holidays: Sequence[date],
               working_days: Sequence[date]) -> tuple[tuple[date, ...], tuple[date, ...]]:
    """The year's days, each once, sorted; refused outside the year or in both lists."""
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(f"year must be from {MIN_YEAR} to {MAX_YEAR}", "year")
    for field, days in (("holidays", holidays), ("workingDays", working_days)):
        for i, day in enumerate(days):
            if not isinstance(day, date) or day.year != year:
                raise ValidationError(f"{day} is not a day of {year}", f"{field}.{i}")
    both = sorted(set(holidays) & set(working_days))
    if both:
        raise ValidationError(f"{both[0]} cannot be both a holiday and a working day",
                              "workingDays")
    return tuple(sorted(set(holidays))), tuple(sorted(set(working_days)))


class WorkingCalendar(Aggregate):
    """The company's (scope "") or one work center's (scope = its code)
    holidays and working days, set a year at a time."""

    @event("Started")
    def __init__(self, scope: str):
        self.scope = scope
        self.holidays: set[date] = set()
        self.working_days: set[date] = set()

    @classmethod
    def create_id(cls, scope: str) -> uuid.UUID:
        return calendar_id(scope)

    @event("YearSet")
    def set_year(self, scope: str, year: int, holidays: tuple[date, ...],
                 working_days: tuple[date, ...]) -> None:
        """The year's holidays and working days replace those it had."""
        self.holidays = {d for d in self.holidays if d.year != year} | set(holidays)
        self.working_days = {d for d in self.working_days if d.year != year} | set(working_days)

    def days(self) -> CalendarDays:
        return CalendarDays(frozenset(self.holidays), frozenset(self.working_days))
