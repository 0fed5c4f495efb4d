"""confirmSalesInvoice: record the buyer's confirmation of an invoice (用途确认).

Afterwards only a partial red invoice for 销货退回 or 销售折让 may correct it.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.invoicing_types import SalesInvoice
from api.graphql.mutations._common import result_union
from api.graphql.mutations._invoicing import invoice_of


@strawberry.input
class ConfirmSalesInvoiceInput:
    number: str
    idempotency_key: str | None = None


@strawberry.type
class ConfirmSalesInvoiceSuccess:
    invoice: SalesInvoice
    log_position: int
    replayed: bool


ConfirmSalesInvoiceResult = result_union("ConfirmSalesInvoiceResult",
                                         ConfirmSalesInvoiceSuccess)


async def confirm_sales_invoice(
    info: Info, input: ConfirmSalesInvoiceInput  # noqa: A002
) -> ConfirmSalesInvoiceResult:
    return await run_command(
        info,
        lambda app, ctx: app.confirm_sales_invoice(input.number, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: ConfirmSalesInvoiceSuccess(
            invoice=invoice_of(conn, out.value.number),
            log_position=out.position,
            replayed=out.replayed,
        ),
    )
