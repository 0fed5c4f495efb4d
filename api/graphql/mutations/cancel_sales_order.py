"""cancelSalesOrder: release its reservations; nothing more ships against it."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.inventory_types import Order
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import order_of


@strawberry.input
class CancelSalesOrderInput:
    number: str
    idempotency_key: str | None = None


@strawberry.type
class CancelSalesOrderSuccess:
    order: Order
    log_position: int
    replayed: bool


CancelSalesOrderResult = result_union("CancelSalesOrderResult", CancelSalesOrderSuccess)


async def cancel_sales_order(
    info: Info, input: CancelSalesOrderInput  # noqa: A002
) -> CancelSalesOrderResult:
    return await run_command(
        info,
        lambda app, ctx: app.cancel_sales_order(input.number, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: CancelSalesOrderSuccess(
            order=order_of(conn, out.value.number),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
