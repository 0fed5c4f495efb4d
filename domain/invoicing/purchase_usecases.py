"""Purchase-invoice use cases: record (match, then post or hold), approve a
held invoice, cancel a held invoice, set the match tolerances.

The rules (match, posting, where price differences go) are in
``domain/invoicing/purchase_invoices.py``. Posting saves, in one atomic save,
the invoice, the billing progress of every receipt it bills, the payable
open item, the journal entry, and the stock balances and work orders its
price differences adjust.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from domain.commands import CommandContext
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.finance.open_items import Ledger, OpenItem
from domain.inventory import posting
from domain.inventory.documents import DocumentKind, StockDocument, document_id
from domain.inventory.stock import Movement, StockBalance
from domain.inventory.usecases import _Work
from domain.invoicing.billing import Billing, billing_id
from domain.invoicing.purchase_invoices import (
    MATCH_TOLERANCES_ID,
    InvoiceMatchSettings,
    MatchInput,
    MatchTolerances,
    PurchaseInvoice,
    PurchaseInvoiceLine,
    PurchaseInvoiceType,
    PurchasePriceDifference,
    check_invoice_number,
    check_tolerance,
    expected_tax,
    purchase_invoice_id,
    relieved_value,
    split_by_qty,
    three_way_match,
)
from domain.ledger.periods import voucher_number
from domain.money import parse_amount, parse_price, parse_quantity, round_amount
from domain.parties import PartyRole
from domain.production.work_orders import WorkOrder, work_order_id

ZERO = Decimal("0.00")
ZERO_QTY = Decimal("0.000000")
PAYABLE = "220201"  # 应付账款-供应商
INPUT_VAT = "22210101"  # 应交税费-应交增值税-进项税额
COST_OF_SALES = posting.COST_OF_SALES
ESTIMATE = posting.GOODS_RECEIVED_NOT_INVOICED


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


@dataclass
class _Claims:
    """What earlier lines of one invoice took: receipt-line quantities, on-hand
    quantity and issue history per stock balance."""

    on_hand: dict[Any, Decimal]
    issued: dict[Any, Decimal]
    revalued: dict[Any, Decimal]


class PurchaseInvoicingUseCases:
    """Mixed into the company Application (domain/application.py)."""

    # -- settings ---------------------------------------------------------------
    def set_invoice_match_tolerances(
        self, qty: Any, price: Any, ctx: CommandContext = CommandContext()
    ):
        def decide():
            tolerances = MatchTolerances(check_tolerance(qty, "qty"),
                                         check_tolerance(price, "price"))
            try:
                company = self.repository.get(MATCH_TOLERANCES_ID)
            except AggregateNotFoundError:
                company = InvoiceMatchSettings()
            company.set(tolerances)
            return TolerancesResult(str(tolerances.qty), str(tolerances.price)), [company]

        return self._execute("set_invoice_match_tolerances", (qty, price), ctx, decide,
                             TolerancesResult)

    def invoice_match_tolerances(self) -> MatchTolerances:
        try:
            return self.repository.get(MATCH_TOLERANCES_ID, deepcopy_from_cache=False).tolerances
        except AggregateNotFoundError:
            return MatchTolerances()

    # -- record -----------------------------------------------------------------
    def record_purchase_invoice(
        self,
        supplier: str,
        number: str,
        invoice_date: date,
        invoice_type: PurchaseInvoiceType,
        lines: Sequence[PurchaseInvoiceLineInput],
        ctx: CommandContext = CommandContext(),
    ):
        """Match against receipts and order; post when matched, else hold."""

        def decide():
            work = _Work(self)
            party = self._party(work, supplier, PartyRole.SUPPLIER, "supplier")
            number_ = check_invoice_number(number)
            if not isinstance(invoice_date, date):
                raise ValidationError("invoiceDate must be a date", "invoiceDate")
            self.business_date(invoice_date, "invoiceDate")
            if not isinstance(invoice_type, PurchaseInvoiceType):
                raise ValidationError("invoiceType is special or ordinary", "invoiceType")
            if not lines:
                raise ValidationError("an invoice needs at least one line", "lines")
            if len(lines) > 500:
                raise ValidationError("an invoice may have at most 500 lines", "lines")
            try:
                self.repository.get(purchase_invoice_id(party.code, number_),
                                    deepcopy_from_cache=False)
            except AggregateNotFoundError:
                pass
            else:
                raise BusinessRuleViolation(
                    "INVOICE_EXISTS",
                    f"invoice {number_} of {party.code} is already recorded")
            invoice_lines, matches = self._pi_lines(work, party.code, lines)
            differences = three_way_match(matches, self.invoice_match_tolerances())
            invoice = PurchaseInvoice(
                supplier=party.code,
                number=number_,
                invoice_date=invoice_date,
                invoice_type=invoice_type,
                due_date=invoice_date + timedelta(days=party.spec.payment_terms_days),
                lines=tuple(invoice_lines),
                differences=tuple(differences),
            )
            work.loaded[invoice.id] = invoice
            if not differences:
                self._pi_post(work, invoice, invoice_date, "")
            return _result(invoice), _to_save(work)

        payload = (supplier, number, invoice_date, invoice_type, list(lines))
        return self._execute("record_purchase_invoice", payload, ctx, decide,
                             PurchaseInvoiceResult)

    def _pi_lines(self, work: _Work, supplier: str,
                       lines: Sequence[PurchaseInvoiceLineInput]):
        result, matches = [], []
        taken: dict[tuple[str, int], Decimal] = {}
        for i, ln in enumerate(lines):
            path = f"lines.{i}"
            doc = self._pi_receipt(work, ln.receipt, supplier, f"{path}.receipt")
            receipt_line = next((d for d in doc.lines if d.line_no == ln.line_no), None)
            if receipt_line is None:
                raise NotFound(f"receipt {doc.number} has no line {ln.line_no}",
                               "ReceiptLine", f"{doc.number}/{ln.line_no}")
            order_line = self._po(work, doc.order).line(receipt_line.order_line)
            qty = parse_quantity(ln.qty, f"{path}.qty")
            price = parse_price(ln.unit_price, f"{path}.unitPrice")
            rate = (_rate(ln.vat_rate, f"{path}.vatRate") if ln.vat_rate is not None
                    else order_line.vat_rate)
            amount = round_amount(qty * price)
            tax = (parse_amount(ln.tax, f"{path}.tax") if ln.tax is not None
                   else expected_tax(amount, rate))
            billing = self._pi_billing(work, doc.number)
            key = (doc.number, ln.line_no)
            before = billing.invoiced(ln.line_no) + taken.get(key, ZERO_QTY)
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

    def _pi_receipt(self, work: _Work, number: str, supplier: str, field: str) -> StockDocument:
        number = (number or "").strip().upper()
        doc = work.get(document_id(number),
                       NotFound(f"receipt {number} does not exist", "StockDocument", number))
        if doc.kind is not DocumentKind.RECEIPT:
            raise BusinessRuleViolation(
                "NOT_A_RECEIPT", f"{field}: {number} is a {doc.kind.value}, not a receipt")
        if doc.party != supplier:
            raise BusinessRuleViolation(
                "WRONG_SUPPLIER",
                f"{field}: receipt {number} is from {doc.party}, not {supplier}")
        return doc

    def _pi_billing(self, work: _Work, receipt: str) -> Billing:
        return work.get(billing_id(receipt), factory=lambda: Billing(receipt))

    # -- approve / cancel ----------------------------------------------------------
    def _pi_invoice(self, work: _Work, supplier: str, number: str) -> PurchaseInvoice:
        supplier_ = (supplier or "").strip().upper()
        number_ = check_invoice_number(number)
        return work.get(
            purchase_invoice_id(supplier_, number_),
            NotFound(f"purchase invoice {number_} of {supplier_} does not exist",
                     "PurchaseInvoice", f"{supplier_}/{number_}"))

    def approve_purchase_invoice(
        self,
        supplier: str,
        number: str,
        reason: str,
        posting_date: date | None = None,
        ctx: CommandContext = CommandContext(),
    ):
        """Post a held invoice as it stands (accountant's override, reason required),
        on its invoice date unless another posting date is given."""

        def decide():
            work = _Work(self)
            invoice = self._pi_invoice(work, supplier, number)
            invoice.check_held("approved")
            if not (reason or "").strip():
                raise ValidationError("approving a held invoice needs a reason", "reason")
            for ln in invoice.lines:  # billed in full meanwhile by another invoice?
                doc_line = next(d for d in self._pi_receipt(
                    work, ln.receipt, invoice.supplier, "receipt").lines
                    if d.line_no == ln.receipt_line)
                if self._pi_billing(work, ln.receipt).invoiced(ln.receipt_line) >= doc_line.qty:
                    raise BusinessRuleViolation(
                        "ALREADY_INVOICED",
                        f"{ln.receipt} line {ln.receipt_line} was invoiced in full meanwhile; "
                        "cancel this invoice")
            self._pi_post(work, invoice, posting_date or invoice.invoice_date, reason)
            return _result(invoice), _to_save(work)

        payload = (supplier, number, reason, posting_date)
        return self._execute("approve_purchase_invoice", payload, ctx, decide,
                             PurchaseInvoiceResult)

    def cancel_purchase_invoice(
        self, supplier: str, number: str, reason: str, ctx: CommandContext = CommandContext()
    ):
        def decide():
            work = _Work(self)
            invoice = self._pi_invoice(work, supplier, number)
            invoice.cancel(reason)
            return _result(invoice), work.changed()

        return self._execute("cancel_purchase_invoice", (supplier, number, reason), ctx,
                             decide, PurchaseInvoiceResult)

    # -- posting --------------------------------------------------------------------
    def _pi_post(self, work: _Work, invoice: PurchaseInvoice, day: date,
                      reason: str) -> None:
        deductible = invoice.invoice_type is PurchaseInvoiceType.SPECIAL
        voucher = posting.Voucher()
        claims = _Claims({}, {}, {})
        estimate = ZERO
        spread: list[PurchasePriceDifference] = []
        for ln in invoice.lines:
            doc = self._pi_receipt(work, ln.receipt, invoice.supplier, "receipt")
            doc_line = next(d for d in doc.lines if d.line_no == ln.receipt_line)
            billing = self._pi_billing(work, ln.receipt)
            before = billing.invoiced(ln.receipt_line)
            relieved = (relieved_value(doc_line.qty, doc_line.value, before + ln.qty)
                        - relieved_value(doc_line.qty, doc_line.value, before))
            # The match (or the approval) decided this quantity may be billed.
            billing.bill(ln.receipt_line, ln.qty, ln.amount, max(doc_line.qty, before + ln.qty),
                         invoice.key)
            tax = ln.tax if deductible else ZERO
            cost = ln.amount + (ZERO if deductible else ln.tax)
            voucher.debit(ESTIMATE, relieved).debit(INPUT_VAT, tax)
            estimate += relieved
            spread.extend(self._pi_spread(work, ln, cost - relieved, claims))
        voucher.credit(PAYABLE, invoice.gross)
        wip_account = self.production_settings().wip_account
        for part in spread:
            voucher.debit(part.account if part.target != "wip" else wip_account, part.amount)
        kind = "purchase_invoice"
        entry, changed = self.prepare_entry(
            day, f"采购发票 {invoice.supplier} {invoice.number}"[:200], voucher.lines(),
            _source(kind, invoice))
        for aggregate in changed:
            work.loaded[aggregate.id] = aggregate
        entry_id = str(entry.id)
        for part in spread:
            if part.target == "stock":
                item, warehouse = part.reference.split("@")
                self._stock(work, item, warehouse).revalue(
                    part.amount, day, Movement(kind, invoice.number, part.line_no, entry_id))
            elif part.target == "wip":
                wo_number, line_no = part.reference.split("/")
                self._pi_work_order(work, wo_number).adjust_material_cost(
                    int(line_no), part.amount, invoice.key)
        spread = [p if p.target != "wip" else _with_account(p, wip_account) for p in spread]
        invoice.post(day, entry_id, voucher_number(entry.voucher_seq), estimate, tuple(spread),
                     reason)
        if invoice.gross:  # a free-of-charge invoice owes nothing
            item = OpenItem(Ledger.PAYABLE, PAYABLE, invoice.supplier, "purchase_invoice",
                            invoice.key, invoice.invoice_date, invoice.due_date, invoice.gross)
            work.loaded[item.id] = item

    def _pi_spread(self, work: _Work, ln: PurchaseInvoiceLine, difference: Decimal,
                claims: _Claims) -> list[PurchasePriceDifference]:
        """Split a line's price difference over stock on hand, open WIP and 5401."""
        if not difference:
            return []
        stock = self._stock(work, ln.item, ln.warehouse)
        item = self._item(work, ln.item)
        on_hand = max(stock.qty - claims.on_hand.get(stock.id, ZERO_QTY), ZERO_QTY)
        on_qty = min(ln.qty, on_hand)
        claims.on_hand[stock.id] = claims.on_hand.get(stock.id, ZERO_QTY) + on_qty
        on_part = difference if on_qty == ln.qty else round_amount(difference * on_qty / ln.qty)
        value_now = stock.value + claims.revalued.get(stock.id, ZERO)
        if value_now + on_part < 0:  # never below zero value
            on_part = -value_now
        claims.revalued[stock.id] = claims.revalued.get(stock.id, ZERO) + on_part
        parts: list[PurchasePriceDifference] = []
        if on_part:
            parts.append(PurchasePriceDifference(ln.line_no, "stock", f"{ln.item}@{ln.warehouse}",
                                         item.inventory_account, on_qty, on_part))
        consumed = ln.qty - on_qty
        rest = difference - on_part
        if not rest:
            return parts
        targets = self._pi_consumers(work, stock, max(consumed, ZERO_QTY), claims)
        if not targets:
            targets = [("cost", "5401", consumed or ln.qty)]
        for (target, reference, qty), amount in zip(
                targets, split_by_qty(rest, [t[2] for t in targets]), strict=True):
            if amount:
                account = COST_OF_SALES if target == "cost" else ""
                parts.append(PurchasePriceDifference(ln.line_no, target, reference, account, qty,
                                             amount))
        return _merged(parts)

    def _pi_consumers(self, work: _Work, stock: StockBalance, qty: Decimal,
                   claims: _Claims) -> list[tuple[str, str, Decimal]]:
        """Where ``qty`` of this stock went: its latest issues, newest first,
        after what earlier lines of the invoice traced already."""
        skip = claims.issued.get(stock.id, ZERO_QTY)
        claims.issued[stock.id] = skip + qty
        found: list[tuple[str, str, Decimal]] = []
        left = qty
        for trace in reversed(stock.recent_issues):
            if left <= 0:
                break
            usable = trace.qty
            if skip:
                used = min(skip, usable)
                skip -= used
                usable -= used
            take = min(usable, left)
            if take <= 0:
                continue
            found.append((*self._pi_issue_target(work, trace), take))
            left -= take
        if left > 0:  # beyond the kept history
            found.append(("cost", "5401", left))
        return found

    def _pi_issue_target(self, work: _Work, trace) -> tuple[str, str]:
        if trace.kind == DocumentKind.MATERIAL_ISSUE.value and trace.document:
            try:
                doc = work.get(document_id(trace.document))
            except AggregateNotFoundError:
                return "cost", "5401"
            doc_line = next((d for d in doc.lines if d.line_no == trace.line), None)
            if doc_line is not None and doc.order:
                wo = self._pi_work_order(work, doc.order)
                if wo.check_open_for_costs():
                    return "wip", f"{wo.number}/{doc_line.order_line}"
        return "cost", "5401"

    def _pi_work_order(self, work: _Work, number: str) -> WorkOrder:
        return work.get(work_order_id(number),
                        NotFound(f"work order {number} does not exist", "WorkOrder", number))


def _merged(parts: list[PurchasePriceDifference]) -> list[PurchasePriceDifference]:
    """One part per (target, reference) of a line."""
    out: dict[tuple[str, str], PurchasePriceDifference] = {}
    for p in parts:
        known = out.get((p.target, p.reference))
        out[(p.target, p.reference)] = p if known is None else PurchasePriceDifference(
            p.line_no, p.target, p.reference, p.account, known.qty + p.qty,
            known.amount + p.amount)
    return list(out.values())


def _with_account(part: PurchasePriceDifference, account: str) -> PurchasePriceDifference:
    return PurchasePriceDifference(part.line_no, part.target, part.reference, account, part.qty,
                           part.amount)


def _source(kind: str, invoice: PurchaseInvoice):
    from domain.ledger.entries import SourceRef

    return SourceRef(kind, invoice.key)


def _rate(value: Any, field: str) -> Decimal:
    from domain.catalog.items import check_vat_rate

    return check_vat_rate(value, field)


def _result(invoice: PurchaseInvoice) -> PurchaseInvoiceResult:
    return PurchaseInvoiceResult(
        supplier=invoice.supplier,
        number=invoice.number,
        status=invoice.status.value,
        entry_id=invoice.entry_id,
        voucher_no=invoice.voucher_no,
        gross=str(invoice.gross),
        differences=len(invoice.differences),
    )


def _to_save(work: _Work) -> list[Any]:
    """What changed, less billing records opened only to be read (a held invoice)."""
    return [a for a in work.changed()
            if not (isinstance(a, Billing) and not any(
                isinstance(e, Billing.Billed) for e in a.pending_events))]


__all__ = [
    "PurchaseInvoicingUseCases",
    "PurchaseInvoiceLineInput",
    "PurchaseInvoiceResult",
    "TolerancesResult",
    "PurchaseInvoiceType",
]
