"""shipSalesOrder: 销售出库 at moving average, Dr 5401 主营业务成本 / Cr inventory."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.inventory_types import Order, StockDocument
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import MoveLineInput, document_of, move_lines, order_of


@strawberry.input
class ShipSalesOrderInput:
    number: str
    posting_date: date
    lines: list[MoveLineInput]
    idempotency_key: str | None = None


@strawberry.type
class ShipSalesOrderSuccess:
    document: StockDocument
    order: Order
    log_position: int
    replayed: bool


ShipSalesOrderResult = result_union("ShipSalesOrderResult", ShipSalesOrderSuccess)


async def ship_sales_order(
    info: Info, input: ShipSalesOrderInput  # noqa: A002
) -> ShipSalesOrderResult:
    lines = move_lines(input.lines)

    def build(conn, out):
        document = document_of(conn, out.value.number)
        return ShipSalesOrderSuccess(document=document, order=order_of(conn, document.order),
                          log_position=out.position, replayed=out.replayed)

    return await run_command(
        info,
        lambda app, ctx: app.ship_sales_order(input.number, input.posting_date, lines, ctx=ctx),
        input.idempotency_key,
        build,
    )
