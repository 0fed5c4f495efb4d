"""closePeriod: postings into the month are refused from now on."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import period_view, result_union
from api.graphql.types import Period


@strawberry.input
class ClosePeriodInput:
    period: str
    idempotency_key: str | None = None


@strawberry.type
class ClosePeriodSuccess:
    period: Period
    log_position: int
    replayed: bool


ClosePeriodResult = result_union("ClosePeriodResult", ClosePeriodSuccess)


async def close_period(info: Info, input: ClosePeriodInput) -> ClosePeriodResult:  # noqa: A002
    return await run_command(
        info,
        lambda app, ctx: app.close_period(input.period, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: ClosePeriodSuccess(
            period=Period.from_view(period_view(conn, out.value.period)),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
