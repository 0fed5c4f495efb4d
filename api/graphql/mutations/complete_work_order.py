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

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.mutations._production import MaterialMovePayload, material_move_fields


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
class CompleteWorkOrderSuccess(MaterialMovePayload):
    pass


CompleteWorkOrderResult = result_union("CompleteWorkOrderResult", CompleteWorkOrderSuccess)


async def complete_work_order(
    info: Info, input: CompleteWorkOrderInput  # noqa: A002
) -> CompleteWorkOrderResult:
    return await run_command(
        info,
        lambda app, ctx: app.complete_work_order(
            input.number, input.posting_date, input.qty, input.warehouse or "",
            input.location or "", input.lot or "", ctx=ctx),
        input.idempotency_key,
        lambda conn, out: CompleteWorkOrderSuccess(**material_move_fields(out, input.number)),
    )
