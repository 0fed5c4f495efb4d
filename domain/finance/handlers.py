"""Cash command handlers: customer receipts, supplier payments, prepayment
application, offsets of credit items, and expense payments.

Each saves, in one atomic save, the cash document, the open items it settles
or opens, and its voucher (DESIGN.md section 1, "ledger first"). Each is
``handle(uow, ...) -> result`` (``domain/unit_of_work.py``); the rules are in
``cash.py`` and ``open_items.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.finance.cash import (
    INPUT_VAT,
    MAX_MEMO,
    PREFIX,
    PREPAYMENT_ACCOUNT,
    TITLE,
    ZERO,
    Allocation,
    AllocationInput,
    CashDocument,
    CashKind,
    ExpenseLine,
    ExpenseLineInput,
    check_allocations,
    check_amount,
    check_cash_account,
    check_day,
    check_expense_lines,
    check_text,
    post_cash,
    post_opening,
    post_settlement,
    unallocated,
)
from domain.finance.open_items import Ledger, OpenItem, open_item_id
from domain.inventory.recording import post_document
from domain.ledger.cash_flow import CashFlow, CashFlowItem
from domain.ledger.entries import LineInput, SourceRef
from domain.ledger.gate import chart
from domain.ledger.periods import voucher_number
from domain.ledger.voucher import Voucher
from domain.money import parse_amount
from domain.parties import Party, PartyRole, party
from domain.unit_of_work import UnitOfWork

ROLE = {Ledger.RECEIVABLE: PartyRole.CUSTOMER, Ledger.PAYABLE: PartyRole.SUPPLIER}
KIND = {Ledger.RECEIVABLE: CashKind.RECEIPT, Ledger.PAYABLE: CashKind.PAYMENT}
LEDGER_NAME = {Ledger.RECEIVABLE: "receivable", Ledger.PAYABLE: "payable"}
ASSET_INVOICE = "fixed_asset"  # the document kind of an item the asset register opened

Allocations = Sequence[AllocationInput | tuple[str, Any]]


@dataclass(frozen=True)
class CashResult:
    number: str
    amount: str = "0.00"
    prepayment: str = "0.00"  # left unallocated (预收 / 预付)
    entry_id: str = ""
    voucher_no: str = ""


# -- receipts and payments ------------------------------------------------------------------
def record_customer_receipt(
    uow: UnitOfWork,
    customer: str,
    posting_date: date,
    bank_account: str,
    amount: Any,
    allocations: Allocations = (),
    reference: str = "",
    memo: str = "",
) -> CashResult:
    """收款: Dr bank / Cr 1122 for what is allocated, Cr 2203 预收账款 for the rest."""
    return party_cash(uow, Ledger.RECEIVABLE, "customer", customer, posting_date,
                      bank_account, amount, allocations, reference, memo)


def record_supplier_payment(
    uow: UnitOfWork,
    supplier: str,
    posting_date: date,
    bank_account: str,
    amount: Any,
    allocations: Allocations = (),
    reference: str = "",
    memo: str = "",
) -> CashResult:
    """付款: Dr 220201 for what is allocated, Dr 1123 预付账款 for the rest / Cr bank.
    An overdraft is the bank's business: the balance is not checked."""
    return party_cash(uow, Ledger.PAYABLE, "supplier", supplier, posting_date,
                      bank_account, amount, allocations, reference, memo)


def party_cash(uow: UnitOfWork, ledger: Ledger, party_field: str, party_code: str,
               posting_date: date, bank_account: str, amount: Any, allocations: Allocations,
               reference: str, memo: str) -> CashResult:
    """Cash received from a customer or paid to a supplier: it settles the
    allocated items, and what is left opens a prepayment."""
    kind = KIND[ledger]
    day = check_day(posting_date)
    payer = party(uow, party_code, ROLE[ledger], party_field)
    bank = cash_account(uow, bank_account)
    total = check_amount(amount)
    allocs = check_allocations(allocations)
    rest = unallocated(total, allocs)
    ref, note = check_text(reference, "reference"), check_text(memo, "memo", MAX_MEMO)
    number = uow.number(PREFIX[kind])
    voucher = Voucher()
    post_cash(voucher, ledger, bank, total)
    settled = settle_all(uow, ledger, payer, allocs, number, day, voucher, "allocations")
    if rest:
        item = uow.add(OpenItem(ledger, PREPAYMENT_ACCOUNT[ledger], payer.code, kind.value,
                                number, day, day, -rest))
        post_opening(voucher, ledger, item.account, item.amount)
    summary = note or f"{TITLE[kind]} {payer.spec.name}"
    entry_id, voucher_no = post_cash_document(uow, voucher, day, summary, kind, number,
                                              paid_for(uow, ledger, payer, settled, rest))
    uow.add(CashDocument(kind, number, day, total, party=payer.code, bank_account=bank,
                         allocations=settled, prepayment=rest, reference=ref, memo=note,
                         entry_id=entry_id, voucher_no=voucher_no))
    return CashResult(number, str(total), str(rest), entry_id, voucher_no)


# -- applying credits -------------------------------------------------------------------------
def apply_prepayment(
    uow: UnitOfWork,
    party: str,
    prepayment: str,
    posting_date: date,
    allocations: Allocations,
    memo: str = "",
) -> CashResult:
    """预收/预付核销: a customer's Dr 2203 / Cr 1122; a supplier's Dr 220201 / Cr 1123."""
    return apply_credit(uow, CashKind.PREPAYMENT_APPLICATION, party, prepayment,
                        posting_date, allocations, memo)


def offset_open_items(
    uow: UnitOfWork,
    party: str,
    credit_document: str,
    posting_date: date,
    allocations: Allocations,
    memo: str = "",
) -> CashResult:
    """往来对冲: a negative item (a red invoice) settles positive items of the same
    party, no cash moving (no voucher when both sit on one account)."""
    return apply_credit(uow, CashKind.OFFSET, party, credit_document, posting_date,
                        allocations, memo)


def apply_credit(uow: UnitOfWork, kind: CashKind, party_code: str, credit_document: str,
                 posting_date: date, allocations: Allocations, memo: str) -> CashResult:
    """A prepayment or another credit item of a party settles its open items."""
    field = "prepayment" if kind is CashKind.PREPAYMENT_APPLICATION else "creditDocument"
    day = check_day(posting_date)
    code = (party_code or "").strip().upper()
    credit = credit_of(uow, kind, code, credit_document, field)
    allocs = check_allocations(allocations)
    if not allocs:
        raise ValidationError("allocate to at least one document", "allocations")
    note = check_text(memo, "memo", MAX_MEMO)
    total = sum((a.amount for a in allocs), ZERO)
    holder = party(uow, code, ROLE[credit.ledger], "party")
    number = uow.number(PREFIX[kind])
    check_date(credit, day)
    credit.settle(-total, number, day, field="allocations")
    voucher = Voucher()
    post_settlement(voucher, credit.ledger, credit.account, -total)
    settled = settle_all(uow, credit.ledger, holder, allocs, number, day, voucher,
                         "allocations")
    summary = note or f"{TITLE[kind]} {holder.spec.name} {credit.document}"
    entry_id, voucher_no = post_cash_document(uow, voucher, day, summary, kind, number)
    uow.add(CashDocument(kind, number, day, total, party=holder.code, allocations=settled,
                         credit_document=credit.document, memo=note,
                         entry_id=entry_id, voucher_no=voucher_no))
    return CashResult(number, str(total), "0.00", entry_id, voucher_no)


def credit_of(uow: UnitOfWork, kind: CashKind, party_code: str, document: str,
              field: str) -> OpenItem:
    """The party's open credit item a document names: an open prepayment to
    apply, or another credit (a red invoice) to offset."""
    applying = kind is CashKind.PREPAYMENT_APPLICATION
    credit = credit_item(uow, document, field)
    if credit.party != party_code:
        raise BusinessRuleViolation(
            "WRONG_PARTY", f"{credit.document} belongs to {credit.party}, not {party_code}")
    is_prepayment = credit.account == PREPAYMENT_ACCOUNT[credit.ledger]
    if credit.open_amount >= 0 or is_prepayment != applying:
        what = "an open prepayment" if applying else \
            "an open credit item (a red invoice) other than a prepayment"
        raise BusinessRuleViolation(
            "NOT_A_PREPAYMENT" if applying else "NOT_A_CREDIT",
            f"{credit.document} is not {what}")
    return credit


# -- expenses -----------------------------------------------------------------------------------
def record_expense_payment(
    uow: UnitOfWork,
    posting_date: date,
    bank_account: str,
    lines: Sequence[ExpenseLineInput | tuple],
    vat: Any = None,
    payee: str = "",
    reference: str = "",
    memo: str = "",
) -> CashResult:
    """费用付款: Dr each expense account (and 22210101 进项税额) / Cr bank."""
    day = check_day(posting_date)
    bank = cash_account(uow, bank_account)
    expense = check_expense_lines(lines)
    accounts = chart(uow)
    for i, line in enumerate(expense):
        # Stock and WIP (and any account the company controls) move only
        # through their documents: an expense line there would leave them.
        accounts.check_manual(line.account, f"lines.{i}.account")
    tax = parse_amount(vat, "vat") if vat not in (None, "") else ZERO
    who = check_text(payee, "payee")
    ref, note = check_text(reference, "reference"), check_text(memo, "memo", MAX_MEMO)
    total = sum((ln.amount for ln in expense), tax)
    number = uow.number(PREFIX[CashKind.EXPENSE])
    summary = note or f"{TITLE[CashKind.EXPENSE]} {who}".strip()
    entry = uow.post(day, f"{summary} {number}"[:200], expense_entry(expense, tax, bank, total),
                     SourceRef(CashKind.EXPENSE.value, number))
    voucher_no = voucher_number(entry.voucher_seq)
    uow.add(CashDocument(CashKind.EXPENSE, number, day, total, bank_account=bank,
                         lines=expense, vat=tax, payee=who, reference=ref, memo=note,
                         entry_id=str(entry.id), voucher_no=voucher_no))
    return CashResult(number, str(total), "0.00", str(entry.id), voucher_no)


def expense_entry(expense: Sequence[ExpenseLine], tax: Decimal, bank: str,
                  total: Decimal) -> list[LineInput]:
    """Dr each expense (and the input VAT) / Cr the bank."""
    lines = [LineInput(ln.account, debit=ln.amount, memo=ln.memo) for ln in expense]
    if tax:
        lines.append(LineInput(INPUT_VAT, debit=tax, memo="进项税额"))
    lines.append(LineInput(bank, credit=total))
    return lines


# -- steps ----------------------------------------------------------------------------------------
def cash_account(uow: UnitOfWork, code: str, field: str = "bankAccount") -> str:
    """A postable cash or bank account."""
    code = check_cash_account(code, field)
    chart(uow).check_postable(code, field)
    return code


def credit_item(uow: UnitOfWork, document: str, field: str) -> OpenItem:
    """The item a document number names, in whichever ledger holds it."""
    number = (document or "").strip()
    if not number:
        raise ValidationError(f"{field}: a document number is required", field)
    found = [uow.get(open_item_id(ledger, number)) for ledger in Ledger
             if uow.exists(open_item_id(ledger, number))]
    if len(found) != 1:
        raise NotFound(f"open item {number} does not exist", "OpenItem", number)
    return found[0]


def settle_all(uow: UnitOfWork, ledger: Ledger, holder: Party, allocs: Sequence[Allocation],
               number: str, day: date, voucher: Voucher, field: str) -> tuple[Allocation, ...]:
    """Settle each allocated item of ``holder`` and post its side of the voucher;
    return the allocations naming the items' own document keys."""
    settled = []
    for i, alloc in enumerate(allocs):
        path = f"{field}.{i}"
        item = party_item(uow, ledger, holder, alloc.document)
        if item.party != holder.code:
            raise BusinessRuleViolation(
                "WRONG_PARTY", f"{path}: {item.document} belongs to {item.party}, "
                f"not {holder.code}")
        if item.account == PREPAYMENT_ACCOUNT[ledger] or item.amount < 0:
            raise BusinessRuleViolation(
                "NOT_AN_INVOICE", f"{path}: {item.document} is a credit, not a "
                "document to settle")
        check_date(item, day)
        item.settle(alloc.amount, number, day, field=f"{path}.amount")
        post_settlement(voucher, ledger, item.account, alloc.amount)
        settled.append(Allocation(item.document, alloc.amount))
    if len({a.document for a in settled}) < len(settled):
        raise ValidationError(f"{field}: an invoice is allocated twice", field)
    return tuple(settled)


def party_item(uow: UnitOfWork, ledger: Ledger, holder: Party, document: str) -> OpenItem:
    """The open item of ``document``; a supplier's invoice may be named by its
    own number, its item being keyed "SUPPLIER/number" (numbers are unique
    per supplier only)."""
    keys = [document]
    if ledger is Ledger.PAYABLE and "/" not in document:
        keys.append(f"{holder.code}/{document}")
    for key in keys:
        if uow.exists(open_item_id(ledger, key)):
            return uow.get(open_item_id(ledger, key))
    raise NotFound(f"{LEDGER_NAME[ledger]} open item {document} does not exist",
                   "OpenItem", document)


def post_cash_document(uow: UnitOfWork, voucher: Voucher, day: date, summary: str,
                       kind: CashKind, number: str,
                       cash_flows: Sequence[CashFlow] | None = None) -> tuple[str, str]:
    """The cash document's voucher; (entry id, voucher no), none when it nets to nothing."""
    return post_document(uow, voucher, day, f"{summary} {number}"[:200], kind.value, number,
                         cash_flows=cash_flows)


def paid_for(uow: UnitOfWork, ledger: Ledger, holder: Party, settled: Sequence[Allocation],
             rest: Decimal) -> list[CashFlow] | None:
    """What a supplier payment paid for (现金流量表): an asset's invoice is 购建固定资产
    (the register opened its item), anything else 购买商品、接受劳务; a customer's
    receipt is classified by the default rule (销售商品收到的现金)."""
    if ledger is not Ledger.PAYABLE:
        return None
    kinds = {a.document: party_item(uow, ledger, holder, a.document).document_kind
             for a in settled}
    if ASSET_INVOICE not in kinds.values():
        return None
    return [CashFlow(CashFlowItem.ASSET_PURCHASES if kinds[a.document] == ASSET_INVOICE
                     else CashFlowItem.PURCHASES, -a.amount) for a in settled] + (
        [CashFlow(CashFlowItem.PURCHASES, -rest)] if rest else [])


def check_date(item: OpenItem, day: date) -> None:
    if day < item.document_date:
        raise BusinessRuleViolation(
            "BEFORE_DOCUMENT_DATE",
            f"{item.document} is dated {item.document_date}; it cannot be settled on {day}")


HANDLERS = (
    record_customer_receipt, record_supplier_payment,
    apply_prepayment, offset_open_items,
    record_expense_payment,
)
