"""The ledger's gate and posting, given to every command's unit of work.

``business_date`` is the one gate of every dated command; ``post`` admits a
voucher's lines, numbers it in its period and makes the journal entry in the
same save as the business fact that caused it (DESIGN.md section 1, "ledger
first"). Both read the fiscal period through the unit of work, so a period
is loaded once per command (a copy from the hot cache when known).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from domain.clock import check_business_date, company_today
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.ledger.accounts import CHART_ID, ChartOfAccounts
from domain.ledger.cash_flow import CashFlow, classify, negated
from domain.ledger.entries import (
    EntryKind,
    JournalEntry,
    LineInput,
    SourceRef,
    admit_lines,
    net_by_account,
    red_lines,
)
from domain.ledger.periods import FiscalPeriod, PeriodStatus, period_id, period_of
from domain.unit_of_work import UnitOfWork


def chart(uow: UnitOfWork) -> ChartOfAccounts:
    """The chart to read (or the copy this command changes, once it has one)."""
    return uow.peek(CHART_ID)


def chart_for_change(uow: UnitOfWork) -> ChartOfAccounts:
    return uow.get(CHART_ID)


def fiscal_period(uow: UnitOfWork, period: str) -> FiscalPeriod:
    """The period to change (a copy); from this process's hot cache when known."""
    return uow.get(
        period_id(period),
        NotFound(f"period {period} is not open (it was never opened)", "Period", period),
        hot=True,
    )


class Ledger:
    """The ``LedgerGate`` the application gives each unit of work."""

    def business_date(self, uow: UnitOfWork, day: date, field: str = "postingDate",
                      check_period: bool = True) -> date:
        """``day`` must be a date within the company's window around its today
        (DATE_OUT_OF_RANGE), in a period that was opened (NotFound) and is not
        closed (PERIOD_CLOSED), like a posting. A command that posts nothing
        (an operation report of quantities only, a count without difference)
        meets the same rules. ``check_period=False``: the window only (the
        caller numbers a voucher in the period, which checks it)."""
        settings = uow.date_settings()
        today = company_today(uow.now(), settings.time_zone)
        check_business_date(day, today, settings, field)
        if not check_period:
            return day
        fiscal = fiscal_period(uow, period_of(day))
        if fiscal.status is not PeriodStatus.OPEN:
            raise BusinessRuleViolation(
                "PERIOD_CLOSED",
                f"{field} {day.isoformat()} is in period {fiscal.period}, which is closed; "
                "date it in an open period or reopen the period",
            )
        return day

    def post(
        self,
        uow: UnitOfWork,
        day: date,
        summary: str,
        lines: Sequence[LineInput],
        source: SourceRef | None = None,
        kind: EntryKind = EntryKind.ORDINARY,
        red: bool = False,
        manual: bool = False,
        entry_id: uuid.UUID | str | None = None,
        cash_flows: Sequence[CashFlow] | None = None,
    ) -> JournalEntry:
        """Admit lines and number the voucher; the entry, its period and (when
        an account is used for the first time) the chart join the command's
        save. ``entry_id``: chosen by a caller whose stock movements already
        name it. ``cash_flows``: the purposes of the cash the entry moves, when
        the document knows them (else the lines' marks or the default rule,
        ``domain/ledger/cash_flow.py``)."""
        if not isinstance(day, date):
            raise ValidationError("postingDate must be a date", "postingDate")
        # The window here; the closed period when the period numbers the voucher.
        self.business_date(uow, day, "postingDate", check_period=False)
        accounts = chart(uow)
        admitted = admit_lines(lines, accounts)
        if manual:
            # A manual voucher never touches a control account: its balance
            # belongs to a sub-ledger (stock, WIP, open items) and only the
            # documents keeping that sub-ledger post to it.
            for i, line in enumerate(admitted):
                accounts.check_manual(line.account, f"lines.{i}.account")
        if red:  # 红字: the same accounts and sides with negative amounts (a red invoice)
            admitted = red_lines(admitted)
            cash_flows = negated(cash_flows) if cash_flows is not None else None
        flows = classify(admitted, [getattr(line, "cash_flow", None) for line in lines],
                         cash_flows)
        fiscal = fiscal_period(uow, period_of(day))
        if isinstance(entry_id, str):
            entry_id = uuid.UUID(entry_id) if entry_id else None
        entry_id = entry_id or uuid.uuid4()
        seq = fiscal.assign_voucher(entry_id, net_by_account(admitted))
        entry = JournalEntry(
            period=fiscal.period,
            voucher_seq=seq,
            posting_date=day,
            summary=summary,
            lines=admitted,
            kind=kind,
            source=source,
            id=entry_id,
            cash_flows=flows,
        )
        uow.add(entry)
        used = {line.account for line in admitted}
        if accounts.unused_of(used):
            chart_for_change(uow).mark_used(used)
        return entry
