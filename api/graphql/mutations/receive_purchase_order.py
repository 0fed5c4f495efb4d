"""receivePurchaseOrder: 采购入库 at the order price, Dr inventory / Cr 220202 暂估应付."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import (
    MoveLineInput,
    OrderMovePayload,
    move_lines,
    order_move_fields,
)


@strawberry.input
class ReceivePurchaseOrderInput:
    number: str
    posting_date: date
    lines: list[MoveLineInput]
    idempotency_key: str | None = None


@strawberry.type
class ReceivePurchaseOrderSuccess(OrderMovePayload):
    pass


ReceivePurchaseOrderResult = result_union("ReceivePurchaseOrderResult", ReceivePurchaseOrderSuccess)


async def receive_purchase_order(
    info: Info, input: ReceivePurchaseOrderInput  # noqa: A002
) -> ReceivePurchaseOrderResult:
    lines = move_lines(input.lines)
    return await run_command(
        info,
        lambda app, ctx: app.receive_purchase_order(
            input.number, input.posting_date, lines, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: ReceivePurchaseOrderSuccess(**order_move_fields(out)),
    )
