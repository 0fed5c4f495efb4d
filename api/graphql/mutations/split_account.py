"""splitAccount: give an account that has postings sub-accounts (科目拆分).

Its balance (for a P&L account, what the months not yet closed moved) moves
into ``transferTo`` (a new or existing sub-account) by a voucher dated
``postingDate``, and the account becomes a heading (no postings of its own).
Every statement line reads the account with its sub-accounts, so the figures
stay; with ``line`` the sub-account also fills a 其中 line (5603 split into
560302 other, 560301 利息费用 taking what was interest).
"""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from domain.ledger.handlers import SubAccountInput


@strawberry.input
class NewSubAccountInput:
    code: str = strawberry.field(description="The account's code plus 2 digits.")
    name: str


@strawberry.input
class SplitAccountInput:
    code: str
    sub_accounts: list[NewSubAccountInput] = strawberry.field(default_factory=list)
    transfer_to: str = strawberry.field(description="The sub-account the balance moves to.")
    posting_date: date
    line: int | None = strawberry.field(
        default=None, description="Also map transferTo to this statement line.")
    idempotency_key: str | None = None


@strawberry.type
class SplitAccountSuccess:
    code: str
    transfer_to: str
    amount: str = strawberry.field(description="Moved, debit positive; 0.00: no voucher.")
    added: list[str]
    voucher_no: str | None
    entry_id: str | None
    log_position: int
    replayed: bool


SplitAccountResult = result_union("SplitAccountResult", SplitAccountSuccess)


async def split_account(info: Info, input: SplitAccountInput  # noqa: A002
                        ) -> SplitAccountResult:
    subs = [SubAccountInput(s.code, s.name) for s in input.sub_accounts]
    return await run_command(
        info,
        lambda app, ctx: app.split_account(input.code, subs, input.transfer_to,
                                           input.posting_date, input.line, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: SplitAccountSuccess(
            code=out.value.code, transfer_to=out.value.transfer_to, amount=out.value.amount,
            added=list(out.value.added),
            voucher_no=out.value.entry.voucher_no if out.value.entry else None,
            entry_id=out.value.entry.entry_id if out.value.entry else None,
            log_position=out.position, replayed=out.replayed),
    )
