"""Sales invoicing command handlers: the company profile, issuing a 数电票
from shipments, the buyer's confirmation, and red-letter corrections.

An invoice is saved with everything it changes: the shipments' billing
progress, its voucher (Dr 1122 / Cr 5001, Cr 22210102) and its receivable
open item, so the AR sub-ledger, the GL and the invoices agree by
construction. A red invoice posts the same accounts with negative amounts
and settles the blue invoice's open item as far as it is still open. Each
handler is ``handle(uow, ...) -> result`` (``domain/unit_of_work.py``); the
rules are in ``sales_invoices.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from domain.catalog.items import item_id
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.finance.open_items import Ledger, OpenItem, open_item_id
from domain.inventory.documents import DocumentKind, StockDocument, document_id
from domain.inventory.recording import post_document
from domain.invoicing import sales_invoices as si
from domain.invoicing.billing import Billing, billing_id
from domain.invoicing.company_profile import (
    PROFILE_ID,
    CompanyProfile,
    LegalParty,
    check_legal_party,
)
from domain.invoicing.sales_invoices import (
    ZERO_QTY,
    CreditRequest,
    InvoiceLine,
    InvoiceType,
    RedReason,
    SalesInvoice,
    sales_invoice_id,
)
from domain.ledger.entries import SourceRef
from domain.ledger.periods import voucher_number
from domain.ledger.voucher import Voucher
from domain.money import parse_quantity
from domain.parties import PartyRole, PartySpec, party
from domain.sales import sales_order
from domain.sales.orders import RETURN_NOTE, ReturnPurpose
from domain.sequences import DocumentSequence, sequence_id
from domain.unit_of_work import UnitOfWork

DOCUMENT_KIND = "sales_invoice"  # SourceRef kind and open-item document kind
MAX_DRAWER = 64


@dataclass(frozen=True)
class InvoiceLineInput:
    """Invoice ``qty`` of line ``line_no`` of shipment ``shipment`` (SH-…)."""

    shipment: str
    line_no: int
    qty: Any


@dataclass(frozen=True)
class ProfileResult:
    name: str


@dataclass(frozen=True)
class InvoiceResult:
    number: str
    entry_id: str = ""
    voucher_no: str = ""
    total: str = "0.00"


# -- the seller ------------------------------------------------------------------------------
def set_company_profile(
    uow: UnitOfWork,
    name: str,
    uscc: str,
    address: str = "",
    phone: str = "",
    bank: str = "",
    bank_account: str = "",
) -> ProfileResult:
    checked = check_legal_party(LegalParty(name, uscc, address, phone, bank, bank_account))
    profile = uow.get(PROFILE_ID, factory=lambda: CompanyProfile(checked))
    if not profile.pending_events:  # stored before: changed (nothing when the same)
        profile.change(checked)
    return ProfileResult(checked.name)


def company_profile(uow: UnitOfWork) -> LegalParty | None:
    """The seller's details on every invoice (None until set)."""
    if not uow.exists(PROFILE_ID):
        return None
    return uow.peek(PROFILE_ID).party


def seller(uow: UnitOfWork) -> LegalParty:
    found = company_profile(uow)
    if found is None:
        raise BusinessRuleViolation(
            "NO_COMPANY_PROFILE",
            "set the company profile (name, 统一社会信用代码…) before issuing invoices")
    return found


# -- lookups -----------------------------------------------------------------------------------
def sales_invoice(uow: UnitOfWork, number: str) -> SalesInvoice:
    """A sales invoice, to read."""
    number = si.check_invoice_number(number)
    return uow.peek(sales_invoice_id(number),
                    NotFound(f"sales invoice {number} does not exist", "SalesInvoice", number))


def invoice_to_change(uow: UnitOfWork, number: str, field: str = "number") -> SalesInvoice:
    number = si.check_invoice_number(number, field)
    return uow.get(sales_invoice_id(number),
                   NotFound(f"sales invoice {number} does not exist", "SalesInvoice", number))


def invoice_number(uow: UnitOfWork, day: date, seller_: LegalParty, number: str | None) -> str:
    """The number given (checked free) or the next free one of the year."""
    if number is not None and str(number).strip():
        number = si.check_invoice_number(number)
        if uow.exists(sales_invoice_id(number)):
            raise BusinessRuleViolation(
                "INVOICE_NUMBER_TAKEN", f"invoice number {number} is already used")
        return number
    prefix = si.sequence_prefix(day.year)
    seq = uow.get(sequence_id(prefix), factory=lambda: DocumentSequence(prefix))
    while True:  # skip numbers someone typed in by hand
        seq.take()
        candidate = si.invoice_number(day.year, seller_.uscc, seq.last)
        if not uow.exists(sales_invoice_id(candidate)):
            return candidate


def drawer_of(uow: UnitOfWork, drawer: str) -> str:
    """开票人: as given, else who runs the command."""
    drawer = (drawer or "").strip() or uow.actor
    if len(drawer) > MAX_DRAWER:
        raise ValidationError(f"drawer is longer than {MAX_DRAWER} characters", "drawer")
    return drawer


# -- issuing -----------------------------------------------------------------------------------
def issue_sales_invoice(
    uow: UnitOfWork,
    customer: str,
    invoice_date: date,
    lines: Sequence[InvoiceLineInput],
    invoice_type: InvoiceType = InvoiceType.SPECIAL,
    remark: str = "",
    drawer: str = "",
    number: str | None = None,
) -> InvoiceResult:
    """开票: a blue invoice over shipped lines of one customer."""
    check_invoice_request(invoice_date, invoice_type, lines)
    note = si.check_remark(remark)
    who = drawer_of(uow, drawer)
    company = seller(uow)
    buyer_party = party(uow, customer, PartyRole.CUSTOMER, "customer")
    inv_no = invoice_number(uow, invoice_date, company, number)
    invoice_lines = [invoice_line(uow, buyer_party.code, inv_no, i, ln)
                     for i, ln in enumerate(lines)]
    sums = si.totals(invoice_lines)
    if sums.total <= 0:
        raise BusinessRuleViolation("ZERO_INVOICE", "the invoice adds up to nothing")
    buyer = legal_party(buyer_party.spec)
    voucher = (Voucher().debit(si.RECEIVABLE, sums.total)
               .credit(si.REVENUE, sums.amount).credit(si.OUTPUT_VAT, sums.tax))
    entry_id, voucher_no = post_document(
        uow, voucher, invoice_date, f"销售发票 {inv_no} {buyer.name}"[:200], DOCUMENT_KIND,
        inv_no)
    due = invoice_date + timedelta(days=buyer_party.spec.payment_terms_days)
    uow.add(SalesInvoice(
        number=inv_no, invoice_type=invoice_type, invoice_date=invoice_date,
        customer=buyer_party.code, seller=company, buyer=buyer, lines=tuple(invoice_lines),
        total_amount=sums.amount, total_tax=sums.tax, total=sums.total,
        total_in_words=sums.in_words, remark=note, drawer=who, due_date=due,
        entry_id=entry_id, voucher_no=voucher_no))
    uow.add(OpenItem(Ledger.RECEIVABLE, si.RECEIVABLE, buyer_party.code, DOCUMENT_KIND, inv_no,
                     invoice_date, due, sums.total))
    return InvoiceResult(inv_no, entry_id, voucher_no, str(sums.total))


def check_invoice_request(invoice_date: date, invoice_type: InvoiceType,
                          lines: Sequence[InvoiceLineInput]) -> None:
    if not isinstance(invoice_date, date):
        raise ValidationError("invoiceDate must be a date", "invoiceDate")
    if not isinstance(invoice_type, InvoiceType):
        raise ValidationError("invoiceType must be SPECIAL or ORDINARY", "invoiceType")
    if not lines:
        raise ValidationError("an invoice needs at least one line", "lines")
    if len(lines) > si.MAX_LINES:
        raise ValidationError(f"an invoice may have at most {si.MAX_LINES} lines", "lines")


def invoice_line(uow: UnitOfWork, customer: str, inv_no: str, i: int,
                 ln: InvoiceLineInput) -> InvoiceLine:
    """One line of a blue invoice, billed on its shipment line."""
    path = f"lines.{i}"
    doc = shipment(uow, ln.shipment, customer, f"{path}.shipment")
    doc_line = next((d for d in doc.lines if d.line_no == ln.line_no), None)
    if doc_line is None:
        raise NotFound(f"{path}.lineNo: shipment {doc.number} has no line {ln.line_no}",
                       "ShipmentLine", f"{doc.number}/{ln.line_no}")
    qty = parse_quantity(ln.qty, f"{path}.qty")
    order = sales_order(uow, doc.order)
    order_line = order.line(doc_line.order_line)
    item = uow.peek(item_id(doc_line.item),
                    NotFound(f"item {doc_line.item} does not exist", "Item", doc_line.item))
    spec = item.spec
    short_name = (getattr(spec, "tax_short_name", "") or "").strip()
    if not spec.tax_code or not short_name:
        missing = " and ".join(m for m, v in (("tax code (税收分类编码)", spec.tax_code),
                                              ("tax short name (税收分类简称)", short_name))
                               if not v)
        raise BusinessRuleViolation(
            "ITEM_TAX_DATA_MISSING",
            f"item {item.code} has no {missing}; set it on the item before invoicing")
    amount, tax = si.line_figures(qty, order_line.unit_price, order_line.vat_rate)
    billing = uow.get(billing_id(doc.number), factory=lambda: Billing(doc.number))
    billing.bill(doc_line.line_no, qty, amount, -doc_line.qty, inv_no)
    return InvoiceLine(
        line_no=i + 1, item=item.code, item_name=si.printed_item_name(short_name, spec.name),
        tax_code=spec.tax_code, spec=spec.spec, unit=spec.uom, qty=qty,
        unit_price=order_line.unit_price, amount=amount, vat_rate=order_line.vat_rate,
        tax=tax, shipment=doc.number, shipment_line=doc_line.line_no,
        order=order.number, order_line=order_line.line_no)


def shipment(uow: UnitOfWork, number: str, customer: str, field: str) -> StockDocument:
    """A shipment to ``customer`` (read only)."""
    number = (number or "").strip().upper()
    if not number:
        raise ValidationError(f"{field}: a shipment number is required", field)
    doc = uow.peek(document_id(number),
                   NotFound(f"shipment {number} does not exist", "Shipment", number))
    if doc.kind is not DocumentKind.SHIPMENT:
        raise BusinessRuleViolation("NOT_A_SHIPMENT",
                                    f"{number} is a {doc.kind.value}, not a shipment")
    if doc.party != customer:
        raise BusinessRuleViolation(
            "OTHER_CUSTOMER",
            f"shipment {number} went to {doc.party}, not {customer}; one invoice is for "
            "one customer")
    return doc


def legal_party(spec: PartySpec) -> LegalParty:
    """The buyer as printed: the customer's name, USCC, address and bank."""
    return LegalParty(spec.name, spec.uscc, spec.address, spec.phone, spec.bank,
                      spec.bank_account)


# -- the buyer's confirmation ---------------------------------------------------------------
def confirm_sales_invoice(uow: UnitOfWork, number: str) -> InvoiceResult:
    """用途确认: the buyer has confirmed the invoice (only partial red invoices follow)."""
    invoice = invoice_to_change(uow, number)
    invoice.confirm()
    return InvoiceResult(invoice.number, invoice.entry_id, invoice.voucher_no,
                         str(invoice.total))


# -- red-letter corrections -----------------------------------------------------------------
def issue_red_sales_invoice(
    uow: UnitOfWork,
    blue_number: str,
    confirmation_no: str,
    reason: RedReason,
    invoice_date: date,
    lines: Sequence[CreditRequest] | None = None,
    number: str | None = None,
    drawer: str = "",
) -> InvoiceResult:
    """红字发票: credit a blue invoice in full (``lines`` None) or in part."""
    confirmation = check_red_request(invoice_date, reason, confirmation_no)
    who = drawer_of(uow, drawer)
    blue = invoice_to_change(uow, blue_number, "blueNumber")
    if invoice_date < blue.invoice_date:
        raise ValidationError(
            f"invoiceDate is before the blue invoice's date {blue.invoice_date}",
            "invoiceDate")
    credits = blue.plan_credits(reason, confirmation, None if lines is None else list(lines))
    red_no = invoice_number(uow, invoice_date, blue.seller, number)
    red_lines = si.red_lines(blue, credits)
    sums = si.totals(red_lines)  # negative
    blue.credit(red_no, confirmation, credits)
    if reason is RedReason.INVOICING_ERROR:  # wrongly invoiced: invoice the goods again
        unbill(uow, red_lines, red_no)
    # Post the original's accounts and sides with negative amounts.
    voucher = (Voucher().debit(si.RECEIVABLE, -sums.total)
               .credit(si.REVENUE, -sums.amount).credit(si.OUTPUT_VAT, -sums.tax))
    entry = uow.post(
        invoice_date, f"红字销售发票 {red_no} 冲 {blue.number} {blue.buyer.name}"[:200],
        voucher.lines(), SourceRef(DOCUMENT_KIND, red_no), red=True)
    red = SalesInvoice(
        number=red_no, invoice_type=blue.invoice_type, invoice_date=invoice_date,
        customer=blue.customer, seller=blue.seller, buyer=blue.buyer, lines=red_lines,
        total_amount=sums.amount, total_tax=sums.tax, total=sums.total,
        total_in_words=sums.in_words, remark=si.red_remark(blue.number, confirmation),
        drawer=who, due_date=invoice_date, entry_id=str(entry.id),
        voucher_no=voucher_number(entry.voucher_seq), blue_number=blue.number,
        confirmation_no=confirmation, red_reason=reason)
    settle_blue(uow, blue, red, invoice_date)
    return InvoiceResult(red_no, red.entry_id, red.voucher_no, str(sums.total))


def credit_customer_return(
    uow: UnitOfWork,
    return_number: str,
    blue_number: str,
    confirmation_no: str,
    invoice_date: date,
    number: str | None = None,
    drawer: str = "",
) -> InvoiceResult:
    """The red invoice (销货退回) of a customer return for credit, in one step:
    each returned line credits, by quantity, the blue invoice's lines of the
    same order line (in line order)."""
    returned = customer_return(uow, return_number)
    blue = invoice_to_change(uow, blue_number, "blueNumber")
    wanted: dict[int, Decimal] = {}
    for ln in returned.lines:
        left = ln.qty
        for bl in blue.lines:
            if (bl.order, bl.order_line) != (returned.order, ln.order_line) or left <= 0:
                continue
            take = min(left, blue.remaining(bl.line_no).qty - wanted.get(bl.line_no, ZERO_QTY))
            if take > 0:
                wanted[bl.line_no] = wanted.get(bl.line_no, ZERO_QTY) + take
                left -= take
        if left > 0:
            raise BusinessRuleViolation(
                "RETURN_NOT_INVOICED",
                f"line {ln.line_no} of {returned.number}: {left.normalize():f} of what came "
                f"back is not on invoice {blue.number} (or was credited already)")
    red = issue_red_sales_invoice(
        uow, blue.number, confirmation_no, RedReason.SALES_RETURN, invoice_date,
        [CreditRequest(line_no, qty=qty) for line_no, qty in sorted(wanted.items())],
        number, drawer)
    credited = uow.get(billing_id(returned.number), factory=lambda: Billing(returned.number))
    for ln in returned.lines:  # a return is credited once
        credited.bill(ln.line_no, ln.qty, ln.value, ln.qty, red.number)
    return red


def customer_return(uow: UnitOfWork, number: str) -> StockDocument:
    """A 销售退货 document that was not for replacement (read only)."""
    number = (number or "").strip().upper()
    doc = uow.peek(document_id(number),
                   NotFound(f"customer return {number} does not exist", "StockDocument",
                            number))
    if doc.kind is not DocumentKind.CUSTOMER_RETURN:
        raise BusinessRuleViolation(
            "NOT_A_CUSTOMER_RETURN", f"{number} is a {doc.kind.value}, not a customer return")
    if doc.note == RETURN_NOTE[ReturnPurpose.REPLACEMENT]:
        raise BusinessRuleViolation(
            "RETURN_FOR_REPLACEMENT",
            f"{number} came back for replacement: the customer gets goods, not a credit")
    return doc


def check_red_request(invoice_date: date, reason: RedReason, confirmation_no: str) -> str:
    """The red invoice's date and reason checked; its confirmation number."""
    if not isinstance(invoice_date, date):
        raise ValidationError("invoiceDate must be a date", "invoiceDate")
    if not isinstance(reason, RedReason):
        raise ValidationError("reason must be 1 销货退回, 2 开票有误, 3 服务中止 or "
                              "4 销售折让", "reason")
    return si.check_confirmation_no(confirmation_no)


def unbill(uow: UnitOfWork, red_lines: Sequence[InvoiceLine], red_no: str) -> None:
    """Give the credited quantities back to their shipment lines (to invoice again)."""
    for ln in red_lines:
        doc = uow.peek(document_id(ln.shipment))
        shipped = -next(d.qty for d in doc.lines if d.line_no == ln.shipment_line)
        uow.get(billing_id(ln.shipment)).bill(ln.shipment_line, ln.qty, ln.amount, shipped,
                                              red_no)


def settle_blue(uow: UnitOfWork, blue: SalesInvoice, red: SalesInvoice, day: date) -> None:
    """Add the red invoice and its open item; the credit settles what the
    customer still owes on the blue invoice."""
    red_item = OpenItem(Ledger.RECEIVABLE, si.RECEIVABLE, blue.customer, DOCUMENT_KIND,
                        red.number, day, day, red.total)
    blue_item = uow.get(open_item_id(Ledger.RECEIVABLE, blue.number),
                        NotFound(f"no open item for {blue.number}", "OpenItem", blue.number))
    offset = min(-red.total, max(blue_item.open_amount, si.ZERO))
    if offset > 0:
        blue_item.settle(offset, red.number, day)
        red_item.settle(-offset, blue.number, day)
    uow.add(red, red_item)


HANDLERS = (
    set_company_profile,
    issue_sales_invoice, confirm_sales_invoice, issue_red_sales_invoice,
    credit_customer_return,
)
READERS = (company_profile, sales_invoice)
