"""postJournalEntry: book a voucher (记账凭证); it gets the next 记-NNNN."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import after_command, run_command
from api.graphql.mutations._common import entry_view, result_union
from api.graphql.types import CashFlowItemEnum, JournalEntry
from domain.ledger.entries import LineInput


@strawberry.input(description="One line: an amount on exactly one side.")
class JournalLineInput:
    account: str = strawberry.field(description="Code of an active leaf account.")
    debit: Decimal | None = None
    credit: Decimal | None = None
    memo: str | None = None
    cash_flow: CashFlowItemEnum | None = strawberry.field(
        default=None, description="现金流量表: the purpose of the cash this (non-cash) line's "
        "amount moved. When any line names one, the named lines must cover the voucher's "
        "change of cash; when none does, the counter-accounts decide (docs/cash-flow.md).")


@strawberry.input
class PostJournalEntryInput:
    posting_date: date
    summary: str = strawberry.field(description="摘要, required.")
    lines: list[JournalLineInput]
    idempotency_key: str | None = None


@strawberry.type
class PostJournalEntrySuccess:
    entry_id: strawberry.ID = strawberry.field(description="The entry's id (from the command).")
    voucher_no: str = strawberry.field(description="Its 记-NNNN (from the command).")
    log_position: int
    replayed: bool

    @strawberry.field(description="The entry, from the read models (waits for logPosition).")
    async def entry(self, info: Info) -> JournalEntry:
        return await after_command(
            info, self.log_position,
            lambda conn: JournalEntry.from_view(entry_view(conn, self.entry_id)))


PostJournalEntryResult = result_union("PostJournalEntryResult", PostJournalEntrySuccess)


async def post_journal_entry(
    info: Info, input: PostJournalEntryInput  # noqa: A002
) -> PostJournalEntryResult:
    lines = [LineInput(ln.account, ln.debit, ln.credit, ln.memo or "", ln.cash_flow)
             for ln in input.lines]
    return await run_command(
        info,
        lambda app, ctx: app.post_journal_entry(input.posting_date, input.summary, lines, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: PostJournalEntrySuccess(
            entry_id=strawberry.ID(out.value.entry_id), voucher_no=out.value.voucher_no,
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
