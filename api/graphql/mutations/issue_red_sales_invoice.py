"""issueRedSalesInvoice: a red-letter invoice (红字发票) correcting a blue one, in full or in part.

It posts the blue invoice's accounts with negative amounts and settles its receivable.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.invoicing_types import RedReasonEnum, SalesInvoice
from api.graphql.mutations._common import result_union
from api.graphql.mutations._invoicing import invoice_of
from domain.invoicing.sales_invoices import CreditRequest


@strawberry.input(description="Credit part of a blue line: a qty (销货退回) or an amount ex "
                  "VAT (销售折让).")
class RedLineInput:
    line_no: int = strawberry.field(description="The blue invoice's line.")
    qty: Decimal | None = None
    amount: Decimal | None = None


@strawberry.input
class IssueRedSalesInvoiceInput:
    blue_number: str
    confirmation_no: str = strawberry.field(description="红字发票信息确认单 number.")
    reason: RedReasonEnum
    invoice_date: date
    lines: list[RedLineInput] | None = strawberry.field(
        default=None, description="Null: reverse the whole blue invoice (before the buyer "
        "confirmed it).")
    number: str | None = None
    drawer: str = ""
    idempotency_key: str | None = None


@strawberry.type
class IssueRedSalesInvoiceSuccess:
    invoice: SalesInvoice
    blue_invoice: SalesInvoice
    log_position: int
    replayed: bool


IssueRedSalesInvoiceResult = result_union("IssueRedSalesInvoiceResult",
                                          IssueRedSalesInvoiceSuccess)


async def issue_red_sales_invoice(
    info: Info, input: IssueRedSalesInvoiceInput  # noqa: A002
) -> IssueRedSalesInvoiceResult:
    lines = (None if input.lines is None
             else [CreditRequest(ln.line_no, ln.qty, ln.amount) for ln in input.lines])

    def build(conn, out):
        red = invoice_of(conn, out.value.number)
        return IssueRedSalesInvoiceSuccess(
            invoice=red, blue_invoice=invoice_of(conn, red.blue_number),
            log_position=out.position, replayed=out.replayed)

    return await run_command(
        info,
        lambda app, ctx: app.issue_red_sales_invoice(
            input.blue_number, input.confirmation_no, input.reason, input.invoice_date, lines,
            input.number, input.drawer, ctx=ctx),
        input.idempotency_key,
        build,
    )
