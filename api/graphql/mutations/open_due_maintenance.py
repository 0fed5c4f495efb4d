"""openDueMaintenance: an order for every preventive plan due on a day and without one open."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.equipment_types import MaintenanceOrder
from api.graphql.mutations._common import result_union
from api.graphql.mutations._equipment import maintenance_order_of


@strawberry.input
class OpenDueMaintenanceInput:
    day: date | None = strawberry.field(default=None, description="Default: today.")
    idempotency_key: str | None = None


@strawberry.type
class OpenDueMaintenanceSuccess:
    maintenance_orders: list[MaintenanceOrder]
    log_position: int
    replayed: bool


OpenDueMaintenanceResult = result_union("OpenDueMaintenanceResult", OpenDueMaintenanceSuccess)


async def open_due_maintenance(info: Info, input: OpenDueMaintenanceInput  # noqa: A002
                               ) -> OpenDueMaintenanceResult:
    return await run_command(
        info,
        lambda app, ctx: app.open_due_maintenance(input.day, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: OpenDueMaintenanceSuccess(
            maintenance_orders=[maintenance_order_of(conn, n)
                                for n in out.value.orders.split(",") if n],
            log_position=out.position, replayed=out.replayed),
    )
