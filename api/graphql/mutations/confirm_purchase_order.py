"""confirmPurchaseOrder: a draft purchase order becomes binding and can be received."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import after_command, run_command
from api.graphql.inventory_types import Order
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import order_of


@strawberry.input
class ConfirmPurchaseOrderInput:
    number: str
    idempotency_key: str | None = None


@strawberry.type
class ConfirmPurchaseOrderSuccess:
    number: str = strawberry.field(description="The order's number (from the command).")
    log_position: int
    replayed: bool

    @strawberry.field(description="The order, from the read models (waits for logPosition).")
    async def order(self, info: Info) -> Order:
        return await after_command(info, self.log_position,
                                   lambda conn: order_of(conn, self.number))


ConfirmPurchaseOrderResult = result_union("ConfirmPurchaseOrderResult", ConfirmPurchaseOrderSuccess)


async def confirm_purchase_order(
    info: Info, input: ConfirmPurchaseOrderInput  # noqa: A002
) -> ConfirmPurchaseOrderResult:
    return await run_command(
        info,
        lambda app, ctx: app.confirm_purchase_order(input.number, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: ConfirmPurchaseOrderSuccess(
            number=out.value.number,
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
