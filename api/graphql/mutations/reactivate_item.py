"""reactivateItem: the item is usable again."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.inventory_types import Item
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import item_of


@strawberry.input
class ReactivateItemInput:
    code: str
    idempotency_key: str | None = None


@strawberry.type
class ReactivateItemSuccess:
    item: Item
    log_position: int
    replayed: bool


ReactivateItemResult = result_union("ReactivateItemResult", ReactivateItemSuccess)


async def reactivate_item(
    info: Info, input: ReactivateItemInput  # noqa: A002
) -> ReactivateItemResult:
    return await run_command(
        info,
        lambda app, ctx: app.set_item_active(input.code, True, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: ReactivateItemSuccess(
            item=item_of(conn, out.value.code),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
