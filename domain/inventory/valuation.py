"""Moving weighted average valuation (移动加权平均), pure functions.

Issue value = round(qty x average, 2), computed as value x qty / on-hand
quantity in one step so no rounded unit cost creeps in; issuing the whole
remaining quantity takes the whole remaining value. So the stock value never
drifts from the ledger by a cent (DESIGN.md section 4). The value is computed
once, when the event is made, and stored in the event.
"""

from __future__ import annotations

from decimal import Decimal

from domain.money import round_amount

ZERO = Decimal("0.00")
UNIT_COST = Decimal("0.000001")


def issue_value(on_hand_qty: Decimal, on_hand_value: Decimal, qty: Decimal) -> Decimal:
    """Value leaving stock when ``qty`` is issued at moving average."""
    assert Decimal(0) < qty <= on_hand_qty, (qty, on_hand_qty)
    if qty == on_hand_qty:
        return on_hand_value
    return round_amount(on_hand_value * qty / on_hand_qty)


def average_cost(qty: Decimal, value: Decimal) -> Decimal:
    """Unit cost to 6 places, for display; never used to value a movement."""
    if qty <= 0:
        return Decimal("0.000000")
    return (value / qty).quantize(UNIT_COST)


def receipt_value(qty: Decimal, unit_price: Decimal) -> Decimal:
    return round_amount(qty * unit_price)


def return_out(
    on_hand_qty: Decimal, on_hand_value: Decimal, qty: Decimal, price_value: Decimal
) -> tuple[Decimal, Decimal]:
    """Return to supplier at the price received: (stock value out, residue to cost).

    The estimated liability falls by ``price_value``. If no quantity remains,
    stock must hold no value either, so any difference is residue posted to
    cost; likewise if the stock value would turn negative.
    """
    remaining_qty = on_hand_qty - qty
    remaining_value = on_hand_value - price_value
    if remaining_qty == 0 or remaining_value < 0:
        return on_hand_value, price_value - on_hand_value
    return price_value, ZERO
