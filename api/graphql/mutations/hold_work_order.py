"""holdWorkOrder: put a created or released work order on hold."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.mutations._production import work_order_of
from api.graphql.production_types import WorkOrder


@strawberry.input
class HoldWorkOrderInput:
    number: str
    idempotency_key: str | None = None


@strawberry.type
class HoldWorkOrderSuccess:
    work_order: WorkOrder
    log_position: int
    replayed: bool


HoldWorkOrderResult = result_union("HoldWorkOrderResult", HoldWorkOrderSuccess)


async def hold_work_order(info: Info, input: HoldWorkOrderInput) -> HoldWorkOrderResult:  # noqa: A002
    return await run_command(
        info,
        lambda app, ctx: app.hold_work_order(input.number, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: HoldWorkOrderSuccess(
            work_order=work_order_of(conn, out.value.number), log_position=out.position,
            replayed=out.replayed),
    )
