"""The vouchers of the fixed-asset register (pure): acquisition, the monthly
depreciation run and disposal through 1606 固定资产清理."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.fixed_assets.depreciation import ZERO
from domain.fixed_assets.register import (
    ACCUMULATED,
    CLEARING,
    COST,
    GAIN,
    INPUT_VAT,
    LOSS,
    OUTPUT_VAT,
    AssetCard,
    DepreciationLine,
    Holding,
)
from domain.ledger.cash_flow import CashFlow, CashFlowItem
from domain.ledger.entries import LineInput
from domain.ledger.voucher import Voucher


def acquisition_lines(card: AssetCard, vat: Decimal, credit_account: str) -> list[LineInput]:
    """Dr 1601 the cost (and 22210101 the deductible VAT) / Cr what pays for it;
    a card taken over also credits 1602 with what it already carries."""
    lines = [LineInput(COST, debit=card.cost, memo=f"{card.code} {card.name}"[:200])]
    if vat:
        lines.append(LineInput(INPUT_VAT, debit=vat, memo="进项税额"))
    if card.opening_accumulated:
        lines.append(LineInput(ACCUMULATED, credit=card.opening_accumulated, memo="已提折旧"))
    rest = card.cost + vat - card.opening_accumulated
    if rest:
        lines.append(LineInput(credit_account, credit=rest))
    return lines


def depreciation_voucher(lines: Sequence[DepreciationLine]) -> Voucher:
    """Dr each expense account the month's depreciation of its assets / Cr 1602."""
    voucher = Voucher()
    for line in lines:
        if line.amount:
            voucher.debit(line.account, line.amount)
    total = sum((ln.amount for ln in lines), ZERO)
    if total:
        voucher.credit(ACCUMULATED, total)
    return voucher


@dataclass(frozen=True)
class Disposal:
    """A disposal's figures: the month's depreciation still to charge, what the
    buyer pays (ex VAT, and the VAT), what the disposal costs."""

    month: DepreciationLine | None
    proceeds: Decimal
    proceeds_vat: Decimal
    costs: Decimal

    def book_value(self, holding: Holding) -> Decimal:
        charge = self.month.amount if self.month else ZERO
        return holding.book_value - charge

    def gain(self, holding: Holding) -> Decimal:
        """Net gain (positive, to 5301) or loss (negative, to 5711) of the clearing."""
        return self.proceeds - self.costs - self.book_value(holding)

    def cash_flows(self) -> list[CashFlow]:
        """What the disposal brings in net of its costs, for the cash-flow statement."""
        cash = self.proceeds + self.proceeds_vat - self.costs
        return [CashFlow(CashFlowItem.ASSET_DISPOSALS, cash)] if cash else []


def disposal_lines(holding: Holding, disposal: Disposal, bank: str) -> list[LineInput]:
    """转入清理, 清理费用, 出售收入, 结转净损益, in one voucher (1606 ends at zero)."""
    card = holding.card
    charge = disposal.month.amount if disposal.month else ZERO
    lines = month_lines(disposal)
    accumulated = holding.accumulated + charge
    book_value = card.cost - accumulated
    if accumulated:
        lines.append(LineInput(ACCUMULATED, debit=accumulated, memo="转入清理"))
    if book_value:
        lines.append(LineInput(CLEARING, debit=book_value, memo="转入清理"))
    lines.append(LineInput(COST, credit=card.cost, memo=f"{card.code} {card.name}"[:200]))
    return lines + clearing_lines(disposal, disposal.gain(holding), bank)


def part_disposal_lines(card: AssetCard, disposal: Disposal, cost_out: Decimal,
                        accumulated_out: Decimal, gain: Decimal, bank: str) -> list[LineInput]:
    """部分处置: the month's depreciation of the whole asset, then the part
    (cost and its share of the accumulated depreciation) into 1606, costs and
    proceeds through it, the net to 5301/5711 (1606 ends at zero)."""
    lines = month_lines(disposal)
    if accumulated_out:
        lines.append(LineInput(ACCUMULATED, debit=accumulated_out, memo="部分转入清理"))
    if cost_out - accumulated_out:
        lines.append(LineInput(CLEARING, debit=cost_out - accumulated_out, memo="部分转入清理"))
    lines.append(LineInput(COST, credit=cost_out, memo=f"{card.code} {card.name} 部分"[:200]))
    return lines + clearing_lines(disposal, gain, bank)


def month_lines(disposal: Disposal) -> list[LineInput]:
    """当月减少当月照提: the month's depreciation still to charge, of the whole asset."""
    charge = disposal.month.amount if disposal.month else ZERO
    if not charge:
        return []
    return [LineInput(disposal.month.account, debit=charge, memo="当月折旧"),
            LineInput(ACCUMULATED, credit=charge, memo="当月折旧")]


def clearing_lines(disposal: Disposal, gain: Decimal, bank: str) -> list[LineInput]:
    """Through 1606 after what leaves is in it: 清理费用, 出售收入 (and its
    销项税额), then the net gain to 5301 or loss to 5711 (1606 ends at zero)."""
    lines = []
    if disposal.costs:
        lines += [LineInput(CLEARING, debit=disposal.costs, memo="清理费用"),
                  LineInput(bank, credit=disposal.costs, memo="清理费用")]
    if disposal.proceeds or disposal.proceeds_vat:
        lines.append(LineInput(bank, debit=disposal.proceeds + disposal.proceeds_vat,
                               memo="出售收入"))
        if disposal.proceeds:
            lines.append(LineInput(CLEARING, credit=disposal.proceeds, memo="出售收入"))
        if disposal.proceeds_vat:
            lines.append(LineInput(OUTPUT_VAT, credit=disposal.proceeds_vat, memo="销项税额"))
    if gain > 0:
        lines += [LineInput(CLEARING, debit=gain, memo="处置净收益"),
                  LineInput(GAIN, credit=gain, memo="非流动资产处置净收益")]
    elif gain < 0:
        lines += [LineInput(LOSS, debit=-gain, memo="非流动资产处置净损失"),
                  LineInput(CLEARING, credit=-gain, memo="处置净损失")]
    return lines
