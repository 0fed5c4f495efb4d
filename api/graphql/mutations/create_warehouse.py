"""createWarehouse: a warehouse (仓库) with its locations; a quarantine location QC is added."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.inventory_types import Warehouse
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import warehouse_of


@strawberry.input
class CreateWarehouseInput:
    code: str
    name: str
    locations: list[str] | None = strawberry.field(
        default=None, description="Location codes (库位); default MAIN. QC is always added.")
    idempotency_key: str | None = None


@strawberry.type
class CreateWarehouseSuccess:
    warehouse: Warehouse
    log_position: int
    replayed: bool


CreateWarehouseResult = result_union("CreateWarehouseResult", CreateWarehouseSuccess)


async def create_warehouse(
    info: Info, input: CreateWarehouseInput  # noqa: A002
) -> CreateWarehouseResult:
    return await run_command(
        info,
        lambda app, ctx: app.create_warehouse(input.code, input.name, input.locations, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: CreateWarehouseSuccess(
            warehouse=warehouse_of(conn, out.value.code),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
