"""issueSalesInvoice: a sales invoice (数电票) over shipped lines of one customer.

Posts Dr 1122 应收账款 / Cr 5001 主营业务收入, Cr 22210102 销项税额 and opens the
receivable in the same save.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import after_command, run_command
from api.graphql.invoicing_types import InvoiceTypeEnum, SalesInvoice
from api.graphql.mutations._common import result_union
from api.graphql.mutations._invoicing import invoice_of
from domain.invoicing.sales_handlers import InvoiceLineInput
from domain.invoicing.sales_invoices import InvoiceType


@strawberry.input(description="Invoice qty of one shipment line; price and VAT rate come from "
                  "its sales-order line.")
class SalesInvoiceLineInput:
    shipment: str
    line_no: int
    qty: Decimal


@strawberry.input
class IssueSalesInvoiceInput:
    customer: str
    invoice_date: date
    lines: list[SalesInvoiceLineInput]
    invoice_type: InvoiceTypeEnum = InvoiceType.SPECIAL
    remark: str = ""
    drawer: str = strawberry.field(default="", description="开票人; default: who asks.")
    number: str | None = strawberry.field(
        default=None, description="A 20-digit number; default: the next of the year.")
    idempotency_key: str | None = None


@strawberry.type
class IssueSalesInvoiceSuccess:
    number: str = strawberry.field(description="The invoice's number (from the command).")
    log_position: int
    replayed: bool

    @strawberry.field(description="The invoice, from the read models (waits for logPosition).")
    async def invoice(self, info: Info) -> SalesInvoice:
        return await after_command(info, self.log_position,
                                   lambda conn: invoice_of(conn, self.number))


IssueSalesInvoiceResult = result_union("IssueSalesInvoiceResult", IssueSalesInvoiceSuccess)


async def issue_sales_invoice(
    info: Info, input: IssueSalesInvoiceInput  # noqa: A002
) -> IssueSalesInvoiceResult:
    lines = [InvoiceLineInput(ln.shipment, ln.line_no, ln.qty) for ln in input.lines]
    return await run_command(
        info,
        lambda app, ctx: app.issue_sales_invoice(
            input.customer, input.invoice_date, lines, input.invoice_type, input.remark,
            input.drawer, input.number, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: IssueSalesInvoiceSuccess(
            number=out.value.number,
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
