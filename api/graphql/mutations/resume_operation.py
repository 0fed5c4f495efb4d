"""resumeOperation: resume a paused operation."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.mutations._production import work_order_of
from api.graphql.production_types import WorkOrder


@strawberry.input
class ResumeOperationInput:
    number: str
    op_no: str = strawberry.field(description="OP10, OP20 …")
    idempotency_key: str | None = None


@strawberry.type
class ResumeOperationSuccess:
    work_order: WorkOrder
    log_position: int
    replayed: bool


ResumeOperationResult = result_union("ResumeOperationResult", ResumeOperationSuccess)


async def resume_operation(info: Info, input: ResumeOperationInput) -> ResumeOperationResult:  # noqa: A002
    return await run_command(
        info,
        lambda app, ctx: app.resume_operation(input.number, input.op_no, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: ResumeOperationSuccess(
            work_order=work_order_of(conn, out.value.number), log_position=out.position,
            replayed=out.replayed),
    )
