"""planMaintenanceWindow: when an open maintenance order will stop its machine;
finite scheduling keeps that time free on the machine's work center."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.equipment_types import MaintenanceOrder
from api.graphql.mutations._common import result_union
from api.graphql.mutations._equipment import maintenance_order_of


@strawberry.input
class PlanMaintenanceWindowInput:
    number: str
    start: datetime = strawberry.field(
        description="When the work starts, on the company's wall clock (an offset, if "
        "given, is dropped: the schedule's clock is the company's).")
    hours: Decimal = strawberry.field(description="How long it stops the machine (≤ 168).")
    idempotency_key: str | None = None


@strawberry.type
class PlanMaintenanceWindowSuccess:
    maintenance_order: MaintenanceOrder
    log_position: int
    replayed: bool


PlanMaintenanceWindowResult = result_union("PlanMaintenanceWindowResult",
                                           PlanMaintenanceWindowSuccess)


async def plan_maintenance_window(info: Info, input: PlanMaintenanceWindowInput  # noqa: A002
                                  ) -> PlanMaintenanceWindowResult:
    return await run_command(
        info,
        lambda app, ctx: app.plan_maintenance_window(input.number, input.start, input.hours,
                                                     ctx=ctx),
        input.idempotency_key,
        lambda conn, out: PlanMaintenanceWindowSuccess(
            maintenance_order=maintenance_order_of(conn, out.value.number),
            log_position=out.position, replayed=out.replayed),
    )
