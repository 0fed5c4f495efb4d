"""What purchase and sales orders share: order lines, statuses, transitions."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import Enum

from domain.errors import BusinessRuleViolation
from domain.transcodings import transcoded

ZERO_QTY = Decimal("0.000000")
ZERO = Decimal("0.00")


@transcoded("OrderStatus")
class OrderStatus(Enum):
    DRAFT = "draft"
    CONFIRMED = "confirmed"
    CLOSED = "closed"  # everything delivered (or short-closed)
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
