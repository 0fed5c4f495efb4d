"""returnMaterial: 退料, unused material back into stock at its issue value.

Dr inventory / Cr 400101.
"""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.inventory_types import StockDocument
from api.graphql.mutations._common import result_union
from api.graphql.mutations._production import MaterialLineInput, work_order_of
from api.graphql.mutations._supply import document_of
from api.graphql.production_types import WorkOrder


@strawberry.input
class ReturnMaterialInput:
    number: str
    posting_date: date
    lines: list[MaterialLineInput]
    idempotency_key: str | None = None


@strawberry.type
class ReturnMaterialSuccess:
    document: StockDocument
    work_order: WorkOrder
    log_position: int
    replayed: bool


ReturnMaterialResult = result_union("ReturnMaterialResult", ReturnMaterialSuccess)


async def return_material(
    info: Info, input: ReturnMaterialInput  # noqa: A002
) -> ReturnMaterialResult:
    lines = [ln.to_domain() for ln in input.lines]
    number = input.number.strip().upper()
    return await run_command(
        info,
        lambda app, ctx: app.return_material(input.number, input.posting_date, lines, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: ReturnMaterialSuccess(
            document=document_of(conn, out.value.number),
            work_order=work_order_of(conn, number), log_position=out.position,
            replayed=out.replayed),
    )
