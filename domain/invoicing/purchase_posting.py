"""Posting a purchase invoice: the steps its handlers share (record when
matched, approve when held).

The voucher relieves the goods-received estimate, books the input VAT and the
payable, and spreads each line's price difference over the stock still on
hand, the open work orders that consumed it and 5401 (cost of sales). One
save holds the invoice, the billing progress of every receipt it bills, the
payable open item, the journal entry, and the stock balances and work orders
the differences adjust. The rules are in ``purchase_invoices.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from domain.catalog.lookups import item
from domain.errors import BusinessRuleViolation, NotFound
from domain.finance.open_items import Ledger, OpenItem
from domain.inventory import posting
from domain.inventory.documents import DocumentKind, StockDocument, document_id
from domain.inventory.recording import stock
from domain.inventory.stock import Movement, StockBalance
from domain.invoicing.billing import Billing, billing_id
from domain.invoicing.purchase_invoices import (
    PurchaseInvoice,
    PurchaseInvoiceLine,
    PurchaseInvoiceType,
    PurchasePriceDifference,
    check_invoice_number,
    purchase_invoice_id,
    relieved_value,
    split_by_qty,
)
from domain.ledger.entries import SourceRef
from domain.ledger.periods import voucher_number
from domain.money import round_amount
from domain.production.lookups import production_settings, work_order
from domain.unit_of_work import UnitOfWork

ZERO = Decimal("0.00")
ZERO_QTY = Decimal("0.000000")
PAYABLE = "220201"  # 应付账款-供应商
INPUT_VAT = "22210101"  # 应交税费-应交增值税-进项税额
COST_OF_SALES = posting.COST_OF_SALES
ESTIMATE = posting.GOODS_RECEIVED_NOT_INVOICED
DOCUMENT_KIND = "purchase_invoice"  # SourceRef kind and open-item document kind


@dataclass
class Claims:
    """What earlier lines of one invoice took: on-hand quantity, issue history
    and revaluation per stock balance."""

    on_hand: dict[Any, Decimal]
    issued: dict[Any, Decimal]
    revalued: dict[Any, Decimal]


# -- what an invoice names ----------------------------------------------------------------
def purchase_invoice(uow: UnitOfWork, supplier: str, number: str) -> PurchaseInvoice:
    """The supplier's invoice to change."""
    supplier_ = (supplier or "").strip().upper()
    number_ = check_invoice_number(number)
    return uow.get(
        purchase_invoice_id(supplier_, number_),
        NotFound(f"purchase invoice {number_} of {supplier_} does not exist",
                 "PurchaseInvoice", f"{supplier_}/{number_}"))


def receipt(uow: UnitOfWork, number: str, supplier: str, field: str) -> StockDocument:
    """A goods receipt of ``supplier`` (read only)."""
    number = (number or "").strip().upper()
    doc = uow.peek(document_id(number),
                   NotFound(f"receipt {number} does not exist", "StockDocument", number))
    if doc.kind is not DocumentKind.RECEIPT:
        raise BusinessRuleViolation(
            "NOT_A_RECEIPT", f"{field}: {number} is a {doc.kind.value}, not a receipt")
    if doc.party != supplier:
        raise BusinessRuleViolation(
            "WRONG_SUPPLIER",
            f"{field}: receipt {number} is from {doc.party}, not {supplier}")
    return doc


def invoiced(uow: UnitOfWork, receipt_no: str, line_no: int) -> Decimal:
    """How much of a receipt line is invoiced (as this command sees it)."""
    if not uow.exists(billing_id(receipt_no)):
        return ZERO_QTY
    return uow.peek(billing_id(receipt_no)).invoiced(line_no)


def billing(uow: UnitOfWork, receipt_no: str) -> Billing:
    """A receipt's billing progress, to bill (started at its first invoice)."""
    return uow.get(billing_id(receipt_no), factory=lambda: Billing(receipt_no))


# -- posting ---------------------------------------------------------------------------------
def post_purchase_invoice(uow: UnitOfWork, invoice: PurchaseInvoice, day: date,
                          reason: str) -> None:
    """Bill the receipts, post the voucher, adjust stock and WIP by the price
    differences, mark the invoice posted and open the payable."""
    voucher = posting.Voucher()
    estimate, spread = bill_receipts(uow, invoice, voucher)
    voucher.credit(PAYABLE, invoice.gross)
    wip_account = production_settings(uow).wip_account
    for part in spread:
        voucher.debit(part.account if part.target != "wip" else wip_account, part.amount)
    entry = uow.post(day, f"采购发票 {invoice.supplier} {invoice.number}"[:200],
                     voucher.lines(), SourceRef(DOCUMENT_KIND, invoice.key))
    entry_id = str(entry.id)
    adjust_sub_ledgers(uow, invoice, spread, day, entry_id)
    spread = [p if p.target != "wip" else _with_account(p, wip_account) for p in spread]
    invoice.post(day, entry_id, voucher_number(entry.voucher_seq), estimate, tuple(spread),
                 reason)
    if invoice.gross:  # a free-of-charge invoice owes nothing
        uow.add(OpenItem(Ledger.PAYABLE, PAYABLE, invoice.supplier, DOCUMENT_KIND,
                         invoice.key, invoice.invoice_date, invoice.due_date, invoice.gross))


def bill_receipts(uow: UnitOfWork, invoice: PurchaseInvoice, voucher: posting.Voucher
                  ) -> tuple[Decimal, list[PurchasePriceDifference]]:
    """Bill each line's receipt, relieve its estimate and book its input VAT;
    return the estimate relieved and where the price differences go."""
    deductible = invoice.invoice_type is PurchaseInvoiceType.SPECIAL
    claims = Claims({}, {}, {})
    estimate = ZERO
    spread: list[PurchasePriceDifference] = []
    for ln in invoice.lines:
        doc = receipt(uow, ln.receipt, invoice.supplier, "receipt")
        doc_line = next(d for d in doc.lines if d.line_no == ln.receipt_line)
        progress = billing(uow, ln.receipt)
        before = progress.invoiced(ln.receipt_line)
        relieved = (relieved_value(doc_line.qty, doc_line.value, before + ln.qty)
                    - relieved_value(doc_line.qty, doc_line.value, before))
        # The match (or the approval) decided this quantity may be billed.
        progress.bill(ln.receipt_line, ln.qty, ln.amount, max(doc_line.qty, before + ln.qty),
                      invoice.key)
        tax = ln.tax if deductible else ZERO
        cost = ln.amount + (ZERO if deductible else ln.tax)
        voucher.debit(ESTIMATE, relieved).debit(INPUT_VAT, tax)
        estimate += relieved
        spread.extend(spread_difference(uow, ln, cost - relieved, claims))
    return estimate, spread


def adjust_sub_ledgers(uow: UnitOfWork, invoice: PurchaseInvoice,
                       spread: list[PurchasePriceDifference], day: date, entry_id: str) -> None:
    """Revalue the stock and add to the work orders' material cost, each by its
    share of the differences, naming the invoice's voucher."""
    for part in spread:
        if part.target == "stock":
            item_code, warehouse = part.reference.split("@")
            stock(uow, item_code, warehouse).revalue(
                part.amount, day, Movement(DOCUMENT_KIND, invoice.number, part.line_no,
                                           entry_id))
        elif part.target == "wip":
            wo_number, line_no = part.reference.split("/")
            work_order(uow, wo_number).adjust_material_cost(int(line_no), part.amount,
                                                            invoice.key)


# -- where a price difference goes --------------------------------------------------------
def spread_difference(uow: UnitOfWork, ln: PurchaseInvoiceLine, difference: Decimal,
                      claims: Claims) -> list[PurchasePriceDifference]:
    """Split a line's price difference over stock on hand, open WIP and 5401."""
    if not difference:
        return []
    balance = stock(uow, ln.item, ln.warehouse)
    found = item(uow, ln.item)
    on_hand = max(balance.qty - claims.on_hand.get(balance.id, ZERO_QTY), ZERO_QTY)
    on_qty = min(ln.qty, on_hand)
    claims.on_hand[balance.id] = claims.on_hand.get(balance.id, ZERO_QTY) + on_qty
    on_part = difference if on_qty == ln.qty else round_amount(difference * on_qty / ln.qty)
    value_now = balance.value + claims.revalued.get(balance.id, ZERO)
    if value_now + on_part < 0:  # never below zero value
        on_part = -value_now
    claims.revalued[balance.id] = claims.revalued.get(balance.id, ZERO) + on_part
    parts: list[PurchasePriceDifference] = []
    if on_part:
        parts.append(PurchasePriceDifference(ln.line_no, "stock", f"{ln.item}@{ln.warehouse}",
                                             found.inventory_account, on_qty, on_part))
    consumed = ln.qty - on_qty
    rest = difference - on_part
    if not rest:
        return parts
    targets = consumers(uow, balance, max(consumed, ZERO_QTY), claims)
    if not targets:
        targets = [("cost", "5401", consumed or ln.qty)]
    for (target, reference, qty), amount in zip(
            targets, split_by_qty(rest, [t[2] for t in targets]), strict=True):
        if amount:
            account = COST_OF_SALES if target == "cost" else ""
            parts.append(PurchasePriceDifference(ln.line_no, target, reference, account, qty,
                                                 amount))
    return _merged(parts)


def consumers(uow: UnitOfWork, balance: StockBalance, qty: Decimal,
              claims: Claims) -> list[tuple[str, str, Decimal]]:
    """Where ``qty`` of this stock went: its latest issues, newest first,
    after what earlier lines of the invoice traced already."""
    skip = claims.issued.get(balance.id, ZERO_QTY)
    claims.issued[balance.id] = skip + qty
    found: list[tuple[str, str, Decimal]] = []
    left = qty
    for trace in reversed(balance.recent_issues):
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
        found.append((*issue_target(uow, trace), take))
        left -= take
    if left > 0:  # beyond the kept history
        found.append(("cost", "5401", left))
    return found


def issue_target(uow: UnitOfWork, trace: Any) -> tuple[str, str]:
    """An issue's share goes to its work order's WIP while the order is open
    for costs, else to cost of sales."""
    if trace.kind == DocumentKind.MATERIAL_ISSUE.value and trace.document:
        try:
            doc = uow.peek(document_id(trace.document))
        except AggregateNotFoundError:
            return "cost", "5401"
        doc_line = next((d for d in doc.lines if d.line_no == trace.line), None)
        if doc_line is not None and doc.order:
            wo = work_order(uow, doc.order)
            if wo.check_open_for_costs():
                return "wip", f"{wo.number}/{doc_line.order_line}"
    return "cost", "5401"


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
