"""reserveSalesOrder: top up a confirmed order's reservations from newly available stock."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.inventory_types import Order
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import order_of


@strawberry.input
class ReserveSalesOrderInput:
    number: str
    idempotency_key: str | None = None


@strawberry.type
class ReserveSalesOrderSuccess:
    order: Order
    log_position: int
    replayed: bool


ReserveSalesOrderResult = result_union("ReserveSalesOrderResult", ReserveSalesOrderSuccess)


async def reserve_sales_order(
    info: Info, input: ReserveSalesOrderInput  # noqa: A002
) -> ReserveSalesOrderResult:
    return await run_command(
        info,
        lambda app, ctx: app.reserve_sales_order(input.number, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: ReserveSalesOrderSuccess(
            order=order_of(conn, out.value.number),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
