"""Sales invoices (数电票, fully digitalised e-invoices) and red-letter
corrections (红字发票).

An issued invoice never changes. A correction is a red invoice naming the
blue one and its 红字发票信息确认单; the blue aggregate only records how much
of each of its lines has been credited, so the credits can never take it
below zero, and whether the buyer has confirmed it (用途确认), after which
only a partial red invoice for a return (销货退回) or an allowance
(销售折让) is possible.

The rules that compute lines, totals, invoice numbers and credits are pure
functions here; the handlers (sales_handlers.py) load, ask and save.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.invoicing.amount_words import amount_in_words
from domain.invoicing.company_profile import LegalParty
from domain.money import parse_amount, parse_quantity, round_amount
from domain.transcodings import transcoded

ZERO = Decimal("0.00")
ZERO_QTY = Decimal("0.000000")
NUMBER_LENGTH = 20
MAX_LINES = 500
MAX_REMARK = 200

RECEIVABLE = "1122"  # 应收账款
REVENUE = "5001"  # 主营业务收入
OUTPUT_VAT = "22210102"  # 应交税费-应交增值税-销项税额


@transcoded("InvoiceType")
class InvoiceType(Enum):
    SPECIAL = "special"  # 电子发票(增值税专用发票)
    ORDINARY = "ordinary"  # 电子发票(普通发票)


INVOICE_TYPE_TITLE = {
    InvoiceType.SPECIAL: "电子发票（增值税专用发票）",
    InvoiceType.ORDINARY: "电子发票（普通发票）",
}


@transcoded("RedReason")
class RedReason(Enum):
    SALES_RETURN = 1  # 销货退回
    INVOICING_ERROR = 2  # 开票有误
    SERVICE_STOPPED = 3  # 服务中止
    SALES_ALLOWANCE = 4  # 销售折让


RED_REASON_TEXT = {
    RedReason.SALES_RETURN: "销货退回",
    RedReason.INVOICING_ERROR: "开票有误",
    RedReason.SERVICE_STOPPED: "服务中止",
    RedReason.SALES_ALLOWANCE: "销售折让",
}
# Only these may credit part of a blue invoice (and, once the buyer has
# confirmed it, nothing else may credit it at all).
PARTIAL_REASONS = (RedReason.SALES_RETURN, RedReason.SALES_ALLOWANCE)


@transcoded("InvoiceLine")
@dataclass(frozen=True)
class InvoiceLine:
    """One line as printed; a red line carries negative quantity, amount and tax."""

    line_no: int
    item: str
    item_name: str  # *简称*名称
    tax_code: str  # 19-digit 商品和服务税收分类编码
    spec: str  # 规格型号
    unit: str
    qty: Decimal
    unit_price: Decimal  # ex VAT
    amount: Decimal  # ex VAT
    vat_rate: Decimal
    tax: Decimal
    shipment: str = ""
    shipment_line: int = 0
    order: str = ""
    order_line: int = 0
    blue_line: int = 0  # red lines: the blue line they credit

    @property
    def total(self) -> Decimal:
        return self.amount + self.tax


@transcoded("Credit")
@dataclass(frozen=True)
class Credit:
    """What one red invoice credits of one blue line (positive figures)."""

    line_no: int
    qty: Decimal
    amount: Decimal
    tax: Decimal


def sales_invoice_id(number: str) -> uuid.UUID:
    return derived_id("sales-invoice", number)


# -- pure rules ----------------------------------------------------------------------
_NUMBER = re.compile(r"^\d{20}$")
_CONFIRMATION = re.compile(r"^[0-9A-Za-z\-]{1,40}$")


def check_invoice_number(number: str, field: str = "number") -> str:
    number = (number or "").strip()
    if not _NUMBER.match(number):
        raise ValidationError(f"{field}: an invoice number (发票号码) is 20 digits", field)
    return number


def invoice_number(year: int, seller_uscc: str, serial: int) -> str:
    """数电票 number: 2-digit year, 2-digit province (the seller's 统一社会信用代码
    characters 3-4), '0', then a 15-digit serial."""
    province = seller_uscc[2:4]
    if not province.isdigit():
        raise BusinessRuleViolation(
            "SELLER_PROVINCE_UNKNOWN",
            f"the seller's 统一社会信用代码 {seller_uscc} has no province code in characters 3-4")
    if not 0 < serial < 10**15:
        raise BusinessRuleViolation("INVOICE_SERIAL_EXHAUSTED", "no invoice serial left this year")
    return f"{year % 100:02d}{province}0{serial:015d}"


def sequence_prefix(year: int) -> str:
    """Invoice serials restart each year (the number starts with the year)."""
    return f"SINV{year % 100:02d}"


def line_figures(qty: Decimal, unit_price: Decimal, vat_rate: Decimal
                 ) -> tuple[Decimal, Decimal]:
    """(amount, tax): amount = qty x price and tax = amount x rate, each to 0.01 half-up."""
    amount = round_amount(qty * unit_price)
    return amount, round_amount(amount * vat_rate)


@dataclass(frozen=True)
class Totals:
    amount: Decimal
    tax: Decimal

    @property
    def total(self) -> Decimal:
        return self.amount + self.tax

    @property
    def in_words(self) -> str:
        return amount_in_words(self.total)


def totals(lines: tuple[InvoiceLine, ...] | list[InvoiceLine]) -> Totals:
    """Header totals are the sums of the lines (never recomputed from a total)."""
    return Totals(sum((ln.amount for ln in lines), ZERO), sum((ln.tax for ln in lines), ZERO))


def printed_item_name(short_name: str, name: str) -> str:
    return f"*{short_name}*{name}"


def check_remark(remark: str, field: str = "remark") -> str:
    remark = (remark or "").strip()
    if len(remark) > MAX_REMARK:
        raise ValidationError(f"{field} is longer than {MAX_REMARK} characters", field)
    return remark


def check_confirmation_no(text: str, field: str = "confirmationNo") -> str:
    text = (text or "").strip()
    if not _CONFIRMATION.match(text):
        raise ValidationError(
            f"{field}: the 红字发票信息确认单 number must be 1-40 letters, digits or '-'", field)
    return text


def red_remark(blue_number: str, confirmation_no: str) -> str:
    return f"被红冲蓝字数电发票号码：{blue_number} 红字发票信息确认单编号：{confirmation_no}"


@dataclass(frozen=True)
class CreditRequest:
    """Part of a blue line to credit: a quantity (returned goods) and/or an
    amount ex VAT (an allowance, or an agreed value of the return)."""

    line_no: int
    qty: object = None
    amount: object = None


# -- the aggregate ---------------------------------------------------------------------
class SalesInvoice(Aggregate):
    """A blue or a red sales invoice, as issued."""

    @event("Issued")
    def __init__(
        self,
        number: str,
        invoice_type: InvoiceType,
        invoice_date: date,
        customer: str,
        seller: LegalParty,
        buyer: LegalParty,
        lines: tuple[InvoiceLine, ...],
        total_amount: Decimal,
        total_tax: Decimal,
        total: Decimal,
        total_in_words: str,
        remark: str,
        drawer: str,
        due_date: date,
        entry_id: str,
        voucher_no: str,
        blue_number: str = "",
        confirmation_no: str = "",
        red_reason: RedReason | None = None,
        currency: str = "CNY",
    ):
        self.number = number
        self.invoice_type = invoice_type
        self.invoice_date = invoice_date
        self.customer = customer
        self.seller = seller
        self.buyer = buyer
        self.lines = tuple(lines)
        self.total_amount = total_amount
        self.total_tax = total_tax
        self.total = total
        self.total_in_words = total_in_words
        self.remark = remark
        self.drawer = drawer
        self.due_date = due_date
        self.entry_id = entry_id
        self.voucher_no = voucher_no
        self.blue_number = blue_number
        self.confirmation_no = confirmation_no
        self.red_reason = red_reason
        self.currency = currency
        self.confirmed = False
        self.credited: dict[int, Credit] = {}  # blue line -> credited so far
        self.red_invoices: list[str] = []
        self.confirmations: list[str] = []

    @classmethod
    def create_id(cls, number: str, **_: object) -> uuid.UUID:
        return sales_invoice_id(number)

    @property
    def is_red(self) -> bool:
        return bool(self.blue_number)

    def line(self, line_no: int) -> InvoiceLine:
        for ln in self.lines:
            if ln.line_no == line_no:
                return ln
        raise NotFound(f"invoice {self.number} has no line {line_no}", "InvoiceLine",
                       f"{self.number}/{line_no}")

    def credited_of(self, line_no: int) -> Credit:
        return self.credited.get(line_no, Credit(line_no, ZERO_QTY, ZERO, ZERO))

    def remaining(self, line_no: int) -> Credit:
        """What of a blue line is still uncredited."""
        ln, done = self.line(line_no), self.credited_of(line_no)
        return Credit(line_no, ln.qty - done.qty, ln.amount - done.amount, ln.tax - done.tax)

    @property
    def fully_credited(self) -> bool:
        return all(self.remaining(ln.line_no).amount == 0 and self.remaining(ln.line_no).tax == 0
                   for ln in self.lines)

    # -- the buyer's confirmation (用途确认) ---------------------------------------------
    def confirm(self) -> None:
        self._check_blue("confirm")
        if self.confirmed:
            raise BusinessRuleViolation("INVOICE_CONFIRMED",
                                        f"invoice {self.number} is already confirmed")
        if self.fully_credited:
            raise BusinessRuleViolation(
                "INVOICE_REVERSED", f"invoice {self.number} has been reversed in full")
        self._confirmed()

    @event("Confirmed")
    def _confirmed(self) -> None:
        self.confirmed = True

    # -- red-letter credits --------------------------------------------------------------
    def _check_blue(self, what: str) -> None:
        if self.is_red:
            raise BusinessRuleViolation(
                "RED_INVOICE", f"{self.number} is a red invoice; only a blue invoice can {what}")

    def plan_credits(self, reason: RedReason, confirmation_no: str,
                     requests: list[CreditRequest] | None) -> list[Credit]:
        """The credits a red invoice would make (pure; raises when the rules say no).

        ``requests`` None is a full reversal of what remains."""
        self._check_blue("be credited")
        if confirmation_no in self.confirmations:
            raise BusinessRuleViolation(
                "CONFIRMATION_USED",
                f"红字发票信息确认单 {confirmation_no} was already used for invoice {self.number}")
        if self.fully_credited:
            raise BusinessRuleViolation(
                "NOTHING_TO_CREDIT", f"invoice {self.number} has been credited in full already")
        if requests is None:
            if self.confirmed:
                raise BusinessRuleViolation(
                    "INVOICE_CONFIRMED",
                    f"the buyer has confirmed invoice {self.number}; only a partial red invoice "
                    "for 销货退回 or 销售折让 is possible now")
            return [r for r in (self.remaining(ln.line_no) for ln in self.lines)
                    if r.amount or r.tax or r.qty]
        if reason not in PARTIAL_REASONS:
            raise BusinessRuleViolation(
                "PARTIAL_NOT_ALLOWED",
                f"a partial red invoice is only for 销货退回 or 销售折让, not "
                f"{RED_REASON_TEXT[reason]}; reverse the invoice in full instead")
        if not requests:
            raise ValidationError("a partial red invoice needs at least one line", "lines")
        if len(requests) > MAX_LINES:
            raise ValidationError(f"at most {MAX_LINES} lines", "lines")
        credits: dict[int, Credit] = {}
        for i, req in enumerate(requests):
            path = f"lines.{i}"
            line = self.line(req.line_no)
            before = self.remaining(line.line_no)
            if line.line_no in credits:  # two requests for one line: the second sees the first
                c = credits[line.line_no]
                before = Credit(line.line_no, before.qty - c.qty, before.amount - c.amount,
                                before.tax - c.tax)
            credit = _credit_of(line, before, reason, req, path)
            if line.line_no in credits:
                c = credits[line.line_no]
                credit = Credit(line.line_no, c.qty + credit.qty, c.amount + credit.amount,
                                c.tax + credit.tax)
            credits[line.line_no] = credit
        return list(credits.values())

    def credit(self, red_number: str, confirmation_no: str, credits: list[Credit]) -> None:
        for c in credits:
            left = self.remaining(c.line_no)
            if c.qty > left.qty or c.amount > left.amount or c.tax > left.tax:
                raise BusinessRuleViolation(
                    "BELOW_ZERO", f"line {c.line_no} of {self.number} cannot go below zero")
        self._credited(red_number, confirmation_no, tuple(credits))

    @event("Credited")
    def _credited(self, red_number: str, confirmation_no: str,
                  credits: tuple[Credit, ...]) -> None:
        for c in credits:
            done = self.credited_of(c.line_no)
            self.credited[c.line_no] = Credit(c.line_no, done.qty + c.qty,
                                              done.amount + c.amount, done.tax + c.tax)
        self.red_invoices.append(red_number)
        self.confirmations.append(confirmation_no)


def _credit_of(line: InvoiceLine, left: Credit, reason: RedReason, req: CreditRequest,
               path: str) -> Credit:
    """One requested credit of a blue line, checked against what is left of it."""
    qty = parse_quantity(req.qty, f"{path}.qty") if req.qty is not None else ZERO_QTY
    if reason is RedReason.SALES_RETURN and req.qty is None:
        raise ValidationError(f"{path}.qty: a return (销货退回) credits a quantity", f"{path}.qty")
    if reason is RedReason.SALES_ALLOWANCE:
        if req.qty is not None:
            raise ValidationError(
                f"{path}.qty: an allowance (销售折让) credits an amount, not a quantity",
                f"{path}.qty")
        if req.amount is None:
            raise ValidationError(f"{path}.amount: an allowance (销售折让) needs an amount",
                                  f"{path}.amount")
    if qty > left.qty:
        raise BusinessRuleViolation(
            "BELOW_ZERO",
            f"line {line.line_no}: {qty.normalize():f} exceeds the "
            f"{left.qty.normalize():f} not yet credited")
    if req.amount is not None:
        amount = parse_amount(req.amount, f"{path}.amount")
        if amount == 0:
            raise ValidationError(f"{path}.amount must not be zero", f"{path}.amount")
    elif qty == left.qty:
        amount = left.amount  # the rest of the line: exact, whatever earlier rounding did
    else:
        amount = round_amount(qty * line.unit_price)
    if amount > left.amount:
        raise BusinessRuleViolation(
            "BELOW_ZERO",
            f"line {line.line_no}: {amount} exceeds the {left.amount} not yet credited")
    tax = left.tax if amount == left.amount else round_amount(amount * line.vat_rate)
    if tax > left.tax:
        tax = left.tax
    return Credit(line.line_no, qty, amount, tax)


def red_lines(blue: SalesInvoice, credits: list[Credit]) -> tuple[InvoiceLine, ...]:
    """The red invoice's lines: the blue lines' particulars with negative figures."""
    out = []
    for i, c in enumerate(credits):
        ln = blue.line(c.line_no)
        out.append(InvoiceLine(
            line_no=i + 1, item=ln.item, item_name=ln.item_name, tax_code=ln.tax_code,
            spec=ln.spec, unit=ln.unit, qty=-c.qty, unit_price=ln.unit_price,
            amount=-c.amount, vat_rate=ln.vat_rate, tax=-c.tax, shipment=ln.shipment,
            shipment_line=ln.shipment_line, order=ln.order, order_line=ln.order_line,
            blue_line=ln.line_no))
    return tuple(out)
