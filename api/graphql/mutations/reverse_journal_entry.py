"""reverseJournalEntry: 红字冲销, a new entry with the original's lines in red."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import entry_view, result_union
from api.graphql.types import JournalEntry


@strawberry.input
class ReverseJournalEntryInput:
    entry_id: strawberry.ID
    posting_date: date = strawberry.field(description="In an open period.")
    summary: str | None = strawberry.field(
        default=None, description="Defaults to 冲销 and the original's voucher number.")
    idempotency_key: str | None = None


@strawberry.type
class ReverseJournalEntrySuccess:
    entry: JournalEntry = strawberry.field(description="The reversal.")
    original: JournalEntry = strawberry.field(description="The reversed entry.")
    log_position: int
    replayed: bool


ReverseJournalEntryResult = result_union("ReverseJournalEntryResult", ReverseJournalEntrySuccess)


async def reverse_journal_entry(
    info: Info, input: ReverseJournalEntryInput  # noqa: A002
) -> ReverseJournalEntryResult:
    def build(conn, out):
        reversal = entry_view(conn, out.value.entry_id)
        return ReverseJournalEntrySuccess(
            entry=JournalEntry.from_view(reversal),
            original=JournalEntry.from_view(entry_view(conn, reversal.reverses or "")),
            log_position=out.position,
            replayed=out.replayed,
        )

    return await run_command(
        info,
        lambda app, ctx: app.reverse_journal_entry(
            str(input.entry_id).strip(), input.posting_date, input.summary, ctx=ctx
        ),
        input.idempotency_key,
        build,
    )
