"""settleOverhead: 结转制造费用, clear 4101's under/over-applied overhead to 5401 or allocate it.

A translation only: ``domain.workflows.period_end.settle_overhead`` lists an
allocation's targets through the runtime's read port (read models at the log
position the command read, or ProjectionLag); the CLI's ``settle-overhead``
calls the same function."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import context_of, run_command
from api.graphql.mutations._common import entry_view, result_union
from api.graphql.types import JournalEntry
from domain.ledger.period_end import OverheadMethod
from domain.workflows.period_end import settle_overhead as settle

OverheadMethodEnum = strawberry.enum(OverheadMethod, name="OverheadMethod", description=(
    "COST_OF_SALES: all to 5401 主营业务成本; ALLOCATE: over open work orders' WIP, "
    "semi-finished and finished stock and the year's cost of sales, in proportion to "
    "their balances."))


@strawberry.input
class SettleOverheadInput:
    period: str
    method: OverheadMethodEnum = OverheadMethod.COST_OF_SALES
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
    method = OverheadMethod(input.method.value)
    inputs = context_of(info).runtime.inputs

    return await run_command(
        info,
        lambda app, ctx: settle(app, inputs, input.period, method, input.posting_date, ctx),
        input.idempotency_key,
        lambda conn, out: SettleOverheadSuccess(
            amount=Decimal(out.value.amount),
            entry=JournalEntry.from_view(entry_view(conn, out.value.entry_id)),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
