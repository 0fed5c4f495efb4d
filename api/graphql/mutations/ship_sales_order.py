"""shipSalesOrder: 销售出库 at moving average, Dr 5401 主营业务成本 / Cr inventory."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import (
    MoveLineInput,
    OrderMovePayload,
    move_lines,
    order_move_fields,
)


@strawberry.input
class ShipSalesOrderInput:
    number: str
    posting_date: date
    lines: list[MoveLineInput]
    idempotency_key: str | None = None


@strawberry.type
class ShipSalesOrderSuccess(OrderMovePayload):
    pass


ShipSalesOrderResult = result_union("ShipSalesOrderResult", ShipSalesOrderSuccess)


async def ship_sales_order(
    info: Info, input: ShipSalesOrderInput  # noqa: A002
) -> ShipSalesOrderResult:
    lines = move_lines(input.lines)
    return await run_command(
        info,
        lambda app, ctx: app.ship_sales_order(input.number, input.posting_date, lines, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: ShipSalesOrderSuccess(**order_move_fields(out)),
    )
