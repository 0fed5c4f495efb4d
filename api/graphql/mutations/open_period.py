"""openPeriod: a month that takes postings, e.g. 2026-11."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import period_view, result_union
from api.graphql.types import Period


@strawberry.input
class OpenPeriodInput:
    period: str = strawberry.field(description="YYYY-MM, e.g. 2026-11.")
    idempotency_key: str | None = None


@strawberry.type
class OpenPeriodSuccess:
    period: Period
    log_position: int
    replayed: bool


OpenPeriodResult = result_union("OpenPeriodResult", OpenPeriodSuccess)


async def open_period(info: Info, input: OpenPeriodInput) -> OpenPeriodResult:  # noqa: A002
    return await run_command(
        info,
        lambda app, ctx: app.open_period(input.period, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: OpenPeriodSuccess(
            period=Period.from_view(period_view(conn, out.value.period)),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
