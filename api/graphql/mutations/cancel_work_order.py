"""cancelWorkOrder: cancel a work order before any material was issued."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.mutations._production import work_order_of
from api.graphql.production_types import WorkOrder


@strawberry.input
class CancelWorkOrderInput:
    number: str
    idempotency_key: str | None = None


@strawberry.type
class CancelWorkOrderSuccess:
    work_order: WorkOrder
    log_position: int
    replayed: bool


CancelWorkOrderResult = result_union("CancelWorkOrderResult", CancelWorkOrderSuccess)


async def cancel_work_order(info: Info, input: CancelWorkOrderInput) -> CancelWorkOrderResult:  # noqa: A002
    return await run_command(
        info,
        lambda app, ctx: app.cancel_work_order(input.number, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: CancelWorkOrderSuccess(
            work_order=work_order_of(conn, out.value.number), log_position=out.position,
            replayed=out.replayed),
    )
