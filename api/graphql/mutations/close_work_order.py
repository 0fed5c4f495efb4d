"""closeWorkOrder: close a work order, relieving any WIP remainder as variance.

Material usage, labor efficiency and overhead variances go to the accounts in
the production settings (5401 by default).
"""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.mutations._production import work_order_of
from api.graphql.production_types import WorkOrder


@strawberry.input
class CloseWorkOrderInput:
    number: str
    posting_date: date
    idempotency_key: str | None = None


@strawberry.type
class CloseWorkOrderSuccess:
    work_order: WorkOrder
    log_position: int
    replayed: bool


CloseWorkOrderResult = result_union("CloseWorkOrderResult", CloseWorkOrderSuccess)


async def close_work_order(info: Info, input: CloseWorkOrderInput) -> CloseWorkOrderResult:  # noqa: A002
    return await run_command(
        info,
        lambda app, ctx: app.close_work_order(input.number, input.posting_date, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: CloseWorkOrderSuccess(
            work_order=work_order_of(conn, out.value.number), log_position=out.position,
            replayed=out.replayed),
    )
