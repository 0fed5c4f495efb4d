"""Sales-invoice read models: the invoice register (blue and red), invoice
lines with what red invoices credited, invoiced quantities per shipment
line (for the uninvoiced-shipments list), and the seller's profile.

Invoices are few next to stock movements, so each event is written as it
comes; a red invoice updates its blue invoice's row and lines in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select, update

from domain.invoicing.company_profile import CompanyProfile
from domain.invoicing.sales_invoices import RedReason, SalesInvoice, sales_invoice_id
from domain.money import to_cents, to_micros
from projections.runner import Notified
from projections.sql import upsert_replace
from projections.tables import (
    company_profile,
    sales_billing,
    sales_invoice_lines,
    sales_invoices,
)

PROFILE_KEY = "company"

# Invoice ids are derived from their numbers; remember them to map events back.
_NUMBERS: dict[Any, str] = {}


class InvoicingProjection:
    name = "invoicing"
    tables = (sales_invoices, sales_invoice_lines, sales_billing, company_profile)

    def apply(self, conn: Connection, batch: Sequence[Notified]) -> None:
        for n in batch:
            ev = n.event
            if isinstance(ev, SalesInvoice.Issued):
                _issued(conn, n)
            elif isinstance(ev, SalesInvoice.Confirmed):
                number = _number_of(conn, ev.originator_id)
                row = conn.execute(select(sales_invoices.c.credited_amount_cents,
                                          sales_invoices.c.credited_tax_cents,
                                          sales_invoices.c.total_cents)
                                   .where(sales_invoices.c.number == number)).one()
                conn.execute(update(sales_invoices).where(sales_invoices.c.number == number)
                             .values(confirmed=True, status=_status(
                                 True, row.total_cents,
                                 row.credited_amount_cents + row.credited_tax_cents)))
            elif isinstance(ev, (CompanyProfile.Set, CompanyProfile.Changed)):
                p = ev.party
                upsert_replace(conn, company_profile, ["id"], [{
                    "id": PROFILE_KEY, "name": p.name, "uscc": p.uscc, "address": p.address,
                    "phone": p.phone, "bank": p.bank, "bank_account": p.bank_account}])


def _status(confirmed: bool, total: int, credited: int) -> str:
    if credited and credited >= total:
        return "credited"
    if credited:
        return "partly_credited"
    return "confirmed" if confirmed else "issued"


def _issued(conn: Connection, n: Notified) -> None:
    ev = n.event
    _NUMBERS[ev.originator_id] = ev.number
    red = bool(ev.blue_number)
    conn.execute(sales_invoices.insert().values(
        number=ev.number, invoice_type=ev.invoice_type.value, color="red" if red else "blue",
        blue_number=ev.blue_number, confirmation_no=ev.confirmation_no,
        red_reason=ev.red_reason.value if ev.red_reason else 0, customer=ev.customer,
        buyer_name=ev.buyer.name, buyer_uscc=ev.buyer.uscc, seller_name=ev.seller.name,
        seller_uscc=ev.seller.uscc, invoice_date=ev.invoice_date, due_date=ev.due_date,
        amount_cents=to_cents(ev.total_amount), tax_cents=to_cents(ev.total_tax),
        total_cents=to_cents(ev.total), amount_in_words=ev.total_in_words,
        remark=ev.remark[:300], drawer=ev.drawer, confirmed=False, credited_amount_cents=0,
        credited_tax_cents=0, status="issued", entry_id=ev.entry_id,
        voucher_no=ev.voucher_no, line_count=len(ev.lines), actor=n.meta.get("actor", ""),
        position=n.position))
    conn.execute(sales_invoice_lines.insert(), [{
        "number": ev.number, "line_no": ln.line_no, "item": ln.item,
        "item_name": ln.item_name[:200], "tax_code": ln.tax_code, "spec": ln.spec[:100],
        "unit": ln.unit, "qty_micros": to_micros(ln.qty), "unit_price": str(ln.unit_price),
        "amount_cents": to_cents(ln.amount), "vat_rate": str(ln.vat_rate),
        "tax_cents": to_cents(ln.tax), "shipment": ln.shipment,
        "shipment_line": ln.shipment_line, "order_no": ln.order, "order_line": ln.order_line,
        "blue_line": ln.blue_line, "credited_qty_micros": 0, "credited_amount_cents": 0,
        "credited_tax_cents": 0} for ln in ev.lines])
    # Billing: blue lines invoice shipment quantity; a red invoice for 开票有误
    # gives it back (the same rule as the Billing aggregate).
    if not red or ev.red_reason is RedReason.INVOICING_ERROR:
        for ln in ev.lines:
            _bill(conn, ln.shipment, ln.shipment_line, to_micros(ln.qty), to_cents(ln.amount))
    if red:
        _credit_blue(conn, ev)


def _bill(conn: Connection, shipment: str, line_no: int, qty: int, amount: int) -> None:
    key = (sales_billing.c.shipment == shipment) & (sales_billing.c.line_no == line_no)
    row = conn.execute(select(sales_billing).where(key)).first()
    if row is None:
        conn.execute(sales_billing.insert().values(
            shipment=shipment, line_no=line_no, invoiced_micros=qty,
            invoiced_amount_cents=amount))
    else:
        conn.execute(update(sales_billing).where(key).values(
            invoiced_micros=row.invoiced_micros + qty,
            invoiced_amount_cents=row.invoiced_amount_cents + amount))


def _credit_blue(conn: Connection, ev: Any) -> None:
    blue = conn.execute(select(sales_invoices).where(
        sales_invoices.c.number == ev.blue_number)).one()
    amount = blue.credited_amount_cents - to_cents(ev.total_amount)
    tax = blue.credited_tax_cents - to_cents(ev.total_tax)
    conn.execute(update(sales_invoices).where(sales_invoices.c.number == ev.blue_number).values(
        credited_amount_cents=amount, credited_tax_cents=tax,
        status=_status(blue.confirmed, blue.total_cents, amount + tax)))
    for ln in ev.lines:
        key = ((sales_invoice_lines.c.number == ev.blue_number)
               & (sales_invoice_lines.c.line_no == ln.blue_line))
        row = conn.execute(select(sales_invoice_lines).where(key)).one()
        conn.execute(update(sales_invoice_lines).where(key).values(
            credited_qty_micros=row.credited_qty_micros - to_micros(ln.qty),
            credited_amount_cents=row.credited_amount_cents - to_cents(ln.amount),
            credited_tax_cents=row.credited_tax_cents - to_cents(ln.tax)))


def _number_of(conn: Connection, originator_id: Any) -> str:
    number = _NUMBERS.get(originator_id)
    if number is None:
        for (num,) in conn.execute(select(sales_invoices.c.number)):
            _NUMBERS[sales_invoice_id(num)] = num
        number = _NUMBERS[originator_id]
    return number
