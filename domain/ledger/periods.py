"""Fiscal periods (会计期间): monthly, open or closed, numbering their vouchers.

The period aggregate hands out voucher numbers (记-0001, 记-0002 …). Because
the number is taken in the same atomic save as the entry, a failed save leaves
no gap, two writers can never take the same number (the loser retries), and a
posting racing a close is serialised with it. The number is stored in the
entry's event, so rebuilds reproduce it exactly.

Each numbering event also carries the entry's net amount per account (debit
positive). So the period knows, exactly and with no read model in between,
what every account moved in it: period end (结转损益, overhead settlement,
3103 -> 3104) is decided from these nets in the same save as the close,
and a posting racing the close meets it at this aggregate's version.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from decimal import Decimal
from enum import Enum

from eventsourcing.domain import Aggregate, event

from domain.commands import derived_id
from domain.errors import BusinessRuleViolation, ValidationError
from domain.transcodings import transcoded

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MAX_REASON = 200  # the read model's reopen_reason column


@transcoded("PeriodStatus")
class PeriodStatus(Enum):
    OPEN = "open"
    CLOSED = "closed"


def check_period(period: str, field: str = "period") -> str:
    period = (period or "").strip()
    match = _PERIOD.match(period)
    if not match or not 1900 <= int(match.group(1)) <= 2999:
        raise ValidationError(f"period {period!r} must look like 2026-11", field)
    return period


def period_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def previous_period(period: str) -> str:
    year, month = int(period[:4]), int(period[5:])
    return f"{year - 1:04d}-12" if month == 1 else f"{year:04d}-{month - 1:02d}"


def next_period(period: str) -> str:
    year, month = int(period[:4]), int(period[5:])
    return f"{year + 1:04d}-01" if month == 12 else f"{year:04d}-{month + 1:02d}"


def period_id(period: str) -> uuid.UUID:
    return derived_id("period", period)


def voucher_number(seq: int, word: str = "记") -> str:
    """记-0001: the voucher word (凭证字) and the gap-free number in its period."""
    return f"{word}-{seq:04d}"


class FiscalPeriod(Aggregate):
    @event("Opened")
    def __init__(self, period: str):
        self.period = period
        self.status = PeriodStatus.OPEN
        self.voucher_count = 0
        self.nets: dict[str, Decimal] = {}

    @classmethod
    def create_id(cls, period: str) -> uuid.UUID:
        return period_id(period)

    def check_open(self) -> None:
        if self.status is not PeriodStatus.OPEN:
            raise BusinessRuleViolation(
                "PERIOD_CLOSED", f"period {self.period} is closed; postings are refused"
            )

    def assign_voucher(self, entry_id: uuid.UUID,
                       nets: dict[str, Decimal] | None = None) -> int:
        """Number an entry whose net amount per account (debit positive) is ``nets``."""
        self.check_open()
        self._voucher_assigned(self.period, self.voucher_count + 1, entry_id,
                               {a: n for a, n in (nets or {}).items() if n})
        return self.voucher_count

    # Each event names its period, so readers need no id -> period lookup.
    @event("VoucherAssigned")
    def _voucher_assigned(self, period: str, seq: int, entry_id: uuid.UUID,
                          nets: dict[str, Decimal]) -> None:
        self.voucher_count = seq
        for account, net in nets.items():
            total = self.nets.get(account, Decimal("0.00")) + net
            if total:
                self.nets[account] = total
            else:
                self.nets.pop(account, None)

    def net(self, account_prefix: str) -> Decimal:
        """What the account (and its sub-accounts) moved in this period, debit positive."""
        return sum((n for a, n in self.nets.items() if a.startswith(account_prefix)),
                   Decimal("0.00"))

    def close(self) -> None:
        if self.status is PeriodStatus.CLOSED:
            raise BusinessRuleViolation("PERIOD_CLOSED", f"period {self.period} is already closed")
        self._closed(self.period)

    @event("Closed")
    def _closed(self, period: str) -> None:
        self.status = PeriodStatus.CLOSED

    def reopen(self, reason: str) -> None:
        if self.status is PeriodStatus.OPEN:
            raise BusinessRuleViolation("PERIOD_OPEN", f"period {self.period} is already open")
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError("reopening a period needs a reason", "reason")
        if len(reason) > MAX_REASON:
            raise ValidationError(f"reason is longer than {MAX_REASON} characters", "reason")
        self._reopened(self.period, reason)

    @event("Reopened")
    def _reopened(self, period: str, reason: str) -> None:
        self.status = PeriodStatus.OPEN
