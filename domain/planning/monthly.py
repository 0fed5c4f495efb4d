"""A monthly plan split into daily work orders (月度计划拆解为每日工单), pure.

The plan (item, quantity, month) is split over the working days of the month
by the bottleneck work center's capacity:

1. A working day is one where the bottleneck has hours (``hours_on(day) > 0``:
   its shifts x machines, none at weekends without shifts or on holidays).
   The day's free hours are ``hours_on(day)`` less ``already_loaded[day]``.
2. Each daily order is its own work order, so it carries one setup: a day
   fits ``(free hours - setup_hours) / hours_per_unit`` units, rounded down
   to whole units (``whole_units=True``, the default for discrete items) or
   to 6 places. A day with no room for one unit after setup gets nothing.
3. Days are filled in date order, each up to what fits, so the last day used
   takes the remainder (``spread=False``, the default). With ``spread=True``
   the quantity is levelled over the month in proportion to what each day
   fits, cumulative amounts rounded down so the last day takes the rounding
   remainder; no day ever gets more than fits.
4. If the month cannot fit the quantity, every day is filled and the rest is
   the ``shortfall``: sum of daily quantities + shortfall = quantity.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from domain.errors import ValidationError
from domain.money import to_decimal
from domain.transcodings import transcoded

ZERO = Decimal("0")
ONE = Decimal("1")
QTY = Decimal("0.000001")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@transcoded("DailyOrder")
@dataclass(frozen=True)
class DailyOrder:
    day: date
    qty: Decimal
    hours: Decimal = ZERO  # bottleneck hours it loads: setup + qty x hours per unit


@dataclass(frozen=True)
class MonthlySplit:
    days: list[DailyOrder]  # in date order, only days with a quantity
    shortfall: Decimal  # what the month cannot fit (0 when it all fits)
    item: str = ""
    month: str = ""

    @property
    def planned(self) -> Decimal:
        return sum((d.qty for d in self.days), ZERO)


def month_days(month: str) -> list[date]:
    """Every calendar day of ``month`` ("2026-12")."""
    m = _MONTH.match(month or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValidationError(f"month {month!r} should look like 2026-12", "month")
    year, mon = int(m.group(1)), int(m.group(2))
    return [date(year, mon, d) for d in range(1, calendar.monthrange(year, mon)[1] + 1)]


def day_capacity(
    bottleneck: Any,
    day: date,
    hours_per_unit: Decimal,
    setup_hours: Decimal = ZERO,
    already_loaded: Decimal = ZERO,
    whole_units: bool = True,
) -> Decimal:
    """Units one daily order can make on ``day`` (rule 2)."""
    free = bottleneck.hours_on(day) - already_loaded - setup_hours
    if free <= 0:
        return ZERO
    fits = free / hours_per_unit
    return fits.quantize(ONE if whole_units else QTY, rounding=ROUND_FLOOR)


def split_monthly_plan(
    item: str,
    qty: Decimal,
    month: str,
    bottleneck: Any,
    hours_per_unit: Decimal,
    setup_hours: Decimal = ZERO,
    already_loaded: dict[date, Decimal] | None = None,
    whole_units: bool = True,
    spread: bool = False,
    start: date | None = None,
) -> MonthlySplit:
    """Split ``qty`` of ``item`` over the working days of ``month`` by the
    bottleneck's free capacity (module rules). ``bottleneck`` is a
    ``WorkCenterSpec`` or anything with ``hours_on(day) -> Decimal`` hours;
    ``hours_per_unit`` are its run hours per unit of the item; days before
    ``start`` (e.g. today) are not used."""
    days = month_days(month)
    qty = to_decimal(qty, "qty")
    hours_per_unit = to_decimal(hours_per_unit, "hoursPerUnit")
    setup_hours = to_decimal(setup_hours, "setupHours")
    _check(qty, hours_per_unit, setup_hours, whole_units)
    loaded = already_loaded or {}
    fits: list[tuple[date, Decimal]] = []
    for day in days:
        if start is not None and day < start:
            continue
        cap = day_capacity(bottleneck, day, hours_per_unit, setup_hours,
                           to_decimal(loaded.get(day, ZERO), "alreadyLoaded"), whole_units)
        if cap > 0:
            fits.append((day, cap))
    amounts = _spread(qty, fits, whole_units) if spread else _fill(qty, fits)
    orders = [DailyOrder(day, q, setup_hours + q * hours_per_unit)
              for day, q in amounts if q > 0]
    planned = sum((o.qty for o in orders), ZERO)
    return MonthlySplit(orders, qty - planned, item, month)


def _check(qty: Decimal, hours_per_unit: Decimal, setup_hours: Decimal,
           whole_units: bool) -> None:
    if qty < 0:
        raise ValidationError("qty must not be negative", "qty")
    if whole_units and qty != qty.to_integral_value():
        raise ValidationError(f"qty {qty} must be whole units", "qty")
    if not whole_units and qty != qty.quantize(QTY):
        raise ValidationError(f"qty {qty} has more than 6 decimal places", "qty")
    if hours_per_unit <= 0:
        raise ValidationError("hours per unit must be positive", "hoursPerUnit")
    if setup_hours < 0:
        raise ValidationError("setup hours must not be negative", "setupHours")


def _fill(qty: Decimal, fits: list[tuple[date, Decimal]]) -> list[tuple[date, Decimal]]:
    """Days in date order, each up to what fits (rule 3)."""
    amounts = []
    left = qty
    for day, cap in fits:
        if left <= 0:
            break
        take = min(cap, left)
        amounts.append((day, take))
        left -= take
    return amounts


def _spread(qty: Decimal, fits: list[tuple[date, Decimal]],
            whole_units: bool) -> list[tuple[date, Decimal]]:
    """Levelled in proportion to what each day fits, cumulative amounts rounded
    down (rule 3); filled day by day when the month is full or empty."""
    total = sum((cap for _, cap in fits), ZERO)
    if not 0 < qty < total:
        return _fill(qty, fits)
    step = ONE if whole_units else QTY
    amounts = []
    done, cum = ZERO, ZERO
    for day, cap in fits:
        cum += cap
        upto = (qty * cum / total).quantize(step, rounding=ROUND_FLOOR)
        amounts.append((day, upto - done))
        done = upto
    return amounts
