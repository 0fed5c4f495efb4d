"""Purchase-invoice command handlers: record (match, then post or hold),
approve a held invoice, cancel a held invoice, set the match tolerances.

Each is ``handle(uow, ...) -> result`` (``domain/unit_of_work.py``). The
rules (match, posting, where price differences go) are in
``purchase_invoices.py``; posting is ``purchase_posting.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from domain.catalog.items import check_vat_rate
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.finance.open_items import Ledger, open_item_id
from domain.invoicing.purchase_invoices import (
    MATCH_TOLERANCES_ID,
    InvoiceMatchSettings,
    MatchInput,
    MatchTolerances,
    PurchaseInvoice,
    PurchaseInvoiceLine,
    PurchaseInvoiceType,
    check_invoice_number,
    check_tolerance,
    expected_tax,
    invoice_key,
    purchase_invoice_id,
    three_way_match,
)
from domain.invoicing.purchase_posting import (
    ZERO_QTY,
    invoiced,
    post_purchase_invoice,
    purchase_invoice,
    receipt,
)
from domain.money import parse_amount, parse_price, parse_quantity, round_amount
from domain.parties import Party, PartyRole, party
from domain.purchasing import purchase_order
from domain.unit_of_work import UnitOfWork

MAX_LINES = 500


@dataclass(frozen=True)
class PurchaseInvoiceLineInput:
    receipt: str  # GR-000001
    line_no: int  # the receipt's line
    qty: Any
    unit_price: Any  # ex VAT
    vat_rate: Any = None  # default: the order line's
    tax: Any = None  # as printed; default round(amount x rate, 2)


@dataclass(frozen=True)
class PurchaseInvoiceResult:
    supplier: str
    number: str
    status: str
    entry_id: str = ""
    voucher_no: str = ""
    gross: str = "0.00"
    differences: int = 0


@dataclass(frozen=True)
class TolerancesResult:
    qty: str
    price: str


# -- settings ------------------------------------------------------------------------------
def set_invoice_match_tolerances(uow: UnitOfWork, qty: Any, price: Any) -> TolerancesResult:
    tolerances = MatchTolerances(check_tolerance(qty, "qty"), check_tolerance(price, "price"))
    uow.get(MATCH_TOLERANCES_ID, factory=InvoiceMatchSettings).set(tolerances)
    return TolerancesResult(str(tolerances.qty), str(tolerances.price))


def invoice_match_tolerances(uow: UnitOfWork) -> MatchTolerances:
    """The company's three-way match tolerances (none until it sets some)."""
    if not uow.exists(MATCH_TOLERANCES_ID):
        return MatchTolerances()
    return uow.peek(MATCH_TOLERANCES_ID).tolerances


# -- record ----------------------------------------------------------------------------------
def record_purchase_invoice(
    uow: UnitOfWork,
    supplier: str,
    number: str,
    invoice_date: date,
    invoice_type: PurchaseInvoiceType,
    lines: Sequence[PurchaseInvoiceLineInput],
) -> PurchaseInvoiceResult:
    """Match against receipts and order; post when matched, else hold."""
    vendor, number_ = check_new_invoice(uow, supplier, number, invoice_date, invoice_type,
                                        lines)
    invoice_lines, matches = match_lines(uow, vendor.code, lines)
    differences = three_way_match(matches, invoice_match_tolerances(uow))
    invoice = uow.add(PurchaseInvoice(
        supplier=vendor.code,
        number=number_,
        invoice_date=invoice_date,
        invoice_type=invoice_type,
        due_date=invoice_date + timedelta(days=vendor.spec.payment_terms_days),
        lines=tuple(invoice_lines),
        differences=tuple(differences),
    ))
    if not differences:
        post_purchase_invoice(uow, invoice, invoice_date, "")
    return invoice_result(invoice)


def check_new_invoice(uow: UnitOfWork, supplier: str, number: str, invoice_date: date,
                      invoice_type: PurchaseInvoiceType,
                      lines: Sequence[PurchaseInvoiceLineInput]) -> tuple[Party, str]:
    """The supplier and the invoice number, checked (an invoice is recorded once)."""
    vendor = party(uow, supplier, PartyRole.SUPPLIER, "supplier")
    number_ = check_invoice_number(number)
    if not isinstance(invoice_date, date):
        raise ValidationError("invoiceDate must be a date", "invoiceDate")
    uow.business_date(invoice_date, "invoiceDate")
    if not isinstance(invoice_type, PurchaseInvoiceType):
        raise ValidationError("invoiceType is special or ordinary", "invoiceType")
    if not lines:
        raise ValidationError("an invoice needs at least one line", "lines")
    if len(lines) > MAX_LINES:
        raise ValidationError(f"an invoice may have at most {MAX_LINES} lines", "lines")
    if uow.exists(purchase_invoice_id(vendor.code, number_)) or uow.exists(
            open_item_id(Ledger.PAYABLE, invoice_key(vendor.code, number_))):
        # (an asset's invoice, recorded by the fixed-asset register, opened its item)
        raise BusinessRuleViolation(
            "INVOICE_EXISTS", f"invoice {number_} of {vendor.code} is already recorded")
    return vendor, number_


def match_lines(uow: UnitOfWork, supplier: str, lines: Sequence[PurchaseInvoiceLineInput]
                ) -> tuple[list[PurchaseInvoiceLine], list[MatchInput]]:
    """The invoice's lines and what the three-way match compares for each: the
    receipt line's quantity, what is invoiced of it, the order line's price."""
    result, matches = [], []
    taken: dict[tuple[str, int], Decimal] = {}
    for i, ln in enumerate(lines):
        path = f"lines.{i}"
        doc = receipt(uow, ln.receipt, supplier, f"{path}.receipt")
        receipt_line = next((d for d in doc.lines if d.line_no == ln.line_no), None)
        if receipt_line is None:
            raise NotFound(f"receipt {doc.number} has no line {ln.line_no}",
                           "ReceiptLine", f"{doc.number}/{ln.line_no}")
        order_line = purchase_order(uow, doc.order).line(receipt_line.order_line)
        qty = parse_quantity(ln.qty, f"{path}.qty")
        price = parse_price(ln.unit_price, f"{path}.unitPrice")
        rate = (check_vat_rate(ln.vat_rate, f"{path}.vatRate") if ln.vat_rate is not None
                else order_line.vat_rate)
        amount = round_amount(qty * price)
        tax = (parse_amount(ln.tax, f"{path}.tax") if ln.tax is not None
               else expected_tax(amount, rate))
        key = (doc.number, ln.line_no)
        before = invoiced(uow, doc.number, ln.line_no) + taken.get(key, ZERO_QTY)
        if before >= receipt_line.qty:
            raise BusinessRuleViolation(
                "ALREADY_INVOICED",
                f"{path}: {doc.number} line {ln.line_no} is invoiced in full "
                f"({before.normalize():f} of {receipt_line.qty.normalize():f})")
        taken[key] = taken.get(key, ZERO_QTY) + qty
        result.append(PurchaseInvoiceLine(
            i + 1, doc.number, ln.line_no, doc.order, receipt_line.order_line,
            receipt_line.item, receipt_line.warehouse, qty, price, amount, rate, tax))
        matches.append(MatchInput(i + 1, qty, price, amount, rate, tax, receipt_line.qty,
                                  before, order_line.unit_price, order_line.vat_rate))
    return result, matches


# -- approve / cancel ------------------------------------------------------------------------
def approve_purchase_invoice(
    uow: UnitOfWork,
    supplier: str,
    number: str,
    reason: str,
    posting_date: date | None = None,
) -> PurchaseInvoiceResult:
    """Post a held invoice as it stands (accountant's override, reason required),
    on its invoice date unless another posting date is given."""
    invoice = purchase_invoice(uow, supplier, number)
    invoice.check_held("approved")
    if not (reason or "").strip():
        raise ValidationError("approving a held invoice needs a reason", "reason")
    for ln in invoice.lines:  # billed in full meanwhile by another invoice?
        doc_line = next(d for d in receipt(uow, ln.receipt, invoice.supplier, "receipt").lines
                        if d.line_no == ln.receipt_line)
        if invoiced(uow, ln.receipt, ln.receipt_line) >= doc_line.qty:
            raise BusinessRuleViolation(
                "ALREADY_INVOICED",
                f"{ln.receipt} line {ln.receipt_line} was invoiced in full meanwhile; "
                "cancel this invoice")
    post_purchase_invoice(uow, invoice, posting_date or invoice.invoice_date, reason)
    return invoice_result(invoice)


def cancel_purchase_invoice(uow: UnitOfWork, supplier: str, number: str,
                            reason: str) -> PurchaseInvoiceResult:
    invoice = purchase_invoice(uow, supplier, number)
    invoice.cancel(reason)
    return invoice_result(invoice)


def invoice_result(invoice: PurchaseInvoice) -> PurchaseInvoiceResult:
    return PurchaseInvoiceResult(
        supplier=invoice.supplier,
        number=invoice.number,
        status=invoice.status.value,
        entry_id=invoice.entry_id,
        voucher_no=invoice.voucher_no,
        gross=str(invoice.gross),
        differences=len(invoice.differences),
    )


HANDLERS = (
    set_invoice_match_tolerances,
    record_purchase_invoice, approve_purchase_invoice, cancel_purchase_invoice,
)
READERS = (invoice_match_tolerances,)
