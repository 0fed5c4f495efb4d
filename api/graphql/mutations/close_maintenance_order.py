"""closeMaintenanceOrder: the work is done; a plan's order resets the plan (days, units)."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.equipment_types import MaintenanceOrder
from api.graphql.mutations._common import result_union
from api.graphql.mutations._equipment import maintenance_order_of


@strawberry.input
class CloseMaintenanceOrderInput:
    number: str
    day: date | None = strawberry.field(default=None, description="Default: today.")
    note: str | None = None
    idempotency_key: str | None = None


@strawberry.type
class CloseMaintenanceOrderSuccess:
    maintenance_order: MaintenanceOrder
    log_position: int
    replayed: bool


CloseMaintenanceOrderResult = result_union("CloseMaintenanceOrderResult",
                                           CloseMaintenanceOrderSuccess)


async def close_maintenance_order(info: Info, input: CloseMaintenanceOrderInput  # noqa: A002
                                  ) -> CloseMaintenanceOrderResult:
    return await run_command(
        info,
        lambda app, ctx: app.close_maintenance_order(input.number, input.day,
                                                   input.note or "", ctx=ctx),
        input.idempotency_key,
        lambda conn, out: CloseMaintenanceOrderSuccess(
            maintenance_order=maintenance_order_of(conn, out.value.number),
            log_position=out.position, replayed=out.replayed),
    )
