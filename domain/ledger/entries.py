"""Journal entries (记账凭证) and the pure rules that admit them.

An entry balances to the cent, has at least two lines, each line a non-zero
amount on exactly one side, on an active leaf account. A posted entry never
changes; a reversal (红字冲销) is a new entry repeating the original's
accounts and sides with negative (red) amounts, so turnover is not inflated.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from eventsourcing.domain import Aggregate, event

from domain.errors import BusinessRuleViolation, ValidationError
from domain.ledger.accounts import ChartOfAccounts
from domain.ledger.cash_flow import CashFlow, CashFlowItem, classify
from domain.money import parse_amount
from domain.transcodings import transcoded

MAX_LINES = 500
MAX_SUMMARY = 200
ZERO = Decimal("0.00")


@transcoded("EntryKind")
class EntryKind(Enum):
    ORDINARY = "ordinary"
    REVERSAL = "reversal"
    # Period-end transfers (结转损益 to 3103, 3103 to 3104 at year end): the
    # income statement leaves them out, and they are undone by reopening the
    # period and closing it again, never by a reversal.
    CLOSING = "closing"


@transcoded("JournalLine")
@dataclass(frozen=True)
class JournalLine:
    """One line; exactly one of debit/credit is non-zero (negative only when red)."""

    account: str
    debit: Decimal
    credit: Decimal
    memo: str = ""

    @property
    def amount(self) -> Decimal:
        return self.debit if self.debit else self.credit


@transcoded("SourceRef")
@dataclass(frozen=True)
class SourceRef:
    """The business fact that caused an entry (a receipt, an issue, an invoice…)."""

    kind: str
    id: str
    label: str = ""


@dataclass(frozen=True)
class LineInput:
    """A line as a client sends it; amounts may still be text. ``cash_flow``:
    the purpose of the cash this line's amount moved (a manual voucher's
    classification for the 现金流量表, domain/ledger/cash_flow.py)."""

    account: str
    debit: object = None
    credit: object = None
    memo: str = ""
    cash_flow: CashFlowItem | None = None


def check_summary(summary: str, field: str = "summary") -> str:
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError("a journal entry needs a summary (摘要)", field)
    if len(summary) > MAX_SUMMARY:
        raise ValidationError(f"summary is longer than {MAX_SUMMARY} characters", field)
    return summary


def admit_lines(lines: Sequence[LineInput], chart: ChartOfAccounts) -> tuple[JournalLine, ...]:
    """Validate client lines into journal lines, or raise the first error found.

    Pure: reads the chart, changes nothing.
    """
    if len(lines) < 2:
        raise ValidationError("a journal entry needs at least two lines", "lines")
    if len(lines) > MAX_LINES:
        raise ValidationError(f"a journal entry may have at most {MAX_LINES} lines", "lines")
    admitted = []
    for i, line in enumerate(lines):
        path = f"lines.{i}"
        debit = _side_amount(line.debit, f"{path}.debit")
        credit = _side_amount(line.credit, f"{path}.credit")
        if (debit != ZERO) == (credit != ZERO):
            raise ValidationError(
                f"line {i + 1} must have a non-zero amount on exactly one side", path
            )
        memo = (line.memo or "").strip()
        if len(memo) > MAX_SUMMARY:
            raise ValidationError(f"line {i + 1} memo is too long", f"{path}.memo")
        account = (line.account or "").strip()
        chart.check_postable(account, f"{path}.account")
        admitted.append(JournalLine(account, debit, credit, memo))
    check_balanced(admitted)
    return tuple(admitted)


def _side_amount(value: object, field: str) -> Decimal:
    if value is None or value == "":
        return ZERO
    return parse_amount(value, field)


def check_balanced(lines: Sequence[JournalLine]) -> None:
    debits = sum((line.debit for line in lines), ZERO)
    credits = sum((line.credit for line in lines), ZERO)
    if debits != credits:
        raise BusinessRuleViolation(
            "ENTRY_UNBALANCED",
            f"debits {debits} do not equal credits {credits} (difference {debits - credits})",
        )


def net_by_account(lines: Sequence[JournalLine]) -> dict[str, Decimal]:
    """Net amount per account, debit positive (what the period aggregate keeps)."""
    nets: dict[str, Decimal] = {}
    for line in lines:
        nets[line.account] = nets.get(line.account, ZERO) + line.debit - line.credit
    return nets


def red_lines(lines: Sequence[JournalLine]) -> tuple[JournalLine, ...]:
    """The reversal of lines: same accounts and sides, negative amounts."""
    return tuple(JournalLine(ln.account, -ln.debit, -ln.credit, ln.memo) for ln in lines)


class JournalEntry(Aggregate):
    """A posted voucher. Immutable but for the mark that it was reversed."""

    @event("Posted")
    def __init__(
        self,
        id: uuid.UUID,  # noqa: A002 - chosen first, so the period can number it
        period: str,
        voucher_seq: int,
        posting_date: date,
        summary: str,
        lines: tuple[JournalLine, ...],
        kind: EntryKind = EntryKind.ORDINARY,
        reverses: uuid.UUID | None = None,
        source: SourceRef | None = None,
        currency: str = "CNY",
        cash_flows: tuple[CashFlow, ...] = (),
    ):
        self.period = period
        self.voucher_seq = voucher_seq
        self.posting_date = posting_date
        self.summary = summary
        self.lines = tuple(lines)
        self.kind = kind
        self.reverses = reverses
        self.source = source
        self.currency = currency
        # What the entry changed cash by, per purpose (现金流量表): inflows positive.
        self.cash_flows = tuple(cash_flows)
        self.reversed_by: uuid.UUID | None = None

    @property
    def total(self) -> Decimal:
        return sum((line.debit for line in self.lines), ZERO)

    def check_reversible(self) -> None:
        if self.kind is EntryKind.CLOSING:
            raise BusinessRuleViolation(
                "CLOSING_NOT_REVERSIBLE",
                "a closing entry (结转损益) is not reversed; reopen the period, correct it "
                "and close it again",
            )
        if self.kind is EntryKind.REVERSAL:
            raise BusinessRuleViolation(
                "REVERSAL_NOT_REVERSIBLE",
                "a reversal cannot itself be reversed; post a new entry instead",
            )
        if self.reversed_by is not None:
            raise BusinessRuleViolation(
                "ALREADY_REVERSED", f"entry {self.id} has already been reversed"
            )

    def mark_reversed(self, reversal_id: uuid.UUID) -> None:
        self.check_reversible()
        self._reversed(reversal_id)

    @event("Reversed")
    def _reversed(self, reversal_id: uuid.UUID) -> None:
        self.reversed_by = reversal_id


# -- event versions (docs/architecture.md, "Event naming and versioning rules") ----------


def _posted_v1_v2(state: dict) -> None:
    """v2 carries the entry's cash flows (现金流量表). A v1 entry was posted
    before documents classified their cash, so its flows are what the default
    rule makes of its own lines (domain/ledger/cash_flow.py): the same rule an
    unclassified voucher gets today."""
    state["cash_flows"] = classify(tuple(state["lines"]))


JournalEntry.Posted.class_version = 2
JournalEntry.Posted.upcast_v1_v2 = staticmethod(_posted_v1_v2)
