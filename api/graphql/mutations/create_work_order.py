"""createWorkOrder: a work order (生产工单) with the BOM and routing in force frozen.

It gets the next WO number; the versions in force on its creation day are frozen."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import after_command, run_command
from api.graphql.mutations._common import result_union
from api.graphql.mutations._production import today, work_order_of
from api.graphql.production_types import WorkOrder


@strawberry.input
class CreateWorkOrderInput:
    item: str
    qty: Decimal
    due_date: date
    created_on: date | None = strawberry.field(
        default=None, description="The business day it is created; default today. The "
        "versions in force that day are frozen.")
    warehouse: str | None = strawberry.field(
        default=None, description="Where completions go; default the item's warehouse.")
    idempotency_key: str | None = None


@strawberry.type
class CreateWorkOrderSuccess:
    number: str = strawberry.field(description="The work order's number (from the command).")
    log_position: int
    replayed: bool

    @strawberry.field(description="The work order, from the read models (waits for logPosition).")
    async def work_order(self, info: Info) -> WorkOrder:
        return await after_command(info, self.log_position,
                                   lambda conn: work_order_of(conn, self.number))


CreateWorkOrderResult = result_union("CreateWorkOrderResult", CreateWorkOrderSuccess)


async def create_work_order(
    info: Info, input: CreateWorkOrderInput  # noqa: A002
) -> CreateWorkOrderResult:
    created_on = input.created_on or today(info)
    return await run_command(
        info,
        lambda app, ctx: app.create_work_order(input.item, input.qty, input.due_date,
                                               created_on, input.warehouse or "", ctx=ctx),
        input.idempotency_key,
        lambda conn, out: CreateWorkOrderSuccess(
            number=out.value.number, log_position=out.position,
            replayed=out.replayed),
    )
