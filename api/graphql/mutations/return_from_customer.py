"""returnFromCustomer: 销售退货 into stock at the cost it left with, for replacement or credit."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.inventory_types import Order, StockDocument
from api.graphql.mutations._common import result_union
from api.graphql.mutations._supply import MoveLineInput, document_of, move_lines, order_of
from domain.sales.orders import ReturnPurpose

ReturnPurposeEnum = strawberry.enum(ReturnPurpose, name="ReturnPurpose")


@strawberry.input
class ReturnFromCustomerInput:
    number: str
    posting_date: date
    lines: list[MoveLineInput]
    purpose: ReturnPurposeEnum = strawberry.field(
        default=ReturnPurpose.REPLACEMENT,
        description="REPLACEMENT (退货换货): the quantity is open to ship again. CREDIT "
        "(退货退款): the line's quantity comes down by it, nothing reopens, MRP plans "
        "nothing to remake; credit it with creditCustomerReturn.")
    idempotency_key: str | None = None


@strawberry.type
class ReturnFromCustomerSuccess:
    document: StockDocument
    order: Order
    log_position: int
    replayed: bool


ReturnFromCustomerResult = result_union("ReturnFromCustomerResult", ReturnFromCustomerSuccess)


async def return_from_customer(
    info: Info, input: ReturnFromCustomerInput  # noqa: A002
) -> ReturnFromCustomerResult:
    lines = move_lines(input.lines)

    def build(conn, out):
        document = document_of(conn, out.value.number)
        return ReturnFromCustomerSuccess(document=document, order=order_of(conn, document.order),
                          log_position=out.position, replayed=out.replayed)

    return await run_command(
        info,
        lambda app, ctx: app.return_from_customer(input.number, input.posting_date, lines,
                                                  input.purpose, ctx=ctx),
        input.idempotency_key,
        build,
    )
