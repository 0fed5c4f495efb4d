"""saveInspectionPlan: a new version of an item's inspection plan (incoming, in-process or final).

Versions never change and never overlap (end one first with
endInspectionPlanVersion); a lot freezes the version in force on its day.
"""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.mutations._quality import CharacteristicInput, SamplingInput, plan_of
from api.graphql.quality_types import InspectionPlan, StageEnum
from domain.quality.plans import PlanVersion, Stage


@strawberry.input
class SaveInspectionPlanInput:
    item: str
    stage: StageEnum
    operation: str | None = strawberry.field(
        default=None, description="In-process plans: the routing operation (OP10).")
    version: str
    effective_from: date
    effective_to: date | None = None
    characteristics: list[CharacteristicInput]
    sampling: SamplingInput
    blocks_next: bool = strawberry.field(
        default=False, description="In-process: the next operation waits until the lot passes.")
    description: str | None = None
    idempotency_key: str | None = None


@strawberry.type
class SaveInspectionPlanSuccess:
    plan: InspectionPlan
    log_position: int
    replayed: bool


SaveInspectionPlanResult = result_union("SaveInspectionPlanResult", SaveInspectionPlanSuccess)


async def save_inspection_plan(
    info: Info, input: SaveInspectionPlanInput  # noqa: A002
) -> SaveInspectionPlanResult:
    version = PlanVersion(input.version, input.effective_from, input.effective_to,
                          tuple(c.to_domain() for c in input.characteristics),
                          input.sampling.to_domain(), input.blocks_next,
                          input.description or "")
    return await run_command(
        info,
        lambda app, ctx: app.save_inspection_plan(input.item, Stage(input.stage.value), version,
                                                  input.operation or "", ctx=ctx),
        input.idempotency_key,
        lambda conn, out: SaveInspectionPlanSuccess(
            plan=plan_of(conn, out.value.key, out.value.version), log_position=out.position,
            replayed=out.replayed),
    )
