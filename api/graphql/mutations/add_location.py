"""addLocation: one more location (库位) in a warehouse."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.inventory_types import Warehouse
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import warehouse_of


@strawberry.input
class AddLocationInput:
    warehouse: str
    location: str
    idempotency_key: str | None = None


@strawberry.type
class AddLocationSuccess:
    warehouse: Warehouse
    log_position: int
    replayed: bool


AddLocationResult = result_union("AddLocationResult", AddLocationSuccess)


async def add_location(info: Info, input: AddLocationInput) -> AddLocationResult:  # noqa: A002
    return await run_command(
        info,
        lambda app, ctx: app.add_location(input.warehouse, input.location, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: AddLocationSuccess(
            warehouse=warehouse_of(conn, out.value.code),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
