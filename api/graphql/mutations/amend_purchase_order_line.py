"""amendPurchaseOrderLine: change the unreceived quantity, the price or the due date of a line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.inventory_types import Order
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import order_of


@strawberry.input(description="Only the fields given change.")
class AmendPurchaseOrderLineInput:
    number: str
    line_no: int
    qty: Decimal | None = None
    unit_price: Decimal | None = None
    due_date: date | None = None
    idempotency_key: str | None = None


@strawberry.type
class AmendPurchaseOrderLineSuccess:
    order: Order
    log_position: int
    replayed: bool


AmendPurchaseOrderLineResult = result_union("AmendPurchaseOrderLineResult",
                                            AmendPurchaseOrderLineSuccess)


async def amend_purchase_order_line(
    info: Info, input: AmendPurchaseOrderLineInput  # noqa: A002
) -> AmendPurchaseOrderLineResult:
    return await run_command(
        info,
        lambda app, ctx: app.amend_purchase_order_line(
            input.number, input.line_no, input.qty, input.unit_price, input.due_date, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: AmendPurchaseOrderLineSuccess(
            order=order_of(conn, out.value.number),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
