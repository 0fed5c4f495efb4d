"""releaseWorkOrder: release it, or hold it with its shortage list when short.

A hold raises an alert; once the materials arrive it shows as releasable
(物料到库后再排产)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import after_command, run_command
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
    number: str = strawberry.field(description="The work order's number (from the command).")
    log_position: int
    replayed: bool

    @strawberry.field(description="What is short (needed, available); empty when released "
                      "(read models; selecting it waits for logPosition).")
    async def shortages(self, info: Info) -> list[Shortage]:
        return await after_command(info, self.log_position,
                                   lambda conn: work_order_of(conn, self.number).shortages)

    @strawberry.field(description="The work order, from the read models (waits for logPosition).")
    async def work_order(self, info: Info) -> WorkOrder:
        return await after_command(info, self.log_position,
                                   lambda conn: work_order_of(conn, self.number))


ReleaseWorkOrderResult = result_union("ReleaseWorkOrderResult", ReleaseWorkOrderSuccess)


async def release_work_order(
    info: Info, input: ReleaseWorkOrderInput  # noqa: A002
) -> ReleaseWorkOrderResult:
    def build(conn, out):
        return ReleaseWorkOrderSuccess(status=WorkOrderStatusEnum(out.value.status),
                                       number=out.value.number, log_position=out.position,
                                       replayed=out.replayed)

    return await run_command(
        info,
        lambda app, ctx: app.release_work_order(input.number, ctx=ctx),
        input.idempotency_key,
        build,
    )
