"""Purchase invoices (进项发票, 数电票) and the three-way match (三单匹配).

An invoice is recorded against receipt lines (采购入库单 GR-...), each of which
points to a purchase-order line. The match compares, per invoice line:

- quantity: what is invoiced must not exceed what the receipt line received
  and no invoice billed yet, by more than the quantity tolerance, taken on the
  received quantity: ``qty <= received x (1 + qty%) - invoiced before``;
- price: the invoice unit price (ex VAT) must be within the price tolerance of
  the order price: ``|invoice - order| <= order x price%``;
- tax: the line's VAT rate must be the order line's (kind ``vat_rate``), and
  the tax printed on the invoice must be ``round(amount x rate, 2)`` within
  0.01: the tax office's system rounds per line and may differ by one cent,
  so a one-cent difference passes (and the invoice's own tax is posted, being
  the deductible figure); more is a ``tax`` difference.

A line whose receipt line is already invoiced in full is refused outright
(``ALREADY_INVOICED``): that is a duplicate bill, not a difference to review.
Any other difference does not post: the invoice is recorded HELD with the
list of differences (line, kind, expected, actual). An accountant then
approves it (posts it, with a reason) or cancels it. A matched invoice posts
at once. MatchTolerances are a company setting (``InvoiceMatchSettings``), 0 % and 0 %
by default.

Posting (one voucher, in the same save as the invoice, the billing progress
of each receipt and the payable open item):

    Dr 220202 暂估应付   the receipt value of the invoiced quantity
    Dr 22210101 进项税额 the invoice tax (专用发票 only; the tax of a 普通发票 is
                         not deductible and is part of the goods' cost)
    Cr 220201 应付账款   价税合计

The receipt value relieved is cumulative per receipt line:
``relieved(q) = round(line value x q / line qty, 2)`` for the first q units
invoiced, the whole line value once all are; an invoice relieves
``relieved(before + q) - relieved(before)``, so partial invoices of a line
add up to the line value exactly. Units billed beyond the received quantity
(within tolerance, or approved) relieve nothing.

Price difference = invoice cost (amount ex VAT, plus tax on a 普通发票) - the
receipt value relieved. It goes where the goods are (移动加权平均):

- on-hand share = min(invoiced qty, qty still on hand) / invoiced qty of the
  receipt's stock balance (item and warehouse); that share of the difference
  (rounded half-up, the consumed share takes the rest) revalues the stock
  (``StockBalance.revalue``: the moving average changes), Dr/Cr the item's
  inventory account; it never takes the stock value below zero (any excess
  joins the consumed share);
- the consumed quantity is traced back through the balance's latest issues,
  newest first (derived state, ``StockBalance.recent_issues``): an issue to a
  work order whose WIP is not yet relieved (created, held, released, in
  progress) adds to that order's material WIP (``WorkOrder.adjust_material_cost``,
  Dr/Cr the WIP account, 400101); everything else (shipments, completed or
  closed work orders, returns, transfers, counts, and any quantity the kept
  history does not cover) goes to 5401 主营业务成本. The consumed share is
  split over those targets by quantity, the last one taking the rounding.

Several lines of one invoice on the same stock share its on-hand quantity
and its issue history, each taking what the lines before it left. So stock
value = inventory accounts and WIP = 400101 hold after every invoice.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.errors import BusinessRuleViolation, ValidationError
from domain.money import round_amount, to_decimal
from domain.money import split_by_qty as split_by_qty  # re-exported
from domain.transcodings import transcoded

ZERO = Decimal("0.00")
ZERO_QTY = Decimal("0.000000")
TAX_SLACK = Decimal("0.01")  # one cent of per-line rounding by the tax system
_NUMBER = re.compile(r"^\d{20}$")


@transcoded("PurchaseInvoiceType")
class PurchaseInvoiceType(Enum):
    SPECIAL = "special"  # 电子发票(增值税专用发票): input VAT deductible
    ORDINARY = "ordinary"  # 电子发票(普通发票): VAT is part of the cost


@transcoded("PurchaseInvoiceStatus")
class PurchaseInvoiceStatus(Enum):
    MATCHED = "matched"  # matched and posted at once
    HELD = "held"  # differences listed, not posted
    APPROVED = "approved"  # held, then posted by an accountant's override
    CANCELLED = "cancelled"  # held, then cancelled


@transcoded("MatchDifference")
@dataclass(frozen=True)
class MatchDifference:
    """One three-way-match difference: invoice line, kind (qty, price, tax,
    vat_rate), what was expected and what the invoice says."""

    line: int
    kind: str
    expected: str
    actual: str


@transcoded("PurchaseInvoiceLine")
@dataclass(frozen=True)
class PurchaseInvoiceLine:
    line_no: int
    receipt: str  # GR-...
    receipt_line: int
    order: str  # PO-...
    order_line: int
    item: str
    warehouse: str
    qty: Decimal
    unit_price: Decimal  # ex VAT, as on the invoice
    amount: Decimal  # round(qty x unit price, 2)
    vat_rate: Decimal
    tax: Decimal  # as on the invoice

    @property
    def gross(self) -> Decimal:
        return self.amount + self.tax


@transcoded("PurchasePriceDifference")
@dataclass(frozen=True)
class PurchasePriceDifference:
    """Where part of a line's price difference went: target ``stock`` (item@
    warehouse), ``wip`` (work order/material line) or ``cost`` (5401)."""

    line_no: int
    target: str
    reference: str
    account: str
    qty: Decimal
    amount: Decimal


@transcoded("MatchTolerances")
@dataclass(frozen=True)
class MatchTolerances:
    qty: Decimal = Decimal("0")  # 0.05 = 5 % of the received quantity
    price: Decimal = Decimal("0")  # 0.02 = 2 % of the order price


def check_tolerance(value: object, field: str) -> Decimal:
    tol = to_decimal(value if value is not None else "0", field)
    if not Decimal("0") <= tol <= Decimal("1"):
        raise ValidationError(f"{field}: a tolerance is between 0 and 1 (100 %)", field)
    return tol


def check_invoice_number(number: str, field: str = "number") -> str:
    number = (number or "").strip()
    if not _NUMBER.match(number):
        raise ValidationError(f"{field}: a 数电票 number is 20 digits", field)
    return number


def invoice_key(supplier: str, number: str) -> str:
    """The invoice's unique document key: numbers are unique per supplier."""
    return f"{supplier}/{number}"


def purchase_invoice_id(supplier: str, number: str) -> uuid.UUID:
    return derived_id("purchase-invoice", invoice_key(supplier, number))


# -- the match (pure) ------------------------------------------------------------------
@dataclass(frozen=True)
class MatchInput:
    """One invoice line with its receipt and order line, for the match."""

    line_no: int
    qty: Decimal
    unit_price: Decimal
    amount: Decimal
    vat_rate: Decimal
    tax: Decimal
    received: Decimal  # quantity on the receipt line
    invoiced_before: Decimal  # by earlier invoices and earlier lines of this one
    order_price: Decimal
    order_vat_rate: Decimal


def expected_tax(amount: Decimal, rate: Decimal) -> Decimal:
    return round_amount(amount * rate)


def three_way_match(lines: Sequence[MatchInput],
                    tolerances: MatchTolerances) -> list[MatchDifference]:
    """The differences between order, receipt and invoice, line by line."""
    found: list[MatchDifference] = []
    for ln in lines:
        allowed = ln.received * (1 + tolerances.qty) - ln.invoiced_before
        if ln.qty > allowed:
            open_ = max(ln.received - ln.invoiced_before, ZERO_QTY)
            found.append(MatchDifference(ln.line_no, "qty", _text(open_), _text(ln.qty)))
        if abs(ln.unit_price - ln.order_price) > ln.order_price * tolerances.price:
            found.append(MatchDifference(ln.line_no, "price", _text(ln.order_price),
                                    _text(ln.unit_price)))
        if ln.vat_rate != ln.order_vat_rate:
            found.append(MatchDifference(ln.line_no, "vat_rate", _text(ln.order_vat_rate),
                                    _text(ln.vat_rate)))
        want = expected_tax(ln.amount, ln.vat_rate)
        if abs(ln.tax - want) > TAX_SLACK:
            found.append(MatchDifference(ln.line_no, "tax", f"{want:f}", f"{ln.tax:f}"))
    return found


def _text(value: Decimal) -> str:
    return f"{value.normalize():f}"


def relieved_value(line_qty: Decimal, line_value: Decimal, qty: Decimal) -> Decimal:
    """Receipt value of the first ``qty`` units of a receipt line (cumulative)."""
    if qty >= line_qty:
        return line_value
    return round_amount(line_value * qty / line_qty)


# -- the aggregate -----------------------------------------------------------------------
class PurchaseInvoice(Aggregate):
    """One supplier invoice: recorded (matched or held), then posted or cancelled."""

    @event("Recorded")
    def __init__(
        self,
        supplier: str,
        number: str,
        invoice_date: date,
        invoice_type: PurchaseInvoiceType,
        due_date: date,
        lines: tuple[PurchaseInvoiceLine, ...],
        differences: tuple[MatchDifference, ...],
    ):
        self.supplier = supplier
        self.number = number
        self.invoice_date = invoice_date
        self.invoice_type = invoice_type
        self.due_date = due_date
        self.lines = tuple(lines)
        self.differences = tuple(differences)
        self.status = PurchaseInvoiceStatus.HELD if differences else PurchaseInvoiceStatus.MATCHED
        self.entry_id = ""
        self.voucher_no = ""

    @classmethod
    def create_id(cls, supplier: str, number: str, **_: object) -> uuid.UUID:
        return purchase_invoice_id(supplier, number)

    @property
    def key(self) -> str:
        return invoice_key(self.supplier, self.number)

    @property
    def amount(self) -> Decimal:
        return sum((ln.amount for ln in self.lines), ZERO)

    @property
    def tax(self) -> Decimal:
        return sum((ln.tax for ln in self.lines), ZERO)

    @property
    def gross(self) -> Decimal:
        return self.amount + self.tax

    @property
    def posted(self) -> bool:
        return bool(self.entry_id)

    def check_held(self, action: str) -> None:
        if self.status is not PurchaseInvoiceStatus.HELD:
            raise BusinessRuleViolation(
                "INVOICE_NOT_HELD",
                f"purchase invoice {self.number} of {self.supplier} is {self.status.value}; "
                f"only a held invoice can be {action}")

    def post(self, posting_date: date, entry_id: str, voucher_no: str, estimate: Decimal,
             price_differences: tuple[PurchasePriceDifference, ...], reason: str = "") -> None:
        """Posted at once when matched; a held one only with an approval reason."""
        if self.posted:
            raise BusinessRuleViolation(
                "INVOICE_POSTED", f"purchase invoice {self.number} is already posted")
        if self.status is PurchaseInvoiceStatus.HELD:
            if not reason.strip():
                raise ValidationError("approving a held invoice needs a reason", "reason")
        elif self.status is not PurchaseInvoiceStatus.MATCHED:
            self.check_held("approved")
        self._posted(posting_date, entry_id, voucher_no, estimate, tuple(price_differences),
                     reason.strip())

    @event("Posted")
    def _posted(self, posting_date: date, entry_id: str, voucher_no: str, estimate: Decimal,
                price_differences: tuple[PurchasePriceDifference, ...], reason: str) -> None:
        self.entry_id = entry_id
        self.voucher_no = voucher_no
        if reason:
            self.status = PurchaseInvoiceStatus.APPROVED

    def cancel(self, reason: str) -> None:
        self.check_held("cancelled")
        if not (reason or "").strip():
            raise ValidationError("cancelling a held invoice needs a reason", "reason")
        self._cancelled(reason.strip())

    @event("Cancelled")
    def _cancelled(self, reason: str) -> None:
        self.status = PurchaseInvoiceStatus.CANCELLED


# -- the company's match tolerances ---------------------------------------------------------
MATCH_TOLERANCES_ID = derived_id("settings", "invoice-match")


class InvoiceMatchSettings(Aggregate):
    """三单匹配容差: the company's quantity and price tolerances."""

    @event("Started")
    def __init__(self):
        self.tolerances = MatchTolerances()

    @classmethod
    def create_id(cls) -> uuid.UUID:
        return MATCH_TOLERANCES_ID

    @event("Set")
    def set(self, tolerances: MatchTolerances) -> None:
        self.tolerances = tolerances
