"""Queries over the sales-invoice read models: the register, one invoice with
its lines, the uninvoiced shipment lines of a customer, the seller's profile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, and_, select

from domain.money import from_cents, from_micros
from projections.inventory_queries import period_bounds
from projections.invoicing import PROFILE_KEY
from projections.ledger_queries import decode_cursor, encode_cursor
from projections.tables import (
    company_profile,
    items,
    order_lines,
    parties,
    sales_billing,
    sales_invoice_lines,
    sales_invoices,
    stock_document_lines,
    stock_documents,
)


@dataclass(frozen=True)
class InvoiceLineView:
    line_no: int
    item: str
    item_name: str
    tax_code: str
    spec: str
    unit: str
    qty: Decimal
    unit_price: Decimal
    amount: Decimal
    vat_rate: Decimal
    tax: Decimal
    shipment: str
    shipment_line: int
    order: str
    order_line: int
    blue_line: int
    credited_qty: Decimal
    credited_amount: Decimal
    credited_tax: Decimal


@dataclass(frozen=True)
class InvoiceView:
    number: str
    invoice_type: str
    color: str
    blue_number: str
    confirmation_no: str
    red_reason: int
    customer: str
    buyer_name: str
    buyer_uscc: str
    seller_name: str
    seller_uscc: str
    invoice_date: date
    due_date: date
    amount: Decimal
    tax: Decimal
    total: Decimal
    amount_in_words: str
    remark: str
    drawer: str
    confirmed: bool
    credited_amount: Decimal
    credited_tax: Decimal
    status: str
    entry_id: str
    voucher_no: str
    position: int
    lines: list[InvoiceLineView]

    @property
    def credited_total(self) -> Decimal:
        return self.credited_amount + self.credited_tax


def _line_view(r) -> InvoiceLineView:
    return InvoiceLineView(
        r.line_no, r.item, r.item_name, r.tax_code, r.spec, r.unit, from_micros(r.qty_micros),
        Decimal(r.unit_price), from_cents(r.amount_cents), Decimal(r.vat_rate),
        from_cents(r.tax_cents), r.shipment, r.shipment_line, r.order_no, r.order_line,
        r.blue_line, from_micros(r.credited_qty_micros), from_cents(r.credited_amount_cents),
        from_cents(r.credited_tax_cents))


def invoices_page(conn: Connection, *, customer: str | None = None, period: str | None = None,
                  color: str | None = None, status: str | None = None,
                  number: str | None = None, blue_number: str | None = None, first: int = 50,
                  after: str | None = None) -> tuple[list[InvoiceView], bool, str | None]:
    """Sales invoices in the order they were issued, with their lines."""
    s = sales_invoices
    q = select(s).order_by(s.c.position).limit(first + 1)
    for col, value in ((s.c.customer, customer), (s.c.color, color), (s.c.status, status),
                       (s.c.number, number), (s.c.blue_number, blue_number)):
        if value:
            q = q.where(col == value)
    if period:
        start, end = period_bounds(period)
        q = q.where(s.c.invoice_date.between(start, end))
    if after:
        q = q.where(s.c.position > decode_cursor(after))
    rows = conn.execute(q).all()
    has_next = len(rows) > first
    rows = rows[:first]
    lines: dict[str, list[InvoiceLineView]] = {r.number: [] for r in rows}
    if rows:
        ln = sales_invoice_lines
        for r in conn.execute(select(ln).where(ln.c.number.in_(list(lines)))
                              .order_by(ln.c.number, ln.c.line_no)):
            lines[r.number].append(_line_view(r))
    views = [InvoiceView(
        r.number, r.invoice_type, r.color, r.blue_number, r.confirmation_no, r.red_reason,
        r.customer, r.buyer_name, r.buyer_uscc, r.seller_name, r.seller_uscc, r.invoice_date,
        r.due_date, from_cents(r.amount_cents), from_cents(r.tax_cents),
        from_cents(r.total_cents), r.amount_in_words, r.remark, r.drawer, r.confirmed,
        from_cents(r.credited_amount_cents), from_cents(r.credited_tax_cents), r.status,
        r.entry_id, r.voucher_no, r.position, lines[r.number]) for r in rows]
    return views, has_next, (encode_cursor(rows[-1].position) if rows else None)


def invoice(conn: Connection, number: str) -> InvoiceView | None:
    views, _, _ = invoices_page(conn, number=number, first=1)
    return views[0] if views else None


def red_invoices_of(conn: Connection, blue_number: str) -> list[str]:
    s = sales_invoices
    return [n for (n,) in conn.execute(select(s.c.number).where(s.c.blue_number == blue_number)
                                       .order_by(s.c.position))]


@dataclass(frozen=True)
class UninvoicedLineView:
    shipment: str
    line_no: int
    shipped_on: date
    customer: str
    customer_name: str
    order: str
    order_line: int
    item: str
    item_name: str
    unit: str
    shipped: Decimal
    invoiced: Decimal
    unit_price: Decimal
    vat_rate: Decimal

    @property
    def uninvoiced(self) -> Decimal:
        return self.shipped - self.invoiced


def uninvoiced_shipments(conn: Connection, customer: str | None = None
                         ) -> list[UninvoicedLineView]:
    """Shipment lines not (fully) invoiced yet, oldest first; the price and rate
    the invoice will take come from the sales-order line."""
    d, dl, b, ol = stock_documents, stock_document_lines, sales_billing, order_lines
    q = (select(d.c.number, d.c.posting_date, d.c.party, d.c.order_no, dl.c.line_no,
                dl.c.order_line, dl.c.item, dl.c.qty_micros, b.c.invoiced_micros,
                ol.c.unit_price, ol.c.vat_rate, items.c.name.label("item_name"),
                items.c.uom, parties.c.name.label("party_name"))
         .join(dl, dl.c.number == d.c.number)
         .outerjoin(b, and_(b.c.shipment == dl.c.number, b.c.line_no == dl.c.line_no))
         .outerjoin(ol, and_(ol.c.number == d.c.order_no, ol.c.line_no == dl.c.order_line))
         .outerjoin(items, items.c.code == dl.c.item)
         .outerjoin(parties, parties.c.code == d.c.party)
         .where(d.c.kind == "shipment")
         .order_by(d.c.position, dl.c.line_no))
    if customer:
        q = q.where(d.c.party == customer)
    out = []
    for r in conn.execute(q):
        shipped = -r.qty_micros
        invoiced = r.invoiced_micros or 0
        if shipped - invoiced <= 0:
            continue
        out.append(UninvoicedLineView(
            r.number, r.line_no, r.posting_date, r.party, r.party_name or "", r.order_no,
            r.order_line, r.item, r.item_name or "", r.uom or "", from_micros(shipped),
            from_micros(invoiced), Decimal(r.unit_price or "0"), Decimal(r.vat_rate or "0")))
    return out


@dataclass(frozen=True)
class ProfileView:
    name: str
    uscc: str
    address: str
    phone: str
    bank: str
    bank_account: str


def profile(conn: Connection) -> ProfileView | None:
    r = conn.execute(select(company_profile).where(company_profile.c.id == PROFILE_KEY)).first()
    if r is None:
        return None
    return ProfileView(r.name, r.uscc, r.address, r.phone, r.bank, r.bank_account)
