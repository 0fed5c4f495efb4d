"""saveRouting: a new version of an item's routing (工艺路线).

Operations at work centers with setup and run hours."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.mutations._production import RoutingOperationInput, routing_of
from api.graphql.production_types import Routing


@strawberry.input
class SaveRoutingInput:
    item: str
    version: str
    effective_from: date
    operations: list[RoutingOperationInput]
    effective_to: date | None = None
    idempotency_key: str | None = None


@strawberry.type
class SaveRoutingSuccess:
    routing: Routing
    log_position: int
    replayed: bool


SaveRoutingResult = result_union("SaveRoutingResult", SaveRoutingSuccess)


async def save_routing(info: Info, input: SaveRoutingInput) -> SaveRoutingResult:  # noqa: A002
    operations = [op.to_domain() for op in input.operations]
    return await run_command(
        info,
        lambda app, ctx: app.save_routing(input.item, input.version, input.effective_from,
                                          operations, input.effective_to, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: SaveRoutingSuccess(
            routing=routing_of(conn, out.value.code), log_position=out.position,
            replayed=out.replayed),
    )
