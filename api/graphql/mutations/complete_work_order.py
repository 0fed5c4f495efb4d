"""completeWorkOrder: 完工入库 at actual cost, Dr inventory / Cr 400101.

Partial and multiple completions are fine. A completion of q units is valued
at round(WIP balance x q / units still expected, 2), units still expected =
ordered - completed - scrapped so far; the last one takes whatever WIP
remains, so a completed order's WIP is exactly 0.00.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import after_command, run_command
from api.graphql.inventory_types import StockDocument
from api.graphql.mutations._common import result_union
from api.graphql.mutations._production import work_order_of
from api.graphql.mutations._supply import document_of
from api.graphql.production_types import WorkOrder


@strawberry.input
class CompleteWorkOrderInput:
    number: str
    posting_date: date
    qty: Decimal
    warehouse: str | None = strawberry.field(default=None,
                                             description="Default: the work order's.")
    location: str | None = None
    lot: str | None = strawberry.field(
        default=None, description="The produced lot; default the WO number for lot-tracked "
        "items.")
    idempotency_key: str | None = None


@strawberry.type
class CompleteWorkOrderSuccess:
    number: str = strawberry.field(description="The stock document's number (from the command).")
    voucher_no: str = strawberry.field(description="Its voucher (from the command).")
    log_position: int
    replayed: bool
    work_order_number: strawberry.Private[str]

    @strawberry.field(description="The document, from the read models (waits for logPosition).")
    async def document(self, info: Info) -> StockDocument:
        return await after_command(info, self.log_position,
                                   lambda conn: document_of(conn, self.number))

    @strawberry.field(description="The work order, from the read models (waits for logPosition).")
    async def work_order(self, info: Info) -> WorkOrder:
        return await after_command(info, self.log_position,
                                   lambda conn: work_order_of(conn, self.work_order_number))


CompleteWorkOrderResult = result_union("CompleteWorkOrderResult", CompleteWorkOrderSuccess)


async def complete_work_order(
    info: Info, input: CompleteWorkOrderInput  # noqa: A002
) -> CompleteWorkOrderResult:
    number = input.number.strip().upper()
    return await run_command(
        info,
        lambda app, ctx: app.complete_work_order(
            input.number, input.posting_date, input.qty, input.warehouse or "",
            input.location or "", input.lot or "", ctx=ctx),
        input.idempotency_key,
        lambda conn, out: CompleteWorkOrderSuccess(
            number=out.value.number, voucher_no=out.value.voucher_no,
            work_order_number=number, log_position=out.position,
            replayed=out.replayed),
    )
