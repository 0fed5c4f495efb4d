"""cancelPurchaseInvoice: cancel a held purchase invoice (reason required)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import run_command
from api.graphql.mutations._common import result_union
from api.graphql.purchase_invoicing_types import PurchaseInvoice, invoice_of


@strawberry.input
class CancelPurchaseInvoiceInput:
    supplier: str
    number: str
    reason: str
    idempotency_key: str | None = None


@strawberry.type
class CancelPurchaseInvoiceSuccess:
    invoice: PurchaseInvoice
    log_position: int
    replayed: bool


CancelPurchaseInvoiceResult = result_union("CancelPurchaseInvoiceResult",
                                           CancelPurchaseInvoiceSuccess)


async def cancel_purchase_invoice(
    info: Info, input: CancelPurchaseInvoiceInput  # noqa: A002
) -> CancelPurchaseInvoiceResult:
    return await run_command(
        info,
        lambda app, ctx: app.cancel_purchase_invoice(input.supplier, input.number, input.reason,
                                                     ctx=ctx),
        input.idempotency_key,
        lambda conn, out: CancelPurchaseInvoiceSuccess(
            invoice=invoice_of(conn, out.value.supplier, out.value.number),
            log_position=out.position, replayed=out.replayed),
    )
