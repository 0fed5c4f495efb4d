"""Read-side GraphQL types of cash and the AR/AP open items, each built from a
read-model view (``projections.cash_queries``). Amounts are signed as the
open items are: receivables debit-positive (the customer owes us),
payables credit-positive (we owe the supplier)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import read
from api.graphql.types import JournalEntry
from domain.finance.cash import CashKind
from domain.finance.open_items import Ledger
from projections import cash_queries as cq
from projections import ledger_queries as lq

LedgerEnum = strawberry.enum(Ledger, name="Ledger",
                             description="RECEIVABLE 应收 (customers) or PAYABLE 应付 (suppliers).")
CashKindEnum = strawberry.enum(CashKind, name="CashDocumentKind")


@strawberry.type(description="Part of an open item settled by a document on a day.")
class Settlement:
    by_document: str
    day: date
    amount: Decimal

    @classmethod
    def from_view(cls, v: cq.SettlementView) -> Settlement:
        return cls(by_document=v.by_document, day=v.day, amount=v.amount)


@strawberry.type(description="往来未清项: a receivable or payable from the document that "
                 "created it (an invoice, a red invoice, an unallocated prepayment).")
class OpenItem:
    ledger: LedgerEnum
    account: str
    party: str
    party_name: str
    document_kind: str
    document: str
    document_date: date
    due_date: date
    amount: Decimal
    settled: Decimal = strawberry.field(description="Settled by the date asked for.")
    open_amount: Decimal
    settlements: list[Settlement]

    @classmethod
    def from_view(cls, v: cq.OpenItemView) -> OpenItem:
        return cls(ledger=Ledger(v.ledger), account=v.account, party=v.party,
                   party_name=v.party_name, document_kind=v.document_kind,
                   document=v.document, document_date=v.document_date, due_date=v.due_date,
                   amount=v.amount, settled=v.settled, open_amount=v.open_amount,
                   settlements=[Settlement.from_view(s) for s in v.settlements])


@strawberry.type(description="Open amounts of one aging bucket (days since the document date).")
class AgingBucket:
    label: str
    amount: Decimal


def _buckets(amounts: tuple[Decimal, ...]) -> list[AgingBucket]:
    return [AgingBucket(label=b[0], amount=a) for b, a in zip(cq.BUCKETS, amounts, strict=True)]


@strawberry.type
class AgingRow:
    party: str
    party_name: str
    buckets: list[AgingBucket]
    total: Decimal


@strawberry.type(description="账龄分析 of one account as of a date: 0-30, 31-60, 61-90 and "
                 "over 90 days; the total equals the account's GL balance (difference 0).")
class Aging:
    ledger: LedgerEnum
    account: str
    as_of: date
    rows: list[AgingRow]
    totals: list[AgingBucket]
    total: Decimal
    gl_balance: Decimal
    difference: Decimal

    @classmethod
    def from_view(cls, v: cq.Aging) -> Aging:
        return cls(ledger=Ledger(v.ledger), account=v.account, as_of=v.as_of,
                   rows=[AgingRow(party=r.party, party_name=r.party_name,
                                  buckets=_buckets(r.buckets), total=r.total) for r in v.rows],
                   totals=_buckets(v.totals), total=v.total, gl_balance=v.gl_balance,
                   difference=v.difference)


@strawberry.type
class StatementRow:
    day: date
    document: str
    kind: str
    increase: Decimal = strawberry.field(
        description="The customer owes more (invoice) / we owe the supplier more.")
    decrease: Decimal = strawberry.field(description="Paid, credited or applied.")
    balance: Decimal


@strawberry.type(description="对账单 of a customer or supplier for a date range, with a "
                 "running balance.")
class PartyStatement:
    party: str
    party_name: str
    ledger: LedgerEnum
    date_from: date
    date_to: date
    opening: Decimal
    rows: list[StatementRow]
    increase: Decimal
    decrease: Decimal
    closing: Decimal

    @classmethod
    def from_view(cls, v: cq.Statement) -> PartyStatement:
        return cls(party=v.party, party_name=v.party_name, ledger=Ledger(v.ledger),
                   date_from=v.date_from, date_to=v.date_to, opening=v.opening,
                   rows=[StatementRow(day=r.day, document=r.document, kind=r.kind,
                                      increase=r.increase, decrease=r.decrease,
                                      balance=r.balance) for r in v.rows],
                   increase=v.increase, decrease=v.decrease, closing=v.closing)


@strawberry.type(description="Open items of one account against its GL balance.")
class SubledgerReconciliation:
    ledger: LedgerEnum
    account: str
    open_items: Decimal
    gl_balance: Decimal
    difference: Decimal

    @classmethod
    def from_view(cls, v: cq.SubledgerReconciliation) -> SubledgerReconciliation:
        return cls(ledger=Ledger(v.ledger), account=v.account, open_items=v.open_items,
                   gl_balance=v.gl_balance, difference=v.difference)


@strawberry.type(description="An allocation (document set) or an expense line (account set).")
class CashDocumentLine:
    line_no: int
    document: str
    account: str
    amount: Decimal
    memo: str


@strawberry.type(description="收款单, 付款单, 费用付款单, or a prepayment application or offset.")
class CashDocument:
    number: str
    kind: CashKindEnum
    posting_date: date
    party: str
    bank_account: str
    amount: Decimal
    prepayment: Decimal = strawberry.field(description="Left unallocated: 预收 / 预付.")
    vat: Decimal
    credit_document: str = strawberry.field(
        description="The prepayment or credit item applied (applications and offsets).")
    payee: str
    reference: str
    memo: str
    entry_id: strawberry.ID | None
    voucher_no: str
    log_position: int
    lines: list[CashDocumentLine]

    @strawberry.field(description="The journal entry (记账凭证) it posted; null for an "
                      "offset on one account.")
    async def entry(self, info: Info) -> JournalEntry | None:
        if not self.entry_id:
            return None
        entry_id = str(self.entry_id)
        view = await read(info, lambda c: lq.journal_entry(c, entry_id))
        return JournalEntry.from_view(view) if view else None

    @classmethod
    def from_view(cls, v: cq.CashDocumentView) -> CashDocument:
        return cls(number=v.number, kind=CashKind(v.kind), posting_date=v.posting_date,
                   party=v.party, bank_account=v.bank_account, amount=v.amount,
                   prepayment=v.prepayment, vat=v.vat, credit_document=v.credit_document,
                   payee=v.payee, reference=v.reference, memo=v.memo,
                   entry_id=strawberry.ID(v.entry_id) if v.entry_id else None,
                   voucher_no=v.voucher_no, log_position=v.position,
                   lines=[CashDocumentLine(line_no=ln.line_no, document=ln.document,
                                           account=ln.account, amount=ln.amount, memo=ln.memo)
                          for ln in v.lines])
