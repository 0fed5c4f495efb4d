"""The fixed-asset register (固定资产登记簿): every asset card, its
depreciation and its disposal, in one aggregate.

One aggregate for the company's assets, because the monthly depreciation run
is one fact about all of them (one event per period, ``Depreciated``) and
because the order of runs, acquisitions and disposals must be decided
together: an asset acquired in a month whose successor was already
depreciated would silently miss a month, a disposal dated before a later run
would be depreciated after it left. A small company keeps tens to a few
hundred assets, a few events a month.

Every change posts its voucher in the same save (1601 固定资产 at cost, 1602
累计折旧, 1606 固定资产清理), so the register's cost and accumulated
depreciation equal 1601 and 1602 at every moment.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import Enum

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.errors import BusinessRuleViolation, NotFound
from domain.fixed_assets.depreciation import (
    ZERO,
    ZERO_UNITS,
    Basis,
    DepreciationMethod,
    Progress,
    advance,
)
from domain.transcodings import transcoded

REGISTER_ID = derived_id("fixed-asset-register", "default")

COST = "1601"  # 固定资产
ACCUMULATED = "1602"  # 累计折旧
CLEARING = "1606"  # 固定资产清理
GAIN = "5301"  # 营业外收入 (非流动资产处置净收益)
LOSS = "5711"  # 营业外支出 (非流动资产处置净损失)
INPUT_VAT = "22210101"  # 应交税费-应交增值税-进项税额
OUTPUT_VAT = "22210102"  # 应交税费-应交增值税-销项税额
PAYABLE = "220201"  # 应付账款-供应商
DOCUMENT_KIND = "fixed_asset"  # the acquisition's SourceRef and open-item kind


@transcoded("AssetUse")
class AssetUse(Enum):
    """Where an asset serves, and so where its depreciation goes."""

    PRODUCTION = "production"  # 生产车间: 4101 制造费用
    ADMINISTRATION = "administration"  # 管理部门: 5602 管理费用
    SELLING = "selling"  # 销售部门: 5601 销售费用


EXPENSE_ACCOUNT = {
    AssetUse.PRODUCTION: "4101",
    AssetUse.ADMINISTRATION: "5602",
    AssetUse.SELLING: "5601",
}


@transcoded("AssetFunding")
class AssetFunding(Enum):
    """What the acquisition's voucher credits."""

    SUPPLIER = "supplier"  # a supplier's invoice: Cr 220201, a payable open item
    BANK = "bank"  # paid at once: Cr a cash or bank account
    ACCOUNT = "account"  # another account: 1604 在建工程 transferred, 3001 contributed...


@transcoded("AssetCard")
@dataclass(frozen=True)
class AssetCard:
    """固定资产卡片: what the asset is and how it is depreciated."""

    code: str
    name: str
    category: str
    acquisition_date: date
    cost: Decimal  # 原价 (ex deductible VAT)
    residual_rate: Decimal  # 预计净残值率, 0.05 = 5 %
    residual: Decimal  # round(cost x rate, 2)
    life_months: int
    method: DepreciationMethod
    use: AssetUse
    expense_account: str
    work_center: str = ""
    equipment: str = ""  # the equipment register's code, when it has one
    total_units: Decimal = ZERO_UNITS  # 工作量法: the work over the whole life
    unit: str = ""  # of the work: 小时, 件, 公里...
    # A card taken over from earlier books: depreciation already accumulated.
    opening_accumulated: Decimal = ZERO
    opening_months: int = 0
    opening_units: Decimal = ZERO_UNITS

    @property
    def basis(self) -> Basis:
        return Basis(self.method, self.cost, self.residual, self.life_months, self.total_units)

    @property
    def period(self) -> str:
        return f"{self.acquisition_date.year:04d}-{self.acquisition_date.month:02d}"


@transcoded("DepreciationLine")
@dataclass(frozen=True)
class DepreciationLine:
    """One asset's depreciation of one month."""

    asset: str
    account: str  # Dr this, Cr 1602
    amount: Decimal
    units: Decimal = ZERO_UNITS  # 工作量法: the month's work
    work_center: str = ""


@transcoded("AssetRevision")
@dataclass(frozen=True)
class Revision:
    """Where a card's current estimates started (an edit, a partial disposal):
    the depreciation accumulated, months and units by then."""

    accumulated: Decimal = ZERO
    months: int = 0
    units: Decimal = ZERO_UNITS


@dataclass(frozen=True)
class Holding:
    """An asset as the register holds it now (derived from the events)."""

    card: AssetCard
    progress: Progress
    through: str  # the last period depreciated (the acquisition's when none yet)
    disposed_on: date | None = None
    counter: Decimal | None = None  # the equipment's counter at the last run that read it
    revision: Revision | None = None

    @property
    def basis(self) -> Basis:
        """The card's basis, from its revision on when its estimates changed."""
        if self.revision is None:
            return self.card.basis
        return replace(self.card.basis, from_accumulated=self.revision.accumulated,
                       from_months=self.revision.months, from_units=self.revision.units)

    @property
    def accumulated(self) -> Decimal:
        return self.progress.accumulated

    @property
    def book_value(self) -> Decimal:
        return self.card.cost - self.progress.accumulated

    @property
    def active(self) -> bool:
        return self.disposed_on is None

    def due(self) -> bool:
        """Still depreciated: held and not yet depreciated down to its residual."""
        return self.active and self.progress.left(self.basis) > 0


@dataclass(frozen=True)
class RunRecord:
    posting_date: date
    lines: tuple[DepreciationLine, ...]
    entry_id: str
    voucher_no: str
    # Derived: each depreciated asset as it stood before the run (a reversal
    # puts it back).
    before: tuple[Holding, ...] = ()

    @property
    def total(self) -> Decimal:
        return sum((ln.amount for ln in self.lines), ZERO)


@dataclass(frozen=True)
class ReversalRecord:
    """A run taken back: its period's red voucher."""

    period: str
    posting_date: date
    total: Decimal
    assets: int
    entry_id: str
    voucher_no: str


def previous_period(period: str) -> str:
    year, month = int(period[:4]), int(period[5:])
    return f"{year - 1:04d}-12" if month == 1 else f"{year:04d}-{month - 1:02d}"


class FixedAssetRegister(Aggregate):
    """All asset cards, the depreciation runs by period, the disposals."""

    @event("Started")
    def __init__(self) -> None:
        self.assets: dict[str, Holding] = {}
        self.runs: dict[str, RunRecord] = {}
        self._init_later()

    def _init_later(self) -> None:
        # Derived state added after the first version (registers replayed
        # from older logs get it on first use, see ``_later``).
        self.reversals: dict[str, ReversalRecord] = {}
        self.changed_since_run: set[str] = set()

    def _later(self) -> None:
        if "reversals" not in self.__dict__:
            self._init_later()

    @classmethod
    def create_id(cls) -> uuid.UUID:
        return REGISTER_ID

    # -- queries --------------------------------------------------------------------
    def asset(self, code: str) -> Holding:
        try:
            return self.assets[code]
        except KeyError:
            raise NotFound(f"fixed asset {code} does not exist", "FixedAsset", code) from None

    def last_run(self) -> str:
        return max(self.runs, default="")

    def check_runs_after(self, period: str, what: str) -> None:
        """Refuse a fact dated in ``period`` when a later month was depreciated."""
        later = [p for p in self.runs if p > period]
        if later:
            raise BusinessRuleViolation(
                "DEPRECIATION_ALREADY_RUN",
                f"{what} is dated in {period}, but depreciation was already run for "
                f"{max(later)}; date it in {max(later)} or later")

    def due_for(self, period: str) -> list[Holding]:
        """The assets the run of ``period`` depreciates (in code order); refuses
        when an earlier month of one of them was never depreciated."""
        prior = previous_period(period)
        due = []
        for code in sorted(self.assets):
            holding = self.assets[code]
            if not holding.due() or holding.through >= period:
                continue
            if holding.through < prior:
                raise BusinessRuleViolation(
                    "DEPRECIATION_MISSING",
                    f"fixed asset {code} was last depreciated for {holding.through}; run "
                    f"the depreciation of {next_period(holding.through)} first")
            due.append(holding)
        return due

    # -- facts ------------------------------------------------------------------------
    def acquire(self, card: AssetCard, funding: AssetFunding, source: str, vat: Decimal,
                entry_id: str, voucher_no: str) -> None:
        if card.code in self.assets:
            raise BusinessRuleViolation("ASSET_EXISTS", f"fixed asset {card.code} already exists")
        self.check_runs_after(card.period, f"the acquisition of {card.code}")
        self._acquired(card, funding, source, vat, entry_id, voucher_no)

    @event("Acquired")
    def _acquired(self, card: AssetCard, funding: AssetFunding, source: str, vat: Decimal,
                  entry_id: str, voucher_no: str) -> None:
        progress = Progress(card.opening_accumulated, card.opening_months, card.opening_units,
                            card.cost - card.opening_accumulated)
        self.assets[card.code] = Holding(card, progress, card.period)

    def depreciate(self, period: str, posting_date: date,
                   lines: tuple[DepreciationLine, ...], entry_id: str, voucher_no: str,
                   counters: dict[str, Decimal] | None = None) -> None:
        """``counters``: the equipment counter each 工作量法 asset was read at."""
        if period in self.runs:
            raise BusinessRuleViolation(
                "DEPRECIATION_ALREADY_RUN", f"depreciation was already run for {period}")
        self._depreciated(period, posting_date, lines, entry_id, voucher_no, counters or {})

    @event("Depreciated")
    def _depreciated(self, period: str, posting_date: date,
                     lines: tuple[DepreciationLine, ...], entry_id: str,
                     voucher_no: str, counters: dict | None = None) -> None:
        self._later()
        before = tuple(self.assets[line.asset] for line in lines)
        self.changed_since_run = set()
        self.reversals.pop(period, None)
        for line in lines:
            holding = self.assets[line.asset]
            self.assets[line.asset] = replace(
                holding, through=period,
                progress=advance(holding.basis, holding.progress, line.amount, line.units),
                counter=(counters or {}).get(line.asset, holding.counter))
        self.runs[period] = RunRecord(posting_date, tuple(lines), entry_id, voucher_no, before)

    def check_reversible(self, period: str) -> RunRecord:
        """Only the latest run may be taken back, and only while none of its
        assets changed since (disposed, partly disposed, its card edited)."""
        self._later()
        run = self.runs.get(period)
        if run is None:
            raise BusinessRuleViolation("NO_DEPRECIATION_RUN",
                                        f"depreciation was not run for {period}")
        if period != self.last_run():
            raise BusinessRuleViolation(
                "NOT_LATEST_RUN", f"only the latest run ({self.last_run()}) can be reversed; "
                f"reverse it before {period}'s")
        changed = sorted(self.changed_since_run & {ln.asset for ln in run.lines})
        if changed:
            raise BusinessRuleViolation(
                "ASSET_CHANGED_SINCE_RUN",
                f"{', '.join(changed)} changed after the run of {period} (disposed or its card "
                "edited); reverse those first")
        return run

    def reverse_run(self, period: str, posting_date: date, reason: str, entry_id: str,
                    voucher_no: str) -> ReversalRecord:
        run = self.check_reversible(period)
        self._run_reversed(period, posting_date, run.total, len(run.lines), reason, entry_id,
                           voucher_no)
        return self.reversals[period]

    @event("DepreciationRunReversed")
    def _run_reversed(self, period: str, posting_date: date, total: Decimal, assets: int,
                      reason: str, entry_id: str, voucher_no: str) -> None:
        """The run of ``period`` taken back: its assets stand as before it."""
        self._later()
        run = self.runs.pop(period)
        for holding in run.before:
            self.assets[holding.card.code] = holding
        self.reversals[period] = ReversalRecord(period, posting_date, total, assets, entry_id,
                                                voucher_no)

    # -- a change in estimates ----------------------------------------------------------
    def revise(self, code: str, card: AssetCard, effective: str,
               revision: Revision | None) -> None:
        holding = self.asset(code)
        if not holding.active:
            raise BusinessRuleViolation(
                "ASSET_DISPOSED", f"fixed asset {code} was disposed of on {holding.disposed_on}")
        if card != holding.card:
            self._card_revised(code, card, effective, revision or holding.revision)

    @event("CardRevised")
    def _card_revised(self, code: str, card: AssetCard, effective: str,
                      revision: Revision | None) -> None:
        """The card as edited; depreciation follows it from ``effective`` (the
        first period not yet depreciated), its estimates from ``revision``."""
        self._later()
        self.assets[code] = replace(self.assets[code], card=card, revision=revision)
        self.changed_since_run.add(code)

    # -- partial disposal ----------------------------------------------------------------
    def dispose_part(self, code: str, disposal_date: date, month: DepreciationLine | None,
                     cost_out: Decimal, accumulated_out: Decimal, remaining: AssetCard,
                     revision: Revision, proceeds: Decimal, proceeds_vat: Decimal,
                     costs: Decimal, gain: Decimal, reason: str, entry_id: str,
                     voucher_no: str) -> None:
        holding = self.asset(code)
        if not holding.active:
            raise BusinessRuleViolation(
                "ASSET_DISPOSED", f"fixed asset {code} was disposed of on {holding.disposed_on}")
        self._partly_disposed(code, disposal_date, month, cost_out, accumulated_out, remaining,
                              revision, proceeds, proceeds_vat, costs, gain, reason, entry_id,
                              voucher_no)

    @event("PartlyDisposed")
    def _partly_disposed(self, code: str, disposal_date: date, month: DepreciationLine | None,
                         cost_out: Decimal, accumulated_out: Decimal, remaining: AssetCard,
                         revision: Revision, proceeds: Decimal, proceeds_vat: Decimal,
                         costs: Decimal, gain: Decimal, reason: str, entry_id: str,
                         voucher_no: str) -> None:
        """``cost_out`` of the asset left with ``accumulated_out`` of its
        depreciation (after the month's, ``month``); ``remaining`` is the card
        of what stays, its estimates applying from the next month."""
        self._later()
        holding = month_charged(self.assets[code], disposal_date, month)
        progress = holding.progress
        share = remaining.cost / holding.card.cost
        self.assets[code] = replace(holding, card=remaining, revision=revision, progress=replace(
            progress, accumulated=progress.accumulated - accumulated_out,
            year_base=(progress.year_base * share).quantize(ZERO)))
        self.changed_since_run.add(code)

    def dispose(self, code: str, disposal_date: date, month: DepreciationLine | None,
                proceeds: Decimal, proceeds_vat: Decimal, costs: Decimal, gain: Decimal,
                reason: str, entry_id: str, voucher_no: str) -> None:
        holding = self.asset(code)
        if not holding.active:
            raise BusinessRuleViolation(
                "ASSET_DISPOSED", f"fixed asset {code} was disposed of on {holding.disposed_on}")
        self._disposed(code, disposal_date, month, proceeds, proceeds_vat, costs, gain, reason,
                       entry_id, voucher_no)

    @event("Disposed")
    def _disposed(self, code: str, disposal_date: date, month: DepreciationLine | None,
                  proceeds: Decimal, proceeds_vat: Decimal, costs: Decimal, gain: Decimal,
                  reason: str, entry_id: str, voucher_no: str) -> None:
        self._later()
        holding = month_charged(self.assets[code], disposal_date, month)
        self.assets[code] = replace(holding, disposed_on=disposal_date)
        self.changed_since_run.add(code)


def month_charged(holding: Holding, disposal_date: date, month: DepreciationLine | None
                  ) -> Holding:
    """The asset after the month's depreciation a disposal charges first (as is
    when the month's run made it)."""
    if month is None:
        return holding
    period = f"{disposal_date.year:04d}-{disposal_date.month:02d}"
    return replace(holding, through=period, progress=advance(
        holding.basis, holding.progress, month.amount, month.units))


def next_period(period: str) -> str:
    year, month = int(period[:4]), int(period[5:])
    return f"{year + 1:04d}-01" if month == 12 else f"{year:04d}-{month + 1:02d}"


def is_units(card: AssetCard) -> bool:
    return card.method is DepreciationMethod.UNITS_OF_PRODUCTION


# -- event versions (docs/architecture.md, "Event naming and versioning rules") ----------
def _depreciated_v1_v2(state: dict) -> None:
    """v2 notes the equipment counter each 工作量法 asset was read at; a v1 run
    read none."""
    state.setdefault("counters", {})


FixedAssetRegister.Depreciated.class_version = 2
FixedAssetRegister.Depreciated.upcast_v1_v2 = staticmethod(_depreciated_v1_v2)
