"""Cash use cases: customer receipts, supplier payments, prepayment
application, offsets of credit items, and expense payments.

Each saves, in one atomic save, the cash document, the open items it settles
or opens, and its voucher (DESIGN.md section 1, "ledger first").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.commands import CommandContext
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
from domain.inventory.usecases import _Work
from domain.ledger.entries import LineInput, SourceRef
from domain.ledger.periods import voucher_number
from domain.ledger.voucher import Voucher
from domain.money import parse_amount
from domain.parties import Party, PartyRole

ROLE = {Ledger.RECEIVABLE: PartyRole.CUSTOMER, Ledger.PAYABLE: PartyRole.SUPPLIER}
KIND = {Ledger.RECEIVABLE: CashKind.RECEIPT, Ledger.PAYABLE: CashKind.PAYMENT}
LEDGER_NAME = {Ledger.RECEIVABLE: "receivable", Ledger.PAYABLE: "payable"}


@dataclass(frozen=True)
class CashResult:
    number: str
    amount: str = "0.00"
    prepayment: str = "0.00"  # left unallocated (预收 / 预付)
    entry_id: str = ""
    voucher_no: str = ""


class CashUseCases:
    """Mixed into the company Application (domain/application.py)."""

    # -- receipts and payments --------------------------------------------------------
    def record_customer_receipt(
        self,
        customer: str,
        posting_date: date,
        bank_account: str,
        amount: Any,
        allocations: Sequence[AllocationInput | tuple[str, Any]] = (),
        reference: str = "",
        memo: str = "",
        ctx: CommandContext = CommandContext(),
    ):
        """收款: Dr bank / Cr 1122 for what is allocated, Cr 2203 预收账款 for the rest."""
        return self._party_cash(Ledger.RECEIVABLE, "record_customer_receipt", "customer",
                                customer, posting_date, bank_account, amount, allocations,
                                reference, memo, ctx)

    def record_supplier_payment(
        self,
        supplier: str,
        posting_date: date,
        bank_account: str,
        amount: Any,
        allocations: Sequence[AllocationInput | tuple[str, Any]] = (),
        reference: str = "",
        memo: str = "",
        ctx: CommandContext = CommandContext(),
    ):
        """付款: Dr 220201 for what is allocated, Dr 1123 预付账款 for the rest / Cr bank.
        An overdraft is the bank's business: the balance is not checked."""
        return self._party_cash(Ledger.PAYABLE, "record_supplier_payment", "supplier",
                                supplier, posting_date, bank_account, amount, allocations,
                                reference, memo, ctx)

    def _party_cash(self, ledger, command, party_field, party_code, posting_date,
                    bank_account, amount, allocations, reference, memo, ctx):
        kind = KIND[ledger]

        def decide():
            work = _Work(self)
            day = check_day(posting_date)
            party = self._party(work, party_code, ROLE[ledger], party_field)
            bank = self._cash_account(bank_account)
            total = check_amount(amount)
            allocs = check_allocations(allocations)
            rest = unallocated(total, allocs)
            ref, note = check_text(reference, "reference"), check_text(memo, "memo", MAX_MEMO)
            number = self._number(work, PREFIX[kind])
            voucher = Voucher()
            post_cash(voucher, ledger, bank, total)
            allocs = self._settle_all(work, ledger, party, allocs, number, day, voucher,
                                      "allocations")
            if rest:
                item = OpenItem(ledger, PREPAYMENT_ACCOUNT[ledger], party.code, kind.value,
                                number, day, day, -rest)
                work.loaded[item.id] = item
                post_opening(voucher, ledger, item.account, item.amount)
            summary = note or f"{TITLE[kind]} {party.spec.name}"
            entry_id, voucher_no = self._post_cash(work, voucher, day, summary, kind, number)
            doc = CashDocument(kind, number, day, total, party=party.code, bank_account=bank,
                               allocations=allocs, prepayment=rest, reference=ref, memo=note,
                               entry_id=entry_id, voucher_no=voucher_no)
            result = CashResult(number, str(total), str(rest), entry_id, voucher_no)
            return result, [*work.changed(), doc]

        payload = (party_code, posting_date, bank_account, amount, _alloc_payload(allocations),
                   reference, memo)
        return self._execute(command, payload, ctx, decide, CashResult)

    # -- applying credits -------------------------------------------------------------
    def apply_prepayment(
        self,
        party: str,
        prepayment: str,
        posting_date: date,
        allocations: Sequence[AllocationInput | tuple[str, Any]],
        memo: str = "",
        ctx: CommandContext = CommandContext(),
    ):
        """预收/预付核销: a customer's Dr 2203 / Cr 1122; a supplier's Dr 220201 / Cr 1123."""
        return self._apply_credit(CashKind.PREPAYMENT_APPLICATION, "apply_prepayment", party,
                                  prepayment, posting_date, allocations, memo, ctx)

    def offset_open_items(
        self,
        party: str,
        credit_document: str,
        posting_date: date,
        allocations: Sequence[AllocationInput | tuple[str, Any]],
        memo: str = "",
        ctx: CommandContext = CommandContext(),
    ):
        """往来对冲: a negative item (a red invoice) settles positive items of the same
        party, no cash moving (no voucher when both sit on one account)."""
        return self._apply_credit(CashKind.OFFSET, "offset_open_items", party,
                                  credit_document, posting_date, allocations, memo, ctx)

    def _apply_credit(self, kind, command, party_code, credit_document, posting_date,
                      allocations, memo, ctx):
        applying = kind is CashKind.PREPAYMENT_APPLICATION
        field = "prepayment" if applying else "creditDocument"

        def decide():
            work = _Work(self)
            day = check_day(posting_date)
            code = (party_code or "").strip().upper()
            credit = self._credit_item(work, credit_document, field)
            if credit.party != code:
                raise BusinessRuleViolation(
                    "WRONG_PARTY", f"{credit.document} belongs to {credit.party}, not {code}")
            ledger = credit.ledger
            is_prepayment = credit.account == PREPAYMENT_ACCOUNT[ledger]
            if credit.open_amount >= 0 or is_prepayment != applying:
                what = "an open prepayment" if applying else \
                    "an open credit item (a red invoice) other than a prepayment"
                raise BusinessRuleViolation(
                    "NOT_A_PREPAYMENT" if applying else "NOT_A_CREDIT",
                    f"{credit.document} is not {what}")
            allocs = check_allocations(allocations)
            if not allocs:
                raise ValidationError("allocate to at least one document", "allocations")
            note = check_text(memo, "memo", MAX_MEMO)
            total = sum((a.amount for a in allocs), ZERO)
            party = self._party(work, code, ROLE[ledger], "party")
            number = self._number(work, PREFIX[kind])
            _check_date(credit, day)
            credit.settle(-total, number, day, field="allocations")
            voucher = Voucher()
            post_settlement(voucher, ledger, credit.account, -total)
            allocs = self._settle_all(work, ledger, party, allocs, number, day, voucher,
                                      "allocations")
            summary = note or f"{TITLE[kind]} {party.spec.name} {credit.document}"
            entry_id, voucher_no = self._post_cash(work, voucher, day, summary, kind, number)
            doc = CashDocument(kind, number, day, total, party=party.code, allocations=allocs,
                               credit_document=credit.document, memo=note,
                               entry_id=entry_id, voucher_no=voucher_no)
            return CashResult(number, str(total), "0.00", entry_id, voucher_no), \
                [*work.changed(), doc]

        payload = (party_code, credit_document, posting_date, _alloc_payload(allocations), memo)
        return self._execute(command, payload, ctx, decide, CashResult)

    # -- expenses ---------------------------------------------------------------------
    def record_expense_payment(
        self,
        posting_date: date,
        bank_account: str,
        lines: Sequence[ExpenseLineInput | tuple],
        vat: Any = None,
        payee: str = "",
        reference: str = "",
        memo: str = "",
        ctx: CommandContext = CommandContext(),
    ):
        """费用付款: Dr each expense account (and 22210101 进项税额) / Cr bank."""

        def decide():
            work = _Work(self)
            day = check_day(posting_date)
            bank = self._cash_account(bank_account)
            expense = check_expense_lines(lines)
            chart = self.chart()
            for i, line in enumerate(expense):
                # Stock and WIP (and any account the company controls) move only
                # through their documents: an expense line there would leave them.
                chart.check_manual(line.account, f"lines.{i}.account")
            tax = parse_amount(vat, "vat") if vat not in (None, "") else ZERO
            who = check_text(payee, "payee")
            ref, note = check_text(reference, "reference"), check_text(memo, "memo", MAX_MEMO)
            total = sum((ln.amount for ln in expense), tax)
            entry_lines = [LineInput(ln.account, debit=ln.amount, memo=ln.memo)
                           for ln in expense]
            if tax:
                entry_lines.append(LineInput(INPUT_VAT, debit=tax, memo="进项税额"))
            entry_lines.append(LineInput(bank, credit=total))
            number = self._number(work, PREFIX[CashKind.EXPENSE])
            summary = note or f"{TITLE[CashKind.EXPENSE]} {who}".strip()
            entry, changed = self.prepare_entry(
                day, f"{summary} {number}"[:200], entry_lines,
                SourceRef(CashKind.EXPENSE.value, number))
            for aggregate in changed:
                work.loaded[aggregate.id] = aggregate
            voucher_no = voucher_number(entry.voucher_seq)
            doc = CashDocument(CashKind.EXPENSE, number, day, total, bank_account=bank,
                               lines=expense, vat=tax, payee=who, reference=ref, memo=note,
                               entry_id=str(entry.id), voucher_no=voucher_no)
            return CashResult(number, str(total), "0.00", str(entry.id), voucher_no), \
                [*work.changed(), doc]

        payload = (posting_date, bank_account,
                   [tuple(ln) if isinstance(ln, tuple) else ln for ln in lines], vat, payee,
                   reference, memo)
        return self._execute("record_expense_payment", payload, ctx, decide, CashResult)

    # -- helpers ----------------------------------------------------------------------
    def _cash_account(self, code: str, field: str = "bankAccount") -> str:
        code = check_cash_account(code, field)
        self.chart().check_postable(code, field)
        return code

    def _credit_item(self, work: _Work, document: str, field: str) -> OpenItem:
        """The item a document number names, in whichever ledger holds it."""
        number = (document or "").strip()
        if not number:
            raise ValidationError(f"{field}: a document number is required", field)
        found = []
        for ledger in Ledger:
            try:
                found.append(work.get(open_item_id(ledger, number), NotFound("", "", "")))
            except NotFound:
                pass
        if len(found) != 1:
            raise NotFound(f"open item {number} does not exist", "OpenItem", number)
        return found[0]

    def _settle_all(self, work: _Work, ledger: Ledger, party: Party,
                    allocs: Sequence[Allocation], number: str, day: date, voucher: Voucher,
                    field: str) -> tuple[Allocation, ...]:
        """Settle each allocated item of ``party`` and post its side of the voucher;
        return the allocations naming the items' own document keys."""
        settled = []
        for i, alloc in enumerate(allocs):
            path = f"{field}.{i}"
            item = self._party_item(work, ledger, party, alloc.document)
            if item.party != party.code:
                raise BusinessRuleViolation(
                    "WRONG_PARTY", f"{path}: {item.document} belongs to {item.party}, "
                    f"not {party.code}")
            if item.account == PREPAYMENT_ACCOUNT[ledger] or item.amount < 0:
                raise BusinessRuleViolation(
                    "NOT_AN_INVOICE", f"{path}: {item.document} is a credit, not a "
                    "document to settle")
            _check_date(item, day)
            item.settle(alloc.amount, number, day, field=f"{path}.amount")
            post_settlement(voucher, ledger, item.account, alloc.amount)
            settled.append(Allocation(item.document, alloc.amount))
        if len({a.document for a in settled}) < len(settled):
            raise ValidationError(f"{field}: an invoice is allocated twice", field)
        return tuple(settled)

    def _party_item(self, work: _Work, ledger: Ledger, party: Party, document: str) -> OpenItem:
        """The open item of ``document``; a supplier's invoice may be named by its
        own number, its item being keyed "SUPPLIER/number" (numbers are unique
        per supplier only)."""
        keys = [document]
        if ledger is Ledger.PAYABLE and "/" not in document:
            keys.append(f"{party.code}/{document}")
        for key in keys:
            try:
                return work.get(open_item_id(ledger, key), NotFound("", "", ""))
            except NotFound:
                continue
        raise NotFound(f"{LEDGER_NAME[ledger]} open item {document} does not exist",
                       "OpenItem", document)

    def _post_cash(self, work: _Work, voucher: Voucher, day: date, summary: str,
                   kind: CashKind, number: str) -> tuple[str, str]:
        return self._post(work, voucher, day, f"{summary} {number}"[:200], kind.value, number)


def _check_date(item: OpenItem, day: date) -> None:
    if day < item.document_date:
        raise BusinessRuleViolation(
            "BEFORE_DOCUMENT_DATE",
            f"{item.document} is dated {item.document_date}; it cannot be settled on {day}")


def _alloc_payload(allocations) -> list:
    return [(a.document, a.amount) if isinstance(a, AllocationInput) else tuple(a)
            for a in allocations]

