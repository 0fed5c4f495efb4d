"""createPurchaseOrder: a draft purchase order (采购订单); it gets the next PO number."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import after_command, run_command
from api.graphql.inventory_types import Order
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import OrderLineInput, order_of


@strawberry.input
class CreatePurchaseOrderInput:
    supplier: str
    order_date: date
    lines: list[OrderLineInput]
    over_receipt_tolerance: Decimal | None = strawberry.field(
        default=None, description="Share a line may be over-received, e.g. 0.05; default 0.")
    idempotency_key: str | None = None


@strawberry.type
class CreatePurchaseOrderSuccess:
    number: str = strawberry.field(description="The order's number (from the command).")
    log_position: int
    replayed: bool

    @strawberry.field(description="The order, from the read models (waits for logPosition).")
    async def order(self, info: Info) -> Order:
        return await after_command(info, self.log_position,
                                   lambda conn: order_of(conn, self.number))


CreatePurchaseOrderResult = result_union("CreatePurchaseOrderResult",
                                         CreatePurchaseOrderSuccess)


async def create_purchase_order(
    info: Info, input: CreatePurchaseOrderInput  # noqa: A002
) -> CreatePurchaseOrderResult:
    lines = [ln.to_domain() for ln in input.lines]
    return await run_command(
        info,
        lambda app, ctx: app.create_purchase_order(
            input.supplier, input.order_date, lines, input.over_receipt_tolerance, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: CreatePurchaseOrderSuccess(
            number=out.value.number,
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
