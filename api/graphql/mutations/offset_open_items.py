"""offsetOpenItems: a red invoice settles the same party's open invoices, no cash moving.

Both on one account (1122 / 220201), so no voucher is posted.
"""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._cash import (
    AllocationInput,
    CashDocumentSuccess,
    allocations,
    cash_success,
)
from api.graphql.mutations._common import result_union


@strawberry.input
class OffsetOpenItemsInput:
    party: str
    credit_document: str = strawberry.field(description="The negative item, e.g. a red invoice.")
    posting_date: date
    allocations: list[AllocationInput]
    memo: str | None = None
    idempotency_key: str | None = None


OffsetOpenItemsResult = result_union("OffsetOpenItemsResult", CashDocumentSuccess)


async def offset_open_items(
    info: Info, input: OffsetOpenItemsInput  # noqa: A002
) -> OffsetOpenItemsResult:
    allocs = allocations(input.allocations)
    return await run_command(
        info,
        lambda app, ctx: app.offset_open_items(input.party, input.credit_document,
                                               input.posting_date, allocs, input.memo or "",
                                               ctx=ctx),
        input.idempotency_key,
        cash_success,
    )
