"""closeBooks: 期末结账, 结转损益 to 3103 (December: 3103 to 3104) and the close, in one step."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import entry_view, period_view, result_union
from api.graphql.types import JournalEntry, Period


@strawberry.input
class CloseBooksInput:
    period: str
    posting_date: date | None = strawberry.field(
        default=None, description="Date of the closing entries; default: the period's last day.")
    idempotency_key: str | None = None


@strawberry.type
class CloseBooksSuccess:
    period: Period
    profit: Decimal = strawberry.field(description="Carried to 3103 (a loss is negative).")
    transfer_entry: JournalEntry | None = strawberry.field(
        description="The 结转损益 voucher; null when no P&L account had a balance.")
    carry_forward_entry: JournalEntry | None = strawberry.field(
        description="December only: 3103 本年利润 to 3104 利润分配.")
    log_position: int
    replayed: bool


CloseBooksResult = result_union("CloseBooksResult", CloseBooksSuccess)


async def close_books(info: Info, input: CloseBooksInput) -> CloseBooksResult:  # noqa: A002
    def build(conn, out):
        v = out.value
        return CloseBooksSuccess(
            period=Period.from_view(period_view(conn, v.period)),
            profit=Decimal(v.profit),
            transfer_entry=JournalEntry.from_view(entry_view(conn, v.transfer_entry_id))
            if v.transfer_entry_id else None,
            carry_forward_entry=JournalEntry.from_view(entry_view(conn, v.carry_forward_entry_id))
            if v.carry_forward_entry_id else None,
            log_position=out.position,
            replayed=out.replayed,
        )

    return await run_command(
        info, lambda app, ctx: app.close_books(input.period, input.posting_date, ctx=ctx),
        input.idempotency_key, build,
    )
