"""Sales orders (销售订单) with reservations of available stock."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from decimal import Decimal
from enum import Enum

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.errors import BusinessRuleViolation, NotFound
from domain.orders import (
    OrderLine,
    OrderStatus,
    ShortClosedLine,
    check_transition,
    short_close_lines,
)
from domain.unit_of_work import UnitOfWork


class ReturnPurpose(Enum):
    """What a customer return is for."""

    REPLACEMENT = "replacement"  # 退货换货: the goods are shipped again
    CREDIT = "credit"  # 退货退款: the customer is credited (a red invoice), nothing reships


RETURN_NOTE = {ReturnPurpose.REPLACEMENT: "退货换货 for replacement",
               ReturnPurpose.CREDIT: "退货退款 for credit"}


def sales_order_id(number: str) -> uuid.UUID:
    return derived_id("sales-order", number)


def reservation_key(number: str, line_no: int) -> str:
    return f"{number}/{line_no}"


class SalesOrder(Aggregate):
    @event("Created")
    def __init__(self, number: str, customer: str, order_date: date,
                 lines: tuple[OrderLine, ...]):
        self.number = number
        self.customer = customer
        self.order_date = order_date
        self.lines = {ln.line_no: ln for ln in lines}
        self.status = OrderStatus.DRAFT

    @classmethod
    def create_id(cls, number: str, **_: object) -> uuid.UUID:
        return sales_order_id(number)

    def line(self, line_no: int) -> OrderLine:
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
                f"order {self.number} has shipments; amend its open quantities instead")
        self._move_to(OrderStatus.CANCELLED)

    def reserve(self, line_no: int, qty: Decimal) -> None:
        """``qty`` more of the line's item was reserved in its warehouse."""
        if qty:
            line = self.line(line_no)
            self._stock_reserved(self.number, line_no, line.item, line.warehouse, qty)

    def release(self, line_no: int, qty: Decimal) -> None:
        """``qty`` of the line's reservation was given back to its warehouse."""
        if qty:
            line = self.line(line_no)
            self._reservation_released(self.number, line_no, line.item, line.warehouse, qty)

    # The line facts below carry the order number and the line's item, so a
    # reader needs no lookup; each mutator applies the fact to the line.
    @event("StockReserved")
    def _stock_reserved(self, number: str, line_no: int, item: str, warehouse: str,
                        qty: Decimal) -> None:
        line = self.lines[line_no]
        self.lines[line_no] = replace(line, reserved=line.reserved + qty)

    @event("ReservationReleased")
    def _reservation_released(self, number: str, line_no: int, item: str, warehouse: str,
                              qty: Decimal) -> None:
        line = self.lines[line_no]
        self.lines[line_no] = replace(line, reserved=line.reserved - qty)

    @event("OrderLineAmended")
    def _line_amended(self, number: str, line_no: int, qty: Decimal, unit_price: Decimal,
                      due_date: date) -> None:
        self.lines[line_no] = replace(self.lines[line_no], qty=qty, unit_price=unit_price,
                                      due_date=due_date)

    @event("GoodsShipped")
    def _goods_shipped(self, number: str, line_no: int, item: str, warehouse: str,
                       qty: Decimal, cost: Decimal, day: date,
                       reservation_used: Decimal) -> None:
        line = self.lines[line_no].with_delivery(qty, cost, day)
        self.lines[line_no] = replace(line, reserved=line.reserved - reservation_used)

    @event("GoodsReturnedByCustomer")
    def _goods_returned(self, number: str, line_no: int, item: str, warehouse: str,
                        qty: Decimal, cost: Decimal, day: date) -> None:
        self.lines[line_no] = self.lines[line_no].with_return(qty, cost)

    def amend_line(self, line_no: int, qty: Decimal | None, unit_price: Decimal | None,
                   due_date: date | None) -> OrderLine:
        if self.status in (OrderStatus.CANCELLED, OrderStatus.CLOSED):
            raise BusinessRuleViolation("ORDER_NOT_OPEN",
                                        f"order {self.number} is {self.status.value}")
        line = self.line(line_no)
        if qty is not None and qty < line.net_delivered:
            raise BusinessRuleViolation(
                "BELOW_DELIVERED",
                f"line {line_no}: {line.net_delivered.normalize():f} already shipped; "
                "the quantity cannot go below it")
        self._line_amended(self.number, line_no, line.qty if qty is None else qty,
                           line.unit_price if unit_price is None else unit_price,
                           due_date or line.due_date)
        return self.lines[line_no]

    def check_shippable(self, line_no: int, qty: Decimal) -> OrderLine:
        if self.status is not OrderStatus.CONFIRMED:
            raise BusinessRuleViolation(
                "ORDER_NOT_OPEN",
                f"order {self.number} is {self.status.value}; only a confirmed order ships")
        line = self.line(line_no)
        if qty > line.open_qty:
            raise BusinessRuleViolation(
                "OVER_SHIPMENT",
                f"line {line_no} of {self.number}: {qty.normalize():f} exceeds the "
                f"{line.open_qty.normalize():f} still to ship")
        return line

    def ship(self, line_no: int, qty: Decimal, cost: Decimal, day: date,
             reserved_used: Decimal, warehouse: str) -> None:
        """``cost`` of sales at moving average, out of ``warehouse``; the line's
        reservation goes down by what the stock's reservation gave (never below 0)."""
        line = self.check_shippable(line_no, qty)
        self._goods_shipped(self.number, line_no, line.item, warehouse, qty, cost, day,
                            min(reserved_used, line.reserved))
        if all(ln.open_qty == 0 for ln in self.lines.values()):
            self._move_to(OrderStatus.CLOSED)

    def check_returnable(self, line_no: int, qty: Decimal) -> OrderLine:
        line = self.line(line_no)
        if qty > line.net_delivered:
            raise BusinessRuleViolation(
                "RETURN_EXCEEDS_SHIPMENTS",
                f"line {line_no} of {self.number}: only {line.net_delivered.normalize():f} "
                "shipped and not yet returned")
        return line

    def take_back(self, line_no: int, qty: Decimal, cost: Decimal, day: date,
                  warehouse: str, for_credit: bool = False) -> None:
        """Back at the ``cost`` it left with (pro rata), into ``warehouse``. For
        replacement the quantity is open to ship again (a closed order reopens);
        for credit the line's quantity comes down by it, nothing reopens."""
        line = self.check_returnable(line_no, qty)
        self._goods_returned(self.number, line_no, line.item, warehouse, qty, cost, day)
        if for_credit:
            line = self.lines[line_no]
            self._line_amended(self.number, line_no, line.qty - qty, line.unit_price,
                               line.due_date)
        if self.status is OrderStatus.CLOSED and any(
                ln.open_qty for ln in self.lines.values()):
            self._move_to(OrderStatus.CONFIRMED)


def sales_order(uow: UnitOfWork, number: str) -> SalesOrder:
    """The sales order to change, by its number."""
    number = (number or "").strip().upper()
    return uow.get(
        sales_order_id(number),
        NotFound(f"sales order {number} does not exist", "SalesOrder", number),
    )
