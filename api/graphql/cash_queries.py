"""Cash and open-item queries: open items, aging, party statements (对账单),
cash documents and the sub-ledger to GL reconciliation. Merged into the root
``Query`` type by the schema."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.graphql.cash_types import (
    Aging,
    CashDocument,
    CashKindEnum,
    LedgerEnum,
    OpenItem,
    PartyStatement,
    SubledgerReconciliation,
)
from api.graphql.context import read
from api.graphql.queries import WaitFor
from projections import cash_queries as cq


def _code(value: str | None) -> str | None:
    return (value or "").strip().upper() or None


@strawberry.type
class CashQuery:
    @strawberry.field(description="Open items (往来未清项) by ledger, party and account, as "
                      "they stood at the end of `asOf` (default: now).")
    async def open_items(
        self,
        info: Info,
        ledger: LedgerEnum | None = None,
        party: str | None = None,
        account: str | None = None,
        as_of: date | None = None,
        include_settled: bool = False,
        wait_for: WaitFor = None,
    ) -> list[OpenItem]:
        views = await read(info, lambda c: cq.open_items_view(
            c, ledger=ledger, party=_code(party), account=(account or "").strip() or None,
            as_of=as_of, include_settled=include_settled), wait_for)
        return [OpenItem.from_view(v) for v in views]

    @strawberry.field(description="账龄分析 as of a date; `account` defaults to 1122 for "
                      "receivables and 220201 for payables (2203 / 1123 age prepayments).")
    async def aging(
        self,
        info: Info,
        ledger: LedgerEnum,
        as_of: date,
        account: str | None = None,
        party: str | None = None,
        wait_for: WaitFor = None,
    ) -> Aging:
        view = await read(info, lambda c: cq.aging(
            c, ledger, as_of, account=(account or "").strip() or None, party=_code(party)),
            wait_for)
        return Aging.from_view(view)

    @strawberry.field(description="对账单 of a party from `from` to `to`; the ledger defaults "
                      "to receivables for a customer, payables for a supplier.")
    async def party_statement(
        self,
        info: Info,
        party: str,
        date_from: Annotated[date, strawberry.argument(name="from")],
        date_to: Annotated[date, strawberry.argument(name="to")],
        ledger: LedgerEnum | None = None,
        wait_for: WaitFor = None,
    ) -> PartyStatement | None:
        code = _code(party) or ""
        view = await read(info, lambda c: cq.party_statement(c, code, date_from, date_to,
                                                             ledger), wait_for)
        return PartyStatement.from_view(view) if view else None

    @strawberry.field(description="Receipts, payments, applications, offsets and expense "
                      "payments in log order.")
    async def cash_documents(
        self,
        info: Info,
        kind: CashKindEnum | None = None,
        party: str | None = None,
        date_from: Annotated[date | None, strawberry.argument(name="from")] = None,
        date_to: Annotated[date | None, strawberry.argument(name="to")] = None,
        wait_for: WaitFor = None,
    ) -> list[CashDocument]:
        views = await read(info, lambda c: cq.cash_document_views(
            c, kind=kind.value if kind else None, party=_code(party), date_from=date_from,
            date_to=date_to), wait_for)
        return [CashDocument.from_view(v) for v in views]

    @strawberry.field(description="One cash document by number.")
    async def cash_document(self, info: Info, number: str, wait_for: WaitFor = None
                            ) -> CashDocument | None:
        view = await read(info, lambda c: cq.cash_document(c, (number or "").strip().upper()),
                          wait_for)
        return CashDocument.from_view(view) if view else None

    @strawberry.field(description="Open items against the GL: AR = 1122, AP = 220201, "
                      "customer prepayments = 2203, supplier prepayments = 1123.")
    async def subledger_reconciliation(
        self, info: Info, as_of: date | None = None, wait_for: WaitFor = None
    ) -> list[SubledgerReconciliation]:
        views = await read(info, lambda c: cq.reconciliation(c, as_of), wait_for)
        return [SubledgerReconciliation.from_view(v) for v in views]
