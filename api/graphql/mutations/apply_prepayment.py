"""applyPrepayment: 预收/预付核销, a customer's Dr 2203 / Cr 1122, a supplier's Dr 220201 / Cr 1123.

Settles invoices from an earlier prepayment (the RV-/PY- that left it).
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
class ApplyPrepaymentInput:
    party: str
    prepayment: str = strawberry.field(
        description="The receipt or payment (RV-/PY-) that left the prepayment.")
    posting_date: date
    allocations: list[AllocationInput]
    memo: str | None = None
    idempotency_key: str | None = None


ApplyPrepaymentResult = result_union("ApplyPrepaymentResult", CashDocumentSuccess)


async def apply_prepayment(
    info: Info, input: ApplyPrepaymentInput  # noqa: A002
) -> ApplyPrepaymentResult:
    allocs = allocations(input.allocations)
    return await run_command(
        info,
        lambda app, ctx: app.apply_prepayment(input.party, input.prepayment, input.posting_date,
                                              allocs, input.memo or "", ctx=ctx),
        input.idempotency_key,
        cash_success,
    )
