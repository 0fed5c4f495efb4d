"""setForecast: set a forecast / master-schedule line (item, date, quantity).

Sales orders of the same item and month consume it in MRP; 0 removes it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.inventory_types import qty
from api.graphql.mutations._common import result_union


@strawberry.type(description="A forecast line.")
class Forecast:
    item: str
    date: date
    qty: Decimal


@strawberry.input
class SetForecastInput:
    item: str
    date: date
    qty: Decimal
    idempotency_key: str | None = None


@strawberry.type
class SetForecastSuccess:
    forecast: Forecast
    log_position: int
    replayed: bool


SetForecastResult = result_union("SetForecastResult", SetForecastSuccess)


async def set_forecast(info: Info, input: SetForecastInput) -> SetForecastResult:  # noqa: A002
    return await run_command(
        info,
        lambda app, ctx: app.set_forecast(input.item, input.date, input.qty, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: SetForecastSuccess(
            forecast=Forecast(item=out.value.code, date=input.date, qty=qty(input.qty)),
            log_position=out.position, replayed=out.replayed),
    )
