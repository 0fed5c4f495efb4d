"""shortCloseSalesOrder: 短交关闭, a confirmed order shipped in part; the rest given up."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.inventory_types import Order
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import order_of


@strawberry.input
class ShortCloseSalesOrderInput:
    number: str
    reason: str = strawberry.field(description="Why the rest is given up (required).")
    closing_date: date | None = strawberry.field(default=None,
                                                 description="Default: the company's today.")
    idempotency_key: str | None = None


@strawberry.type
class ShortCloseSalesOrderSuccess:
    order: Order
    log_position: int
    replayed: bool


ShortCloseSalesOrderResult = result_union("ShortCloseSalesOrderResult",
                                          ShortCloseSalesOrderSuccess)


async def short_close_sales_order(
    info: Info, input: ShortCloseSalesOrderInput  # noqa: A002
) -> ShortCloseSalesOrderResult:
    return await run_command(
        info,
        lambda app, ctx: app.short_close_sales_order(input.number, input.reason,
                                                      input.closing_date, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: ShortCloseSalesOrderSuccess(
            order=order_of(conn, out.value.number),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
