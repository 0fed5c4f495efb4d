"""overrideInspection: another decision for a held lot than the computed one, with a reason.

`acceptedQty` of the lot is accepted (it leaves quarantine), the rest is
rejected (a nonconformance report); the computed decision stays on the lot
beside the override and its reason.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.mutations._quality import InspectionPayload, inspection_fields


@strawberry.input
class OverrideInspectionInput:
    number: str
    posting_date: date
    accepted_qty: Decimal
    reason: str
    idempotency_key: str | None = None


@strawberry.type
class OverrideInspectionSuccess(InspectionPayload):
    pass


OverrideInspectionResult = result_union("OverrideInspectionResult", OverrideInspectionSuccess)


async def override_inspection(
    info: Info, input: OverrideInspectionInput  # noqa: A002
) -> OverrideInspectionResult:
    return await run_command(
        info,
        lambda app, ctx: app.override_inspection(input.number, input.posting_date,
                                                 input.accepted_qty, input.reason, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: OverrideInspectionSuccess(**inspection_fields(conn, out)),
    )
