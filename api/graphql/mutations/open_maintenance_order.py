"""openMaintenanceOrder: a corrective maintenance order (维修工单) opened by hand.

A breakdown recorded as a state opens one by itself."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.equipment_types import MaintenanceOrder
from api.graphql.mutations._common import result_union
from api.graphql.mutations._equipment import maintenance_order_of


@strawberry.input
class OpenMaintenanceOrderInput:
    equipment: str
    description: str
    day: date | None = strawberry.field(default=None, description="Default: today.")
    reason: str | None = strawberry.field(default=None,
                                          description="A downtime reason of the company.")
    idempotency_key: str | None = None


@strawberry.type
class OpenMaintenanceOrderSuccess:
    maintenance_order: MaintenanceOrder
    log_position: int
    replayed: bool


OpenMaintenanceOrderResult = result_union("OpenMaintenanceOrderResult",
                                          OpenMaintenanceOrderSuccess)


async def open_maintenance_order(info: Info, input: OpenMaintenanceOrderInput  # noqa: A002
                                 ) -> OpenMaintenanceOrderResult:
    return await run_command(
        info,
        lambda app, ctx: app.open_maintenance_order(
            input.equipment, input.description, input.day, input.reason or "", ctx=ctx),
        input.idempotency_key,
        lambda conn, out: OpenMaintenanceOrderSuccess(
            maintenance_order=maintenance_order_of(conn, out.value.number),
            log_position=out.position, replayed=out.replayed),
    )
