"""Checking an asset card as a client sends it (``AssetSpec``) into the
``AssetCard`` the register records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain.catalog.items import check_item_code
from domain.catalog.lookups import work_center
from domain.errors import BusinessRuleViolation, ValidationError
from domain.fixed_assets.depreciation import (
    ZERO,
    ZERO_UNITS,
    DepreciationMethod,
    residual_value,
    tail_start,
)
from domain.fixed_assets.register import EXPENSE_ACCOUNT, AssetCard, AssetUse
from domain.ledger.gate import chart
from domain.money import parse_amount, parse_quantity, to_decimal
from domain.unit_of_work import UnitOfWork

MAX_LIFE_MONTHS = 1200  # 100 years
MAX_NAME = 100
MAX_TEXT = 40


@dataclass(frozen=True)
class AssetSpec:
    """An asset card as a client sends it."""

    code: str
    name: str
    life_months: int
    method: DepreciationMethod = DepreciationMethod.STRAIGHT_LINE
    use: AssetUse = AssetUse.PRODUCTION
    residual_rate: Any = "0.05"
    category: str = ""
    expense_account: str = ""  # default by use: 4101, 5602 or 5601
    work_center: str = ""
    equipment: str = ""
    total_units: Any = None  # 工作量法
    unit: str = ""


@dataclass(frozen=True)
class Opening:
    """Depreciation a card taken over from earlier books already carries."""

    accumulated: Decimal = ZERO
    months: int = 0
    units: Decimal = ZERO_UNITS


def text(value: str | None, field: str, limit: int = MAX_TEXT, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(f"{field} is required", field)
    if len(value) > limit:
        raise ValidationError(f"{field} is longer than {limit} characters", field)
    return value


def check_card(uow: UnitOfWork, spec: AssetSpec, day: date, cost: Decimal,
               opening: Opening) -> AssetCard:
    """The card to record, or the first thing wrong with it."""
    method, use = spec.method, spec.use
    if not isinstance(method, DepreciationMethod):
        raise ValidationError("method: 年限平均法, 工作量法 or 双倍余额递减法", "method")
    if not isinstance(use, AssetUse):
        raise ValidationError("use: production, administration or selling", "use")
    life = _life(spec.life_months, method)
    rate = to_decimal(spec.residual_rate if spec.residual_rate not in (None, "") else "0",
                      "residualRate")
    if not Decimal("0") <= rate < Decimal("1"):
        raise ValidationError("residualRate: from 0 up to (not including) 1", "residualRate")
    total_units = _total_units(spec.total_units, method)
    card = AssetCard(
        code=check_item_code(spec.code, "code"),
        name=text(spec.name, "name", MAX_NAME, required=True),
        category=text(spec.category, "category"),
        acquisition_date=day,
        cost=cost,
        residual_rate=rate.normalize() if rate else Decimal("0"),
        residual=residual_value(cost, rate),
        life_months=life,
        method=method,
        use=use,
        expense_account=expense_account(uow, spec.expense_account, use),
        work_center=_work_center(uow, spec.work_center),
        equipment=text(spec.equipment, "equipment").upper(),
        total_units=total_units,
        unit=text(spec.unit, "unit", 10),
        opening_accumulated=opening.accumulated,
        opening_months=opening.months,
        opening_units=opening.units,
    )
    check_opening(card)
    return card


def _life(value: Any, method: DepreciationMethod) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_LIFE_MONTHS:
        raise ValidationError(f"lifeMonths: whole months from 1 to {MAX_LIFE_MONTHS}",
                              "lifeMonths")
    if method is DepreciationMethod.DOUBLE_DECLINING and value % 12:
        raise ValidationError("lifeMonths: 双倍余额递减法 needs whole years (a multiple of 12)",
                              "lifeMonths")
    return value


def _total_units(value: Any, method: DepreciationMethod) -> Decimal:
    if method is not DepreciationMethod.UNITS_OF_PRODUCTION:
        if value not in (None, "", 0):
            raise ValidationError("totalUnits: only for 工作量法 (units of production)",
                                  "totalUnits")
        return ZERO_UNITS
    if value in (None, ""):
        raise ValidationError("totalUnits: 工作量法 needs the work over the whole life",
                              "totalUnits")
    return parse_quantity(value, "totalUnits")


def expense_account(uow: UnitOfWork, code: str, use: AssetUse) -> str:
    """Where the depreciation goes: the use's account or one of its sub-accounts."""
    root = EXPENSE_ACCOUNT[use]
    code = (code or "").strip() or root
    if not code.startswith(root):
        raise BusinessRuleViolation(
            "WRONG_EXPENSE_ACCOUNT",
            f"expenseAccount: {code} is not under {root}, where depreciation of an asset "
            f"used for {use.value} goes")
    accounts = chart(uow)
    accounts.check_postable(code, "expenseAccount")
    accounts.check_manual(code, "expenseAccount")
    return code


def _work_center(uow: UnitOfWork, code: str) -> str:
    code = (code or "").strip()
    return work_center(uow, code).spec.code if code else ""


def check_opening(card: AssetCard) -> None:
    """A card taken over mid-life: its accumulated depreciation and months fit it."""
    if card.opening_accumulated < 0 or card.opening_accumulated > card.cost - card.residual:
        raise ValidationError(
            "openingDepreciation: from 0 to cost less the residual value "
            f"({card.cost - card.residual})", "openingDepreciation")
    if not 0 <= card.opening_months < card.life_months:
        raise ValidationError("monthsDepreciated: fewer months than the life", "monthsDepreciated")
    if card.method is DepreciationMethod.DOUBLE_DECLINING and card.opening_months and (
            card.opening_months % 12 or card.opening_months > tail_start(card.basis)):
        raise ValidationError(
            "monthsDepreciated: a 双倍余额递减法 card is taken over at the start of an asset "
            "year before its last two", "monthsDepreciated")


def check_opening_input(accumulated: Any, months: Any, units: Any) -> Opening:
    amount = parse_amount(accumulated, "openingDepreciation") if accumulated not in (
        None, "") else ZERO
    if isinstance(months, bool) or not isinstance(months, int) or months < 0:
        raise ValidationError("monthsDepreciated: a whole number of months", "monthsDepreciated")
    used = parse_quantity(units, "unitsUsed", allow_zero=True) if units not in (
        None, "") else ZERO_UNITS
    return Opening(amount, months, used)
