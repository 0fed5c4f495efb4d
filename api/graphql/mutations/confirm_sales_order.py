"""confirmSalesOrder: the order becomes binding and reserves what stock is available (预留库存)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import after_command, run_command
from api.graphql.inventory_types import Order
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import order_of


@strawberry.input
class ConfirmSalesOrderInput:
    number: str
    idempotency_key: str | None = None


@strawberry.type
class ConfirmSalesOrderSuccess:
    number: str = strawberry.field(description="The order's number (from the command).")
    log_position: int
    replayed: bool

    @strawberry.field(description="The order, from the read models (waits for logPosition).")
    async def order(self, info: Info) -> Order:
        return await after_command(info, self.log_position,
                                   lambda conn: order_of(conn, self.number))


ConfirmSalesOrderResult = result_union("ConfirmSalesOrderResult", ConfirmSalesOrderSuccess)


async def confirm_sales_order(
    info: Info, input: ConfirmSalesOrderInput  # noqa: A002
) -> ConfirmSalesOrderResult:
    return await run_command(
        info,
        lambda app, ctx: app.confirm_sales_order(input.number, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: ConfirmSalesOrderSuccess(
            number=out.value.number,
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
