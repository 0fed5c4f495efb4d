"""Purchase orders (采购订单)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.orders import (
    OrderLine,
    OrderLineInput,
    OrderStatus,
    ShortClosedLine,
    check_transition,
    order_lines,
    short_close_lines,
)
from domain.parties import PartyRole, party
from domain.unit_of_work import UnitOfWork


def purchase_order_id(number: str) -> uuid.UUID:
    return derived_id("purchase-order", number)


class PurchaseOrder(Aggregate):
    @event("Created")
    def __init__(self, number: str, supplier: str, order_date: date,
                 lines: tuple[OrderLine, ...], over_receipt_tolerance: Decimal):
        self.number = number
        self.supplier = supplier
        self.order_date = order_date
        self.lines = {ln.line_no: ln for ln in lines}
        self.over_receipt_tolerance = over_receipt_tolerance
        self.status = OrderStatus.DRAFT

    @classmethod
    def create_id(cls, number: str, **_: object) -> uuid.UUID:
        return purchase_order_id(number)

    def line(self, line_no: int, field: str = "lineNo") -> OrderLine:
        try:
            return self.lines[line_no]
        except KeyError:
            raise NotFound(f"order {self.number} has no line {line_no}", "OrderLine",
                           f"{self.number}/{line_no}") from None

    def _move_to(self, status: OrderStatus) -> None:
        check_transition(self.number, self.status, status)
        self._status_set(status)

    @event("StatusSet")
    def _status_set(self, status: OrderStatus) -> None:
        self.status = status

    def short_close(self, reason: str, day: date) -> tuple[ShortClosedLine, ...]:
        """短交关闭: close the order with less than ordered delivered; the open rest
        of each line is given up (its quantity comes down to what was delivered),
        so nothing plans, ships or receives it any more."""
        closed = short_close_lines(self.number, self.status, list(self.lines.values()))
        check_transition(self.number, self.status, OrderStatus.CLOSED)
        self._short_closed(self.number, reason, day, closed)
        return closed

    @event("ShortClosed")
    def _short_closed(self, number: str, reason: str, day: date,
                      lines: tuple[ShortClosedLine, ...]) -> None:
        for given_up in lines:
            line = self.lines[given_up.line_no]
            self.lines[given_up.line_no] = replace(line, qty=line.qty - given_up.qty)
        self.status = OrderStatus.CLOSED

    def confirm(self) -> None:
        self._move_to(OrderStatus.CONFIRMED)

    def cancel(self) -> None:
        if any(ln.delivered for ln in self.lines.values()):
            raise BusinessRuleViolation(
                "ORDER_PARTLY_DELIVERED",
                f"order {self.number} has receipts; amend its open quantities instead")
        self._move_to(OrderStatus.CANCELLED)

    def amend_line(self, line_no: int, qty: Decimal | None, unit_price: Decimal | None,
                   due_date: date | None) -> OrderLine:
        """Amend what is not yet received (quantity, price of the open part, due date)."""
        if self.status in (OrderStatus.CANCELLED, OrderStatus.CLOSED):
            raise BusinessRuleViolation("ORDER_NOT_OPEN",
                                        f"order {self.number} is {self.status.value}")
        line = self.line(line_no)
        if qty is not None and qty < line.net_delivered:
            raise BusinessRuleViolation(
                "BELOW_DELIVERED",
                f"line {line_no}: {line.net_delivered.normalize():f} already received; "
                f"the quantity cannot go below it")
        if unit_price is not None and line.delivered and unit_price != line.unit_price:
            raise BusinessRuleViolation(
                "PRICE_AFTER_RECEIPT",
                f"line {line_no} has receipts at {line.unit_price}; order the rest on a new line")
        self._line_amended(self.number, line_no, line.qty if qty is None else qty,
                           line.unit_price if unit_price is None else unit_price,
                           due_date or line.due_date)
        return self.lines[line_no]

    # The line facts below carry the order number and the line's item, so a
    # reader needs no lookup; each mutator applies the fact to the line.
    @event("OrderLineAmended")
    def _line_amended(self, number: str, line_no: int, qty: Decimal, unit_price: Decimal,
                      due_date: date) -> None:
        self.lines[line_no] = replace(self.lines[line_no], qty=qty, unit_price=unit_price,
                                      due_date=due_date)

    @event("GoodsReceived")
    def _goods_received(self, number: str, line_no: int, item: str, warehouse: str,
                        qty: Decimal, value: Decimal, day: date) -> None:
        self.lines[line_no] = self.lines[line_no].with_delivery(qty, value, day)

    @event("GoodsReturnedToSupplier")
    def _goods_returned(self, number: str, line_no: int, item: str, warehouse: str,
                        qty: Decimal, value: Decimal, day: date) -> None:
        self.lines[line_no] = self.lines[line_no].with_return(qty, value)

    def check_receivable(self, line_no: int, qty: Decimal, field: str) -> OrderLine:
        if self.status is not OrderStatus.CONFIRMED:
            raise BusinessRuleViolation(
                "ORDER_NOT_OPEN",
                f"order {self.number} is {self.status.value}; only a confirmed order "
                "can be received")
        line = self.line(line_no, field)
        limit = line.qty * (1 + self.over_receipt_tolerance) - line.net_delivered
        if qty > limit:
            raise BusinessRuleViolation(
                "OVER_RECEIPT",
                f"line {line_no} of {self.number}: {qty.normalize():f} exceeds the "
                f"{max(limit, Decimal(0)).normalize():f} still receivable")
        return line

    def receive(self, line_no: int, qty: Decimal, value: Decimal, day: date,
                warehouse: str) -> None:
        """``value`` at the order price, into ``warehouse`` (the line's, or another)."""
        line = self.check_receivable(line_no, qty, "lines")
        self._goods_received(self.number, line_no, line.item, warehouse, qty, value, day)
        if all(ln.open_qty == 0 for ln in self.lines.values()):
            self._move_to(OrderStatus.CLOSED)

    def check_returnable(self, line_no: int, qty: Decimal) -> OrderLine:
        line = self.line(line_no)
        if qty > line.net_delivered:
            raise BusinessRuleViolation(
                "RETURN_EXCEEDS_RECEIPTS",
                f"line {line_no} of {self.number}: only {line.net_delivered.normalize():f} "
                "received and not yet returned")
        return line

    def return_goods(self, line_no: int, qty: Decimal, value: Decimal, day: date,
                     warehouse: str) -> None:
        """``value`` at the price received (pro rata), out of ``warehouse``."""
        line = self.check_returnable(line_no, qty)
        self._goods_returned(self.number, line_no, line.item, warehouse, qty, value, day)
        if self.status is OrderStatus.CLOSED:
            self._move_to(OrderStatus.CONFIRMED)


def check_tolerance(value: object) -> Decimal:
    from domain.money import to_decimal

    tol = to_decimal(value if value is not None else "0", "overReceiptTolerance")
    if not Decimal("0") <= tol <= Decimal("1"):
        raise ValidationError("over-receipt tolerance must be between 0 and 1 (100%)",
                              "overReceiptTolerance")
    return tol


def purchase_order(uow: UnitOfWork, number: str) -> PurchaseOrder:
    """The purchase order to change, by its number."""
    number = (number or "").strip().upper()
    return uow.get(
        purchase_order_id(number),
        NotFound(f"purchase order {number} does not exist", "PurchaseOrder", number),
    )


def new_purchase_order(
    uow: UnitOfWork,
    supplier: str,
    order_date: date,
    lines: Sequence[OrderLineInput],
    over_receipt_tolerance: Any = None,
) -> PurchaseOrder:
    """A numbered draft purchase order, added to the command's save (also used
    when firming planned purchases)."""
    vendor = party(uow, supplier, PartyRole.SUPPLIER, "supplier")
    checked = order_lines(uow, lines, order_date)
    tolerance = check_tolerance(over_receipt_tolerance)
    return uow.add(PurchaseOrder(
        number=uow.number("PO"),
        supplier=vendor.code,
        order_date=order_date,
        lines=checked,
        over_receipt_tolerance=tolerance,
    ))
