"""Period-end use cases (期末处理): overhead settlement, then 期末结账 — the
P&L transfer (结转损益), at year end the carry-forward to 利润分配, and the close,
all in one atomic save with the period, so no posting can slip in between
the transfer and the close.

The amounts come from the period aggregates' nets (see ``periods.py``),
not from a read model, so they are exact whatever the projections' lag.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from eventsourcing.application import AggregateNotFoundError

from domain.catalog.items import ItemType, item_id
from domain.commands import CommandContext
from domain.errors import BusinessRuleViolation, NotFound, ValidationError
from domain.inventory.stock import Movement, stock_id
from domain.ledger import closing
from domain.ledger.accounts import AccountCategory, ChartOfAccounts
from domain.ledger.entries import EntryKind, SourceRef
from domain.ledger.periods import (
    FiscalPeriod,
    PeriodStatus,
    check_period,
    period_id,
    period_of,
    voucher_number,
)
from domain.ledger.voucher import Voucher
from domain.production.work_orders import work_order_id

ZERO = Decimal("0.00")
MANUFACTURED = (ItemType.SEMI_FINISHED, ItemType.FINISHED)


class OverheadMethod(Enum):
    """Where under/over-applied overhead goes (a company's choice)."""

    COST_OF_SALES = "cost_of_sales"  # all to 5401 主营业务成本
    # Over open work orders' WIP, manufactured stock and cost of sales, in
    # proportion to their balances (成本差异分配).
    ALLOCATE = "allocate"


@dataclass(frozen=True)
class AllocationTargets:
    """Where an allocation may go: open work orders and stock balances of
    manufactured items (the caller lists them, e.g. from the read models;
    their balances are read from the aggregates themselves)."""

    work_orders: tuple[str, ...] = ()
    stocks: tuple[tuple[str, str], ...] = ()  # (item, warehouse)


@dataclass(frozen=True)
class OverheadSettled:
    period: str
    amount: str  # under-applied positive, over-applied negative
    entry_id: str
    voucher_no: str


@dataclass(frozen=True)
class BooksClosed:
    period: str
    profit: str  # of the transfer: the P&L accounts' net, profit positive
    transfer_entry_id: str = ""
    transfer_voucher_no: str = ""
    carry_forward_entry_id: str = ""
    carry_forward_voucher_no: str = ""


class PeriodEndUseCases:
    """Mixed into the company Application (domain/application.py)."""

    def _year_to_date(self, fiscal: FiscalPeriod, require_closed: bool) -> dict[str, Decimal]:
        """Nets per account over the year up to and including ``fiscal``."""
        year, month = fiscal.period[:4], int(fiscal.period[5:])
        totals: dict[str, Decimal] = {}
        earlier: list[FiscalPeriod] = []
        for m in range(1, month):
            try:
                earlier.append(self.repository.get(period_id(f"{year}-{m:02d}"),
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

    def settle_overhead(
        self,
        period: str,
        method: OverheadMethod = OverheadMethod.COST_OF_SALES,
        posting_date: date | None = None,
        targets: AllocationTargets | None = None,
        ctx: CommandContext = CommandContext(),
    ):
        """结转制造费用: clear 4101's balance (applied vs actual overhead) to 5401,
        or allocate it over open WIP, manufactured stock and 5401."""
        period = check_period(period)
        day = _closing_day(period, posting_date)
        targets = targets or AllocationTargets()

        def decide():
            self.business_date(day, "postingDate", check_period=False)  # the date window
            fiscal = self._period(period)
            fiscal.check_open()
            nets = self._year_to_date(fiscal, require_closed=False)
            overhead = {a: n for a, n in nets.items() if a.startswith(closing.OVERHEAD)}
            amount = sum(overhead.values(), ZERO)
            if not amount:
                raise BusinessRuleViolation(
                    "NOTHING_TO_SETTLE", f"4101 制造费用 has no balance at the end of {period}")
            side = "under" if amount > 0 else "over"
            summary = f"结转制造费用差异 {period} {side}-applied overhead"
            source = SourceRef("period_end", f"{period}/overhead", "制造费用结转")
            if method is OverheadMethod.COST_OF_SALES:
                lines = closing.overhead_settlement(overhead, closing.COST_OF_SALES)
                entry, changed = self.prepare_entry(day, f"{summary} to cost of sales", lines,
                                                    source, fiscal=fiscal)
            else:
                entry, changed = self._allocate_overhead(
                    fiscal, day, f"{summary} allocated", source, overhead, amount,
                    nets.get(closing.COST_OF_SALES, ZERO), targets)
            return OverheadSettled(period, str(amount), str(entry.id),
                                   voucher_number(entry.voucher_seq)), changed

        # The targets say where to look, not what to do: a retry that finds the
        # read models moved on is still the same request.
        payload = (period, method.value, posting_date)
        return self._execute("settle_overhead", payload, ctx, decide, OverheadSettled)

    def _allocate_overhead(self, fiscal, day, summary, source, overhead, amount,
                           cost_of_sales, targets):
        """Shares in proportion to each open order's WIP, each manufactured stock
        balance's value and the year's cost of sales; every share is posted and
        lands in its sub-ledger in the same save."""
        orders, stocks, bases = {}, {}, []
        for number in dict.fromkeys(targets.work_orders):
            try:
                wo = self.repository.get(work_order_id(number))
            except AggregateNotFoundError:
                raise NotFound(f"work order {number} does not exist", "WorkOrder",
                               number) from None
            if wo.check_open_for_costs() and wo.wip.total > 0:
                orders[number] = wo
                bases.append((("wip", number), wo.wip.total))
        for item_code, warehouse in dict.fromkeys(targets.stocks):
            try:
                item = self.repository.get(item_id(item_code))
                stock = self.repository.get(stock_id(item_code, warehouse))
            except AggregateNotFoundError:
                continue  # nothing of it in stock
            if item.spec.item_type in MANUFACTURED and stock.value > 0:
                stocks[(item_code, warehouse)] = (item, stock)
                bases.append((("stock", item_code, warehouse), stock.value))
        if cost_of_sales > 0:
            bases.append((("cost_of_sales",), cost_of_sales))
        shares = closing.allocate(amount, bases)
        if not shares:
            raise BusinessRuleViolation(
                "NOTHING_TO_ALLOCATE",
                "no open WIP, manufactured stock or cost of sales to allocate overhead over; "
                "settle it to cost of sales instead")
        voucher = Voucher()
        for key, share in shares:
            if key[0] == "wip":
                account = closing.WIP
            elif key[0] == "stock":
                item, stock = stocks[key[1:]]
                account = item.inventory_account
                if stock.value + share < 0:
                    raise BusinessRuleViolation(
                        "ALLOCATION_EXCEEDS_STOCK",
                        f"over-applied overhead of {amount} is more than the balances it "
                        "would be taken from; settle it to cost of sales instead")
            else:
                account = closing.COST_OF_SALES
            voucher.debit(account, share)
        lines = closing.clear(voucher, overhead).lines()
        entry, changed = self.prepare_entry(day, summary, lines, source, fiscal=fiscal)
        reference = f"OH-{fiscal.period}"
        for key, share in shares:
            if key[0] == "wip":
                wo = orders[key[1]]
                wo.allocate_overhead(share, reference)
                changed.append(wo)
            elif key[0] == "stock":
                _, stock = stocks[key[1:]]
                stock.revalue(share, day, Movement("overhead_allocation", reference, 0,
                                                   str(entry.id)))
                changed.append(stock)
        return entry, changed

    def close_books(
        self, period: str, posting_date: date | None = None,
        ctx: CommandContext = CommandContext(),
    ):
        """期末结账: transfer P&L to 3103 (结转损益), in December carry 3103 to 3104,
        and close the period, in one save."""
        period = check_period(period)
        day = _closing_day(period, posting_date)

        def decide():
            self.business_date(day, "postingDate", check_period=False)  # the date window
            fiscal = self._period(period)
            fiscal.check_open()
            nets = self._year_to_date(fiscal, require_closed=True)
            overhead = sum((n for a, n in nets.items() if a.startswith(closing.OVERHEAD)), ZERO)
            if overhead:
                raise BusinessRuleViolation(
                    "OVERHEAD_UNSETTLED",
                    f"4101 制造费用 still holds {overhead}; settle the overhead "
                    "(settleOverhead) before closing the books")
            chart = self.chart()
            pl = {a: n for a, n in nets.items() if _is_pl(chart, a)}
            lines, profit = closing.profit_and_loss_transfer(pl)
            changed: dict = {}
            transfer = carry = None
            if lines:
                transfer, more = self.prepare_entry(
                    day, f"结转损益 {period} profit and loss to 本年利润", lines,
                    SourceRef("period_end", f"{period}/pl", "结转损益"),
                    kind=EntryKind.CLOSING, fiscal=fiscal)
                changed.update((a.id, a) for a in more)
            if period.endswith("-12"):
                this_year = -(nets.get(closing.PROFIT_THIS_YEAR, ZERO) - profit)
                carry_lines = closing.year_end_carry_forward(
                    this_year, _distribution_account(chart))
                if carry_lines:
                    carry, more = self.prepare_entry(
                        day, f"结转本年利润 {period[:4]} profit of the year to 利润分配",
                        carry_lines, SourceRef("period_end", f"{period}/year", "年末结转"),
                        kind=EntryKind.CLOSING, fiscal=fiscal)
                    changed.update((a.id, a) for a in more)
            fiscal.close()
            changed[fiscal.id] = fiscal
            result = BooksClosed(
                period, str(profit),
                str(transfer.id) if transfer else "",
                voucher_number(transfer.voucher_seq) if transfer else "",
                str(carry.id) if carry else "",
                voucher_number(carry.voucher_seq) if carry else "",
            )
            return result, list(changed.values())

        return self._execute("close_books", (period, posting_date), ctx, decide, BooksClosed)


def _closing_day(period: str, posting_date: date | None) -> date:
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
