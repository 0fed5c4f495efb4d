"""The ledger's command handlers: the chart, periods, journal entries and the
company's date settings. Each is ``handle(uow, ...) -> result`` (see
``domain/unit_of_work.py``); ``HANDLERS`` and ``READERS`` go into the
application's command table (``domain/command_table.py``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.clock import CALENDAR_ID, CompanyCalendar, DateSettings
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.ledger.accounts import (
    Account,
    AccountCategory,
    ChartOfAccounts,
    Side,
    check_code,
    check_name,
)
from domain.ledger.cash_flow import negated
from domain.ledger.entries import (
    EntryKind,
    JournalEntry,
    LineInput,
    SourceRef,
    check_summary,
    net_by_account,
    red_lines,
)
from domain.ledger.gate import chart, chart_for_change, fiscal_period
from domain.ledger.period_end import close_books
from domain.ledger.periods import (
    FiscalPeriod,
    check_period,
    next_period,
    period_id,
    period_of,
    previous_period,
    voucher_number,
)
from domain.ledger.vat import transfer_vat
from domain.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class AccountResult:
    code: str


@dataclass(frozen=True)
class PeriodResult:
    period: str


@dataclass(frozen=True)
class PostedEntry:
    entry_id: str
    period: str
    voucher_seq: int
    voucher_no: str


# -- the chart of accounts ----------------------------------------------------------
def add_account(uow: UnitOfWork, code: str, name: str, category: AccountCategory | None = None,
                normal_balance: Side | None = None) -> AccountResult:
    account = chart_for_change(uow).add_account(code, name, category, normal_balance)
    return AccountResult(account.code)


def rename_account(uow: UnitOfWork, code: str, name: str) -> AccountResult:
    return AccountResult(chart_for_change(uow).rename_account(code, name).code)


def set_account_active(uow: UnitOfWork, code: str, active: bool) -> AccountResult:
    return AccountResult(chart_for_change(uow).set_active(code, active).code)


def set_account_control(uow: UnitOfWork, code: str, controlled: bool) -> AccountResult:
    """Mark an account as a control account (控制科目): from then on only
    documents post to it. The built-in control accounts cannot be unmarked."""
    return AccountResult(chart_for_change(uow).set_controlled(code, bool(controlled)).code)


@dataclass(frozen=True)
class StatementSubAccountsResult:
    codes: tuple[str, ...]  # the sub-accounts added


def install_statement_sub_accounts(uow: UnitOfWork) -> StatementSubAccountsResult:
    """The chart upgrade of a company made before the standard sub-accounts of
    the 利润表's 其中 lines shipped: adds those it lacks and maps them to their
    lines (a new company's chart has them from the start)."""
    added = chart_for_change(uow).install_statement_sub_accounts()
    return StatementSubAccountsResult(tuple(a.code for a in added))


@dataclass(frozen=True)
class StatementLineResult:
    code: str
    line: int | None


def set_statement_line(uow: UnitOfWork, code: str, line: int | None) -> StatementLineResult:
    """Map an account by code to a statement line (a 利润表 其中 line, or balance
    sheet line 14/28/40/45 for what is due within or beyond one year)."""
    account = chart_for_change(uow).set_statement_line(code, line)
    return StatementLineResult(account.code, line)


@dataclass(frozen=True)
class SubAccountInput:
    code: str
    name: str


@dataclass(frozen=True)
class AccountSplit:
    code: str
    transfer_to: str
    amount: str  # moved, debit positive ("0.00": no voucher)
    added: tuple[str, ...]
    entry: PostedEntry | None


# How far a split looks for periods around its own (periods are opened month by
# month; a year without any ends the search).
_PERIOD_GAP = 12


def split_account(uow: UnitOfWork, code: str, sub_accounts: Sequence[SubAccountInput],
                  transfer_to: str, posting_date: date, line: int | None = None
                  ) -> AccountSplit:
    """科目拆分: give an account that already has postings sub-accounts. Its
    balance (for a P&L account, what the months not yet closed moved: the
    period to date) moves by a voucher dated ``posting_date`` into
    ``transfer_to`` (a new or existing sub-account), and the account becomes a
    heading. Every statement line reads the account with its sub-accounts, so
    the figures stay as they were; ``line`` also maps ``transfer_to`` to a
    statement line (a 其中 line: 5603 split into 560301 利息费用 fills line 19)."""
    accounts = chart_for_change(uow)
    account = accounts.get(check_code(code))
    code = account.code
    if not accounts.is_leaf(code) and not accounts.is_open_parent(code):
        raise BusinessRuleViolation(
            "ACCOUNT_NOT_LEAF", f"account {code} {account.name} is already a heading")
    if accounts.control_of(code) is not None:
        raise BusinessRuleViolation(
            "CONTROL_ACCOUNT",
            f"account {code} {account.name} is a control account kept by its sub-ledger; "
            "its balance is not moved by hand")
    if not account.active:
        raise BusinessRuleViolation("ACCOUNT_INACTIVE", f"account {code} is deactivated")
    new: list[tuple[str, str]] = []
    for i, sub in enumerate(sub_accounts or ()):
        sub_code = check_code(sub.code, f"subAccounts.{i}.code")
        if sub_code[:-2] != code:
            raise ValidationError(f"sub-account {sub_code} is not directly under {code}",
                                  f"subAccounts.{i}.code")
        if sub_code in accounts.accounts or any(c == sub_code for c, _ in new):
            raise BusinessRuleViolation("ACCOUNT_EXISTS", f"account {sub_code} already exists")
        new.append((sub_code, check_name(sub.name, f"subAccounts.{i}.name")))
    target = check_code(transfer_to, "transferTo")
    existing = {a.code for a in accounts.children(code)}
    if target not in existing and target not in {c for c, _ in new}:
        raise ValidationError(f"transferTo {target} must be one of the sub-accounts of {code}",
                              "transferTo")
    if not isinstance(posting_date, date):
        raise ValidationError("postingDate must be a date", "postingDate")
    uow.business_date(posting_date)
    balance = _own_balance(uow, code, period_of(posting_date))
    accounts.open_parent(code)
    for sub_code, name in new:
        accounts.add_account(sub_code, name)
    if line is not None and accounts.lines_of().get(target) != line:
        accounts.set_statement_line(target, line)
    entry = None
    if balance:
        target_name = accounts.get(target).name
        amount = str(abs(balance))
        to_child, from_parent = (("debit", "credit") if balance > 0 else ("credit", "debit"))
        entry = uow.post(
            posting_date, f"科目拆分 {code} {account.name} 余额转入 {target} {target_name}",
            [LineInput(target, **{to_child: amount}), LineInput(code, **{from_parent: amount})],
            SourceRef("chart", code, "科目拆分"))
    accounts.make_heading(code)
    return AccountSplit(code, target, str(balance), tuple(c for c, _ in new),
                        posted(entry) if entry is not None else None)


def _own_balance(uow: UnitOfWork, code: str, period: str) -> Decimal:
    """What was posted to ``code`` itself (not its sub-accounts) in all periods,
    from the period aggregates (exact, whatever the read models' lag); refused
    when a later period already holds postings on it."""
    total = Decimal("0.00")
    cursor, missing = period, 0
    while missing < _PERIOD_GAP:
        if uow.exists(period_id(cursor)):
            missing = 0
            total += uow.peek(period_id(cursor)).nets.get(code, Decimal("0.00"))
        else:
            missing += 1
        cursor = previous_period(cursor)
    cursor, missing = next_period(period), 0
    while missing < _PERIOD_GAP:
        if uow.exists(period_id(cursor)):
            missing = 0
            if uow.peek(period_id(cursor)).nets.get(code):
                raise BusinessRuleViolation(
                    "LATER_POSTINGS",
                    f"account {code} has postings in {cursor}, after the split's period "
                    f"{period}; date the split in the last period that has postings")
        else:
            missing += 1
        cursor = next_period(cursor)
    return total


# -- periods --------------------------------------------------------------------------
def open_period(uow: UnitOfWork, period: str) -> PeriodResult:
    period = check_period(period)
    if uow.exists(period_id(period)):
        raise BusinessRuleViolation("PERIOD_EXISTS", f"period {period} is already opened")
    uow.add(FiscalPeriod(period))
    return PeriodResult(period)


def close_period(uow: UnitOfWork, period: str) -> PeriodResult:
    period = check_period(period)
    fiscal_period(uow, period).close()
    return PeriodResult(period)


def reopen_period(uow: UnitOfWork, period: str, reason: str) -> PeriodResult:
    period = check_period(period)
    fiscal_period(uow, period).reopen(reason)
    return PeriodResult(period)


# -- journal entries ---------------------------------------------------------------------
def post_journal_entry(uow: UnitOfWork, posting_date: date, summary: str,
                       lines: Sequence[LineInput],
                       source: SourceRef | None = None) -> PostedEntry:
    """A manual voucher (手工凭证): never on a control account."""
    entry = uow.post(posting_date, check_summary(summary), lines, source, manual=True)
    return posted(entry)


def reverse_journal_entry(uow: UnitOfWork, entry_id: str, posting_date: date,
                          summary: str | None = None) -> PostedEntry:
    """冲销: a red voucher with the original's lines, dated ``posting_date``."""
    original: JournalEntry = uow.get(
        _as_uuid(entry_id, "entryId"),
        NotFound(f"journal entry {entry_id} does not exist", "JournalEntry", str(entry_id)))
    original.check_reversible()
    _check_document_reversal(original, chart(uow))
    if not isinstance(posting_date, date):
        raise ValidationError("postingDate must be a date", "postingDate")
    uow.business_date(posting_date, "postingDate", check_period=False)
    fiscal = fiscal_period(uow, period_of(posting_date))
    reversal_id = uuid.uuid4()
    lines = red_lines(original.lines)
    seq = fiscal.assign_voucher(reversal_id, net_by_account(lines))
    text = check_summary(
        summary
        or f"冲销 {voucher_number(original.voucher_seq)} ({original.period}) "
        f"{original.summary}"[:200]
    )
    reversal = uow.add(JournalEntry(
        period=fiscal.period,
        voucher_seq=seq,
        posting_date=posting_date,
        summary=text,
        lines=lines,
        kind=EntryKind.REVERSAL,
        reverses=original.id,
        source=original.source,
        id=reversal_id,
        cash_flows=negated(original.cash_flows),
    ))
    original.mark_reversed(reversal_id)
    return posted(reversal)


def _check_document_reversal(original: JournalEntry, accounts: ChartOfAccounts) -> None:
    """A voucher a document posted is not reversed by hand when it touches a
    control account: the document (receipt, invoice, issue…) would still
    stand in its sub-ledger while the ledger forgot it. Manual vouchers
    (no source) stay reversible, also old ones on control accounts, since
    reversing them brings the ledger back to its sub-ledger."""
    if original.source is None:
        return
    for line in original.lines:
        if accounts.control_of(line.account) is not None:
            account = accounts.get(line.account)
            source = original.source
            label = f"{source.kind} {source.label or source.id}".strip()
            raise BusinessRuleViolation(
                "CONTROL_ACCOUNT",
                f"voucher {voucher_number(original.voucher_seq)} ({original.period}) was "
                f"posted by the document {label} and moves control account {line.account} "
                f"{account.name}; correct the document through "
                f"{accounts.correction_for(line.account)}, not by reversing its voucher",
            )


def posted(entry: JournalEntry) -> PostedEntry:
    return PostedEntry(
        entry_id=str(entry.id),
        period=entry.period,
        voucher_seq=entry.voucher_seq,
        voucher_no=voucher_number(entry.voucher_seq),
    )


# -- the company's dates ---------------------------------------------------------------
def set_company_settings(uow: UnitOfWork, time_zone: str, days_back: int,
                         days_ahead: int) -> DateSettings:
    """The company's time zone and the window of business dates it accepts."""
    settings = DateSettings(time_zone, days_back, days_ahead).checked()
    calendar = uow.get(CALENDAR_ID, factory=lambda: CompanyCalendar(settings))
    if calendar.pending_events:  # made just now, with these settings
        return settings
    calendar.change(settings)
    return settings


# -- readers ---------------------------------------------------------------------------
def account(uow: UnitOfWork, code: str) -> Account:
    return chart(uow).get(code)


def period(uow: UnitOfWork, period: str) -> FiscalPeriod:
    """A period as stored (never from the hot cache)."""
    code = check_period(period)
    return uow.peek(period_id(code),
                    NotFound(f"period {code} is not open (it was never opened)", "Period", code))


def journal_entry(uow: UnitOfWork, entry_id: uuid.UUID | str) -> JournalEntry:
    return uow.peek(_as_uuid(entry_id, "entryId"),
                    NotFound(f"journal entry {entry_id} does not exist", "JournalEntry",
                             str(entry_id)))


def _as_uuid(value: uuid.UUID | str, field: str) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValidationError(f"{field}: {value!r} is not an id", field) from None


HANDLERS = (
    add_account, rename_account, set_account_active, set_account_control,
    install_statement_sub_accounts, set_statement_line, split_account,
    open_period, close_period, reopen_period,
    post_journal_entry, reverse_journal_entry, close_books, transfer_vat,
    set_company_settings,
)
READERS = (chart, account, period, journal_entry)
