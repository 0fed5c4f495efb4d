"""approveSuppliers: an item's approved suppliers (合格供方名录), the preferred first.

Quality keeps the list (role inspector): each supplier is a registered
party with the supplier role, listed once; an empty list withdraws every
approval. MRP proposes, for a planned purchase of the item, the first of
them not flagged for incoming quality (supplierFlags), the preferred one
with a suppliers_flagged message when every one is flagged.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.quality_types import ApprovedSupplier
from projections import quality_queries as qq


@strawberry.input
class ApproveSuppliersInput:
    item: str
    suppliers: list[str] = strawberry.field(description="Supplier codes, the preferred first.")
    idempotency_key: str | None = None


@strawberry.type
class ApproveSuppliersSuccess:
    item: str
    suppliers: list[ApprovedSupplier]
    log_position: int
    replayed: bool


ApproveSuppliersResult = result_union("ApproveSuppliersResult", ApproveSuppliersSuccess)


async def approve_suppliers(
    info: Info, input: ApproveSuppliersInput  # noqa: A002
) -> ApproveSuppliersResult:
    return await run_command(
        info,
        lambda app, ctx: app.approve_suppliers(input.item, list(input.suppliers), ctx=ctx),
        input.idempotency_key,
        lambda conn, out: ApproveSuppliersSuccess(
            item=out.value.item,
            suppliers=[ApprovedSupplier.from_view(v)
                       for v in qq.approved_supplier_views(conn, out.value.item)],
            log_position=out.position, replayed=out.replayed),
    )
