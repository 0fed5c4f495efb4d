"""Helpers of the unit tables: a voucher's lines as plain rows."""

from __future__ import annotations

from decimal import Decimal


def lines(voucher_or_lines) -> list[tuple[str, str, str]]:
    """(account, debit, credit) per line, amounts as text, "" for the empty side."""
    found = voucher_or_lines.lines() if hasattr(voucher_or_lines, "lines") else voucher_or_lines
    return [(ln.account, _text(ln.debit), _text(ln.credit)) for ln in found]


def _text(amount) -> str:
    return "" if amount is None else str(Decimal(amount))


def dr(account: str, amount: str) -> tuple[str, str, str]:
    return (account, amount, "")


def cr(account: str, amount: str) -> tuple[str, str, str]:
    return (account, "", amount)
