"""Queries: each reads the read models, optionally after waiting until they
have reached a log position (``waitFor``, read-your-writes)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from api.graphql.context import read
from api.graphql.errors import QueryError
from api.graphql.types import (
    Account,
    AccountLedger,
    JournalEntry,
    JournalEntryConnection,
    Period,
    TrialBalance,
)
from domain.ledger.periods import check_period
from projections import ledger_queries as q

MAX_PAGE = 500

WaitFor = Annotated[
    int | None,
    strawberry.argument(
        description="Answer only once the read models have reached this log position "
        "(a mutation's logPosition); waits at most 10 s."
    ),
]


@strawberry.type
class Query:
    @strawberry.field(description="The chart of accounts, in code order.")
    async def accounts(
        self,
        info: Info,
        active_only: bool = False,
        leaf_only: bool = False,
        prefix: str | None = None,
        wait_for: WaitFor = None,
    ) -> list[Account]:
        views = await read(
            info,
            lambda c: q.accounts(c, active_only=active_only, leaf_only=leaf_only, prefix=prefix),
            wait_for,
        )
        return [Account.from_view(v) for v in views]

    @strawberry.field
    async def account(self, info: Info, code: str, wait_for: WaitFor = None) -> Account | None:
        view = await read(info, lambda c: q.account(c, code.strip()), wait_for)
        return Account.from_view(view) if view else None

    @strawberry.field(description="Fiscal periods, oldest first.")
    async def periods(self, info: Info, wait_for: WaitFor = None) -> list[Period]:
        return [Period.from_view(v) for v in await read(info, q.periods, wait_for)]

    @strawberry.field(
        description="Journal entries in log order; filter by period and/or account (an "
        "account matches its sub-accounts too)."
    )
    async def journal_entries(
        self,
        info: Info,
        period: str | None = None,
        account: str | None = None,
        first: int = 50,
        after: str | None = None,
        wait_for: WaitFor = None,
    ) -> JournalEntryConnection:
        if not 1 <= first <= MAX_PAGE:
            raise QueryError(f"first must be between 1 and {MAX_PAGE}", "ValidationError",
                             field="first")
        page = await read(
            info,
            lambda c: q.journal_entries(c, period=period, account=account, first=first,
                                        after=after),
            wait_for,
        )
        return JournalEntryConnection.from_page(page)

    @strawberry.field
    async def journal_entry(
        self, info: Info, id: strawberry.ID, wait_for: WaitFor = None  # noqa: A002
    ) -> JournalEntry | None:
        view = await read(info, lambda c: q.journal_entry(c, str(id).strip()), wait_for)
        return JournalEntry.from_view(view) if view else None

    @strawberry.field(description="科目余额表 for a period.")
    async def trial_balance(
        self,
        info: Info,
        period: str,
        leaves_only: bool = False,
        include_zero: bool = False,
        as_of: Annotated[int | None, strawberry.argument(
            description="As the books stood at this log position; default: now.")] = None,
        wait_for: WaitFor = None,
    ) -> TrialBalance:
        tb = await read(
            info,
            lambda c: q.trial_balance(c, check_period(period), leaves_only=leaves_only,
                                      include_zero=include_zero, as_of=as_of),
            wait_for,
        )
        return TrialBalance.from_view(tb)

    @strawberry.field(description="明细账 of an account in a period; null if no such account.")
    async def account_ledger(
        self, info: Info, account: str, period: str,
        as_of: Annotated[int | None, strawberry.argument(
            description="As the books stood at this log position; default: now.")] = None,
        wait_for: WaitFor = None,
    ) -> AccountLedger | None:
        led = await read(info, lambda c: q.account_ledger(c, account.strip(), check_period(period),
                                                          as_of), wait_for)
        return AccountLedger.from_view(led) if led else None
