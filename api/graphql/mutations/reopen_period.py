"""reopenPeriod: a closed month takes postings again; the reason is recorded."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import period_view, result_union
from api.graphql.types import Period


@strawberry.input
class ReopenPeriodInput:
    period: str
    reason: str
    idempotency_key: str | None = None


@strawberry.type
class ReopenPeriodSuccess:
    period: Period
    log_position: int
    replayed: bool


ReopenPeriodResult = result_union("ReopenPeriodResult", ReopenPeriodSuccess)


async def reopen_period(info: Info, input: ReopenPeriodInput) -> ReopenPeriodResult:  # noqa: A002
    return await run_command(
        info,
        lambda app, ctx: app.reopen_period(input.period, input.reason, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: ReopenPeriodSuccess(
            period=Period.from_view(period_view(conn, out.value.period)),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
