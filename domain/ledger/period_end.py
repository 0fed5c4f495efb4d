"""Period-end handler of the ledger (期末处理): 期末结账 — the P&L transfer
(结转损益), at year end the carry-forward to 利润分配, and the close, all in one
atomic save with the period, so no posting can slip in between the transfer
and the close. Overhead settlement (结转制造费用) reaches into work orders and
stock, so it lives in the application layer (``domain/workflows/overhead.py``)
and uses ``year_to_date`` and ``closing_day`` from here.

The amounts come from the period aggregates' nets (see ``periods.py``),
not from a read model, so they are exact whatever the projections' lag.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from eventsourcing.application import AggregateNotFoundError

from domain.errors import BusinessRuleViolation, ValidationError
from domain.ledger import closing
from domain.ledger.accounts import AccountCategory, ChartOfAccounts
from domain.ledger.entries import EntryKind, SourceRef
from domain.ledger.gate import chart, fiscal_period
from domain.ledger.periods import (
    FiscalPeriod,
    PeriodStatus,
    check_period,
    period_id,
    period_of,
    voucher_number,
)
from domain.unit_of_work import UnitOfWork

ZERO = Decimal("0.00")


class OverheadMethod(Enum):
    """Where under/over-applied overhead goes (a company's choice)."""

    COST_OF_SALES = "cost_of_sales"  # all to 5401 主营业务成本
    # Over open work orders' WIP, manufactured stock and cost of sales, in
    # proportion to their balances (成本差异分配).
    ALLOCATE = "allocate"


@dataclass(frozen=True)
class BooksClosed:
    period: str
    profit: str  # of the transfer: the P&L accounts' net, profit positive
    transfer_entry_id: str = ""
    transfer_voucher_no: str = ""
    carry_forward_entry_id: str = ""
    carry_forward_voucher_no: str = ""


def close_books(uow: UnitOfWork, period: str, posting_date: date | None = None) -> BooksClosed:
    """期末结账: transfer P&L to 3103 (结转损益), in December carry 3103 to 3104,
    and close the period, in one save."""
    period = check_period(period)
    day = closing_day(period, posting_date)
    uow.business_date(day, "postingDate", check_period=False)  # the date window
    fiscal = fiscal_period(uow, period)
    fiscal.check_open()
    nets = year_to_date(uow.repository, fiscal, require_closed=True)
    overhead = sum((n for a, n in nets.items() if a.startswith(closing.OVERHEAD)), ZERO)
    if overhead:
        raise BusinessRuleViolation(
            "OVERHEAD_UNSETTLED",
            f"4101 制造费用 still holds {overhead}; settle the overhead "
            "(settleOverhead) before closing the books")
    accounts = chart(uow)
    pl = {a: n for a, n in nets.items() if _is_pl(accounts, a)}
    lines, profit = closing.profit_and_loss_transfer(pl)
    transfer = carry = None
    if lines:
        transfer = uow.post(
            day, f"结转损益 {period} profit and loss to 本年利润", lines,
            SourceRef("period_end", f"{period}/pl", "结转损益"), kind=EntryKind.CLOSING)
    if period.endswith("-12"):
        this_year = -(nets.get(closing.PROFIT_THIS_YEAR, ZERO) - profit)
        carry_lines = closing.year_end_carry_forward(this_year, _distribution_account(accounts))
        if carry_lines:
            carry = uow.post(
                day, f"结转本年利润 {period[:4]} profit of the year to 利润分配",
                carry_lines, SourceRef("period_end", f"{period}/year", "年末结转"),
                kind=EntryKind.CLOSING)
    fiscal.close()
    return BooksClosed(
        period, str(profit),
        str(transfer.id) if transfer else "",
        voucher_number(transfer.voucher_seq) if transfer else "",
        str(carry.id) if carry else "",
        voucher_number(carry.voucher_seq) if carry else "",
    )


def year_to_date(repository, fiscal: FiscalPeriod, require_closed: bool) -> dict[str, Decimal]:
    """Nets per account over the year up to and including ``fiscal`` (from the
    period aggregates in ``repository``, never from a read model)."""
    year, month = fiscal.period[:4], int(fiscal.period[5:])
    totals: dict[str, Decimal] = {}
    earlier: list[FiscalPeriod] = []
    for m in range(1, month):
        try:
            earlier.append(repository.get(period_id(f"{year}-{m:02d}"),
                                          deepcopy_from_cache=False))
        except AggregateNotFoundError:
            continue
    for period in [*earlier, fiscal]:
        if require_closed and period is not fiscal and period.status is PeriodStatus.OPEN:
            raise BusinessRuleViolation(
                "EARLIER_PERIOD_OPEN",
                f"period {period.period} is still open; close the months in order")
        for account, net in period.nets.items():
            totals[account] = totals.get(account, ZERO) + net
    return totals


def closing_day(period: str, posting_date: date | None) -> date:
    """The day a period-end entry is dated: the period's last day unless given."""
    if posting_date is None:
        return closing.last_day(period)
    if not isinstance(posting_date, date) or period_of(posting_date) != period:
        raise ValidationError(f"postingDate must be a day in {period}", "postingDate")
    return posting_date


def _is_pl(chart: ChartOfAccounts, code: str) -> bool:
    account = chart.accounts.get(code)
    return account is not None and account.category is AccountCategory.PROFIT_AND_LOSS


def _distribution_account(chart: ChartOfAccounts) -> str:
    """3104 利润分配, or its 未分配利润 sub-account when the company keeps some."""
    if chart.is_leaf(closing.PROFIT_DISTRIBUTION):
        return closing.PROFIT_DISTRIBUTION
    for account in chart.children(closing.PROFIT_DISTRIBUTION):
        if "未分配利润" in account.name and chart.is_leaf(account.code):
            return account.code
    raise BusinessRuleViolation(
        "NO_DISTRIBUTION_ACCOUNT",
        "3104 利润分配 has sub-accounts but none named 未分配利润 to carry the profit to")
