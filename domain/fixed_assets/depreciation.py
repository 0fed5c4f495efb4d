"""Depreciation rules of 小企业会计准则 (第二十九条至第三十一条), pure.

An asset is depreciated monthly from the month after it is acquired (当月增加
的固定资产当月不计提折旧，从下月起计提) and in the month it is disposed of (当月
减少的固定资产当月仍计提折旧). Residual value = round(cost x residual rate, 2);
what is depreciated over the life is cost - residual.

- 年限平均法 (straight line): each month round((cost - residual) / life, 2);
  the last month of the life takes what is left, so the accumulated
  depreciation ends at cost - residual exactly.
- 工作量法 (units of production): a month's charge is
  round((cost - residual) x units of the month / total units, 2); the month
  that reaches the total units takes what is left.
- 双倍余额递减法 (double declining): the life is whole years n; in asset year
  y (counted from the first depreciated month) the year's charge is
  round(book value at the start of year y x 2 / n, 2), spread as
  round(year / 12, 2) a month with the 12th month taking the rest of the
  year. In the last two years the book value at their start less the
  residual is spread evenly, round(rest / 24, 2) a month, the last month
  taking what is left (实行双倍余额递减法的，在折旧年限到期前两年内，将固定资产
  账面净值扣除预计净残值后的余额平均摊销).

No month ever charges more than is left to depreciate (cost - residual -
accumulated) nor less than zero.

A change in estimates (第三十条: useful life, residual value; an edited card or
a partial disposal) is prospective: from the next month, 年限平均法 spreads
``cost - residual - accumulated`` over the months left, round(rest /
(life - months depreciated), 2); 工作量法 spreads it over the units left.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum

from domain.money import round_amount
from domain.transcodings import transcoded

ZERO = Decimal("0.00")
ZERO_UNITS = Decimal("0.000000")


@transcoded("DepreciationMethod")
class DepreciationMethod(Enum):
    STRAIGHT_LINE = "straight_line"  # 年限平均法
    UNITS_OF_PRODUCTION = "units_of_production"  # 工作量法
    DOUBLE_DECLINING = "double_declining"  # 双倍余额递减法


METHOD_TITLE = {
    DepreciationMethod.STRAIGHT_LINE: "年限平均法",
    DepreciationMethod.UNITS_OF_PRODUCTION: "工作量法",
    DepreciationMethod.DOUBLE_DECLINING: "双倍余额递减法",
}


@dataclass(frozen=True)
class Basis:
    """What a card says about depreciating it."""

    method: DepreciationMethod
    cost: Decimal
    residual: Decimal
    life_months: int
    total_units: Decimal = ZERO_UNITS
    # A change in estimates (an edited card, a partial disposal) applies from
    # the next month on: what is left after these is spread over what is left.
    from_accumulated: Decimal = ZERO
    from_months: int = 0
    from_units: Decimal = ZERO_UNITS

    @property
    def depreciable(self) -> Decimal:
        return self.cost - self.residual

    @property
    def spread(self) -> Decimal:
        """What the current estimates spread (cost - residual - what was
        accumulated before they applied)."""
        return self.depreciable - self.from_accumulated


@dataclass(frozen=True)
class Progress:
    """Where an asset stands: accumulated depreciation, months and units
    depreciated, and (double declining) the book value its current year
    started from."""

    accumulated: Decimal = ZERO
    months: int = 0
    units: Decimal = ZERO_UNITS
    year_base: Decimal = ZERO

    def left(self, basis: Basis) -> Decimal:
        return max(basis.depreciable - self.accumulated, ZERO)


def residual_value(cost: Decimal, rate: Decimal) -> Decimal:
    return round_amount(cost * rate)


def monthly_charge(basis: Basis, progress: Progress, units: Decimal = ZERO_UNITS) -> Decimal:
    """The depreciation of the next month (``units``: its work, 工作量法 only)."""
    left = progress.left(basis)
    if left <= 0:
        return ZERO
    if basis.method is DepreciationMethod.UNITS_OF_PRODUCTION:
        return _units_charge(basis, progress, units, left)
    if basis.method is DepreciationMethod.DOUBLE_DECLINING:
        return _declining_charge(basis, progress, left)
    if progress.months + 1 >= basis.life_months:
        return left
    return min(round_amount(basis.spread / (basis.life_months - basis.from_months)), left)


def _units_charge(basis: Basis, progress: Progress, units: Decimal, left: Decimal) -> Decimal:
    if units <= 0:
        return ZERO
    if progress.units + units >= basis.total_units:
        return left
    return min(round_amount(basis.spread * units / (basis.total_units - basis.from_units)),
               left)


def _declining_charge(basis: Basis, progress: Progress, left: Decimal) -> Decimal:
    years = basis.life_months // 12
    month = progress.months  # 0-based index of the month to charge
    if month + 1 >= basis.life_months:
        return left
    tail = tail_start(basis)
    if month >= tail:  # the last two years: even over their months
        base = basis.cost - progress.accumulated if month == tail else progress.year_base
        return min(round_amount(max(base - basis.residual, ZERO) / (basis.life_months - tail)),
                   left)
    in_year = month % 12
    book_value = basis.cost - progress.accumulated if in_year == 0 else progress.year_base
    year_charge = round_amount(book_value * 2 / years)
    monthly = round_amount(year_charge / 12)
    charge = year_charge - 11 * monthly if in_year == 11 else monthly
    return max(min(charge, left), ZERO)


def tail_start(basis: Basis) -> int:
    """The month (0-based) the last two years of a 双倍余额递减法 life start."""
    return max(basis.life_months - 24, 0)


def advance(basis: Basis, progress: Progress, charge: Decimal,
            units: Decimal = ZERO_UNITS) -> Progress:
    """Progress after a month charged ``charge``. 双倍余额递减法 keeps the book value
    the current year (and then the last two years together) started from."""
    year_base = progress.year_base
    if basis.method is DepreciationMethod.DOUBLE_DECLINING and progress.months % 12 == 0 \
            and progress.months <= tail_start(basis):
        year_base = basis.cost - progress.accumulated
    return replace(progress, accumulated=progress.accumulated + charge,
                   months=progress.months + 1, units=progress.units + units,
                   year_base=year_base)


def schedule(basis: Basis, progress: Progress = Progress(),
             units: tuple[Decimal, ...] = ()) -> list[Decimal]:
    """The monthly charges from ``progress`` to the end of the life (工作量法: one
    month per given count). For the docs' tables and the tests."""
    charges = []
    months = len(units) if basis.method is DepreciationMethod.UNITS_OF_PRODUCTION \
        else basis.life_months - progress.months
    for i in range(months):
        count = units[i] if units else ZERO_UNITS
        charge = monthly_charge(basis, progress, count)
        charges.append(charge)
        progress = advance(basis, progress, charge, count)
    return charges
