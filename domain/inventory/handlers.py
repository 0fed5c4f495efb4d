"""Inventory's command handlers: 调拨 (transfers), 盘点 (counts) and stock
adjustments. Each is ``handle(uow, ...) -> result`` (see
``domain/unit_of_work.py``); ``HANDLERS`` goes into the command table.

Each document moves stock line by line as it decides (so a second line on the
same stock sees the first): its number and voucher id are taken at the first
movement (``recording.movement``), and the voucher posts under that id in the
same save (``recording.record_document``). When the voucher comes out empty
(a transfer inside one warehouse, a count without difference) the
application decides again with movements naming no entry
(``PostingGuessedWrong``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain.catalog import lookups
from domain.catalog.items import Item
from domain.catalog.warehouses import Warehouse
from domain.errors import ValidationError
from domain.inventory import posting
from domain.inventory.documents import DocumentKind, DocumentLine
from domain.inventory.recording import (
    DocumentResult,
    check_lines,
    movement,
    record_document,
    stock,
)
from domain.inventory.stock import StockBalance
from domain.ledger.gate import chart
from domain.money import parse_price, parse_quantity, round_amount, to_decimal
from domain.unit_of_work import UnitOfWork

ZERO = Decimal("0.00")


# -- inputs (what a client sends; amounts may still be text) ---------------------------
@dataclass(frozen=True)
class TransferLineInput:
    item: str
    qty: Any
    from_warehouse: str
    to_warehouse: str
    from_location: str = ""
    to_location: str = ""
    lot: str = ""


@dataclass(frozen=True)
class CountLineInput:
    item: str
    counted_qty: Any
    location: str = ""
    lot: str = ""
    unit_cost: Any = None  # for a gain where nothing is on hand; default standard cost


@dataclass(frozen=True)
class AdjustmentLineInput:
    item: str
    warehouse: str
    qty: Any  # + stock in, - stock out
    unit_cost: Any = None  # stock in: default standard cost
    location: str = ""
    lot: str = ""


# -- transfers --------------------------------------------------------------------------
def transfer_stock(uow: UnitOfWork, posting_date: date, lines: Sequence[TransferLineInput],
                   note: str = "") -> DocumentResult:
    """调拨 between warehouses or locations; value moves at average cost."""
    check_lines(lines)
    voucher = posting.Voucher()
    moves = [_transfer_line(uow, voucher, i, ln, posting_date) for i, ln in enumerate(lines)]
    return record_document(uow, DocumentKind.TRANSFER, posting_date, voucher, moves,
                           "库存调拨 transfer", note=note, already_moved=True)


def _transfer_line(uow: UnitOfWork, voucher: posting.Voucher, i: int, ln: TransferLineInput,
                   posting_date: date) -> DocumentLine:
    """Within one warehouse the quantity changes location and no value moves;
    between two, it leaves one balance at its average and enters the other."""
    path = f"lines.{i}"
    item = lookups.item(uow, ln.item, f"{path}.item")
    qty = parse_quantity(ln.qty, f"{path}.qty")
    src = lookups.warehouse(uow, ln.from_warehouse, f"{path}.fromWarehouse")
    dst = lookups.warehouse(uow, ln.to_warehouse, f"{path}.toWarehouse")
    src_loc = src.check_location(ln.from_location, f"{path}.fromLocation")
    dst_loc = dst.check_location(ln.to_location, f"{path}.toLocation")
    if (src.code, src_loc) == (dst.code, dst_loc):
        raise ValidationError(f"{path}: source and destination are the same", path)
    lot = lookups.lot(item, ln.lot, f"{path}.lot")
    balance = stock(uow, item.code, src.code)
    if src.code == dst.code:
        balance.move(qty, lot, src_loc, dst_loc, posting_date,
                     movement(uow, DocumentKind.TRANSFER, i + 1))
        value = ZERO
    else:
        balance.check_can_issue(qty, src_loc, lot, allow_quarantine=True)
        value = balance.value_of(qty)
        balance.issue(qty, value, src_loc, lot, posting_date,
                      movement(uow, DocumentKind.TRANSFER, i + 1), allow_quarantine=True)
        stock(uow, item.code, dst.code).receive(
            qty, value, dst_loc, lot, posting_date, movement(uow, DocumentKind.TRANSFER, i + 1)
        )
        posting.transfer(voucher, item.inventory_account, item.inventory_account, value)
    return DocumentLine(i + 1, item.code, src.code, src_loc, lot, qty, value,
                        to_warehouse=dst.code, to_location=dst_loc)


# -- counts -----------------------------------------------------------------------------
def count_stock(uow: UnitOfWork, posting_date: date, warehouse: str,
                lines: Sequence[CountLineInput], note: str = "") -> DocumentResult:
    """盘点: counted vs book; gains and losses post to 1901 待处理财产损溢."""
    check_lines(lines)
    wh = lookups.warehouse(uow, warehouse)
    voucher = posting.Voucher()
    moves = [_count_line(uow, wh, voucher, i, ln, posting_date) for i, ln in enumerate(lines)]
    return record_document(uow, DocumentKind.COUNT, posting_date, voucher, moves,
                           f"库存盘点 {wh.code}", note=note, already_moved=True,
                           offset_account=posting.PENDING_LOSSES)


def _count_line(uow: UnitOfWork, wh: Warehouse, voucher: posting.Voucher, i: int,
                ln: CountLineInput, posting_date: date) -> DocumentLine:
    """The difference between counted and book in one bin, received (a gain)
    or issued at the average (a loss); none moves nothing."""
    path = f"lines.{i}"
    item = lookups.item(uow, ln.item, f"{path}.item")
    counted = parse_quantity(ln.counted_qty, f"{path}.countedQty", allow_zero=True)
    loc = wh.check_location(ln.location, f"{path}.location")
    lot = lookups.lot(item, ln.lot, f"{path}.lot")
    balance = stock(uow, item.code, wh.code)
    book = balance.in_bin(loc, lot)
    diff = counted - book
    if diff == 0:
        return DocumentLine(i + 1, item.code, wh.code, loc, lot, diff, ZERO,
                            note=f"book {book}")
    if diff > 0:
        value = _gain_value(balance, item, diff, ln.unit_cost, f"{path}.unitCost")
        balance.receive(diff, value, loc, lot, posting_date,
                        movement(uow, DocumentKind.COUNT, i + 1))
    else:
        balance.check_can_issue(-diff, loc, lot, allow_quarantine=True)
        value = -balance.value_of(-diff)
        balance.issue(-diff, -value, loc, lot, posting_date,
                      movement(uow, DocumentKind.COUNT, i + 1), allow_quarantine=True)
    posting.count_difference(voucher, item.inventory_account, value)
    return DocumentLine(i + 1, item.code, wh.code, loc, lot, diff, value, note=f"book {book}")


def _gain_value(balance: StockBalance, item: Item, diff: Decimal, unit_cost: Any,
                field: str) -> Decimal:
    """A count gain's value: at the unit cost given, else at the balance's
    average, else (nothing on hand) at the item's standard cost."""
    if unit_cost is not None:
        return round_amount(diff * parse_price(unit_cost, field))
    if balance.qty > 0:
        return round_amount(balance.value * diff / balance.qty)
    return round_amount(diff * item.spec.standard_cost)


# -- adjustments ------------------------------------------------------------------------
def adjust_stock(uow: UnitOfWork, posting_date: date, lines: Sequence[AdjustmentLineInput],
                 offset_account: str = "1901", reason: str = "") -> DocumentResult:
    """Stock in or out against an offset account (opening stock, write-offs)."""
    check_lines(lines)
    if not (reason or "").strip():
        raise ValidationError("a stock adjustment needs a reason", "reason")
    chart(uow).check_postable(offset_account, "offsetAccount")
    voucher = posting.Voucher()
    moves = [_adjust_line(uow, voucher, i, ln, posting_date, offset_account)
             for i, ln in enumerate(lines)]
    return record_document(uow, DocumentKind.ADJUSTMENT, posting_date, voucher, moves,
                           f"库存调整 {reason.strip()}"[:200], note=reason.strip(),
                           already_moved=True, offset_account=offset_account)


def _adjust_line(uow: UnitOfWork, voucher: posting.Voucher, i: int, ln: AdjustmentLineInput,
                 posting_date: date, offset_account: str) -> DocumentLine:
    """Stock in at the unit cost given (default the standard cost), or out at
    the average."""
    path = f"lines.{i}"
    if not (ln.warehouse or "").strip():
        raise ValidationError(f"{path}.warehouse: a warehouse is required", f"{path}.warehouse")
    item, wh, loc, lot = lookups.placed(uow, ln.item, ln.warehouse, ln.location, ln.lot, path)
    signed = _signed_quantity(ln.qty, f"{path}.qty")
    balance = stock(uow, item.code, wh.code)
    if signed > 0:
        cost = (parse_price(ln.unit_cost, f"{path}.unitCost") if ln.unit_cost is not None
                else item.spec.standard_cost)
        value = round_amount(signed * cost)
        balance.receive(signed, value, loc, lot, posting_date,
                        movement(uow, DocumentKind.ADJUSTMENT, i + 1))
    else:
        balance.check_can_issue(-signed, loc, lot, allow_quarantine=True)
        value = -balance.value_of(-signed)
        balance.issue(-signed, -value, loc, lot, posting_date,
                      movement(uow, DocumentKind.ADJUSTMENT, i + 1), allow_quarantine=True)
    posting.adjustment(voucher, item.inventory_account, value, offset_account)
    return DocumentLine(i + 1, item.code, wh.code, loc, lot, signed, value)


def _signed_quantity(value: Any, field: str) -> Decimal:
    qty = to_decimal(value, field)
    if qty == 0:
        raise ValidationError(f"{field}: quantity must not be zero", field)
    sign = 1 if qty > 0 else -1
    return sign * parse_quantity(abs(qty), field)


HANDLERS = (transfer_stock, count_stock, adjust_stock)
