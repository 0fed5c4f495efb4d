"""pauseOperation: pause a running operation; it takes no reports until resumed."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.mutations._production import work_order_of
from api.graphql.production_types import WorkOrder


@strawberry.input
class PauseOperationInput:
    number: str
    op_no: str = strawberry.field(description="OP10, OP20 …")
    idempotency_key: str | None = None


@strawberry.type
class PauseOperationSuccess:
    work_order: WorkOrder
    log_position: int
    replayed: bool


PauseOperationResult = result_union("PauseOperationResult", PauseOperationSuccess)


async def pause_operation(info: Info, input: PauseOperationInput) -> PauseOperationResult:  # noqa: A002
    return await run_command(
        info,
        lambda app, ctx: app.pause_operation(input.number, input.op_no, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: PauseOperationSuccess(
            work_order=work_order_of(conn, out.value.number), log_position=out.position,
            replayed=out.replayed),
    )
