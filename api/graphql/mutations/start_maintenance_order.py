"""startMaintenanceOrder: work on a maintenance order begins."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.equipment_types import MaintenanceOrder
from api.graphql.mutations._common import result_union
from api.graphql.mutations._equipment import maintenance_order_of


@strawberry.input
class StartMaintenanceOrderInput:
    number: str
    day: date | None = strawberry.field(default=None, description="Default: today.")
    idempotency_key: str | None = None


@strawberry.type
class StartMaintenanceOrderSuccess:
    maintenance_order: MaintenanceOrder
    log_position: int
    replayed: bool


StartMaintenanceOrderResult = result_union("StartMaintenanceOrderResult",
                                           StartMaintenanceOrderSuccess)


async def start_maintenance_order(info: Info, input: StartMaintenanceOrderInput  # noqa: A002
                                  ) -> StartMaintenanceOrderResult:
    return await run_command(
        info,
        lambda app, ctx: app.start_maintenance_order(input.number, input.day, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: StartMaintenanceOrderSuccess(
            maintenance_order=maintenance_order_of(conn, out.value.number),
            log_position=out.position, replayed=out.replayed),
    )
