"""approvePurchaseInvoice: post a held purchase invoice (override, with a reason)."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.purchase_invoicing_types import PurchaseInvoice, invoice_of


@strawberry.input
class ApprovePurchaseInvoiceInput:
    supplier: str
    number: str
    reason: str
    posting_date: date | None = strawberry.field(default=None,
                                                 description="Default: the invoice date.")
    idempotency_key: str | None = None


@strawberry.type
class ApprovePurchaseInvoiceSuccess:
    invoice: PurchaseInvoice
    log_position: int
    replayed: bool


ApprovePurchaseInvoiceResult = result_union("ApprovePurchaseInvoiceResult",
                                            ApprovePurchaseInvoiceSuccess)


async def approve_purchase_invoice(
    info: Info, input: ApprovePurchaseInvoiceInput  # noqa: A002
) -> ApprovePurchaseInvoiceResult:
    return await run_command(
        info,
        lambda app, ctx: app.approve_purchase_invoice(input.supplier, input.number, input.reason,
                                                      input.posting_date, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: ApprovePurchaseInvoiceSuccess(
            invoice=invoice_of(conn, out.value.supplier, out.value.number),
            log_position=out.position, replayed=out.replayed),
    )
