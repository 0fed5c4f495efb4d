"""Fixed-asset command handlers: acquire an asset (its card and its voucher),
run a month's depreciation, dispose of an asset. Each saves the register,
the voucher (and, bought on a supplier's invoice, the payable open item) in
one atomic save, so the register equals 1601/1602 at every moment.
Rules: ``depreciation.py`` (charges), ``posting.py`` (vouchers),
``cards.py`` (checks)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from domain.equipment.machines import equipment_id
from domain.errors import BusinessRuleViolation, ValidationError
from domain.finance.cash import check_cash_account
from domain.finance.open_items import Ledger, OpenItem, open_item_id
from domain.fixed_assets import revisions
from domain.fixed_assets.cards import AssetSpec, check_card, check_opening_input, text
from domain.fixed_assets.charges import _day, disposal_of, settling_account
from domain.fixed_assets.depreciation import ZERO, ZERO_UNITS, monthly_charge
from domain.fixed_assets.lookups import fixed_asset, register_of
from domain.fixed_assets.posting import (
    acquisition_lines,
    depreciation_voucher,
    disposal_lines,
)
from domain.fixed_assets.register import (
    ACCUMULATED,
    CLEARING,
    COST,
    DOCUMENT_KIND,
    PAYABLE,
    AssetFunding,
    DepreciationLine,
    FixedAssetRegister,
    Holding,
    RunRecord,
    is_units,
)
from domain.invoicing.purchase_invoices import invoice_key, purchase_invoice_id
from domain.ledger.cash_flow import CashFlow, CashFlowItem
from domain.ledger.entries import SourceRef
from domain.ledger.gate import chart, chart_for_change
from domain.ledger.period_end import closing_day
from domain.ledger.periods import check_period, voucher_number
from domain.money import parse_amount, parse_quantity
from domain.parties import PartyRole, party
from domain.unit_of_work import UnitOfWork

CONTROLLED = (COST, ACCUMULATED, CLEARING)


@dataclass(frozen=True)
class FixedAssetResult:
    code: str
    entry_id: str = ""
    voucher_no: str = ""


@dataclass(frozen=True)
class UnitsInput:
    """The work an asset depreciated by 工作量法 did in the month."""

    asset: str
    units: Any


@dataclass(frozen=True)
class DepreciationResult:
    period: str
    total: str = "0.00"
    assets: int = 0
    entry_id: str = ""
    voucher_no: str = ""
    already_run: bool = False


@dataclass(frozen=True)
class DisposalResult:
    code: str
    depreciation: str = "0.00"  # the month's, charged by the disposal
    book_value: str = "0.00"  # cleared to 1606
    gain: str = "0.00"  # to 5301 (positive) or 5711 (negative)
    entry_id: str = ""
    voucher_no: str = ""


# -- acquisition ------------------------------------------------------------------------
def acquire_fixed_asset(
    uow: UnitOfWork,
    spec: AssetSpec,
    acquisition_date: date,
    cost: Any,
    vat: Any = None,
    supplier: str = "",
    invoice_number: str = "",
    bank_account: str = "",
    counter_account: str = "",
    opening_depreciation: Any = None,
    months_depreciated: int = 0,
    units_used: Any = None,
    memo: str = "",
) -> FixedAssetResult:
    """新增固定资产: Dr 1601 cost, Dr 22210101 deductible VAT / Cr the supplier
    (220201, a payable open item), a bank account or another account."""
    day = _day(acquisition_date, "acquisitionDate")
    amount = parse_amount(cost, "cost")
    if not amount:
        raise ValidationError("cost must be greater than zero", "cost")
    tax = parse_amount(vat, "vat") if vat not in (None, "") else ZERO
    opening = check_opening_input(opening_depreciation, months_depreciated, units_used)
    card = check_card(uow, spec, day, amount, opening)
    register = register_of(uow)
    register.check_runs_after(card.period, f"the acquisition of {card.code}")
    funding, source, credit = funded_by(uow, bank_account, counter_account, supplier,
                                        invoice_number, bool(opening.accumulated))
    note = text(memo, "memo", 200)
    control_accounts(uow)
    paid = [CashFlow(CashFlowItem.ASSET_PURCHASES, -(amount + tax))] \
        if funding is AssetFunding.BANK else None
    entry = uow.post(day, note or f"新增固定资产 {card.code} {card.name}"[:200],
                     acquisition_lines(card, tax, credit),
                     SourceRef(DOCUMENT_KIND, card.code, card.name), cash_flows=paid)
    if funding is AssetFunding.SUPPLIER:
        vendor = party(uow, supplier, PartyRole.SUPPLIER, "supplier")
        uow.add(OpenItem(Ledger.PAYABLE, PAYABLE, vendor.code, DOCUMENT_KIND, source, day,
                         day + timedelta(days=vendor.spec.payment_terms_days), amount + tax))
    voucher_no = voucher_number(entry.voucher_seq)
    register.acquire(card, funding, source, tax, str(entry.id), voucher_no)
    return FixedAssetResult(card.code, str(entry.id), voucher_no)


def funded_by(uow: UnitOfWork, bank_account: str, counter_account: str, supplier: str,
              invoice_number: str, taken_over: bool) -> tuple[AssetFunding, str, str]:
    """(how, the source's key, the account credited): exactly one of a supplier's
    invoice, a bank account or another account pays for the asset."""
    given = [name for name, value in (("supplier", supplier), ("bankAccount", bank_account),
                                      ("counterAccount", counter_account)) if (value or "").strip()]
    if len(given) != 1:
        raise ValidationError("say what pays for the asset: one of supplier (with "
                              "invoiceNumber), bankAccount or counterAccount", "supplier")
    if taken_over and given[0] != "counterAccount":
        raise ValidationError("a card taken over with its depreciation is credited to a "
                              "counterAccount (the opening balance)", "openingDepreciation")
    if given[0] == "supplier":
        return AssetFunding.SUPPLIER, supplier_invoice(uow, supplier, invoice_number), PAYABLE
    if given[0] == "bankAccount":
        code = check_cash_account(bank_account)
        chart(uow).check_postable(code, "bankAccount")
        return AssetFunding.BANK, code, code
    code = counter(uow, counter_account)
    return AssetFunding.ACCOUNT, code, code


def supplier_invoice(uow: UnitOfWork, supplier: str, number: str) -> str:
    """The supplier's invoice key (SUPPLIER/number), recorded once."""
    vendor = party(uow, supplier, PartyRole.SUPPLIER, "supplier")
    number = text(number, "invoiceNumber", required=True)
    key = invoice_key(vendor.code, number)
    if uow.exists(open_item_id(Ledger.PAYABLE, key)) or uow.exists(
            purchase_invoice_id(vendor.code, number)):
        raise BusinessRuleViolation(
            "INVOICE_EXISTS", f"invoice {number} of {vendor.code} is already recorded")
    return key


def counter(uow: UnitOfWork, code: str) -> str:
    """Another account credited for the asset: no cash account (bankAccount
    says that), no control account, not the asset accounts themselves."""
    code = (code or "").strip()
    try:
        check_cash_account(code)
    except BusinessRuleViolation:
        pass
    else:
        raise ValidationError("counterAccount: a cash or bank account goes in bankAccount",
                              "counterAccount")
    if code.startswith(CONTROLLED):
        raise ValidationError(f"counterAccount: {code} is kept by the register itself",
                              "counterAccount")
    accounts = chart(uow)
    accounts.check_postable(code, "counterAccount")
    accounts.check_manual(code, "counterAccount")
    return code


def control_accounts(uow: UnitOfWork) -> None:
    """From the first card on, 1601, 1602 and 1606 are control accounts: only
    the register posts to them, so it equals them at every moment."""
    loose = [code for code in CONTROLLED if chart(uow).control_of(code) is None]
    for code in loose:
        chart_for_change(uow).set_controlled(code, True)


# -- the monthly run ----------------------------------------------------------------------
def run_depreciation(uow: UnitOfWork, period: str, posting_date: date | None = None,
                     units: Sequence[UnitsInput] = ()) -> DepreciationResult:
    """计提折旧 of ``period``: one event and one voucher (Dr 4101/5602/5601 / Cr
    1602). Run again for the same period, it answers the first run."""
    period = check_period(period)
    day = closing_day(period, posting_date)
    counts = check_units(units)
    register = register_of(uow)
    done = register.runs.get(period)
    if done is not None:
        return repeated_run(period, done, counts)
    register.check_runs_after(period, f"the depreciation of {period}")
    due = register.due_for(period)
    counters = equipment_counters(uow, due)
    lines = month_lines(register, due, counts, counters)
    voucher = depreciation_voucher(lines)
    entry_id = voucher_no = ""
    if voucher:
        entry = uow.post(day, f"计提折旧 {period}", voucher.lines(),
                         SourceRef("depreciation", period, "计提折旧"))
        entry_id, voucher_no = str(entry.id), voucher_number(entry.voucher_seq)
    else:
        uow.business_date(day)
    register.depreciate(period, day, tuple(lines), entry_id, voucher_no, counters)
    total = sum((ln.amount for ln in lines), ZERO)
    return DepreciationResult(period, str(total), len(lines), entry_id, voucher_no)


def check_units(units: Sequence[UnitsInput]) -> dict[str, Decimal]:
    counts: dict[str, Decimal] = {}
    for i, entry in enumerate(units or ()):
        field = f"units.{i}"
        code = (entry.asset or "").strip().upper()
        if not code or code in counts:
            raise ValidationError(f"{field}.asset: each asset once", f"{field}.asset")
        counts[code] = parse_quantity(entry.units, f"{field}.units", allow_zero=True)
    return counts


def month_lines(register: FixedAssetRegister, due: Sequence[Holding],
                counts: dict[str, Decimal], counters: dict[str, Decimal] | None = None
                ) -> list[DepreciationLine]:
    """Each due asset's charge of the month; 工作量法 assets need their count (a
    count for one not due this month, bought in it or written off, is idle).
    ``counters``: the equipment register's counter of each 工作量法 asset linked
    to equipment: without a count given, the month's work is what it counted
    since the last run that read it (since 0 before the first); with one, the
    count given is used and the counter is noted for the next month."""
    counters = counters or {}
    unknown = sorted(c for c in counts if c not in register.assets
                     or not is_units(register.assets[c].card))
    if unknown:
        raise ValidationError(f"units: {', '.join(unknown)} is no 工作量法 asset", "units")
    missing = [h.card.code for h in due if is_units(h.card) and h.card.code not in counts
               and h.card.code not in counters]
    if missing:
        raise BusinessRuleViolation(
            "UNITS_MISSING", f"the month's work of {', '.join(missing)} (工作量法) is needed; "
            "give 0 for an idle month, or link the asset to equipment that counts")
    lines = []
    for holding in due:
        card = holding.card
        counter = counters.get(card.code)
        used = counts.get(card.code)
        if used is None:
            used = counted_since(holding, counter) if counter is not None else ZERO_UNITS
        lines.append(DepreciationLine(card.code, card.expense_account,
                                      monthly_charge(holding.basis, holding.progress, used),
                                      used, card.work_center))
    return lines


def counted_since(holding: Holding, counter: Decimal) -> Decimal:
    """The work the asset's equipment counted since the last run read it."""
    before = holding.counter if holding.counter is not None else ZERO_UNITS
    if counter < before:
        raise BusinessRuleViolation(
            "COUNTER_WENT_BACK",
            f"{holding.card.equipment} counts {counter.normalize():f}, less than the "
            f"{before.normalize():f} read for {holding.card.code} last month; give its "
            "month's work in units")
    return counter - before


def equipment_counters(uow: UnitOfWork, due: Sequence[Holding]) -> dict[str, Decimal]:
    """The counter of the equipment each due 工作量法 asset is linked to, when
    the equipment register knows it."""
    found = {}
    for holding in due:
        code = holding.card.equipment
        if is_units(holding.card) and code and uow.exists(equipment_id(code)):
            found[holding.card.code] = uow.peek(equipment_id(code)).counted
    return found


def repeated_run(period: str, done: RunRecord, counts: dict[str, Decimal]
                 ) -> DepreciationResult:
    """The first run again; refused when the counts of work given differ from it."""
    recorded = {ln.asset: ln.units for ln in done.lines}
    if any(recorded.get(asset, used) != used for asset, used in counts.items()):
        raise BusinessRuleViolation(
            "DEPRECIATION_ALREADY_RUN",
            f"depreciation of {period} was already run with other counts of work")
    return DepreciationResult(period, str(done.total), len(done.lines), done.entry_id,
                              done.voucher_no, already_run=True)


# -- disposal ------------------------------------------------------------------------------
def dispose_fixed_asset(
    uow: UnitOfWork,
    code: str,
    disposal_date: date,
    proceeds: Any = None,
    proceeds_vat: Any = None,
    costs: Any = None,
    bank_account: str = "",
    units: Any = None,
    reason: str = "",
) -> DisposalResult:
    """处置 (sale, scrapping): the month's depreciation if not yet run, the asset
    into 1606 固定资产清理, costs and proceeds through it, the net to 5301/5711."""
    day = _day(disposal_date, "disposalDate")
    register = register_of(uow)
    holding = register.asset((code or "").strip().upper())
    why = text(reason, "reason", 200)
    disposal = disposal_of(holding, day, units, proceeds, proceeds_vat, costs)
    bank = settling_account(uow, disposal, bank_account)
    entry = uow.post(day, f"固定资产清理 {holding.card.code} {holding.card.name} {why}"[:200],
                     disposal_lines(holding, disposal, bank),
                     SourceRef("fixed_asset_disposal", holding.card.code, holding.card.name),
                     cash_flows=disposal.cash_flows())
    gain, book_value = disposal.gain(holding), disposal.book_value(holding)
    voucher_no = voucher_number(entry.voucher_seq)
    register.dispose(holding.card.code, day, disposal.month, disposal.proceeds,
                     disposal.proceeds_vat, disposal.costs, gain, why, str(entry.id), voucher_no)
    charge = disposal.month.amount if disposal.month else ZERO
    return DisposalResult(holding.card.code, str(charge), str(book_value), str(gain),
                          str(entry.id), voucher_no)


HANDLERS = (acquire_fixed_asset, run_depreciation, dispose_fixed_asset, *revisions.HANDLERS)
READERS = (fixed_asset,)
