"""The month's charge a disposal makes (当月减少当月照提) and the input checks
the register's handlers share."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from domain.errors import BusinessRuleViolation, ValidationError
from domain.finance.cash import check_cash_account
from domain.fixed_assets.depreciation import ZERO, ZERO_UNITS, monthly_charge
from domain.fixed_assets.posting import Disposal
from domain.fixed_assets.register import DepreciationLine, Holding, is_units, previous_period
from domain.ledger.gate import chart
from domain.ledger.periods import period_of
from domain.money import parse_amount, parse_quantity
from domain.unit_of_work import UnitOfWork


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


def disposal_of(holding: Holding, day: date, units: Any, proceeds: Any, proceeds_vat: Any,
                costs: Any) -> Disposal:
    """A disposal's figures on ``day`` (the month's charge first), whole or in
    part; or the first thing wrong with them."""
    card = holding.card
    if day < card.acquisition_date:
        raise BusinessRuleViolation("BEFORE_ACQUISITION",
                                    f"{card.code} was acquired on {card.acquisition_date}")
    return Disposal(month_charge(holding, period_of(day), units),
                    *(_money(v, f) for v, f in ((proceeds, "proceeds"),
                                                (proceeds_vat, "proceedsVat"),
                                                (costs, "costs"))))


def settling_account(uow: UnitOfWork, disposal: Disposal, bank_account: str) -> str:
    """The cash or bank account a disposal's proceeds and costs go through
    ("" when it has none)."""
    if not (disposal.proceeds or disposal.proceeds_vat or disposal.costs):
        return ""
    bank = check_cash_account(bank_account)
    chart(uow).check_postable(bank, "bankAccount")
    return bank


def _money(value: Any, field: str) -> Decimal:
    return parse_amount(value, field) if value not in (None, "") else ZERO


def _day(value: Any, field: str) -> date:
    if not isinstance(value, date):
        raise ValidationError(f"{field}: a date is required", field)
    return value
