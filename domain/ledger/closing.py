"""Period-end rules (期末处理), pure functions over account nets (debit positive).

- Overhead settlement (制造费用结转): what is left in 4101 after overhead was
  applied to work orders is the under-applied (debit) or over-applied
  (credit) balance. By default it goes to cost of sales (5401), the usual
  choice when the difference is small; a company may instead allocate it
  over open WIP, manufactured stock and cost of sales in proportion to
  their balances (``allocate``).
- 结转损益: every profit-and-loss account (5xxx) is brought to zero against
  3103 本年利润, in one voucher whose 3103 line is the period's profit.
- Year end: the year's profit in 3103 is carried to 3104 利润分配.

The inputs are year-to-date nets, so a second close after a reopen
transfers only what was posted since, and a month never transfers twice.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from domain.ledger.entries import LineInput
from domain.ledger.voucher import Voucher
from domain.money import round_amount

ZERO = Decimal("0.00")
OVERHEAD = "4101"  # 制造费用
COST_OF_SALES = "5401"  # 主营业务成本
WIP = "400101"  # 生产成本-基本生产成本
PROFIT_THIS_YEAR = "3103"  # 本年利润
PROFIT_DISTRIBUTION = "3104"  # 利润分配


def overhead_settlement(overhead_nets: Mapping[str, Decimal],
                        target: str = COST_OF_SALES) -> list[LineInput]:
    """Lines clearing each 4101 leaf into ``target``; none when 4101 is clear."""
    voucher = clear(Voucher(), overhead_nets)
    return voucher.debit(target, sum(overhead_nets.values(), ZERO)).lines()


def clear(voucher: Voucher, nets: Mapping[str, Decimal]) -> Voucher:
    """Bring each account with a net (debit positive) to zero, in code order."""
    for account, net in sorted(nets.items()):
        voucher.credit(account, net)
    return voucher


def allocate(amount: Decimal, bases: list[tuple[object, Decimal]]) -> list[tuple[object, Decimal]]:
    """Split ``amount`` over positive ``bases`` in proportion, each share rounded
    half-up to the cent; the largest base takes the rounding, so shares add up."""
    bases = [(key, base) for key, base in bases if base > 0]
    total = sum((base for _, base in bases), ZERO)
    if not bases or not amount:
        return []
    shares = [(key, round_amount(amount * base / total)) for key, base in bases]
    largest = max(range(len(bases)), key=lambda i: bases[i][1])
    key, share = shares[largest]
    shares[largest] = (key, share + amount - sum((s for _, s in shares), ZERO))
    return [(k, s) for k, s in shares if s]


def profit_and_loss_transfer(pl_nets: Mapping[str, Decimal]) -> tuple[list[LineInput], Decimal]:
    """结转损益: lines bringing each P&L leaf to zero against 3103, and the
    profit (positive) or loss (negative) they carry."""
    profit = ZERO - sum(pl_nets.values(), ZERO)  # not -sum(): no "-0.00" profit
    return clear(Voucher(), pl_nets).credit(PROFIT_THIS_YEAR, profit).lines(), profit


def year_end_carry_forward(profit_this_year: Decimal,
                           distribution_account: str) -> list[LineInput]:
    """3103 -> 3104: the year's profit (credit balance of 3103) to 利润分配."""
    return (Voucher().debit(PROFIT_THIS_YEAR, profit_this_year)
            .credit(distribution_account, profit_this_year).lines())


def last_day(period: str) -> date:
    year, month = int(period[:4]), int(period[5:])
    return date(year, month, calendar.monthrange(year, month)[1])
