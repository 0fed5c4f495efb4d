"""Cash (资金): receipts, payments, prepayments and their application, and
simple expense payments; the pure rules that check and post them.

A party's cash always runs through the open items (domain/finance/open_items.py):
what a receipt or payment allocates settles invoices, what it leaves over
opens a prepayment item (2203 预收账款 / 1123 预付账款), and an applied
prepayment or an offset credit settles both sides. So the sub-ledger and the
GL move together, in one save, and open AR = 1122, open AP = 220201.

Posting follows the open item's sign convention: a receivable item is
debit-positive on its account, a payable item credit-positive. Settling an
item by ``s`` (same sign as the item) therefore credits a receivable
account by ``s`` and debits a payable one; opening an item does the reverse.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.errors import BusinessRuleViolation, ValidationError
from domain.finance.open_items import Ledger
from domain.ledger.voucher import Voucher
from domain.money import parse_amount
from domain.transcodings import transcoded

ZERO = Decimal("0.00")

CASH_ACCOUNTS = ("1001", "1002", "1012")  # 库存现金, 银行存款, 其他货币资金 (and their subs)
CONTROL_ACCOUNT = {Ledger.RECEIVABLE: "1122", Ledger.PAYABLE: "220201"}
PREPAYMENT_ACCOUNT = {Ledger.RECEIVABLE: "2203", Ledger.PAYABLE: "1123"}
INPUT_VAT = "22210101"  # 应交税费-应交增值税-进项税额
# Accounts only the party flows (invoices, receipts, payments) post to: an
# expense voucher on them would leave the open items behind the GL.
PARTY_ACCOUNTS = ("1122", "1123", "2202", "2203")

MAX_ALLOCATIONS = 500
MAX_LINES = 100
MAX_TEXT = 100
MAX_MEMO = 200


@transcoded("CashKind")
class CashKind(Enum):
    RECEIPT = "receipt"  # 收款单
    PAYMENT = "payment"  # 付款单
    EXPENSE = "expense"  # 费用付款单
    PREPAYMENT_APPLICATION = "prepayment_application"  # 预收/预付冲应收/应付
    OFFSET = "offset"  # 往来对冲 (红字发票冲蓝字发票)


PREFIX = {
    CashKind.RECEIPT: "RV",
    CashKind.PAYMENT: "PY",
    CashKind.EXPENSE: "EX",
    CashKind.PREPAYMENT_APPLICATION: "PA",
    CashKind.OFFSET: "OF",
}

TITLE = {
    CashKind.RECEIPT: "收款",
    CashKind.PAYMENT: "付款",
    CashKind.EXPENSE: "费用付款",
    CashKind.PREPAYMENT_APPLICATION: "预收预付核销",
    CashKind.OFFSET: "往来对冲",
}


@transcoded("Allocation")
@dataclass(frozen=True)
class Allocation:
    """``amount`` of the open item of ``document`` settled by a cash document."""

    document: str
    amount: Decimal


@transcoded("ExpenseLine")
@dataclass(frozen=True)
class ExpenseLine:
    account: str
    amount: Decimal
    memo: str = ""


# -- inputs ---------------------------------------------------------------------------
@dataclass(frozen=True)
class AllocationInput:
    document: str
    amount: Any


@dataclass(frozen=True)
class ExpenseLineInput:
    account: str
    amount: Any
    memo: str = ""


# -- pure checks ----------------------------------------------------------------------
def check_day(value: object, field: str = "postingDate") -> date:
    if not isinstance(value, date):
        raise ValidationError(f"{field}: a date is required", field)
    return value


def check_text(value: str | None, field: str, limit: int = MAX_TEXT) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationError(f"{field} is longer than {limit} characters", field)
    return text


def check_amount(value: object, field: str = "amount") -> Decimal:
    amount = parse_amount(value, field)
    if amount == 0:
        raise ValidationError(f"{field} must be greater than zero", field)
    return amount


def check_allocations(
    allocations: Sequence[AllocationInput | tuple[str, Any]], field: str = "allocations"
) -> tuple[Allocation, ...]:
    """Each allocation names a document once, with an amount above zero."""
    if len(allocations) > MAX_ALLOCATIONS:
        raise ValidationError(f"at most {MAX_ALLOCATIONS} allocations", field)
    seen: set[str] = set()
    result = []
    for i, raw in enumerate(allocations):
        path = f"{field}.{i}"
        document, amount = (raw.document, raw.amount) if isinstance(
            raw, AllocationInput) else raw
        document = (document or "").strip()
        if not document or len(document) > 64:
            raise ValidationError(f"{path}.document: a document number of 1-64 characters",
                                  f"{path}.document")
        if document in seen:
            raise ValidationError(f"{path}.document: {document} is allocated twice",
                                  f"{path}.document")
        seen.add(document)
        result.append(Allocation(document, check_amount(amount, f"{path}.amount")))
    return tuple(result)


def unallocated(amount: Decimal, allocations: Sequence[Allocation]) -> Decimal:
    """What a receipt or payment leaves over for a prepayment."""
    total = sum((a.amount for a in allocations), ZERO)
    if total > amount:
        raise BusinessRuleViolation(
            "ALLOCATION_EXCEEDS_AMOUNT",
            f"allocations total {total} but only {amount} was received or paid")
    return amount - total


def check_cash_account(code: str, field: str = "bankAccount") -> str:
    code = (code or "").strip()
    if not any(code.startswith(root) for root in CASH_ACCOUNTS):
        raise BusinessRuleViolation(
            "NOT_A_CASH_ACCOUNT",
            f"account {code!r} is not a cash or bank account (1001, 1002, 1012 or below)")
    return code


def check_expense_account(code: str, field: str) -> str:
    code = (code or "").strip()
    if any(code.startswith(root) for root in PARTY_ACCOUNTS):
        raise BusinessRuleViolation(
            "PARTY_ACCOUNT",
            f"account {code} belongs to customers or suppliers: record a customer receipt "
            "or a supplier payment instead")
    if any(code.startswith(root) for root in CASH_ACCOUNTS):
        raise BusinessRuleViolation(
            "CASH_ACCOUNT", f"account {code} is a cash account: post a transfer as a "
            "journal entry")
    return code


def check_expense_lines(lines: Sequence[ExpenseLineInput | tuple]) -> tuple[ExpenseLine, ...]:
    if not lines:
        raise ValidationError("an expense payment needs at least one line", "lines")
    if len(lines) > MAX_LINES:
        raise ValidationError(f"an expense payment may have at most {MAX_LINES} lines",
                              "lines")
    result = []
    for i, raw in enumerate(lines):
        path = f"lines.{i}"
        ln = raw if isinstance(raw, ExpenseLineInput) else ExpenseLineInput(*raw)
        result.append(ExpenseLine(
            check_expense_account(ln.account, f"{path}.account"),
            check_amount(ln.amount, f"{path}.amount"),
            check_text(ln.memo, f"{path}.memo", MAX_MEMO),
        ))
    return tuple(result)


# -- posting rules ----------------------------------------------------------------------
def post_settlement(voucher: Voucher, ledger: Ledger, account: str, amount: Decimal) -> None:
    """Settling ``amount`` of an item (signed like the item) on ``account``."""
    if ledger is Ledger.RECEIVABLE:
        voucher.credit(account, amount)
    else:
        voucher.debit(account, amount)


def post_opening(voucher: Voucher, ledger: Ledger, account: str, amount: Decimal) -> None:
    """Opening an item of ``amount`` (signed as open items are) on ``account``."""
    post_settlement(voucher, ledger, account, -amount)


def post_cash(voucher: Voucher, ledger: Ledger, bank: str, amount: Decimal) -> None:
    """Money in for customers (Dr bank), out for suppliers (Cr bank)."""
    if ledger is Ledger.RECEIVABLE:
        voucher.debit(bank, amount)
    else:
        voucher.credit(bank, amount)


# -- the document ---------------------------------------------------------------------
def cash_document_id(number: str) -> uuid.UUID:
    return derived_id("cash-document", number)


class CashDocument(Aggregate):
    """A receipt, payment, prepayment application, offset or expense payment:
    recorded once, with its allocations, and never changed."""

    @event("Recorded")
    def __init__(
        self,
        kind: CashKind,
        number: str,
        posting_date: date,
        amount: Decimal,
        party: str = "",
        bank_account: str = "",
        allocations: tuple[Allocation, ...] = (),
        prepayment: Decimal = ZERO,
        credit_document: str = "",
        lines: tuple[ExpenseLine, ...] = (),
        vat: Decimal = ZERO,
        payee: str = "",
        reference: str = "",
        memo: str = "",
        entry_id: str = "",
        voucher_no: str = "",
        currency: str = "CNY",
    ):
        self.kind = kind
        self.number = number
        self.posting_date = posting_date
        self.amount = amount
        self.party = party
        self.bank_account = bank_account
        self.allocations = tuple(allocations)
        self.prepayment = prepayment
        self.credit_document = credit_document
        self.lines = tuple(lines)
        self.vat = vat
        self.payee = payee
        self.reference = reference
        self.memo = memo
        self.entry_id = entry_id
        self.voucher_no = voucher_no
        self.currency = currency

    @classmethod
    def create_id(cls, number: str, **_: object) -> uuid.UUID:
        return cash_document_id(number)
