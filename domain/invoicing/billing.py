"""What has been invoiced of a stock document (开票进度): per line, the quantity
and amount already on invoices.

One small aggregate per shipment or receipt, saved with every invoice that
bills it, so a line is never invoiced twice: two invoices racing for the
same shipment line meet at this aggregate's version, and the loser retries
and sees the first one's quantity.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.errors import BusinessRuleViolation

ZERO_QTY = Decimal("0.000000")
ZERO = Decimal("0.00")


def billing_id(document: str) -> uuid.UUID:
    return derived_id("billing", document)


class Billing(Aggregate):
    @event("Started")
    def __init__(self, document: str):
        self.document = document
        self.qty: dict[int, Decimal] = {}  # line -> quantity invoiced (net of red)
        self.amount: dict[int, Decimal] = {}  # line -> amount ex VAT invoiced

    @classmethod
    def create_id(cls, document: str) -> uuid.UUID:
        return billing_id(document)

    def invoiced(self, line_no: int) -> Decimal:
        return self.qty.get(line_no, ZERO_QTY)

    def bill(self, line_no: int, qty: Decimal, amount: Decimal, limit: Decimal,
             invoice: str) -> None:
        """Bill ``qty`` of a line that holds ``limit`` in all; a negative ``qty``
        (a red invoice) gives quantity back."""
        after = self.invoiced(line_no) + qty
        if after > limit:
            raise BusinessRuleViolation(
                "ALREADY_INVOICED",
                f"{self.document} line {line_no}: {self.invoiced(line_no).normalize():f} of "
                f"{limit.normalize():f} already invoiced; {qty.normalize():f} more is too much")
        if after < 0:
            raise BusinessRuleViolation(
                "BELOW_ZERO",
                f"{self.document} line {line_no}: only "
                f"{self.invoiced(line_no).normalize():f} was invoiced")
        self._billed(line_no, qty, amount, invoice)

    @event("Billed")
    def _billed(self, line_no: int, qty: Decimal, amount: Decimal, invoice: str) -> None:
        self.qty[line_no] = self.invoiced(line_no) + qty
        self.amount[line_no] = self.amount.get(line_no, ZERO) + amount
