"""GraphQL types of purchase invoices (进项发票) and their three-way match.

Amounts to the cent, quantities without trailing zeros, unit prices with at
least 2 places (see inventory_types)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum

import strawberry

from api.graphql.inventory_types import price, qty
from projections import purchase_invoicing_queries as pq


@strawberry.enum(description="专用发票 (special: input VAT deductible) or 普通发票 (ordinary).")
class PurchaseInvoiceTypeEnum(Enum):
    SPECIAL = "special"
    ORDINARY = "ordinary"


@strawberry.enum(description="matched (posted at once), held (differences listed, not "
                 "posted), approved (held, then posted by an accountant), cancelled.")
class PurchaseInvoiceStatusEnum(Enum):
    MATCHED = "matched"
    HELD = "held"
    APPROVED = "approved"
    CANCELLED = "cancelled"


@strawberry.type
class PurchaseInvoiceLine:
    line_no: int
    receipt: str
    receipt_line: int
    order: str
    order_line: int
    item: str
    warehouse: str
    qty: Decimal
    unit_price: Decimal
    amount: Decimal
    vat_rate: Decimal
    tax: Decimal

    @classmethod
    def from_view(cls, v: pq.InvoiceLineView) -> PurchaseInvoiceLine:
        return cls(line_no=v.line_no, receipt=v.receipt, receipt_line=v.receipt_line,
                   order=v.order, order_line=v.order_line, item=v.item, warehouse=v.warehouse,
                   qty=qty(v.qty), unit_price=price(v.unit_price), amount=v.amount,
                   vat_rate=v.vat_rate, tax=v.tax)


@strawberry.type(description="A three-way-match difference: kind qty, price, tax or vat_rate.")
class MatchDifference:
    line_no: int
    kind: str
    expected: str
    actual: str


@strawberry.type(description="Where part of a line's price difference went: target stock "
                 "(item@warehouse), wip (work order/material line) or cost (5401).")
class PriceDifferenceShare:
    line_no: int
    target: str
    reference: str
    account: str
    qty: Decimal
    amount: Decimal


@strawberry.type
class PurchaseInvoice:
    supplier: str
    number: str
    invoice_date: date
    invoice_type: PurchaseInvoiceTypeEnum
    due_date: date
    status: PurchaseInvoiceStatusEnum
    amount: Decimal
    tax: Decimal
    gross: Decimal = strawberry.field(description="价税合计")
    estimate_relieved: Decimal = strawberry.field(description="220202 暂估应付 relieved")
    price_difference: Decimal
    posting_date: date | None
    entry_id: str
    voucher_no: str
    reason: str
    lines: list[PurchaseInvoiceLine]
    differences: list[MatchDifference]
    price_differences: list[PriceDifferenceShare]

    @classmethod
    def from_view(cls, v: pq.PurchaseInvoiceView) -> PurchaseInvoice:
        return cls(
            supplier=v.supplier, number=v.number, invoice_date=v.invoice_date,
            invoice_type=PurchaseInvoiceTypeEnum(v.invoice_type), due_date=v.due_date,
            status=PurchaseInvoiceStatusEnum(v.status), amount=v.amount, tax=v.tax,
            gross=v.gross, estimate_relieved=v.estimate, price_difference=v.price_difference,
            posting_date=v.posting_date, entry_id=v.entry_id, voucher_no=v.voucher_no,
            reason=v.reason, lines=[PurchaseInvoiceLine.from_view(x) for x in v.lines],
            differences=[MatchDifference(line_no=d.line_no, kind=d.kind, expected=d.expected,
                                         actual=d.actual) for d in v.differences],
            price_differences=[PriceDifferenceShare(
                line_no=p.line_no, target=p.target, reference=p.reference, account=p.account,
                qty=qty(p.qty), amount=p.amount) for p in v.price_differences])


@strawberry.type(description="A receipt line not yet invoiced in full.")
class UninvoicedReceiptLine:
    receipt: str
    line_no: int
    posting_date: date
    order: str
    order_line: int
    item: str
    warehouse: str
    received: Decimal
    invoiced: Decimal
    open_qty: Decimal
    value: Decimal

    @classmethod
    def from_view(cls, v: pq.UninvoicedLineView) -> UninvoicedReceiptLine:
        return cls(receipt=v.receipt, line_no=v.line_no, posting_date=v.posting_date,
                   order=v.order, order_line=v.order_line, item=v.item, warehouse=v.warehouse,
                   received=qty(v.received), invoiced=qty(v.invoiced), open_qty=qty(v.open_qty),
                   value=v.value)


def invoice_of(conn, supplier: str, number: str) -> PurchaseInvoice:
    """The invoice a mutation just wrote, read back from the read models."""
    from api.graphql.mutations._common import found

    view = found(pq.purchase_invoice(conn, supplier, number),
                 f"purchase invoice {supplier}/{number}")
    return PurchaseInvoice.from_view(view)
