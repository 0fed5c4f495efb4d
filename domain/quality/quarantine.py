"""Stock that waits in the quarantine location (待检区) and leaves it after
inspection. What waits is held on the stock balance (``hold``) by the
inspection lot awaiting its decision, then by the nonconformance report
awaiting disposition; nothing else (a transfer, a count, an adjustment, a
return) may take held units, and each way out below first releases its
holder's hold (``unhold``), with its document and voucher in the command's save:

- ``release``: accepted or conceded units go to their location, a transfer
  inside the warehouse (TR), no value moves;
- ``scrap_material``: purchased material scrapped, an adjustment (AJ) out of
  stock at moving average through 1901 待处理财产损溢 (Dr 1901 / Cr stock),
  and a second voucher writing it off (Dr 5711 or 4101 / Cr 1901);
- ``scrap_goods``: made goods scrapped (AJ) by production's abnormal-scrap
  rule: Dr 5711 / Cr stock when the production settings post abnormal scrap
  apart, else the cost stays with the good units of the item (the units
  leave at no value, their cost raises the average of the rest; when no unit
  remains the cost goes to 5401);
- ``rework_goods``: rework hours on made goods in quarantine, costed at the
  work center's rates through WIP into the goods (Dr stock / Cr 2211 labour,
  Cr 4101 overhead applied: 400101 is debited and relieved in one voucher).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.catalog import lookups as catalog
from domain.catalog.engineering import (
    SETTINGS_ID,
    ProductionSettings,
    WorkCenter,
    work_center_id,
)
from domain.catalog.warehouses import QUARANTINE
from domain.errors import NotFound
from domain.inventory import posting
from domain.inventory.documents import DocumentKind, DocumentLine
from domain.inventory.recording import DocumentResult, movement, record_document, stock
from domain.inventory.stock import Movement
from domain.ledger.entries import SourceRef
from domain.ledger.periods import voucher_number
from domain.ledger.voucher import Voucher
from domain.money import round_amount
from domain.unit_of_work import UnitOfWork

ZERO = Decimal("0.00")
PENDING_LOSSES = posting.PENDING_LOSSES  # 1901 待处理财产损溢
ABNORMAL_LOSS = "5711"  # 营业外支出
COST_OF_SALES = posting.COST_OF_SALES  # 5401
WAGES_PAYABLE = "2211"  # 应付职工薪酬
OVERHEAD_APPLIED = "4101"  # 制造费用


def production_settings(uow: UnitOfWork) -> ProductionSettings:
    """The company's production settings (the abnormal-scrap rule, the WIP account)."""
    if not uow.exists(SETTINGS_ID):
        return ProductionSettings()
    return uow.peek(SETTINGS_ID).production


@dataclass(frozen=True)
class Written:
    """What a movement out of quarantine recorded: its document and the value
    of what was scrapped (the quality loss, wherever it is posted)."""

    document: DocumentResult
    cost: Decimal = ZERO
    second_entry: str = ""  # the write-off voucher of scrapped material


INSPECTION = "inspection"  # held for an inspection lot's decision
DISPOSITION = "disposition"  # held for a nonconformance report's disposition


def hold(uow: UnitOfWork, holder: str, reason: str, item: str, warehouse: str, lot: str,
         qty: Decimal, day: date) -> None:
    """``qty`` of the lot in quarantine waits for ``holder`` (IL-… or NCR-…)."""
    stock(uow, item, warehouse).hold(holder, QUARANTINE, lot, qty, reason, day)


def unhold(uow: UnitOfWork, holder: str, item: str, warehouse: str, qty: Decimal | None,
           day: date) -> None:
    """``holder`` lets ``qty`` of what it holds go (all of it by default)."""
    stock(uow, item, warehouse).release_hold(holder, qty, day)


def release(uow: UnitOfWork, item: str, warehouse: str, lot: str, qty: Decimal,
            to_location: str, day: date, summary: str, note: str) -> DocumentResult:
    """``qty`` out of quarantine into ``to_location`` (the warehouse's default
    when none or the quarantine itself); its holder released it first."""
    wh = catalog.warehouse(uow, warehouse)
    target = to_location if to_location and to_location != QUARANTINE else wh.default_location
    stock(uow, item, warehouse).move(qty, lot, QUARANTINE, target, day,
                                     movement(uow, DocumentKind.TRANSFER, 1))
    line = DocumentLine(1, item, warehouse, QUARANTINE, lot, qty, ZERO,
                        to_warehouse=warehouse, to_location=target, note=note[:200])
    return record_document(uow, DocumentKind.TRANSFER, day, Voucher(), [line], summary,
                           note=note[:200], already_moved=True)


def _issue(uow: UnitOfWork, item: str, warehouse: str, lot: str, qty: Decimal,
           value: Decimal, day: date) -> DocumentLine:
    balance = stock(uow, item, warehouse)
    balance.issue(qty, value, QUARANTINE, lot, day, movement(uow, DocumentKind.ADJUSTMENT, 1),
                  allow_quarantine=True)
    return DocumentLine(1, item, warehouse, QUARANTINE, lot, -qty, -value)


def scrap_material(uow: UnitOfWork, item: str, warehouse: str, lot: str, qty: Decimal,
                   loss_account: str, day: date, reference: str) -> Written:
    """Purchased material scrapped: through 1901 to ``loss_account``."""
    product = catalog.item(uow, item)
    balance = stock(uow, item, warehouse)
    balance.check_can_issue(qty, QUARANTINE, lot, allow_quarantine=True)
    value = balance.value_of(qty)
    voucher = Voucher().debit(PENDING_LOSSES, value).credit(product.inventory_account, value)
    moved = _issue(uow, item, warehouse, lot, qty, value, day)
    result = record_document(uow, DocumentKind.ADJUSTMENT, day, voucher, [moved],
                             f"不合格品报废 scrap {reference}", note=f"scrap {reference}",
                             already_moved=True)
    second = ""
    if value:
        entry = uow.post(day, f"报废损失 write-off {reference} {result.number}",
                         Voucher().debit(loss_account, value).credit(PENDING_LOSSES, value)
                         .lines(), SourceRef("scrap_write_off", reference))
        second = str(entry.id)
    return Written(result, value, second)


def scrap_goods(uow: UnitOfWork, item: str, warehouse: str, lot: str, qty: Decimal,
                day: date, reference: str) -> Written:
    """Made goods scrapped out of quarantine, by the abnormal-scrap rule."""
    product = catalog.item(uow, item)
    balance = stock(uow, item, warehouse)
    balance.check_can_issue(qty, QUARANTINE, lot, allow_quarantine=True)
    abnormal = production_settings(uow).abnormal_scrap_to_5711
    worth = balance.value_of(qty)
    value = worth if abnormal or qty == balance.qty else ZERO
    voucher = Voucher()
    if value:
        voucher.debit(ABNORMAL_LOSS if abnormal else COST_OF_SALES, value)
        voucher.credit(product.inventory_account, value)
    moved = _issue(uow, item, warehouse, lot, qty, value, day)
    result = record_document(uow, DocumentKind.ADJUSTMENT, day, voucher, [moved],
                             f"不合格品报废 scrap {reference}", note=f"scrap {reference}",
                             already_moved=True)
    return Written(result, worth)


def rework_cost(uow: UnitOfWork, work_center: str, labor_hours: Decimal,
                machine_hours: Decimal) -> tuple[Decimal, Decimal]:
    """(labour, overhead) of rework hours at a work center's rates (overhead on
    machine hours, else labour hours), as an operation report costs them."""
    center: WorkCenter = uow.peek(work_center_id(work_center), NotFound(
        f"work center {work_center} does not exist", "WorkCenter", work_center))
    labor = round_amount(labor_hours * center.spec.labor_rate)
    overhead = round_amount((machine_hours or labor_hours) * center.spec.overhead_rate)
    return labor, overhead


def rework_goods(uow: UnitOfWork, item: str, warehouse: str, labor: Decimal,
                 overhead: Decimal, day: date, reference: str) -> tuple[str, str]:
    """Rework on made goods in quarantine: its cost joins their value;
    (entry id, voucher no)."""
    product = catalog.item(uow, item)
    cost = labor + overhead
    if not cost:
        uow.business_date(day)
        return "", ""
    wip = production_settings(uow).wip_account
    voucher = Voucher().debit(wip, cost).credit(WAGES_PAYABLE, labor)
    voucher.credit(OVERHEAD_APPLIED, overhead)
    voucher.debit(product.inventory_account, cost).credit(wip, cost)
    entry = uow.post(day, f"返工 rework {reference}", voucher.lines(),
                     SourceRef("rework", reference))
    stock(uow, item, warehouse).revalue(cost, day, Movement("rework", reference, 0,
                                                            str(entry.id)))
    return str(entry.id), voucher_number(entry.voucher_seq)
