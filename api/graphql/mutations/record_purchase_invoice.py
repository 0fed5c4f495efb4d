"""recordPurchaseInvoice: a supplier's 数电票, three-way matched; posted or held.

Posted at once when it matches (Dr 220202, Dr 22210101 / Cr 220201), else
held with its differences listed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.graphql.context import after_command, run_command
from api.graphql.mutations._common import result_union
from api.graphql.purchase_invoicing_types import (
    PurchaseInvoice,
    PurchaseInvoiceStatusEnum,
    PurchaseInvoiceTypeEnum,
    invoice_of,
)
from domain.invoicing.purchase_handlers import PurchaseInvoiceLineInput
from domain.invoicing.purchase_invoices import PurchaseInvoiceType


@strawberry.input(description="An invoice line against receipt line `lineNo` of `receipt`.")
class PurchaseInvoiceLineIn:
    receipt: str
    line_no: int
    qty: Decimal
    unit_price: Decimal = strawberry.field(description="Ex VAT, as on the invoice.")
    vat_rate: Decimal | None = strawberry.field(default=None,
                                                description="Default: the order line's.")
    tax: Decimal | None = strawberry.field(
        default=None, description="As printed; default round(amount x rate, 2).")


@strawberry.input
class RecordPurchaseInvoiceInput:
    supplier: str
    number: str = strawberry.field(description="The 20-digit 数电票 number.")
    invoice_date: date
    invoice_type: PurchaseInvoiceTypeEnum
    lines: list[PurchaseInvoiceLineIn]
    idempotency_key: str | None = None


@strawberry.type
class RecordPurchaseInvoiceSuccess:
    number: str = strawberry.field(description="The invoice's number (from the command).")
    status: PurchaseInvoiceStatusEnum = strawberry.field(
        description="MATCHED, or held for its differences (from the command).")
    log_position: int
    replayed: bool
    supplier: strawberry.Private[str]

    @strawberry.field(description="The invoice, from the read models (waits for logPosition).")
    async def invoice(self, info: Info) -> PurchaseInvoice:
        return await after_command(info, self.log_position,
                                   lambda conn: invoice_of(conn, self.supplier, self.number))


RecordPurchaseInvoiceResult = result_union("RecordPurchaseInvoiceResult",
                                           RecordPurchaseInvoiceSuccess)


async def record_purchase_invoice(
    info: Info, input: RecordPurchaseInvoiceInput  # noqa: A002
) -> RecordPurchaseInvoiceResult:
    lines = [PurchaseInvoiceLineInput(ln.receipt, ln.line_no, ln.qty, ln.unit_price,
                                      ln.vat_rate, ln.tax) for ln in input.lines]
    kind = PurchaseInvoiceType(input.invoice_type.value)
    return await run_command(
        info,
        lambda app, ctx: app.record_purchase_invoice(input.supplier, input.number,
                                                     input.invoice_date, kind, lines, ctx=ctx),
        input.idempotency_key,
        lambda conn, out: RecordPurchaseInvoiceSuccess(
            number=out.value.number, status=PurchaseInvoiceStatusEnum(out.value.status),
            supplier=out.value.supplier,
            log_position=out.position, replayed=out.replayed),
    )
