"""setPlanningSettings: the company's planning settings.

``expediteHorizonDays``: MRP pulls a scheduled receipt in (expedite) only
when it is due at most this many days after the day it is needed; a receipt
due later is left where it is and a new order is planned instead, with a
``beyond_horizon`` message naming the receipt passed over."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.planning_types import PlanningSettings


@strawberry.input
class SetPlanningSettingsInput:
    expedite_horizon_days: int = strawberry.field(
        description="Calendar days, 0 to 366 (default 14 until set).")
    idempotency_key: str | None = None


@strawberry.type
class SetPlanningSettingsSuccess:
    settings: PlanningSettings
    log_position: int
    replayed: bool


SetPlanningSettingsResult = result_union("SetPlanningSettingsResult",
                                         SetPlanningSettingsSuccess)


async def set_planning_settings(
    info: Info, input: SetPlanningSettingsInput  # noqa: A002
) -> SetPlanningSettingsResult:
    return await run_command(
        info,
        lambda app, ctx: app.set_planning_settings(input.expedite_horizon_days, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: SetPlanningSettingsSuccess(
            settings=PlanningSettings(expedite_horizon_days=out.value.expedite_horizon_days),
            log_position=out.position, replayed=out.replayed),
    )
