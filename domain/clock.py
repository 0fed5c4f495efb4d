"""The company's clock, its settings and the business-date gate.

"Today" is the company's date in its own time zone (default Asia/Shanghai),
never the server's local date: a server on UTC would otherwise shift every
default date before 08:00 China time. The clock is injected into
``FactoryLedger`` (a callable returning an aware UTC datetime) so that tests
and benchmarks replaying a fixed month can pin it; production uses
``utc_now``. There is deliberately no environment variable to fake it.

Every dated command passes its business date through ``check_business_date``
(via ``FactoryLedger.business_date``): a date far from today is a typo or an
attack on the books (1999-01-01, 2099-01-01), so it is refused with
``DATE_OUT_OF_RANGE`` naming the field and the allowed window.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.errors import BusinessRuleViolation, ValidationError
from domain.transcodings import transcoded

DEFAULT_TIME_ZONE = "Asia/Shanghai"
DEFAULT_DAYS_BACK = 366
DEFAULT_DAYS_AHEAD = 31
# Bounds of the window a company may choose (ten years back, one year ahead).
MAX_DAYS_BACK = 3660
MAX_DAYS_AHEAD = 366
CALENDAR_ID = derived_id("company-calendar", "default")

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real clock: an aware UTC datetime."""
    return datetime.now(UTC)


def fixed_clock(moment: datetime) -> Clock:
    """A clock pinned at ``moment`` (aware), for tests and fixed-date benchmarks."""
    if moment.tzinfo is None:
        raise ValueError("a pinned clock needs an aware datetime")
    return lambda: moment


def check_time_zone(name: str, field: str = "timeZone") -> str:
    name = (name or "").strip()
    try:
        if not name or len(name) > 64:
            raise ZoneInfoNotFoundError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            f"time zone {name!r} is unknown; use an IANA name such as Asia/Shanghai", field
        ) from None
    return name


def _check_days(value: int, limit: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
        raise ValidationError(f"{field} must be a whole number of days from 0 to {limit}", field)
    return value


@transcoded("DateSettings")
@dataclass(frozen=True)
class DateSettings:
    """The company's time zone and the window of business dates it accepts."""

    time_zone: str = DEFAULT_TIME_ZONE
    days_back: int = DEFAULT_DAYS_BACK
    days_ahead: int = DEFAULT_DAYS_AHEAD

    def checked(self) -> DateSettings:
        return DateSettings(
            check_time_zone(self.time_zone),
            _check_days(self.days_back, MAX_DAYS_BACK, "daysBack"),
            _check_days(self.days_ahead, MAX_DAYS_AHEAD, "daysAhead"),
        )


def company_today(now: datetime, time_zone: str) -> date:
    """The company's date at the instant ``now`` (aware)."""
    return now.astimezone(ZoneInfo(time_zone)).date()


def check_business_date(day: object, today: date, settings: DateSettings, field: str) -> date:
    """Refuse a non-date and a date outside [today - back, today + ahead]."""
    if not isinstance(day, date) or isinstance(day, datetime):
        raise ValidationError(f"{field} must be a date", field)
    earliest = today - timedelta(days=settings.days_back)
    latest = today + timedelta(days=settings.days_ahead)
    if not earliest <= day <= latest:
        raise BusinessRuleViolation(
            "DATE_OUT_OF_RANGE",
            f"{field} {day.isoformat()} is outside the allowed window {earliest.isoformat()} "
            f"to {latest.isoformat()} ({settings.days_back} days back, {settings.days_ahead} "
            f"ahead of the company's today {today.isoformat()}, {settings.time_zone})",
        )
    return day


class CompanyCalendar(Aggregate):
    """The company's time zone and date window (one aggregate, derived id).

    Production settings live in domain.catalog.engineering.CompanySettings."""

    @event("Configured")
    def __init__(self, settings: DateSettings):
        self.settings = settings

    @classmethod
    def create_id(cls, **_: object) -> uuid.UUID:
        return CALENDAR_ID

    def change(self, settings: DateSettings) -> None:
        if settings == self.settings:
            raise BusinessRuleViolation("SETTINGS_UNCHANGED", "the settings are already these")
        self._changed(settings)

    @event("Changed")
    def _changed(self, settings: DateSettings) -> None:
        self.settings = settings
