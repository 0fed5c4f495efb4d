"""settleOverhead: 结转制造费用, clear 4101's under/over-applied balance to 5401 主营业务成本."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import entry_view, result_union
from api.graphql.types import JournalEntry
from domain.ledger.period_end import OverheadMethod


@strawberry.input
class SettleOverheadInput:
    period: str
    posting_date: date | None = strawberry.field(
        default=None, description="Default: the last day of the period.")
    idempotency_key: str | None = None


@strawberry.type
class SettleOverheadSuccess:
    amount: Decimal = strawberry.field(
        description="Under-applied (positive) or over-applied (negative) overhead settled.")
    entry: JournalEntry
    log_position: int
    replayed: bool


SettleOverheadResult = result_union("SettleOverheadResult", SettleOverheadSuccess)


async def settle_overhead(
    info: Info, input: SettleOverheadInput  # noqa: A002
) -> SettleOverheadResult:
    return await run_command(
        info,
        lambda app, ctx: app.settle_overhead(input.period, OverheadMethod.COST_OF_SALES,
                                             input.posting_date, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: SettleOverheadSuccess(
            amount=Decimal(out.value.amount),
            entry=JournalEntry.from_view(entry_view(conn, out.value.entry_id)),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
