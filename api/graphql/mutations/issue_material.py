"""issueMaterial: 生产领料 at moving average cost, Dr 400101 / Cr inventory.

Partial issues are fine; issuing beyond the requirement needs a reason.
"""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import after_command, run_command
from api.graphql.inventory_types import StockDocument
from api.graphql.mutations._common import result_union
from api.graphql.mutations._production import MaterialLineInput, work_order_of
from api.graphql.mutations._supply import document_of
from api.graphql.production_types import WorkOrder


@strawberry.input
class IssueMaterialInput:
    number: str
    posting_date: date
    lines: list[MaterialLineInput]
    reason: str | None = strawberry.field(
        default=None, description="Required to issue more than a line still needs.")
    idempotency_key: str | None = None


@strawberry.type
class IssueMaterialSuccess:
    number: str = strawberry.field(description="The stock document's number (from the command).")
    voucher_no: str = strawberry.field(description="Its voucher (from the command).")
    log_position: int
    replayed: bool
    work_order_number: strawberry.Private[str]

    @strawberry.field(description="The document, from the read models (waits for logPosition).")
    async def document(self, info: Info) -> StockDocument:
        return await after_command(info, self.log_position,
                                   lambda conn: document_of(conn, self.number))

    @strawberry.field(description="The work order, from the read models (waits for logPosition).")
    async def work_order(self, info: Info) -> WorkOrder:
        return await after_command(info, self.log_position,
                                   lambda conn: work_order_of(conn, self.work_order_number))


IssueMaterialResult = result_union("IssueMaterialResult", IssueMaterialSuccess)


async def issue_material(info: Info, input: IssueMaterialInput) -> IssueMaterialResult:  # noqa: A002
    lines = [ln.to_domain() for ln in input.lines]
    number = input.number.strip().upper()
    return await run_command(
        info,
        lambda app, ctx: app.issue_material(input.number, input.posting_date, lines,
                                            input.reason or "", ctx=ctx),
        input.idempotency_key,
        lambda conn, out: IssueMaterialSuccess(
            number=out.value.number, voucher_no=out.value.voucher_no,
            work_order_number=number, log_position=out.position,
            replayed=out.replayed),
    )
