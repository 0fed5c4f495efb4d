"""Changing what the register holds after the fact: editing an asset card
(a change in estimates, 小企业会计准则 第三十条: prospective, from the next
run), disposing of part of an asset, and taking back the latest
depreciation run. Handlers, listed in ``handlers.HANDLERS``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from domain.errors import BusinessRuleViolation, ValidationError
from domain.fixed_assets.cards import (
    MAX_LIFE_MONTHS,
    MAX_NAME,
    _work_center,
    expense_account,
    text,
)
from domain.fixed_assets.charges import _day, disposal_of, settling_account
from domain.fixed_assets.depreciation import ZERO, DepreciationMethod, residual_value
from domain.fixed_assets.lookups import register_of
from domain.fixed_assets.posting import depreciation_voucher, part_disposal_lines
from domain.fixed_assets.register import (
    AssetCard,
    AssetUse,
    Holding,
    Revision,
    is_units,
    next_period,
)
from domain.ledger.entries import SourceRef
from domain.ledger.periods import check_period, voucher_number
from domain.money import parse_amount, parse_quantity, round_amount, to_decimal
from domain.unit_of_work import UnitOfWork


# -- editing a card -------------------------------------------------------------------------
@dataclass(frozen=True)
class AssetChanges:
    """What an edit changes (None: unchanged)."""

    name: str | None = None
    category: str | None = None
    use: AssetUse | None = None
    expense_account: str | None = None
    work_center: str | None = None  # the cost center its depreciation is reported under
    equipment: str | None = None
    life_months: int | None = None
    residual_rate: Any = None
    total_units: Any = None


@dataclass(frozen=True)
class AssetEditResult:
    code: str
    effective: str  # the first period depreciated on the edited card
    changed: bool


def edit_fixed_asset(uow: UnitOfWork, code: str, changes: AssetChanges) -> AssetEditResult:
    """Edit a card. Useful life, residual rate and total units are estimates:
    their change applies from the next run on what is left to depreciate
    (nothing already posted changes); where its depreciation goes (use,
    expense account, work center) applies from the next run too."""
    register = register_of(uow)
    holding = register.asset((code or "").strip().upper())
    card, revision = revised_card(uow, holding, changes)
    effective = next_period(holding.through)
    register.revise(holding.card.code, card, effective, revision)
    return AssetEditResult(holding.card.code, effective, card != holding.card)


def revised_card(uow: UnitOfWork, holding: Holding, changes: AssetChanges
                 ) -> tuple[AssetCard, Revision | None]:
    """The card as edited and, when its estimates changed, where they start
    from; or the first thing wrong with the edit."""
    card = holding.card
    name = text(changes.name, "name", MAX_NAME, True) if changes.name is not None else card.name
    category = text(changes.category, "category") if changes.category is not None \
        else card.category
    use = changes.use if changes.use is not None else card.use
    if not isinstance(use, AssetUse):
        raise ValidationError("use: production, administration or selling", "use")
    if changes.expense_account is not None or use is not card.use:
        account = expense_account(uow, changes.expense_account or "", use)
    else:
        account = card.expense_account
    center = _work_center(uow, changes.work_center) if changes.work_center is not None \
        else card.work_center
    equipment = text(changes.equipment, "equipment").upper() if changes.equipment is not None \
        else card.equipment
    edited = replace(card, name=name, category=category, use=use, expense_account=account,
                     work_center=center, equipment=equipment)
    return revised_estimates(holding, edited, changes)


def revised_estimates(holding: Holding, card: AssetCard, changes: AssetChanges
                      ) -> tuple[AssetCard, Revision | None]:
    """Life, residual and total units changed from where the asset stands."""
    life, rate, units = changes.life_months, changes.residual_rate, changes.total_units
    if life is None and rate in (None, "") and units in (None, ""):
        return card, None
    if card.method is DepreciationMethod.DOUBLE_DECLINING:
        raise BusinessRuleViolation(
            "ESTIMATE_NOT_REVISABLE",
            "a 双倍余额递减法 card's life and residual are not revised here; its book value "
            "and years drive the charge")
    progress = holding.progress
    if life is not None:
        if isinstance(life, bool) or not isinstance(life, int) or not (
                progress.months < life <= MAX_LIFE_MONTHS):
            raise ValidationError(
                f"lifeMonths: more than the {progress.months} months already depreciated, "
                f"at most {MAX_LIFE_MONTHS}", "lifeMonths")
        card = replace(card, life_months=life)
    if rate not in (None, ""):
        value = to_decimal(rate, "residualRate")
        if not Decimal("0") <= value < Decimal("1"):
            raise ValidationError("residualRate: from 0 up to (not including) 1", "residualRate")
        residual = residual_value(card.cost, value)
        if residual > card.cost - progress.accumulated:
            raise ValidationError(
                f"residualRate: the residual {residual} would exceed the book value "
                f"{card.cost - progress.accumulated}", "residualRate")
        card = replace(card, residual_rate=value.normalize() if value else Decimal("0"),
                       residual=residual)
    if units not in (None, ""):
        if not is_units(card):
            raise ValidationError("totalUnits: only for 工作量法 (units of production)",
                                  "totalUnits")
        total = parse_quantity(units, "totalUnits")
        if total <= progress.units:
            raise ValidationError(f"totalUnits: more than the {progress.units.normalize():f} "
                                  "already worked", "totalUnits")
        card = replace(card, total_units=total)
    return card, Revision(progress.accumulated, progress.months, progress.units)


# -- partial disposal -------------------------------------------------------------------------
@dataclass(frozen=True)
class PartDisposalResult:
    code: str
    cost_out: str = "0.00"
    accumulated_out: str = "0.00"
    depreciation: str = "0.00"  # the month's, of the whole asset, charged first
    book_value: str = "0.00"  # of the part, cleared to 1606
    gain: str = "0.00"
    remaining_cost: str = "0.00"
    entry_id: str = ""
    voucher_no: str = ""


def dispose_fixed_asset_part(
    uow: UnitOfWork,
    code: str,
    disposal_date: date,
    cost: Any,
    proceeds: Any = None,
    proceeds_vat: Any = None,
    costs: Any = None,
    bank_account: str = "",
    units: Any = None,
    reason: str = "",
) -> PartDisposalResult:
    """部分处置: ``cost`` of the asset's cost leaves with its proportional share
    of the accumulated depreciation (after the month's, 当月减少当月照提),
    through 1606, the net to 5301/5711; what stays is depreciated from the next
    month on its reduced cost and residual over the life left."""
    day = _day(disposal_date, "disposalDate")
    register = register_of(uow)
    holding = register.asset((code or "").strip().upper())
    card = holding.card
    why = text(reason, "reason", 200)
    part = parse_amount(cost, "cost")
    if not ZERO < part < card.cost:
        raise ValidationError(f"cost: more than 0 and less than the asset's {card.cost} (all "
                              "of it is a disposal)", "cost")
    disposal = disposal_of(holding, day, units, proceeds, proceeds_vat, costs)
    month = disposal.month
    accumulated = holding.accumulated + (month.amount if month else ZERO)
    accumulated_out = round_amount(accumulated * part / card.cost)
    gain = disposal.proceeds - disposal.costs - (part - accumulated_out)
    bank = settling_account(uow, disposal, bank_account)
    entry = uow.post(day, f"固定资产部分清理 {card.code} {card.name} {why}"[:200],
                     part_disposal_lines(card, disposal, part, accumulated_out, gain, bank),
                     SourceRef("fixed_asset_disposal", card.code, card.name),
                     cash_flows=disposal.cash_flows())
    remaining = remaining_card(card, part, accumulated - accumulated_out)
    revision = Revision(accumulated - accumulated_out,
                        holding.progress.months + (1 if month else 0),
                        holding.progress.units + (month.units if month else ZERO))
    voucher_no = voucher_number(entry.voucher_seq)
    register.dispose_part(card.code, day, month, part, accumulated_out, remaining, revision,
                          disposal.proceeds, disposal.proceeds_vat, disposal.costs, gain, why,
                          str(entry.id), voucher_no)
    return PartDisposalResult(card.code, str(part), str(accumulated_out),
                              str(month.amount if month else ZERO), str(part - accumulated_out),
                              str(gain), str(remaining.cost), str(entry.id), voucher_no)


def remaining_card(card: AssetCard, part: Decimal, accumulated: Decimal) -> AssetCard:
    """What stays: the cost less the part, its residual at the card's rate
    (depreciated from here over what is left: a ``Revision``)."""
    cost = card.cost - part
    residual = min(residual_value(cost, card.residual_rate), cost - accumulated)
    return replace(card, cost=cost, residual=residual,
                   opening_accumulated=min(card.opening_accumulated, accumulated))


# -- reversing the latest run -------------------------------------------------------------------
@dataclass(frozen=True)
class RunReversalResult:
    period: str
    total: str = "0.00"
    assets: int = 0
    entry_id: str = ""
    voucher_no: str = ""
    already_reversed: bool = False


def reverse_depreciation_run(uow: UnitOfWork, period: str, reason: str = ""
                             ) -> RunReversalResult:
    """冲销 the latest depreciation run of an open period: one red voucher (the
    run's lines, negative) dated as the run, one fact; its assets stand as
    before it, and the month can be run again. Asked again, it answers the
    first reversal."""
    period = check_period(period)
    register = register_of(uow)
    register._later()
    done = register.reversals.get(period)
    if done is not None and period not in register.runs:
        return RunReversalResult(period, str(done.total), done.assets, done.entry_id,
                                 done.voucher_no, already_reversed=True)
    run = register.check_reversible(period)
    why = text(reason, "reason", 200)
    voucher = depreciation_voucher(run.lines)
    entry_id = voucher_no = ""
    if voucher:
        entry = uow.post(run.posting_date, f"冲销 计提折旧 {period} {why}"[:200],
                         voucher.lines(), SourceRef("depreciation", period, "冲销计提折旧"),
                         red=True)
        entry_id, voucher_no = str(entry.id), voucher_number(entry.voucher_seq)
    else:
        uow.business_date(run.posting_date)
    record = register.reverse_run(period, run.posting_date, why, entry_id, voucher_no)
    return RunReversalResult(period, str(record.total), record.assets, entry_id, voucher_no)


HANDLERS = (edit_fixed_asset, dispose_fixed_asset_part, reverse_depreciation_run)
