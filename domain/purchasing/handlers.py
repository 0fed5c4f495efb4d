"""Purchasing's command handlers: purchase orders, 采购入库 and 采购退货.
Each is ``handle(uow, ...) -> result`` (see ``domain/unit_of_work.py``);
``HANDLERS`` goes into the command table. Receipts and returns are stock
documents recorded with their voucher (``domain/inventory/recording.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from domain.catalog import lookups
from domain.inventory import posting
from domain.inventory.documents import DocumentKind, DocumentLine
from domain.inventory.recording import (
    DocumentResult,
    check_lines,
    movement,
    record_document,
    stock,
)
from domain.inventory.valuation import receipt_value, return_out
from domain.money import parse_price, parse_quantity
from domain.orders import (
    MoveLineInput,
    OrderLineInput,
    OrderResult,
    check_reason,
    short_close_lines,
)
from domain.purchasing.orders import PurchaseOrder, new_purchase_order, purchase_order
from domain.quality import intake
from domain.unit_of_work import UnitOfWork


# -- the order ------------------------------------------------------------------------
def create_purchase_order(uow: UnitOfWork, supplier: str, order_date: date,
                          lines: Sequence[OrderLineInput],
                          over_receipt_tolerance: Any = None) -> OrderResult:
    order = new_purchase_order(uow, supplier, order_date, lines, over_receipt_tolerance)
    return OrderResult(order.number)


def confirm_purchase_order(uow: UnitOfWork, number: str) -> OrderResult:
    order = purchase_order(uow, number)
    order.confirm()
    return OrderResult(order.number)


def cancel_purchase_order(uow: UnitOfWork, number: str) -> OrderResult:
    order = purchase_order(uow, number)
    order.cancel()
    return OrderResult(order.number)


def short_close_purchase_order(uow: UnitOfWork, number: str, reason: str,
                               closing_date: date | None = None) -> OrderResult:
    """短交关闭: close a confirmed order received in part; the rest is no longer
    expected (MRP stops counting on it as supply)."""
    order = purchase_order(uow, number)
    why = check_reason(reason)
    short_close_lines(order.number, order.status, list(order.lines.values()))  # refused first
    day = uow.business_date(closing_date or uow.today(), "closingDate")
    order.short_close(why, day)
    return OrderResult(order.number)


def amend_purchase_order_line(uow: UnitOfWork, number: str, line_no: int, qty: Any = None,
                              unit_price: Any = None,
                              due_date: date | None = None) -> OrderResult:
    order = purchase_order(uow, number)
    order.amend_line(
        line_no,
        parse_quantity(qty, "qty") if qty is not None else None,
        parse_price(unit_price, "unitPrice") if unit_price is not None else None,
        due_date,
    )
    return OrderResult(order.number)


# -- receipts and returns ---------------------------------------------------------------
def receive_purchase_order(uow: UnitOfWork, number: str, posting_date: date,
                           lines: Sequence[MoveLineInput]) -> DocumentResult:
    """采购入库: Dr inventory / Cr 220202 at the order price. An item with an
    incoming inspection plan goes to quarantine with an inspection lot."""
    po = purchase_order(uow, number)
    check_lines(lines)
    voucher = posting.Voucher()
    moves = []
    for i, ln in enumerate(lines):
        path = f"lines.{i}"
        qty = parse_quantity(ln.qty, f"{path}.qty")
        line = po.check_receivable(ln.line_no, qty, f"{path}.lineNo")
        item, wh, loc, lot = lookups.placed(
            uow, line.item, ln.warehouse or line.warehouse, ln.location, ln.lot, path
        )
        value = receipt_value(qty, line.unit_price)
        loc = intake.incoming(uow, item.code, wh.code, loc, lot, qty, value, po.supplier,
                              po.number, ln.line_no, i + 1, posting_date)  # IQC: quarantine
        posting.receipt(voucher, item.inventory_account, value)
        po.receive(ln.line_no, qty, value, posting_date, wh.code)
        moves.append(
            DocumentLine(i + 1, item.code, wh.code, loc, lot, qty, value, order_line=ln.line_no)
        )
    return record_document(uow, DocumentKind.RECEIPT, posting_date, voucher, moves,
                           f"采购入库 {po.number}", party=po.supplier, order=po.number)


def return_to_supplier(uow: UnitOfWork, number: str, posting_date: date,
                       lines: Sequence[MoveLineInput]) -> DocumentResult:
    """采购退货 at the price received; the average of what remains adjusts."""
    po = purchase_order(uow, number)
    check_lines(lines)
    voucher = posting.Voucher()
    moves = [_return_line(uow, po, voucher, i, ln, posting_date) for i, ln in enumerate(lines)]
    return record_document(uow, DocumentKind.SUPPLIER_RETURN, posting_date, voucher, moves,
                           f"采购退货 {po.number}", party=po.supplier, order=po.number,
                           already_moved=True)


def _return_line(uow: UnitOfWork, po: PurchaseOrder, voucher: posting.Voucher, i: int,
                 ln: MoveLineInput, posting_date: date) -> DocumentLine:
    """One line back to the supplier, issued now so a second line on the same
    stock sees it; its value out of stock at the average, the difference to
    the price received is the residue."""
    path = f"lines.{i}"
    qty = parse_quantity(ln.qty, f"{path}.qty")
    line = po.check_returnable(ln.line_no, qty)
    item, wh, loc, lot = lookups.placed(
        uow, line.item, ln.warehouse or line.warehouse, ln.location, ln.lot, path
    )
    balance = stock(uow, item.code, wh.code)
    balance.check_can_issue(qty, loc, lot, allow_quarantine=True)
    price_value = line.returnable_value(qty)
    stock_value, residue = return_out(balance.qty, balance.value, qty, price_value)
    posting.supplier_return(voucher, item.inventory_account, stock_value, price_value)
    po.return_goods(ln.line_no, qty, price_value, posting_date, wh.code)
    moved = DocumentLine(i + 1, item.code, wh.code, loc, lot, -qty, -stock_value,
                         order_line=ln.line_no, note=f"residue {residue}" if residue else "")
    balance.issue(qty, stock_value, loc, lot, posting_date,
                  movement(uow, DocumentKind.SUPPLIER_RETURN, i + 1), allow_quarantine=True)
    return moved


HANDLERS = (
    create_purchase_order, confirm_purchase_order, cancel_purchase_order,
    amend_purchase_order_line, receive_purchase_order, return_to_supplier,
    short_close_purchase_order,
)
