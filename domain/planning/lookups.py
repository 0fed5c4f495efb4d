"""What other contexts and the workflows may load from planning, by key."""

from __future__ import annotations

from domain.catalog.engineering import WorkCenterSpec
from domain.planning.working_days import (
    COMPANY,
    CalendarDays,
    CenterCalendar,
    calendar_id,
    center_days,
)
from domain.unit_of_work import UnitOfWork


def calendar_days(uow: UnitOfWork, scope: str = COMPANY) -> CalendarDays:
    """The holidays and working days of the company (scope "") or a work center."""
    if not uow.exists(calendar_id(scope)):
        return CalendarDays()
    return uow.peek(calendar_id(scope)).days()


def center_calendar(uow: UnitOfWork, spec: WorkCenterSpec) -> CenterCalendar:
    """A work center's shifts and capacity on its calendar (its own days over the
    company's, its definition's holidays included)."""
    days = center_days(calendar_days(uow), calendar_days(uow, spec.code), spec.holidays)
    return CenterCalendar(spec.code, spec.capacity, tuple(spec.shifts), days)
