"""endInspectionPlanVersion: end a version of an inspection plan on a day (a new one may follow)."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.mutations._quality import plan_of
from api.graphql.quality_types import InspectionPlan, StageEnum
from domain.quality.plans import Stage


@strawberry.input
class EndInspectionPlanVersionInput:
    item: str
    stage: StageEnum
    operation: str | None = None
    version: str
    effective_to: date
    idempotency_key: str | None = None


@strawberry.type
class EndInspectionPlanVersionSuccess:
    plan: InspectionPlan
    log_position: int
    replayed: bool


EndInspectionPlanVersionResult = result_union("EndInspectionPlanVersionResult",
                                              EndInspectionPlanVersionSuccess)


async def end_inspection_plan_version(
    info: Info, input: EndInspectionPlanVersionInput  # noqa: A002
) -> EndInspectionPlanVersionResult:
    return await run_command(
        info,
        lambda app, ctx: app.end_inspection_plan_version(
            input.item, Stage(input.stage.value), input.version, input.effective_to,
            input.operation or "", ctx=ctx),
        input.idempotency_key,
        lambda conn, out: EndInspectionPlanVersionSuccess(
            plan=plan_of(conn, out.value.key, out.value.version), log_position=out.position,
            replayed=out.replayed),
    )
