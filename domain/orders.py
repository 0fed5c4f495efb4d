"""What purchase and sales orders share: order lines, statuses, transitions,
the lines a client sends (an order's, a delivery's against it) and the
result of an order command."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from domain.catalog import lookups
from domain.catalog.items import check_vat_rate
from domain.errors import BusinessRuleViolation, ValidationError
from domain.money import parse_price, parse_quantity
from domain.transcodings import transcoded
from domain.unit_of_work import UnitOfWork

ZERO_QTY = Decimal("0.000000")
ZERO = Decimal("0.00")


@transcoded("OrderStatus")
class OrderStatus(Enum):
    DRAFT = "draft"
    CONFIRMED = "confirmed"
    CLOSED = "closed"  # everything delivered, or short-closed (the rest given up)
    CANCELLED = "cancelled"


# The workflow, checked in one place (Tryton style).
TRANSITIONS = {
    (OrderStatus.DRAFT, OrderStatus.CONFIRMED),
    (OrderStatus.DRAFT, OrderStatus.CANCELLED),
    (OrderStatus.CONFIRMED, OrderStatus.CANCELLED),
    (OrderStatus.CONFIRMED, OrderStatus.CLOSED),
    (OrderStatus.CLOSED, OrderStatus.CONFIRMED),  # a return reopens delivery
}


def check_transition(number: str, current: OrderStatus, target: OrderStatus) -> None:
    if (current, target) not in TRANSITIONS:
        raise BusinessRuleViolation(
            "INVALID_STATUS",
            f"order {number} is {current.value}; it cannot become {target.value}",
        )


@transcoded("OrderLine")
@dataclass(frozen=True)
class OrderLine:
    line_no: int
    item: str
    qty: Decimal
    unit_price: Decimal  # ex VAT
    vat_rate: Decimal
    due_date: date
    warehouse: str = ""
    delivered: Decimal = ZERO_QTY  # received (PO) or shipped (SO)
    returned: Decimal = ZERO_QTY
    delivered_value: Decimal = ZERO  # value at delivery: PO price, or SO cost of sales
    returned_value: Decimal = ZERO
    last_delivery: date | None = None
    reserved: Decimal = ZERO_QTY

    @property
    def net_delivered(self) -> Decimal:
        return self.delivered - self.returned

    @property
    def open_qty(self) -> Decimal:
        return max(self.qty - self.net_delivered, ZERO_QTY)

    def returnable_value(self, qty: Decimal) -> Decimal:
        """Value of returning ``qty`` of what was delivered: pro rata, exact when all."""
        from domain.money import round_amount

        held_qty = self.net_delivered
        held_value = self.delivered_value - self.returned_value
        if qty == held_qty:
            return held_value
        return round_amount(held_value * qty / held_qty)

    def with_delivery(self, qty: Decimal, value: Decimal, day: date) -> OrderLine:
        return replace(self, delivered=self.delivered + qty,
                       delivered_value=self.delivered_value + value, last_delivery=day)

    def with_return(self, qty: Decimal, value: Decimal) -> OrderLine:
        return replace(self, returned=self.returned + qty,
                       returned_value=self.returned_value + value)


@transcoded("ShortClosedLine")
@dataclass(frozen=True)
class ShortClosedLine:
    """What a short-close (短交关闭) no longer expects of one line: its open quantity."""

    line_no: int
    item: str
    warehouse: str
    qty: Decimal


MAX_REASON = 200


def short_close_lines(number: str, status: OrderStatus,
                      lines: Sequence[OrderLine]) -> tuple[ShortClosedLine, ...]:
    """The open rest of each line of a confirmed order delivered in part: what a
    short-close gives up (an order with nothing delivered is cancelled instead)."""
    if status is not OrderStatus.CONFIRMED:
        raise BusinessRuleViolation(
            "ORDER_NOT_OPEN", f"order {number} is {status.value}; only a confirmed order "
            "with something still open is short-closed")
    if not any(ln.net_delivered > 0 for ln in lines):
        raise BusinessRuleViolation(
            "NOTHING_DELIVERED", f"nothing of order {number} was delivered; cancel it instead")
    return tuple(ShortClosedLine(ln.line_no, ln.item, ln.warehouse, ln.open_qty)
                 for ln in lines if ln.open_qty > 0)


def check_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("a short-close needs a reason", field)
    if len(reason) > MAX_REASON:
        raise ValidationError(f"{field} is longer than {MAX_REASON} characters", field)
    return reason


@dataclass(frozen=True)
class OrderLineInput:
    """An order line as a client sends it (amounts may still be text)."""

    item: str
    qty: Any
    unit_price: Any
    due_date: date
    vat_rate: Any = None  # default: the item's
    warehouse: str = ""  # default: the item's default warehouse


@dataclass(frozen=True)
class MoveLineInput:
    """A line of a receipt, return or shipment against an order line."""

    line_no: int
    qty: Any
    warehouse: str = ""
    location: str = ""
    lot: str = ""


@dataclass(frozen=True)
class OrderResult:
    number: str


def order_lines(uow: UnitOfWork, lines: Sequence[OrderLineInput],
                order_date: date) -> tuple[OrderLine, ...]:
    """Purchase and sales order lines, checked against the catalog."""
    if not lines:
        raise ValidationError("an order needs at least one line", "lines")
    if len(lines) > 500:
        raise ValidationError("an order may have at most 500 lines", "lines")
    result = []
    for i, ln in enumerate(lines):
        path = f"lines.{i}"
        item = lookups.item(uow, ln.item, f"{path}.item")
        qty = parse_quantity(ln.qty, f"{path}.qty")
        price = parse_price(ln.unit_price, f"{path}.unitPrice")
        vat = (
            check_vat_rate(ln.vat_rate, f"{path}.vatRate")
            if ln.vat_rate is not None
            else item.spec.vat_rate
        )
        if not isinstance(ln.due_date, date):
            raise ValidationError(f"{path}.dueDate: a date is required", f"{path}.dueDate")
        if ln.due_date < order_date:
            raise ValidationError(f"{path}.dueDate is before the order date", f"{path}.dueDate")
        wh_code = (ln.warehouse or item.spec.default_warehouse or "").strip().upper()
        if wh_code:
            lookups.warehouse(uow, wh_code, f"{path}.warehouse")
        result.append(OrderLine(i + 1, item.code, qty, price, vat, ln.due_date, wh_code))
    return tuple(result)
