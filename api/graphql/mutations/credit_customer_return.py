"""creditCustomerReturn: the red invoice (销货退回) of a customer return for credit, in one step."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.invoicing_types import SalesInvoice
from api.graphql.mutations._common import result_union
from api.graphql.mutations._invoicing import invoice_of


@strawberry.input(description="Each returned line credits, by quantity, the blue invoice's "
                  "lines of the same order line; a return for replacement is refused.")
class CreditCustomerReturnInput:
    return_number: str = strawberry.field(description="The 销售退货 document (RC-…).")
    blue_number: str
    confirmation_no: str = strawberry.field(description="红字发票信息确认单 number.")
    invoice_date: date
    number: str | None = None
    drawer: str = ""
    idempotency_key: str | None = None


@strawberry.type
class CreditCustomerReturnSuccess:
    invoice: SalesInvoice
    blue_invoice: SalesInvoice
    log_position: int
    replayed: bool


CreditCustomerReturnResult = result_union("CreditCustomerReturnResult",
                                          CreditCustomerReturnSuccess)


async def credit_customer_return(
    info: Info, input: CreditCustomerReturnInput  # noqa: A002
) -> CreditCustomerReturnResult:
    def build(conn, out):
        red = invoice_of(conn, out.value.number)
        return CreditCustomerReturnSuccess(
            invoice=red, blue_invoice=invoice_of(conn, red.blue_number),
            log_position=out.position, replayed=out.replayed)

    return await run_command(
        info,
        lambda app, ctx: app.credit_customer_return(
            input.return_number, input.blue_number, input.confirmation_no, input.invoice_date,
            input.number, input.drawer, ctx=ctx),
        input.idempotency_key,
        build,
    )
