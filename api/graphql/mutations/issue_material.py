"""issueMaterial: 生产领料 at moving average cost, Dr 400101 / Cr inventory.

Partial issues are fine; issuing beyond the requirement needs a reason.
"""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.mutations._production import (
    MaterialLineInput,
    MaterialMovePayload,
    material_move_fields,
)


@strawberry.input
class IssueMaterialInput:
    number: str
    posting_date: date
    lines: list[MaterialLineInput]
    reason: str | None = strawberry.field(
        default=None, description="Required to issue more than a line still needs.")
    idempotency_key: str | None = None


@strawberry.type
class IssueMaterialSuccess(MaterialMovePayload):
    pass


IssueMaterialResult = result_union("IssueMaterialResult", IssueMaterialSuccess)


async def issue_material(info: Info, input: IssueMaterialInput) -> IssueMaterialResult:  # noqa: A002
    lines = [ln.to_domain() for ln in input.lines]
    return await run_command(
        info,
        lambda app, ctx: app.issue_material(input.number, input.posting_date, lines,
                                            input.reason or "", ctx=ctx),
        input.idempotency_key,
        lambda conn, out: IssueMaterialSuccess(**material_move_fields(out, input.number)),
    )
