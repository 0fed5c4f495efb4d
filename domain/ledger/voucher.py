"""A voucher being built: net amounts per account, printed debits first.

Posting rules (stock movements, invoices, cash, period end) add debits and
credits in business terms; amounts on one account net, so a movement that
leaves an account where it was posts nothing on it.
"""

from __future__ import annotations

from decimal import Decimal

from domain.ledger.entries import LineInput


class Voucher:
    """Accumulates debits and credits per account, in order of first mention."""

    def __init__(self) -> None:
        self._net: dict[str, Decimal] = {}

    def debit(self, account: str, amount: Decimal) -> Voucher:
        self._net[account] = self._net.get(account, Decimal("0.00")) + amount
        return self

    def credit(self, account: str, amount: Decimal) -> Voucher:
        return self.debit(account, -amount)

    def lines(self) -> list[LineInput]:
        debits = [LineInput(a, debit=v) for a, v in self._net.items() if v > 0]
        credits = [LineInput(a, credit=-v) for a, v in self._net.items() if v < 0]
        return debits + credits

    def __bool__(self) -> bool:
        return any(v != 0 for v in self._net.values())
