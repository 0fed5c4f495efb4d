"""receivePurchaseOrder: 采购入库 at the order price, Dr inventory / Cr 220202 暂估应付."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import after_command, run_command
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
    number: str = strawberry.field(description="The stock document's number (from the command).")
    voucher_no: str = strawberry.field(description="Its voucher (from the command).")
    log_position: int
    replayed: bool

    @strawberry.field(description="The document, from the read models (waits for logPosition).")
    async def document(self, info: Info) -> StockDocument:
        return await after_command(info, self.log_position,
                                   lambda conn: document_of(conn, self.number))

    @strawberry.field(description="The order, from the read models (waits for logPosition).")
    async def order(self, info: Info) -> Order:
        return await after_command(
            info, self.log_position,
            lambda conn: order_of(conn, document_of(conn, self.number).order))


ReceivePurchaseOrderResult = result_union("ReceivePurchaseOrderResult", ReceivePurchaseOrderSuccess)


async def receive_purchase_order(
    info: Info, input: ReceivePurchaseOrderInput  # noqa: A002
) -> ReceivePurchaseOrderResult:
    lines = move_lines(input.lines)

    def build(conn, out):
        return ReceivePurchaseOrderSuccess(number=out.value.number, voucher_no=out.value.voucher_no,
            log_position=out.position, replayed=out.replayed)

    return await run_command(
        info,
        lambda app, ctx: app.receive_purchase_order(
            input.number, input.posting_date, lines, ctx=ctx),
        input.idempotency_key,
        build,
    )
