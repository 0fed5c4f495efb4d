"""The ledger's command handlers: the chart, periods, journal entries and the
company's date settings. Each is ``handle(uow, ...) -> result`` (see
``domain/unit_of_work.py``); ``HANDLERS`` and ``READERS`` go into the
application's command table (``domain/command_table.py``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from domain.clock import CALENDAR_ID, CompanyCalendar, DateSettings
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.ledger.accounts import Account, AccountCategory, ChartOfAccounts, Side
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
from domain.ledger.periods import FiscalPeriod, check_period, period_id, period_of, voucher_number
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
    open_period, close_period, reopen_period,
    post_journal_entry, reverse_journal_entry, close_books, transfer_vat,
    set_company_settings,
)
READERS = (chart, account, period, journal_entry)
