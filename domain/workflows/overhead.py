"""Overhead settlement (结转制造费用), the command handler: the period-end step
that crosses contexts.

What remains in 4101 制造费用 goes to 5401 (``COST_OF_SALES``) or is spread
over open work orders' WIP, manufactured stock and the year's cost of sales
(``ALLOCATE``), each share landing in its sub-ledger (the order's overhead
WIP, the stock balance's value) in the same save as the entry. It reads the
ledger's period nets, production's work orders and inventory's stock, so it
is application-layer work; the ledger keeps the closing rules
(``domain/ledger/closing.py``) and 期末结账 (``domain/ledger/period_end.py``).

GraphQL and the CLI reach it through ``period_end.settle_overhead``, which
lists the allocation targets from the read models first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from eventsourcing.application import AggregateNotFoundError

from domain.catalog.items import Item, ItemType, item_id
from domain.commands import recorded_as
from domain.errors import BusinessRuleViolation
from domain.inventory.stock import Movement, StockBalance, stock_id
from domain.ledger import closing
from domain.ledger.entries import JournalEntry, SourceRef
from domain.ledger.gate import fiscal_period
from domain.ledger.period_end import OverheadMethod, closing_day, year_to_date
from domain.ledger.periods import FiscalPeriod, check_period, voucher_number
from domain.ledger.voucher import Voucher
from domain.production.lookups import work_order
from domain.production.work_orders import WorkOrder
from domain.unit_of_work import UnitOfWork
from domain.workflows.ports import AllocationTargets

ZERO = Decimal("0.00")
MANUFACTURED = (ItemType.SEMI_FINISHED, ItemType.FINISHED)


@dataclass(frozen=True)
class OverheadSettled:
    period: str
    amount: str  # under-applied positive, over-applied negative
    entry_id: str
    voucher_no: str


@dataclass
class AllocationBases:
    """What an allocation may reach, with the balances it is shared by."""

    orders: dict[str, WorkOrder]
    stocks: dict[tuple[str, str], tuple[Item, StockBalance]]
    bases: list[tuple[tuple[str, ...], Decimal]]


# The targets say where to look, not what to do: a retry that finds the read
# models moved on is still the same request.
@recorded_as(payload=lambda period, method, posting_date, targets: (period, method,
                                                                    posting_date))
def settle_overhead(
    uow: UnitOfWork,
    period: str,
    method: OverheadMethod = OverheadMethod.COST_OF_SALES,
    posting_date: date | None = None,
    targets: AllocationTargets | None = None,
) -> OverheadSettled:
    """结转制造费用: clear 4101's balance (applied vs actual overhead) to 5401,
    or allocate it over open WIP, manufactured stock and 5401."""
    period = check_period(period)
    day = closing_day(period, posting_date)
    uow.business_date(day, "postingDate", check_period=False)  # the date window
    fiscal = fiscal_period(uow, period)
    fiscal.check_open()
    nets = year_to_date(uow.repository, fiscal, require_closed=False)
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
        entry = uow.post(day, f"{summary} to cost of sales", lines, source)
    else:
        entry = allocate_overhead(uow, fiscal, day, f"{summary} allocated", source, overhead,
                                  amount, nets.get(closing.COST_OF_SALES, ZERO),
                                  targets or AllocationTargets())
    return OverheadSettled(period, str(amount), str(entry.id),
                           voucher_number(entry.voucher_seq))


def allocate_overhead(uow: UnitOfWork, fiscal: FiscalPeriod, day: date, summary: str,
                      source: SourceRef, overhead: dict[str, Decimal], amount: Decimal,
                      cost_of_sales: Decimal, targets: AllocationTargets) -> JournalEntry:
    """Shares in proportion to each open order's WIP, each manufactured stock
    balance's value and the year's cost of sales; every share is posted and
    lands in its sub-ledger in the same save."""
    found = allocation_bases(uow, targets)
    if cost_of_sales > 0:
        found.bases.append((("cost_of_sales",), cost_of_sales))
    shares = closing.allocate(amount, found.bases)
    if not shares:
        raise BusinessRuleViolation(
            "NOTHING_TO_ALLOCATE",
            "no open WIP, manufactured stock or cost of sales to allocate overhead over; "
            "settle it to cost of sales instead")
    voucher = Voucher()
    for key, share in shares:
        voucher.debit(share_account(key, share, found, amount), share)
    entry = uow.post(day, summary, closing.clear(voucher, overhead).lines(), source)
    reference = f"OH-{fiscal.period}"
    for key, share in shares:
        if key[0] == "wip":
            found.orders[key[1]].allocate_overhead(share, reference)
        elif key[0] == "stock":
            _, balance = found.stocks[key[1:]]
            balance.revalue(share, day, Movement("overhead_allocation", reference, 0,
                                                 str(entry.id)))
    return entry


def allocation_bases(uow: UnitOfWork, targets: AllocationTargets) -> AllocationBases:
    """The open orders with WIP and the manufactured stock with value among the
    targets, with their balances read from the aggregates."""
    found = AllocationBases({}, {}, [])
    for number in dict.fromkeys(targets.work_orders):
        wo = work_order(uow, number)
        if wo.check_open_for_costs() and wo.wip.total > 0:
            found.orders[number] = wo
            found.bases.append((("wip", number), wo.wip.total))
    for item_code, warehouse in dict.fromkeys(targets.stocks):
        try:
            item = uow.peek(item_id(item_code))
            balance = uow.get(stock_id(item_code, warehouse))
        except AggregateNotFoundError:
            continue  # nothing of it in stock
        if item.spec.item_type in MANUFACTURED and balance.value > 0:
            found.stocks[(item_code, warehouse)] = (item, balance)
            found.bases.append((("stock", item_code, warehouse), balance.value))
    return found


def share_account(key: tuple[str, ...], share: Decimal, found: AllocationBases,
                  amount: Decimal) -> str:
    """The account a share is debited to; a stock may not be taken below zero."""
    if key[0] == "wip":
        return closing.WIP
    if key[0] == "stock":
        item, balance = found.stocks[key[1:]]
        if balance.value + share < 0:
            raise BusinessRuleViolation(
                "ALLOCATION_EXCEEDS_STOCK",
                f"over-applied overhead of {amount} is more than the balances it "
                "would be taken from; settle it to cost of sales instead")
        return item.inventory_account
    return closing.COST_OF_SALES


HANDLERS = (settle_overhead,)
