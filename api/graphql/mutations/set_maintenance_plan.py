"""setMaintenancePlan: a preventive plan, every N calendar days and/or every N counted units.

A new plan counts from `day` (default today) and the units counted so far; a
changed one keeps when it was last done. A due plan opens a maintenance order
(on the next count, or by openDueMaintenance)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.equipment_types import MaintenancePlan
from api.graphql.mutations._common import found, result_union
from projections import equipment_queries as eq


@strawberry.input
class SetMaintenancePlanInput:
    equipment: str
    code: str
    description: str
    every_days: int = 0
    every_units: Decimal = Decimal(0)
    day: date | None = None
    idempotency_key: str | None = None


@strawberry.type
class SetMaintenancePlanSuccess:
    plan: MaintenancePlan
    log_position: int
    replayed: bool


SetMaintenancePlanResult = result_union("SetMaintenancePlanResult", SetMaintenancePlanSuccess)


def _plan(conn, equipment: str, code: str) -> MaintenancePlan:
    view = next((p for p in eq.maintenance_plan_list(conn, equipment) if p.code == code), None)
    return MaintenancePlan.from_view(found(view, f"plan {equipment}/{code}"))


async def set_maintenance_plan(info: Info, input: SetMaintenancePlanInput  # noqa: A002
                               ) -> SetMaintenancePlanResult:
    return await run_command(
        info,
        lambda app, ctx: app.set_maintenance_plan(
            input.equipment, input.code, input.description, input.every_days,
            input.every_units, input.day, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: SetMaintenancePlanSuccess(
            plan=_plan(conn, out.value.equipment, out.value.plan), log_position=out.position,
            replayed=out.replayed),
    )
