"""Overhead settlement (结转制造费用): the period-end step that crosses contexts.

What remains in 4101 制造费用 goes to 5401 (``COST_OF_SALES``) or is spread
over open work orders' WIP, manufactured stock and the year's cost of sales
(``ALLOCATE``), each share landing in its sub-ledger (the order's overhead
WIP, the stock balance's value) in the same save as the entry. It reads the
ledger's period nets, production's work orders and inventory's stock, so it
is application-layer work; the ledger keeps the closing rules
(``domain/ledger/closing.py``) and 期末结账 (``domain/ledger/period_end.py``).

``settle_overhead`` is the one entry point GraphQL and the CLI share: it asks
the read port for the allocation targets as of the log position it read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from eventsourcing.application import AggregateNotFoundError

from domain.catalog.items import ItemType, item_id
from domain.commands import CommandContext, Outcome
from domain.errors import BusinessRuleViolation, NotFound
from domain.inventory.stock import Movement, stock_id
from domain.ledger import closing
from domain.ledger.entries import SourceRef
from domain.ledger.period_end import OverheadMethod, closing_day, year_to_date
from domain.ledger.periods import check_period, voucher_number
from domain.ledger.voucher import Voucher
from domain.production.work_orders import work_order_id
from domain.workflows.ports import AllocationTargets, OverheadTargets

ZERO = Decimal("0.00")
MANUFACTURED = (ItemType.SEMI_FINISHED, ItemType.FINISHED)


@dataclass(frozen=True)
class OverheadSettled:
    period: str
    amount: str  # under-applied positive, over-applied negative
    entry_id: str
    voucher_no: str


def settle_overhead(
    app,
    targets: OverheadTargets,
    period: str,
    method: OverheadMethod = OverheadMethod.COST_OF_SALES,
    posting_date: date | None = None,
    ctx: CommandContext = CommandContext(),
) -> Outcome[OverheadSettled]:
    """settleOverhead / ``factoryledger settle-overhead``: an allocation lists
    its targets from read models that reached the log position read here
    (``ProjectionLag`` otherwise), so what it may reach never depends on lag."""
    listing = None
    if method is OverheadMethod.ALLOCATE:
        listing = targets.allocation_targets(app.log_position())
    return app.settle_overhead(period, method, posting_date, listing, ctx=ctx)


class OverheadSettlementUseCases:
    """Mixed into the company Application (domain/application.py)."""

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
        day = closing_day(period, posting_date)
        targets = targets or AllocationTargets()

        def decide():
            self.business_date(day, "postingDate", check_period=False)  # the date window
            fiscal = self._period(period)
            fiscal.check_open()
            nets = year_to_date(self.repository, fiscal, require_closed=False)
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
        orders, stocks, bases = _allocation_bases(self.repository, targets)
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
            voucher.debit(_share_account(key, share, stocks, amount), share)
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


def _allocation_bases(repository, targets: AllocationTargets):
    """The open orders with WIP and the manufactured stock with value among the
    targets, with their balances read from the aggregates."""
    orders, stocks, bases = {}, {}, []
    for number in dict.fromkeys(targets.work_orders):
        try:
            wo = repository.get(work_order_id(number))
        except AggregateNotFoundError:
            raise NotFound(f"work order {number} does not exist", "WorkOrder",
                           number) from None
        if wo.check_open_for_costs() and wo.wip.total > 0:
            orders[number] = wo
            bases.append((("wip", number), wo.wip.total))
    for item_code, warehouse in dict.fromkeys(targets.stocks):
        try:
            item = repository.get(item_id(item_code))
            stock = repository.get(stock_id(item_code, warehouse))
        except AggregateNotFoundError:
            continue  # nothing of it in stock
        if item.spec.item_type in MANUFACTURED and stock.value > 0:
            stocks[(item_code, warehouse)] = (item, stock)
            bases.append((("stock", item_code, warehouse), stock.value))
    return orders, stocks, bases


def _share_account(key, share, stocks, amount) -> str:
    """The account a share is debited to; a stock may not be taken below zero."""
    if key[0] == "wip":
        return closing.WIP
    if key[0] == "stock":
        item, stock = stocks[key[1:]]
        if stock.value + share < 0:
            raise BusinessRuleViolation(
                "ALLOCATION_EXCEEDS_STOCK",
                f"over-applied overhead of {amount} is more than the balances it "
                "would be taken from; settle it to cost of sales instead")
        return item.inventory_account
    return closing.COST_OF_SALES
