"""changeItem: rename, reprice, re-plan… an item; only the fields given change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.inventory_types import Item
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import item_of
from api.graphql.mutations.create_item import PlanningInput

# GraphQL field -> ItemSpec field; the code and the type never change.
CHANGEABLE = ("name", "uom", "lot_tracked", "standard_cost", "default_warehouse", "tax_code",
              "vat_rate", "inventory_account", "spec", "tax_short_name")


@strawberry.input(description="Null or absent fields stay as they are; `planning` replaces "
                  "the whole planning block.")
class ChangeItemInput:
    code: str
    name: str | None = None
    uom: str | None = None
    lot_tracked: bool | None = None
    standard_cost: Decimal | None = None
    default_warehouse: str | None = None
    tax_code: str | None = None
    vat_rate: Decimal | None = None
    inventory_account: str | None = None
    spec: str | None = None
    tax_short_name: str | None = None
    planning: PlanningInput | None = None
    idempotency_key: str | None = None

    def changes(self) -> dict[str, Any]:
        changes = {f: getattr(self, f) for f in CHANGEABLE if getattr(self, f) is not None}
        if self.planning is not None:
            changes["planning"] = self.planning.to_domain()
        return changes


@strawberry.type
class ChangeItemSuccess:
    item: Item
    log_position: int
    replayed: bool


ChangeItemResult = result_union("ChangeItemResult", ChangeItemSuccess)


async def change_item(info: Info, input: ChangeItemInput) -> ChangeItemResult:  # noqa: A002
    changes = input.changes()
    return await run_command(
        info,
        lambda app, ctx: app.change_item(input.code, changes, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: ChangeItemSuccess(
            item=item_of(conn, out.value.code),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
