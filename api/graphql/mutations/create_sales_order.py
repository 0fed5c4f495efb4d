"""createSalesOrder: a draft sales order (销售订单); it gets the next SO number."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import after_command, run_command
from api.graphql.inventory_types import Order
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import OrderLineInput, order_of


@strawberry.input
class CreateSalesOrderInput:
    customer: str
    order_date: date
    lines: list[OrderLineInput]
    idempotency_key: str | None = None


@strawberry.type
class CreateSalesOrderSuccess:
    number: str = strawberry.field(description="The order's number (from the command).")
    log_position: int
    replayed: bool

    @strawberry.field(description="The order, from the read models (waits for logPosition).")
    async def order(self, info: Info) -> Order:
        return await after_command(info, self.log_position,
                                   lambda conn: order_of(conn, self.number))


CreateSalesOrderResult = result_union("CreateSalesOrderResult", CreateSalesOrderSuccess)


async def create_sales_order(
    info: Info, input: CreateSalesOrderInput  # noqa: A002
) -> CreateSalesOrderResult:
    lines = [ln.to_domain() for ln in input.lines]
    return await run_command(
        info,
        lambda app, ctx: app.create_sales_order(input.customer, input.order_date, lines,
                                                ctx=ctx),
        input.idempotency_key,
        lambda conn, out: CreateSalesOrderSuccess(
            number=out.value.number,
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
