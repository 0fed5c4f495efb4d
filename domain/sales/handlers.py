"""Sales' command handlers: sales orders and their reservations, 销售出库 and
销售退货. Each is ``handle(uow, ...) -> result`` (see
``domain/unit_of_work.py``); ``HANDLERS`` goes into the command table.
Shipments and returns are stock documents recorded with their voucher
(``domain/inventory/recording.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from domain.catalog import lookups
from domain.errors import BusinessRuleViolation, ValidationError
from domain.inventory import posting
from domain.inventory.documents import DocumentKind, DocumentLine
from domain.inventory.recording import (
    DocumentResult,
    check_lines,
    movement,
    record_document,
    stock,
)
from domain.money import parse_price, parse_quantity
from domain.orders import (
    ZERO_QTY,
    MoveLineInput,
    OrderLineInput,
    OrderResult,
    check_reason,
    order_lines,
    short_close_lines,
)
from domain.parties import PartyRole, party
from domain.sales.orders import (
    RETURN_NOTE,
    ReturnPurpose,
    SalesOrder,
    reservation_key,
    sales_order,
)
from domain.unit_of_work import UnitOfWork


# -- the order ------------------------------------------------------------------------
def create_sales_order(uow: UnitOfWork, customer: str, order_date: date,
                       lines: Sequence[OrderLineInput]) -> OrderResult:
    buyer = party(uow, customer, PartyRole.CUSTOMER, "customer")
    checked = order_lines(uow, lines, order_date)
    for i, ln in enumerate(checked):
        if not ln.warehouse:
            raise ValidationError(
                f"lines.{i}.warehouse: item {ln.item} has no default warehouse; name one",
                f"lines.{i}.warehouse",
            )
    number = uow.number("SO")
    uow.add(SalesOrder(number=number, customer=buyer.code, order_date=order_date,
                       lines=checked))
    return OrderResult(number)


def confirm_sales_order(uow: UnitOfWork, number: str) -> OrderResult:
    """Confirm and reserve what is available of each line (预留库存)."""
    so = sales_order(uow, number)
    so.confirm()
    _reserve(uow, so)
    return OrderResult(so.number)


def reserve_sales_order(uow: UnitOfWork, number: str) -> OrderResult:
    """Top up reservations of a confirmed order from newly available stock."""
    so = sales_order(uow, number)
    if so.status.value != "confirmed":
        raise BusinessRuleViolation("ORDER_NOT_OPEN", f"order {so.number} is {so.status.value}")
    _reserve(uow, so)
    return OrderResult(so.number)


def _reserve(uow: UnitOfWork, so: SalesOrder) -> None:
    for line in list(so.lines.values()):
        wanted = line.open_qty - line.reserved
        if wanted > 0:
            got = stock(uow, line.item, line.warehouse).reserve(
                reservation_key(so.number, line.line_no), wanted)
            so.reserve(line.line_no, got)


def cancel_sales_order(uow: UnitOfWork, number: str) -> OrderResult:
    so = sales_order(uow, number)
    so.cancel()
    for line in list(so.lines.values()):
        if line.reserved:
            stock(uow, line.item, line.warehouse).release(
                reservation_key(so.number, line.line_no))
            so.release(line.line_no, line.reserved)
    return OrderResult(so.number)


def short_close_sales_order(uow: UnitOfWork, number: str, reason: str,
                            closing_date: date | None = None) -> OrderResult:
    """短交关闭: close a confirmed order shipped in part; the rest is no longer
    expected (MRP stops planning it) and its reservations go back to stock."""
    so = sales_order(uow, number)
    why = check_reason(reason)
    short_close_lines(so.number, so.status, list(so.lines.values()))  # refused first
    day = uow.business_date(closing_date or uow.today(), "closingDate")
    so.short_close(why, day)
    for line in list(so.lines.values()):
        if line.reserved:
            stock(uow, line.item, line.warehouse).release(
                reservation_key(so.number, line.line_no))
            so.release(line.line_no, line.reserved)
    return OrderResult(so.number)


def amend_sales_order_line(uow: UnitOfWork, number: str, line_no: int, qty: Any = None,
                           unit_price: Any = None,
                           due_date: date | None = None) -> OrderResult:
    so = sales_order(uow, number)
    line = so.amend_line(
        line_no,
        parse_quantity(qty, "qty") if qty is not None else None,
        parse_price(unit_price, "unitPrice") if unit_price is not None else None,
        due_date,
    )
    excess = line.reserved - line.open_qty
    if excess > 0:  # reduced below what is reserved: give the excess back
        balance = stock(uow, line.item, line.warehouse)
        key = reservation_key(so.number, line_no)
        balance.release(key)
        balance.reserve(key, line.open_qty)
        so.release(line_no, excess)
    return OrderResult(so.number)


# -- shipments and returns --------------------------------------------------------------
def ship_sales_order(uow: UnitOfWork, number: str, posting_date: date,
                     lines: Sequence[MoveLineInput]) -> DocumentResult:
    """销售出库 at moving average: Dr 5401 / Cr inventory."""
    so = sales_order(uow, number)
    check_lines(lines)
    voucher = posting.Voucher()
    moves = [_ship_line(uow, so, voucher, i, ln, posting_date) for i, ln in enumerate(lines)]
    return record_document(uow, DocumentKind.SHIPMENT, posting_date, voucher, moves,
                           f"销售出库 {so.number}", party=so.customer, order=so.number,
                           already_moved=True)


def _ship_line(uow: UnitOfWork, so: SalesOrder, voucher: posting.Voucher, i: int,
               ln: MoveLineInput, posting_date: date) -> DocumentLine:
    """One line shipped at the stock's average, from the line's reservation
    first; issued now, so a second line on the same stock sees this one."""
    path = f"lines.{i}"
    qty = parse_quantity(ln.qty, f"{path}.qty")
    line = so.check_shippable(ln.line_no, qty)
    item, wh, loc, lot = lookups.placed(
        uow, line.item, ln.warehouse or line.warehouse, ln.location, ln.lot, path
    )
    balance = stock(uow, item.code, wh.code)
    key = reservation_key(so.number, ln.line_no)
    balance.check_can_issue(qty, loc, lot, reservation=key)
    value = balance.value_of(qty)
    posting.shipment(voucher, item.inventory_account, value)
    so.ship(ln.line_no, qty, value, posting_date,
            min(balance.reservations.get(key, ZERO_QTY), qty), wh.code)
    moved = DocumentLine(i + 1, item.code, wh.code, loc, lot, -qty, -value,
                         order_line=ln.line_no)
    balance.issue(qty, value, loc, lot, posting_date,
                  movement(uow, DocumentKind.SHIPMENT, i + 1), reservation=key)
    return moved


def return_from_customer(uow: UnitOfWork, number: str, posting_date: date,
                         lines: Sequence[MoveLineInput],
                         purpose: ReturnPurpose = ReturnPurpose.REPLACEMENT) -> DocumentResult:
    """销售退货 back into stock at the cost it left with: Dr inventory / Cr 5401.
    For replacement (退货换货) the returned quantity is open to ship again; for
    credit (退货退款) the line's quantity comes down by it, so nothing reopens
    and MRP plans nothing to remake (the red invoice credits it)."""
    if not isinstance(purpose, ReturnPurpose):
        raise ValidationError("purpose: replacement or credit", "purpose")
    so = sales_order(uow, number)
    check_lines(lines)
    voucher = posting.Voucher()
    moves = []
    for i, ln in enumerate(lines):
        path = f"lines.{i}"
        qty = parse_quantity(ln.qty, f"{path}.qty")
        line = so.check_returnable(ln.line_no, qty)
        item, wh, loc, lot = lookups.placed(
            uow, line.item, ln.warehouse or line.warehouse, ln.location, ln.lot, path
        )
        value = line.returnable_value(qty)
        posting.customer_return(voucher, item.inventory_account, value)
        so.take_back(ln.line_no, qty, value, posting_date, wh.code,
                     for_credit=purpose is ReturnPurpose.CREDIT)
        moves.append(
            DocumentLine(i + 1, item.code, wh.code, loc, lot, qty, value, order_line=ln.line_no)
        )
    return record_document(uow, DocumentKind.CUSTOMER_RETURN, posting_date, voucher, moves,
                           f"销售退货 {so.number}", party=so.customer, order=so.number,
                           note=RETURN_NOTE[purpose])


HANDLERS = (
    create_sales_order, confirm_sales_order, reserve_sales_order, cancel_sales_order,
    amend_sales_order_line, ship_sales_order, return_from_customer, short_close_sales_order,
)
