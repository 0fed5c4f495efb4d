"""setViewerReadAreas: what the viewer role may read (a company setting; admin only).

Areas: master-data, orders, stock, production, planning, costing, ledger, cash,
invoices (see docs/security.md). Until set, a viewer reads master-data and
production.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union


@strawberry.input
class SetViewerReadAreasInput:
    areas: list[str] = strawberry.field(description="The read areas a viewer may read; "
                                        "empty: nothing.")
    idempotency_key: str | None = None


@strawberry.type
class SetViewerReadAreasSuccess:
    areas: list[str]
    log_position: int
    replayed: bool


SetViewerReadAreasResult = result_union("SetViewerReadAreasResult", SetViewerReadAreasSuccess)


async def set_viewer_read_areas(
    info: Info, input: SetViewerReadAreasInput  # noqa: A002
) -> SetViewerReadAreasResult:
    return await run_command(
        info,
        lambda app, ctx: app.set_viewer_read_areas(input.areas, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: SetViewerReadAreasSuccess(
            areas=list(out.value.areas), log_position=out.position, replayed=out.replayed),
    )
