"""A monthly plan split into daily work orders (月度计划拆解为每日工单), pure.

The plan (item, quantity, month) is split over the working days of the month
by the bottleneck work center's capacity, the way the finite scheduler
(``domain/planning/scheduling``) will run it: an operation holds one unit
(machine or crew) of a work center from its start to its end, so a daily
order is sized for one unit's day, and a center with ``capacity`` parallel
units gets up to that many daily orders a day.

1. A working day is one where the bottleneck has hours (``hours_on(day) > 0``:
   its shifts x machines, none at weekends without shifts or on holidays).
   One unit works ``hours_on(day) / capacity`` hours that day. Days before
   ``start`` (the company's today) are not used.
2. What is already loaded on a day (``already_loaded[day]``: the hours of each
   work order due that day at the bottleneck, in order-number order) goes onto
   the units as the scheduler would load it: each order onto the unit with the
   least load so far (the lowest unit on a tie).
3. Each daily order is its own work order, so it carries one setup: a unit
   with ``free`` hours left fits ``(free - setup_hours) / hours_per_unit``
   units, rounded down to whole units (``whole_units=True``, the default for
   discrete items) or to 6 places. A unit with no room for one unit after
   setup gets nothing. On a day the units are offered the most free first,
   so that the scheduler, loading the day's orders in number order each onto
   the unit where it ends first, puts each one on the unit it was sized for.
4. Days are filled in date order (and on a day unit by unit), each up to what
   fits, so the last daily order takes the remainder (``spread=False``, the
   default). With ``spread=True`` the quantity is levelled over the month in
   proportion to what each one fits, cumulative amounts rounded down so the
   last takes the rounding remainder; none ever gets more than fits.
5. If the month cannot fit the quantity, every unit of every day is filled and
   the rest is the ``shortfall``: sum of daily quantities + shortfall = quantity.

The bottleneck (``bottleneck``) is the work center of the routing whose
calendar holds the fewest units of the item over the days used: the most run
hours per unit against the hours its shifts, machines and holidays make
available, so a one-shift center with fewer run hours can be the bottleneck
rather than a two-shift center with more.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
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

Loaded = Mapping[date, Decimal | Sequence[Decimal]]


@transcoded("DailyOrder")
@dataclass(frozen=True)
class DailyOrder:
    day: date
    qty: Decimal
    hours: Decimal = ZERO  # bottleneck hours it loads: setup + qty x hours per unit
    work_order: str = ""  # the work order made for it (recorded with the split)


@dataclass(frozen=True)
class MonthlySplit:
    days: list[DailyOrder]  # in date order (several a day on parallel units)
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


def units_of(center: Any) -> int:
    return max(int(getattr(center, "capacity", 1) or 1), 1)


def unit_loads(center: Any, day: date, loaded: Decimal | Sequence[Decimal] = ()) -> list[Decimal]:
    """Hours already on each unit of ``center`` on ``day`` (rule 2)."""
    loads = [ZERO] * units_of(center)
    orders = [loaded] if isinstance(loaded, (Decimal, int, str)) else list(loaded)
    for hours in orders:
        least = min(range(len(loads)), key=lambda u: (loads[u], u))
        loads[least] += to_decimal(hours, "alreadyLoaded")
    return loads


def day_capacity(
    bottleneck: Any,
    day: date,
    hours_per_unit: Decimal,
    setup_hours: Decimal = ZERO,
    already_loaded: Decimal | Sequence[Decimal] = (),
    whole_units: bool = True,
) -> list[Decimal]:
    """Units each daily order can make on ``day``, one per unit with room, the
    most free unit first (rules 1-3)."""
    unit_hours = bottleneck.hours_on(day) / units_of(bottleneck)
    step = ONE if whole_units else QTY
    fits = []
    for load in sorted(unit_loads(bottleneck, day, already_loaded)):
        free = unit_hours - load - setup_hours
        if free > 0:
            units = (free / hours_per_unit).quantize(step, rounding=ROUND_FLOOR)
            if units > 0:
                fits.append(units)
    return fits


def split_monthly_plan(
    item: str,
    qty: Decimal,
    month: str,
    bottleneck: Any,
    hours_per_unit: Decimal,
    setup_hours: Decimal = ZERO,
    already_loaded: Loaded | None = None,
    whole_units: bool = True,
    spread: bool = False,
    start: date | None = None,
) -> MonthlySplit:
    """Split ``qty`` of ``item`` over the working days of ``month`` by the
    bottleneck's free capacity (module rules). ``bottleneck`` is a
    ``WorkCenterSpec`` or anything with ``capacity`` and ``hours_on(day) ->
    Decimal`` hours (all units); ``hours_per_unit`` are its run hours per unit
    of the item; days before ``start`` (e.g. today) are not used."""
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
        fits += [(day, cap) for cap in day_capacity(
            bottleneck, day, hours_per_unit, setup_hours, loaded.get(day, ()), whole_units)]
    amounts = _spread(qty, fits, whole_units) if spread else _fill(qty, fits)
    orders = [DailyOrder(day, q, setup_hours + q * hours_per_unit)
              for day, q in amounts if q > 0]
    planned = sum((o.qty for o in orders), ZERO)
    return MonthlySplit(orders, qty - planned, item, month)


def bottleneck(run_hours: Mapping[str, Decimal], centers: Mapping[str, Any],
               days: Sequence[date]) -> str:
    """The work center whose calendar holds the fewest units over ``days``:
    the highest run hours per unit of the item / hours available (all units,
    on its calendar) over those days; one with no hours at all is the
    bottleneck outright. Ties go to the code last in order."""
    def load(code: str) -> tuple[bool, Decimal, str]:
        available = sum((centers[code].hours_on(d) for d in days), ZERO)
        if available <= 0:
            return True, ZERO, code
        return False, run_hours.get(code, ZERO) / available, code

    return max(centers, key=load)


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
    """Days in date order, each unit up to what fits (rule 4)."""
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
    """Levelled in proportion to what each fits, cumulative amounts rounded
    down (rule 4); filled one by one when the month is full or empty."""
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
