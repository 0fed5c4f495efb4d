"""cancelPurchaseOrder: nothing more is received against it (refused once received)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.inventory_types import Order
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import order_of


@strawberry.input
class CancelPurchaseOrderInput:
    number: str
    idempotency_key: str | None = None


@strawberry.type
class CancelPurchaseOrderSuccess:
    order: Order
    log_position: int
    replayed: bool


CancelPurchaseOrderResult = result_union("CancelPurchaseOrderResult", CancelPurchaseOrderSuccess)


async def cancel_purchase_order(
    info: Info, input: CancelPurchaseOrderInput  # noqa: A002
) -> CancelPurchaseOrderResult:
    return await run_command(
        info,
        lambda app, ctx: app.cancel_purchase_order(input.number, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: CancelPurchaseOrderSuccess(
            order=order_of(conn, out.value.number),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
