"""Queries over the purchase-invoice read models (money in Decimal, quantities
in Decimal, from the integer columns)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, and_, func, select

from domain.money import from_cents, from_micros
from projections.tables import (
    purchase_invoice_differences,
    purchase_invoice_lines,
    purchase_invoice_price_differences,
    purchase_invoices,
    stock_document_lines,
    stock_documents,
)


@dataclass(frozen=True)
class InvoiceLineView:
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


@dataclass(frozen=True)
class DifferenceView:
    line_no: int
    kind: str
    expected: str
    actual: str


@dataclass(frozen=True)
class PriceDifferenceView:
    line_no: int
    target: str
    reference: str
    account: str
    qty: Decimal
    amount: Decimal


@dataclass(frozen=True)
class PurchaseInvoiceView:
    supplier: str
    number: str
    invoice_date: date
    invoice_type: str
    due_date: date
    status: str
    amount: Decimal
    tax: Decimal
    gross: Decimal
    estimate: Decimal  # 220202 relieved
    price_difference: Decimal
    posting_date: date | None
    entry_id: str
    voucher_no: str
    reason: str
    actor: str
    position: int
    lines: tuple[InvoiceLineView, ...] = ()
    differences: tuple[DifferenceView, ...] = ()
    price_differences: tuple[PriceDifferenceView, ...] = ()


@dataclass(frozen=True)
class UninvoicedLineView:
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
    value: Decimal  # receipt value of the whole line (at order price)


def _header(r) -> PurchaseInvoiceView:
    return PurchaseInvoiceView(
        r.supplier, r.number, r.invoice_date, r.invoice_type, r.due_date, r.status,
        from_cents(r.amount_cents), from_cents(r.tax_cents), from_cents(r.gross_cents),
        from_cents(r.estimate_cents), from_cents(r.price_difference_cents), r.posting_date,
        r.entry_id, r.voucher_no, r.reason, r.actor, r.position)


def purchase_invoices_list(conn: Connection, supplier: str | None = None,
                           status: str | None = None, limit: int = 200,
                           after: int | None = None) -> list[PurchaseInvoiceView]:
    """Invoices newest first (by log position), optionally of one supplier or status."""
    pi = purchase_invoices.c
    q = select(purchase_invoices)
    if supplier:
        q = q.where(pi.supplier == supplier.strip().upper())
    if status:
        q = q.where(pi.status == status)
    if after is not None:
        q = q.where(pi.position < after)
    rows = conn.execute(q.order_by(pi.position.desc()).limit(limit)).all()
    return [_header(r) for r in rows]


def purchase_invoice(conn: Connection, supplier: str, number: str) -> PurchaseInvoiceView | None:
    supplier, number = (supplier or "").strip().upper(), (number or "").strip()
    pi = purchase_invoices.c
    r = conn.execute(select(purchase_invoices).where(
        and_(pi.supplier == supplier, pi.number == number))).one_or_none()
    if r is None:
        return None
    pl, pd, pp = (purchase_invoice_lines.c, purchase_invoice_differences.c,
                  purchase_invoice_price_differences.c)
    lines = tuple(
        InvoiceLineView(x.line_no, x.receipt, x.receipt_line, x.order_no, x.order_line, x.item,
                        x.warehouse, from_micros(x.qty_micros), Decimal(x.unit_price),
                        from_cents(x.amount_cents), Decimal(x.vat_rate), from_cents(x.tax_cents))
        for x in conn.execute(select(purchase_invoice_lines).where(
            and_(pl.supplier == supplier, pl.number == number)).order_by(pl.line_no)))
    differences = tuple(
        DifferenceView(x.line_no, x.kind, x.expected, x.actual)
        for x in conn.execute(select(purchase_invoice_differences).where(
            and_(pd.supplier == supplier, pd.number == number)).order_by(pd.seq)))
    spread = tuple(
        PriceDifferenceView(x.line_no, x.target, x.reference, x.account,
                            from_micros(x.qty_micros), from_cents(x.amount_cents))
        for x in conn.execute(select(purchase_invoice_price_differences).where(
            and_(pp.supplier == supplier, pp.number == number)).order_by(pp.seq)))
    from dataclasses import replace

    return replace(_header(r), lines=lines, differences=differences, price_differences=spread)


def uninvoiced_receipts(conn: Connection, supplier: str) -> list[UninvoicedLineView]:
    """Receipt lines of a supplier not yet invoiced in full (by posted invoices)."""
    sd, sl, pl = stock_documents.c, stock_document_lines.c, purchase_invoice_lines.c
    invoiced = (select(pl.receipt, pl.receipt_line, func.sum(pl.qty_micros).label("micros"))
                .where(pl.posted.is_(True)).group_by(pl.receipt, pl.receipt_line).subquery())
    q = (select(sd.number, sd.posting_date, sd.order_no, sl.line_no, sl.order_line, sl.item,
                sl.warehouse, sl.qty_micros, sl.value_cents,
                func.coalesce(invoiced.c.micros, 0).label("invoiced"))
         .join(stock_document_lines, sl.number == sd.number)
         .outerjoin(invoiced, and_(invoiced.c.receipt == sl.number,
                                   invoiced.c.receipt_line == sl.line_no))
         .where(and_(sd.kind == "receipt", sd.party == (supplier or "").strip().upper()))
         .order_by(sd.position, sl.line_no))
    out = []
    for r in conn.execute(q):
        open_micros = r.qty_micros - int(r.invoiced)
        if open_micros > 0:
            out.append(UninvoicedLineView(
                r.number, r.line_no, r.posting_date, r.order_no, r.order_line, r.item,
                r.warehouse, from_micros(r.qty_micros), from_micros(int(r.invoiced)),
                from_micros(open_micros), from_cents(r.value_cents)))
    return out
