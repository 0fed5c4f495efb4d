"""releaseWorkOrder: release it, or hold it with its shortage list when short.

A hold raises an alert; once the materials arrive it shows as releasable
(物料到库后再排产)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.mutations._production import work_order_of
from api.graphql.production_types import Shortage, WorkOrder, WorkOrderStatusEnum


@strawberry.input
class ReleaseWorkOrderInput:
    number: str
    idempotency_key: str | None = None


@strawberry.type
class ReleaseWorkOrderSuccess:
    status: WorkOrderStatusEnum = strawberry.field(description="RELEASED, or HELD when short.")
    shortages: list[Shortage] = strawberry.field(
        description="What is short (needed, available); empty when released.")
    work_order: WorkOrder
    log_position: int
    replayed: bool


ReleaseWorkOrderResult = result_union("ReleaseWorkOrderResult", ReleaseWorkOrderSuccess)


async def release_work_order(
    info: Info, input: ReleaseWorkOrderInput  # noqa: A002
) -> ReleaseWorkOrderResult:
    def build(conn, out):
        wo = work_order_of(conn, out.value.number)
        return ReleaseWorkOrderSuccess(status=wo.status, shortages=wo.shortages, work_order=wo,
                                       log_position=out.position, replayed=out.replayed)

    return await run_command(
        info,
        lambda app, ctx: app.release_work_order(input.number, ctx=ctx),
        input.idempotency_key,
        build,
    )
