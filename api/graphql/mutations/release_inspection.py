"""releaseInspection: apply the computed decision of an inspection lot held for review."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.mutations._quality import InspectionPayload, inspection_fields


@strawberry.input
class ReleaseInspectionInput:
    number: str
    posting_date: date
    idempotency_key: str | None = None


@strawberry.type
class ReleaseInspectionSuccess(InspectionPayload):
    pass


ReleaseInspectionResult = result_union("ReleaseInspectionResult", ReleaseInspectionSuccess)


async def release_inspection(
    info: Info, input: ReleaseInspectionInput  # noqa: A002
) -> ReleaseInspectionResult:
    return await run_command(
        info,
        lambda app, ctx: app.release_inspection(input.number, input.posting_date, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: ReleaseInspectionSuccess(**inspection_fields(conn, out)),
    )
