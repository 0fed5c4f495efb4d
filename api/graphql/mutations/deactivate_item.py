"""deactivateItem: no new orders or movements; a used item is never deleted."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.inventory_types import Item
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import item_of


@strawberry.input
class DeactivateItemInput:
    code: str
    idempotency_key: str | None = None


@strawberry.type
class DeactivateItemSuccess:
    item: Item
    log_position: int
    replayed: bool


DeactivateItemResult = result_union("DeactivateItemResult", DeactivateItemSuccess)


async def deactivate_item(
    info: Info, input: DeactivateItemInput  # noqa: A002
) -> DeactivateItemResult:
    return await run_command(
        info,
        lambda app, ctx: app.set_item_active(input.code, False, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: DeactivateItemSuccess(
            item=item_of(conn, out.value.code),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
