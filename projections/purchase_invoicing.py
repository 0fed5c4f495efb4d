"""Purchase-invoice read models: invoices with their match status, totals and
voucher, their lines, the match differences of held invoices, and where each
price difference went. Invoiced quantities of receipt lines are the lines of
posted invoices (``posted``), so uninvoiced receipts need no table of their own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, select, update

from domain.invoicing.purchase_invoices import PurchaseInvoice, purchase_invoice_id
from domain.money import to_cents, to_micros
from projections.runner import Notified
from projections.tables import (
    purchase_invoice_differences,
    purchase_invoice_lines,
    purchase_invoice_price_differences,
    purchase_invoices,
)

# Ids are derived from (supplier, number): the map is the same in every database.
_KEYS: dict[Any, tuple[str, str]] = {}


class PurchaseInvoicingProjection:
    name = "purchase_invoicing"
    tables = (purchase_invoices, purchase_invoice_lines, purchase_invoice_differences,
              purchase_invoice_price_differences)

    def apply(self, conn: Connection, batch: Sequence[Notified]) -> None:
        for n in batch:
            if isinstance(n.event, PurchaseInvoice.Event):
                _invoice(conn, n)


def _key(conn: Connection, originator_id: Any) -> tuple[str, str]:
    if originator_id not in _KEYS:
        pi = purchase_invoices.c
        for supplier, number in conn.execute(select(pi.supplier, pi.number)):
            _KEYS[purchase_invoice_id(supplier, number)] = (supplier, number)
    return _KEYS[originator_id]


def _invoice(conn: Connection, n: Notified) -> None:
    ev = n.event
    if isinstance(ev, PurchaseInvoice.Recorded):
        _KEYS[ev.originator_id] = (ev.supplier, ev.number)
        _record(conn, n)
        return
    supplier, number = _key(conn, ev.originator_id)
    pi = purchase_invoices.c
    this = and_(pi.supplier == supplier, pi.number == number)
    if isinstance(ev, PurchaseInvoice.Posted):
        conn.execute(update(purchase_invoices).where(this).values(
            status="approved" if ev.reason else "matched", posting_date=ev.posting_date,
            entry_id=ev.entry_id, voucher_no=ev.voucher_no, reason=ev.reason[:200],
            estimate_cents=to_cents(ev.estimate),
            price_difference_cents=sum(to_cents(p.amount) for p in ev.price_differences)))
        pl = purchase_invoice_lines.c
        conn.execute(update(purchase_invoice_lines)
                     .where(and_(pl.supplier == supplier, pl.number == number))
                     .values(posted=True))
        if ev.price_differences:
            conn.execute(purchase_invoice_price_differences.insert(), [{
                "supplier": supplier, "number": number, "seq": i + 1, "line_no": p.line_no,
                "target": p.target, "reference": p.reference, "account": p.account,
                "qty_micros": to_micros(p.qty), "amount_cents": to_cents(p.amount)}
                for i, p in enumerate(ev.price_differences)])
    elif isinstance(ev, PurchaseInvoice.Cancelled):
        conn.execute(update(purchase_invoices).where(this).values(
            status="cancelled", reason=ev.reason[:200]))


def _record(conn: Connection, n: Notified) -> None:
    ev = n.event
    lines = ev.lines
    amount = sum(to_cents(ln.amount) for ln in lines)
    tax = sum(to_cents(ln.tax) for ln in lines)
    conn.execute(purchase_invoices.insert().values(
        supplier=ev.supplier, number=ev.number, invoice_date=ev.invoice_date,
        invoice_type=ev.invoice_type.value, due_date=ev.due_date,
        status="held" if ev.differences else "matched", amount_cents=amount, tax_cents=tax,
        gross_cents=amount + tax, estimate_cents=0, price_difference_cents=0,
        posting_date=None, entry_id="", voucher_no="", reason="",
        actor=n.meta.get("actor", "")[:64], position=n.position))
    conn.execute(purchase_invoice_lines.insert(), [{
        "supplier": ev.supplier, "number": ev.number, "line_no": ln.line_no,
        "receipt": ln.receipt, "receipt_line": ln.receipt_line, "order_no": ln.order,
        "order_line": ln.order_line, "item": ln.item, "warehouse": ln.warehouse,
        "qty_micros": to_micros(ln.qty), "unit_price": f"{ln.unit_price:f}",
        "amount_cents": to_cents(ln.amount), "vat_rate": f"{ln.vat_rate:f}",
        "tax_cents": to_cents(ln.tax), "posted": False} for ln in lines])
    if ev.differences:
        conn.execute(purchase_invoice_differences.insert(), [{
            "supplier": ev.supplier, "number": ev.number, "seq": i + 1, "line_no": d.line,
            "kind": d.kind, "expected": d.expected[:40], "actual": d.actual[:40]}
            for i, d in enumerate(ev.differences)])
