"""What the cash mutation modules share: the allocation and expense-line
inputs, the success payload, and the read-back of the document written."""

from __future__ import annotations

from decimal import Decimal

import strawberry
from sqlalchemy import Connection

from api.graphql.cash_types import CashDocument, OpenItem
from api.graphql.mutations._common import found
from domain.finance import cash
from domain.finance.open_items import Ledger
from projections import cash_queries as cq


@strawberry.input(description="Settle `amount` of the open item of `document` (an invoice "
                  "number, or a red invoice's for an offset).")
class AllocationInput:
    document: str
    amount: Decimal

    def to_domain(self) -> cash.AllocationInput:
        return cash.AllocationInput(self.document, self.amount)


@strawberry.input(description="An expense line: Dr `account` `amount`.")
class ExpenseLineInput:
    account: str
    amount: Decimal
    memo: str | None = None

    def to_domain(self) -> cash.ExpenseLineInput:
        return cash.ExpenseLineInput(self.account, self.amount, self.memo or "")


def allocations(items: list[AllocationInput] | None) -> list[cash.AllocationInput]:
    return [a.to_domain() for a in items or []]


@strawberry.type
class CashDocumentSuccess:
    document: CashDocument
    open_items: list[OpenItem] = strawberry.field(
        description="The open items it settled or opened, as they stand now.")
    log_position: int
    replayed: bool


def cash_success(conn: Connection, out) -> CashDocumentSuccess:
    view = found(cq.cash_document(conn, out.value.number), f"cash document {out.value.number}")
    touched = {a.document for a in view.lines if a.document} | {view.number}
    if view.credit_document:
        touched.add(view.credit_document)
    ledger = None
    if view.kind == cash.CashKind.RECEIPT.value:
        ledger = Ledger.RECEIVABLE
    elif view.kind == cash.CashKind.PAYMENT.value:
        ledger = Ledger.PAYABLE
    items = [i for i in cq.open_items_view(conn, ledger=ledger, party=view.party or None,
                                           include_settled=True)
             if i.document in touched] if view.party else []
    return CashDocumentSuccess(document=CashDocument.from_view(view),
                               open_items=[OpenItem.from_view(i) for i in items],
                               log_position=out.position, replayed=out.replayed)
