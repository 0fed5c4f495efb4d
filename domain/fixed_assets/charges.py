"""The month's charge a disposal makes (当月减少当月照提) and the input checks
the register's handlers share."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from domain.errors import BusinessRuleViolation, ValidationError
from domain.fixed_assets.depreciation import ZERO, ZERO_UNITS, monthly_charge
from domain.fixed_assets.register import DepreciationLine, Holding, is_units, previous_period
from domain.money import parse_amount, parse_quantity


def month_charge(holding: Holding, period: str, units: Any) -> DepreciationLine | None:
    """当月减少当月照提: the month's depreciation, unless the month's run made it."""
    if not holding.active:
        raise BusinessRuleViolation(
            "ASSET_DISPOSED", f"fixed asset {holding.card.code} was disposed of on "
            f"{holding.disposed_on}")
    if holding.through > period:
        raise BusinessRuleViolation(
            "DEPRECIATION_ALREADY_RUN",
            f"{holding.card.code} was depreciated for {holding.through}; a disposal is dated "
            "in that month or later")
    if holding.through == period or not holding.due():
        return None
    if holding.through < previous_period(period):
        raise BusinessRuleViolation(
            "DEPRECIATION_MISSING",
            f"{holding.card.code} was last depreciated for {holding.through}; run the "
            "depreciation of the months before the disposal first")
    card = holding.card
    used = ZERO_UNITS
    if is_units(card):
        if units in (None, ""):
            raise ValidationError("units: the month's work of a 工作量法 asset is needed to "
                                  "charge its last month", "units")
        used = parse_quantity(units, "units", allow_zero=True)
    return DepreciationLine(card.code, card.expense_account,
                            monthly_charge(holding.basis, holding.progress, used), used,
                            card.work_center)


def _money(value: Any, field: str) -> Decimal:
    return parse_amount(value, field) if value not in (None, "") else ZERO


def _day(value: Any, field: str) -> date:
    if not isinstance(value, date):
        raise ValidationError(f"{field}: a date is required", field)
    return value
