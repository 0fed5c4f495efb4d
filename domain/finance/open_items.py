"""Open items (往来未清项): the AR and AP sub-ledger.

Every document that creates a receivable or a payable (a sales invoice, a
purchase invoice, a red-letter invoice, an unallocated prepayment) opens one
item in the same save as its voucher; receipts and payments settle items.
So the open items of an account always add up to its GL balance (open AR =
1122, open AP = 220201, customer prepayments = 2203, supplier prepayments =
1123), and aging and party statements are read straight from them.

Amounts are signed as "owed in the account's normal direction": a receivable
item of +2,260.00 is what the customer owes us; a red invoice or a customer
prepayment is negative (we owe the customer). For payables, positive is what
we owe the supplier; a prepayment to a supplier is negative. Settling moves
an item towards zero and never past it.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from enum import Enum

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.errors import BusinessRuleViolation, ValidationError
from domain.transcodings import transcoded

ZERO = Decimal("0.00")


@transcoded("Ledger")
class Ledger(Enum):
    RECEIVABLE = "receivable"  # 应收 (customers)
    PAYABLE = "payable"  # 应付 (suppliers)


def open_item_id(ledger: Ledger, document: str) -> uuid.UUID:
    return derived_id(f"open-item-{ledger.value}", document)


class OpenItem(Aggregate):
    """One receivable or payable, from the document that created it."""

    @event("Opened")
    def __init__(
        self,
        ledger: Ledger,
        account: str,
        party: str,
        document_kind: str,
        document: str,
        document_date: date,
        due_date: date,
        amount: Decimal,
        currency: str = "CNY",
    ):
        self.ledger = ledger
        self.account = account
        self.party = party
        self.document_kind = document_kind
        self.document = document
        self.document_date = document_date
        self.due_date = due_date
        self.amount = amount
        self.currency = currency
        self.settled = ZERO

    @classmethod
    def create_id(cls, ledger: Ledger, document: str, **_: object) -> uuid.UUID:
        return open_item_id(ledger, document)

    @property
    def open_amount(self) -> Decimal:
        return self.amount - self.settled

    def settle(self, amount: Decimal, by_document: str, day: date,
               field: str = "amount") -> None:
        """Settle ``amount`` (same sign as the open amount) by a receipt, payment,
        red invoice or applied prepayment named ``by_document``."""
        if amount == 0:
            raise ValidationError(f"{field}: an allocation must not be zero", field)
        open_ = self.open_amount
        if open_ == 0:
            raise BusinessRuleViolation(
                "ITEM_SETTLED", f"{self.document} of {self.party} is already settled")
        if (amount > 0) != (open_ > 0) or abs(amount) > abs(open_):
            raise BusinessRuleViolation(
                "OVER_ALLOCATION",
                f"{self.document} of {self.party} has {open_} open; "
                f"{amount} cannot be allocated to it")
        self._settled(amount, by_document, day)

    @event("Settled")
    def _settled(self, amount: Decimal, by_document: str, day: date) -> None:
        self.settled += amount
