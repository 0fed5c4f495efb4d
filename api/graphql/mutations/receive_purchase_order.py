"""receivePurchaseOrder: 采购入库 at the order price, Dr inventory / Cr 220202 暂估应付."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.inventory_types import Order, StockDocument
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import MoveLineInput, document_of, move_lines, order_of


@strawberry.input
class ReceivePurchaseOrderInput:
    number: str
    posting_date: date
    lines: list[MoveLineInput]
    idempotency_key: str | None = None


@strawberry.type
class ReceivePurchaseOrderSuccess:
    document: StockDocument
    order: Order
    log_position: int
    replayed: bool


ReceivePurchaseOrderResult = result_union("ReceivePurchaseOrderResult", ReceivePurchaseOrderSuccess)


async def receive_purchase_order(
    info: Info, input: ReceivePurchaseOrderInput  # noqa: A002
) -> ReceivePurchaseOrderResult:
    lines = move_lines(input.lines)

    def build(conn, out):
        document = document_of(conn, out.value.number)
        return ReceivePurchaseOrderSuccess(document=document, order=order_of(conn, document.order),
                          log_position=out.position, replayed=out.replayed)

    return await run_command(
        info,
        lambda app, ctx: app.receive_purchase_order(
            input.number, input.posting_date, lines, ctx=ctx),
        input.idempotency_key,
        build,
    )
