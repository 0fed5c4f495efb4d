"""Sales invoicing use cases: the company profile, issuing a 数电票 from
shipments, the buyer's confirmation, and red-letter corrections.

An invoice is saved with everything it changes: the shipments' billing
progress, its voucher (Dr 1122 / Cr 5001, Cr 22210102) and its receivable
open item, so the AR sub-ledger, the GL and the invoices agree by
construction. A red invoice posts the same accounts with negative amounts
and settles the blue invoice's open item as far as it is still open.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from domain.catalog.items import item_id
from domain.commands import CommandContext
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.finance.open_items import Ledger, OpenItem, open_item_id
from domain.inventory.documents import DocumentKind, StockDocument, document_id
from domain.inventory.usecases import _Work
from domain.invoicing import sales_invoices as si
from domain.invoicing.billing import Billing, billing_id
from domain.invoicing.company_profile import (
    PROFILE_ID,
    CompanyProfile,
    LegalParty,
    check_legal_party,
)
from domain.invoicing.sales_invoices import (
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
from domain.parties import PartyRole
from domain.sequences import DocumentSequence, sequence_id

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


class SalesInvoicingUseCases:
    """Mixed into the company Application (domain/application.py)."""

    # -- the seller -----------------------------------------------------------------------
    def set_company_profile(
        self,
        name: str,
        uscc: str,
        address: str = "",
        phone: str = "",
        bank: str = "",
        bank_account: str = "",
        ctx: CommandContext = CommandContext(),
    ):
        party = LegalParty(name, uscc, address, phone, bank, bank_account)

        def decide():
            checked = check_legal_party(party)
            try:
                profile = self.repository.get(PROFILE_ID)
            except AggregateNotFoundError:
                return ProfileResult(checked.name), [CompanyProfile(checked)]
            profile.change(checked)
            return ProfileResult(checked.name), [profile] if profile.pending_events else []

        return self._execute("set_company_profile", party, ctx, decide, ProfileResult)

    def company_profile(self) -> LegalParty | None:
        try:
            return self.repository.get(PROFILE_ID, deepcopy_from_cache=False).party
        except AggregateNotFoundError:
            return None

    def _seller(self) -> LegalParty:
        seller = self.company_profile()
        if seller is None:
            raise BusinessRuleViolation(
                "NO_COMPANY_PROFILE",
                "set the company profile (name, 统一社会信用代码…) before issuing invoices")
        return seller

    # -- lookups ----------------------------------------------------------------------------
    def sales_invoice(self, number: str) -> SalesInvoice:
        number = si.check_invoice_number(number)
        try:
            return self.repository.get(sales_invoice_id(number), deepcopy_from_cache=False)
        except AggregateNotFoundError:
            raise NotFound(f"sales invoice {number} does not exist", "SalesInvoice",
                           number) from None

    def _invoice(self, work: _Work, number: str, field: str = "number") -> SalesInvoice:
        number = si.check_invoice_number(number, field)
        return work.get(sales_invoice_id(number),
                        NotFound(f"sales invoice {number} does not exist", "SalesInvoice", number))

    def _invoice_number(self, work: _Work, day: date, seller: LegalParty,
                        number: str | None) -> str:
        """The number given (checked free) or the next free one of the year."""
        if number is not None and str(number).strip():
            number = si.check_invoice_number(number)
            if self._exists(sales_invoice_id(number)):
                raise BusinessRuleViolation(
                    "INVOICE_NUMBER_TAKEN", f"invoice number {number} is already used")
            return number
        prefix = si.sequence_prefix(day.year)
        seq = work.get(sequence_id(prefix), factory=lambda: DocumentSequence(prefix))
        while True:  # skip numbers someone typed in by hand
            seq.take()
            candidate = si.invoice_number(day.year, seller.uscc, seq.last)
            if not self._exists(sales_invoice_id(candidate)):
                return candidate

    def _exists(self, agg_id) -> bool:
        try:
            self.repository.get(agg_id, deepcopy_from_cache=False)
        except AggregateNotFoundError:
            return False
        return True

    @staticmethod
    def _drawer(drawer: str, ctx: CommandContext) -> str:
        drawer = (drawer or "").strip() or ctx.actor
        if len(drawer) > MAX_DRAWER:
            raise ValidationError(f"drawer is longer than {MAX_DRAWER} characters", "drawer")
        return drawer

    # -- issuing --------------------------------------------------------------------------
    def issue_sales_invoice(
        self,
        customer: str,
        invoice_date: date,
        lines: Sequence[InvoiceLineInput],
        invoice_type: InvoiceType = InvoiceType.SPECIAL,
        remark: str = "",
        drawer: str = "",
        number: str | None = None,
        ctx: CommandContext = CommandContext(),
    ):
        """开票: a blue invoice over shipped lines of one customer."""

        def decide():
            if not isinstance(invoice_date, date):
                raise ValidationError("invoiceDate must be a date", "invoiceDate")
            if not isinstance(invoice_type, InvoiceType):
                raise ValidationError("invoiceType must be SPECIAL or ORDINARY", "invoiceType")
            if not lines:
                raise ValidationError("an invoice needs at least one line", "lines")
            if len(lines) > si.MAX_LINES:
                raise ValidationError(f"an invoice may have at most {si.MAX_LINES} lines",
                                      "lines")
            note = si.check_remark(remark)
            who = self._drawer(drawer, ctx)
            work = _Work(self)
            seller = self._seller()
            party = self._party(work, customer, PartyRole.CUSTOMER, "customer")
            inv_no = self._invoice_number(work, invoice_date, seller, number)
            invoice_lines = [
                self._invoice_line(work, party.code, inv_no, i, ln)
                for i, ln in enumerate(lines)
            ]
            sums = si.totals(invoice_lines)
            if sums.total <= 0:
                raise BusinessRuleViolation("ZERO_INVOICE", "the invoice adds up to nothing")
            buyer = _buyer(party.spec)
            voucher = (Voucher().debit(si.RECEIVABLE, sums.total)
                       .credit(si.REVENUE, sums.amount).credit(si.OUTPUT_VAT, sums.tax))
            entry_id, voucher_no = self._post(
                work, voucher, invoice_date, f"销售发票 {inv_no} {buyer.name}"[:200],
                DOCUMENT_KIND, inv_no)
            due = invoice_date + timedelta(days=party.spec.payment_terms_days)
            invoice = SalesInvoice(
                number=inv_no, invoice_type=invoice_type, invoice_date=invoice_date,
                customer=party.code, seller=seller, buyer=buyer, lines=tuple(invoice_lines),
                total_amount=sums.amount, total_tax=sums.tax, total=sums.total,
                total_in_words=sums.in_words, remark=note, drawer=who, due_date=due,
                entry_id=entry_id, voucher_no=voucher_no)
            item = OpenItem(Ledger.RECEIVABLE, si.RECEIVABLE, party.code, DOCUMENT_KIND, inv_no,
                            invoice_date, due, sums.total)
            result = InvoiceResult(inv_no, entry_id, voucher_no, str(sums.total))
            return result, [*work.changed(), invoice, item]

        payload = (customer, invoice_date, list(lines), invoice_type, remark, drawer, number)
        return self._execute("issue_sales_invoice", payload, ctx, decide, InvoiceResult)

    def _invoice_line(self, work: _Work, customer: str, inv_no: str, i: int,
                      ln: InvoiceLineInput) -> InvoiceLine:
        path = f"lines.{i}"
        shipment = self._shipment(work, ln.shipment, customer, f"{path}.shipment")
        doc_line = next((d for d in shipment.lines if d.line_no == ln.line_no), None)
        if doc_line is None:
            raise NotFound(f"{path}.lineNo: shipment {shipment.number} has no line {ln.line_no}",
                           "ShipmentLine", f"{shipment.number}/{ln.line_no}")
        qty = parse_quantity(ln.qty, f"{path}.qty")
        order = self._so(work, shipment.order)
        order_line = order.line(doc_line.order_line)
        item = work.get(item_id(doc_line.item),
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
        billing = work.get(billing_id(shipment.number),
                           factory=lambda: Billing(shipment.number))
        billing.bill(doc_line.line_no, qty, amount, -doc_line.qty, inv_no)
        return InvoiceLine(
            line_no=i + 1, item=item.code, item_name=si.printed_item_name(short_name, spec.name),
            tax_code=spec.tax_code, spec=spec.spec, unit=spec.uom, qty=qty,
            unit_price=order_line.unit_price, amount=amount, vat_rate=order_line.vat_rate,
            tax=tax, shipment=shipment.number, shipment_line=doc_line.line_no,
            order=order.number, order_line=order_line.line_no)

    def _shipment(self, work: _Work, number: str, customer: str, field: str) -> StockDocument:
        number = (number or "").strip().upper()
        if not number:
            raise ValidationError(f"{field}: a shipment number is required", field)
        doc = work.get(document_id(number),
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

    # -- the buyer's confirmation -----------------------------------------------------------
    def confirm_sales_invoice(self, number: str, ctx: CommandContext = CommandContext()):
        """用途确认: the buyer has confirmed the invoice (only partial red invoices follow)."""

        def decide():
            work = _Work(self)
            invoice = self._invoice(work, number)
            invoice.confirm()
            return InvoiceResult(invoice.number, invoice.entry_id, invoice.voucher_no,
                                 str(invoice.total)), work.changed()

        return self._execute("confirm_sales_invoice", number, ctx, decide, InvoiceResult)

    # -- red-letter corrections --------------------------------------------------------------
    def issue_red_sales_invoice(
        self,
        blue_number: str,
        confirmation_no: str,
        reason: RedReason,
        invoice_date: date,
        lines: Sequence[CreditRequest] | None = None,
        number: str | None = None,
        drawer: str = "",
        ctx: CommandContext = CommandContext(),
    ):
        """红字发票: credit a blue invoice in full (``lines`` None) or in part."""

        def decide():
            if not isinstance(invoice_date, date):
                raise ValidationError("invoiceDate must be a date", "invoiceDate")
            if not isinstance(reason, RedReason):
                raise ValidationError("reason must be 1 销货退回, 2 开票有误, 3 服务中止 or "
                                      "4 销售折让", "reason")
            confirmation = si.check_confirmation_no(confirmation_no)
            who = self._drawer(drawer, ctx)
            work = _Work(self)
            blue = self._invoice(work, blue_number, "blueNumber")
            if invoice_date < blue.invoice_date:
                raise ValidationError(
                    f"invoiceDate is before the blue invoice's date {blue.invoice_date}",
                    "invoiceDate")
            credits = blue.plan_credits(reason, confirmation,
                                        None if lines is None else list(lines))
            red_no = self._invoice_number(work, invoice_date, blue.seller, number)
            red_lines = si.red_lines(blue, credits)
            sums = si.totals(red_lines)  # negative
            blue.credit(red_no, confirmation, credits)
            if reason is RedReason.INVOICING_ERROR:  # wrongly invoiced: invoice the goods again
                for ln in red_lines:
                    shipment = work.get(document_id(ln.shipment))
                    shipped = -next(d.qty for d in shipment.lines
                                    if d.line_no == ln.shipment_line)
                    billing = work.get(billing_id(ln.shipment))
                    billing.bill(ln.shipment_line, ln.qty, ln.amount, shipped, red_no)
            # Post the original's accounts and sides with negative amounts.
            voucher = (Voucher().debit(si.RECEIVABLE, -sums.total)
                       .credit(si.REVENUE, -sums.amount).credit(si.OUTPUT_VAT, -sums.tax))
            entry, changed = self.prepare_entry(
                invoice_date, f"红字销售发票 {red_no} 冲 {blue.number} {blue.buyer.name}"[:200],
                voucher.lines(), SourceRef(DOCUMENT_KIND, red_no), red=True)
            for aggregate in changed:
                work.loaded[aggregate.id] = aggregate
            red = SalesInvoice(
                number=red_no, invoice_type=blue.invoice_type, invoice_date=invoice_date,
                customer=blue.customer, seller=blue.seller, buyer=blue.buyer, lines=red_lines,
                total_amount=sums.amount, total_tax=sums.tax, total=sums.total,
                total_in_words=sums.in_words, remark=si.red_remark(blue.number, confirmation),
                drawer=who, due_date=invoice_date, entry_id=str(entry.id),
                voucher_no=voucher_number(entry.voucher_seq), blue_number=blue.number,
                confirmation_no=confirmation, red_reason=reason)
            red_item = OpenItem(Ledger.RECEIVABLE, si.RECEIVABLE, blue.customer, DOCUMENT_KIND,
                                red_no, invoice_date, invoice_date, sums.total)
            blue_item = work.get(open_item_id(Ledger.RECEIVABLE, blue.number),
                                 NotFound(f"no open item for {blue.number}", "OpenItem",
                                          blue.number))
            offset = min(-sums.total, max(blue_item.open_amount, si.ZERO))
            if offset > 0:  # the credit settles what the customer still owes on the blue
                blue_item.settle(offset, red_no, invoice_date)
                red_item.settle(-offset, blue.number, invoice_date)
            result = InvoiceResult(red_no, red.entry_id, red.voucher_no, str(sums.total))
            return result, [*work.changed(), red, red_item]

        payload = (blue_number, confirmation_no, reason, invoice_date,
                   None if lines is None else list(lines), number, drawer)
        return self._execute("issue_red_sales_invoice", payload, ctx, decide, InvoiceResult)


def _buyer(spec) -> LegalParty:
    return LegalParty(spec.name, spec.uscc, spec.address, spec.phone, spec.bank,
                      spec.bank_account)


__all__ = [
    "SalesInvoicingUseCases",
    "InvoiceLineInput",
    "InvoiceResult",
    "ProfileResult",
    "CreditRequest",
    "InvoiceType",
    "RedReason",
]
