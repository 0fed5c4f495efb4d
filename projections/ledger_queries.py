"""Reads of the ledger read models: what the API, CLI and reports show.

Balances are net debit-positive Decimals; columns split them by sign, as a
trial balance prints them (借方 / 贷方).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, and_, case, func, or_, select

from domain.money import from_cents
from projections.tables import (
    ledger_accounts,
    ledger_cash_flows,
    ledger_entries,
    ledger_lines,
    ledger_periods,
    ledger_turnover,
)

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class AccountView:
    code: str
    name: str
    category: str
    normal_balance: str
    parent_code: str | None
    level: int
    is_leaf: bool
    active: bool
    used: bool
    statement_line: int | None = None  # the statement line it feeds by code
    open_parent: bool = False  # a parent that keeps taking postings of its own


@dataclass(frozen=True)
class PeriodView:
    period: str
    status: str
    voucher_count: int
    opened_at: str
    closed_at: str | None


@dataclass(frozen=True)
class LineView:
    line_no: int
    account_code: str
    account_name: str
    debit: Decimal
    credit: Decimal
    memo: str


@dataclass(frozen=True)
class EntryView:
    entry_id: str
    position: int
    period: str
    voucher_no: str
    voucher_seq: int
    posting_date: date
    summary: str
    kind: str
    reverses: str | None
    reversed_by: str | None
    total: Decimal
    source_kind: str | None
    source_id: str | None
    actor: str
    command_id: str
    correlation_id: str
    recorded_at: str
    lines: list[LineView] = field(default_factory=list)
    # (现金流量表 item, amount): what the entry changed cash by, inflow positive
    cash_flows: list[tuple[str, Decimal]] = field(default_factory=list)


@dataclass(frozen=True)
class EntryPage:
    entries: list[EntryView]
    has_next: bool
    end_cursor: str | None


def split(net: Decimal) -> tuple[Decimal, Decimal]:
    """A net debit-positive balance as (debit column, credit column)."""
    return (net, ZERO) if net >= 0 else (ZERO, -net)


@dataclass(frozen=True)
class TrialBalanceRow:
    code: str
    name: str
    level: int
    is_leaf: bool
    opening: Decimal
    debit: Decimal
    credit: Decimal

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


@dataclass(frozen=True)
class TrialBalance:
    period: str
    rows: list[TrialBalanceRow]
    opening_debit: Decimal
    opening_credit: Decimal
    debit: Decimal
    credit: Decimal
    closing_debit: Decimal
    closing_credit: Decimal

    @property
    def balanced(self) -> bool:
        return (
            self.opening_debit == self.opening_credit
            and self.debit == self.credit
            and self.closing_debit == self.closing_credit
        )


@dataclass(frozen=True)
class LedgerRow:
    posting_date: date
    voucher_no: str
    entry_id: str
    summary: str
    debit: Decimal
    credit: Decimal
    balance: Decimal

    @property
    def direction(self) -> str:
        return direction(self.balance)


@dataclass(frozen=True)
class AccountLedger:
    account: AccountView
    period: str
    opening: Decimal
    rows: list[LedgerRow]
    debit: Decimal
    credit: Decimal
    closing: Decimal


def direction(net: Decimal) -> str:
    """余额方向: 借 (debit), 贷 (credit) or 平 (zero)."""
    return "借" if net > 0 else "贷" if net < 0 else "平"


# -- accounts and periods -------------------------------------------------------
def accounts(
    conn: Connection,
    *,
    active_only: bool = False,
    leaf_only: bool = False,
    prefix: str | None = None,
) -> list[AccountView]:
    q = select(ledger_accounts).order_by(ledger_accounts.c.code)
    if active_only:
        q = q.where(ledger_accounts.c.active.is_(True))
    if leaf_only:
        q = q.where(ledger_accounts.c.is_leaf.is_(True))
    if prefix:
        q = q.where(ledger_accounts.c.code.startswith(prefix))
    return [AccountView(**row._mapping) for row in conn.execute(q)]


def account(conn: Connection, code: str) -> AccountView | None:
    row = conn.execute(select(ledger_accounts).where(ledger_accounts.c.code == code)).first()
    return AccountView(**row._mapping) if row else None


def periods(conn: Connection) -> list[PeriodView]:
    q = select(
        ledger_periods.c.period,
        ledger_periods.c.status,
        ledger_periods.c.voucher_count,
        ledger_periods.c.opened_at,
        ledger_periods.c.closed_at,
    ).order_by(ledger_periods.c.period)
    return [PeriodView(**row._mapping) for row in conn.execute(q)]


# -- journal entries ----------------------------------------------------------
def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"entry:{position}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    from domain.errors import ValidationError

    try:
        kind, _, pos = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if kind != "entry" or not pos.isascii() or not pos.isdigit() or len(pos) > 18:
            raise ValueError(kind)  # positions are non-negative BIGINTs
        return int(pos)
    except (ValueError, UnicodeDecodeError):
        raise ValidationError(f"cursor {cursor!r} is not valid", "after") from None


def journal_entries(
    conn: Connection,
    *,
    period: str | None = None,
    account: str | None = None,
    first: int = 50,
    after: str | None = None,
) -> EntryPage:
    """Entries in log order, optionally those of a period and/or touching an
    account (or any of its sub-accounts)."""
    q = select(ledger_entries).order_by(ledger_entries.c.position).limit(first + 1)
    if period:
        q = q.where(ledger_entries.c.period == period)
    if after:
        q = q.where(ledger_entries.c.position > decode_cursor(after))
    if account:
        touching = select(ledger_lines.c.entry_id).where(
            or_(
                ledger_lines.c.account_code == account,
                ledger_lines.c.account_code.startswith(account),
            )
        )
        if period:
            touching = touching.where(ledger_lines.c.period == period)
        q = q.where(ledger_entries.c.entry_id.in_(touching))
    rows = conn.execute(q).all()
    has_next = len(rows) > first
    rows = rows[:first]
    entries = _with_lines(conn, rows)
    end = encode_cursor(entries[-1].position) if entries else None
    return EntryPage(entries, has_next, end)


def journal_entry(conn: Connection, entry_id: str) -> EntryView | None:
    rows = conn.execute(select(ledger_entries).where(ledger_entries.c.entry_id == entry_id)).all()
    entries = _with_lines(conn, rows)
    return entries[0] if entries else None


def _with_lines(conn: Connection, rows) -> list[EntryView]:
    if not rows:
        return []
    ids = [r.entry_id for r in rows]
    names = dict(conn.execute(select(ledger_accounts.c.code, ledger_accounts.c.name)).all())
    by_entry: dict[str, list[LineView]] = {i: [] for i in ids}
    q = (
        select(ledger_lines)
        .where(ledger_lines.c.entry_id.in_(ids))
        .order_by(ledger_lines.c.entry_id, ledger_lines.c.line_no)
    )
    for ln in conn.execute(q):
        by_entry[ln.entry_id].append(
            LineView(
                ln.line_no,
                ln.account_code,
                names.get(ln.account_code, ""),
                from_cents(ln.debit_cents),
                from_cents(ln.credit_cents),
                ln.memo,
            )
        )
    flows: dict[str, list[tuple[str, Decimal]]] = {i: [] for i in ids}
    f = ledger_cash_flows
    for flow in conn.execute(select(f.c.entry_id, f.c.item, f.c.amount_cents)
                             .where(f.c.entry_id.in_(ids)).order_by(f.c.entry_id, f.c.item)):
        flows[flow.entry_id].append((flow.item, from_cents(flow.amount_cents)))
    return [
        EntryView(
            entry_id=r.entry_id,
            position=r.position,
            period=r.period,
            voucher_no=r.voucher_no,
            voucher_seq=r.voucher_seq,
            posting_date=r.posting_date,
            summary=r.summary,
            kind=r.kind,
            reverses=r.reverses,
            reversed_by=r.reversed_by,
            total=from_cents(r.total_cents),
            source_kind=r.source_kind,
            source_id=r.source_id,
            actor=r.actor,
            command_id=r.command_id,
            correlation_id=r.correlation_id,
            recorded_at=r.recorded_at,
            lines=by_entry[r.entry_id],
            cash_flows=flows[r.entry_id],
        )
        for r in rows
    ]


# -- balances -----------------------------------------------------------------
def leaf_balances(conn: Connection, period: str,
                  as_of: int | None = None) -> dict[str, tuple[int, int, int]]:
    """Per leaf account: (opening net, debit turnover, credit turnover) in cents;
    with ``as_of``, from the journal lines at or before that log position."""
    t = ledger_lines if as_of is not None else ledger_turnover
    before, this = t.c.period < period, t.c.period == period
    q = (
        select(
            t.c.account_code,
            func.sum(case((before, t.c.debit_cents - t.c.credit_cents), else_=0)),
            func.sum(case((this, t.c.debit_cents), else_=0)),
            func.sum(case((this, t.c.credit_cents), else_=0)),
        )
        .where(t.c.period <= period)
        .group_by(t.c.account_code)
    )
    if as_of is not None:
        q = q.where(ledger_lines.c.position <= as_of)
    return {code: (int(o or 0), int(d or 0), int(c or 0)) for code, o, d, c in conn.execute(q)}


def trial_balance(
    conn: Connection, period: str, *, leaves_only: bool = False, include_zero: bool = False,
    as_of: int | None = None,
) -> TrialBalance:
    """科目余额表 for a period: opening, turnover (red amounts netted), closing;
    as the log stood at position ``as_of`` when given.

    Parent accounts roll up their sub-accounts; the totals count each amount
    once (from the accounts posted to: the leaves, and a parent that still
    takes postings of its own beside its sub-accounts, 5602 after the
    standard sub-accounts were installed; ``leaves_only`` shows that own part
    as the parent's row)."""
    leaves = leaf_balances(conn, period, as_of)
    chart = accounts(conn)
    rows: list[TrialBalanceRow] = []
    totals = [0, 0, 0, 0, 0, 0]
    for acc in chart:
        own = leaves.get(acc.code)
        if acc.is_leaf:
            o, d, c = own or (0, 0, 0)
        elif leaves_only:
            if own is None:
                continue
            o, d, c = own
        else:
            parts = [v for k, v in leaves.items() if k.startswith(acc.code)]
            o, d, c = (sum(p[i] for p in parts) for i in range(3))
        if own is not None:
            closing = own[0] + own[1] - own[2]
            totals[0] += max(own[0], 0)
            totals[1] += max(-own[0], 0)
            totals[2] += own[1]
            totals[3] += own[2]
            totals[4] += max(closing, 0)
            totals[5] += max(-closing, 0)
        if not include_zero and o == 0 and d == 0 and c == 0:
            continue
        rows.append(TrialBalanceRow(
            acc.code, acc.name, acc.level, acc.is_leaf, from_cents(o), from_cents(d),
            from_cents(c),
        ))
    return TrialBalance(period, rows, *(from_cents(t) for t in totals))


def account_ledger(conn: Connection, code: str, period: str,
                   as_of: int | None = None) -> AccountLedger | None:
    """明细账: the account's (and its sub-accounts') lines in a period with a
    running balance, in date then voucher order; as the log stood at position
    ``as_of`` when given."""
    acc = account(conn, code)
    if acc is None:
        return None
    belongs = or_(
        ledger_lines.c.account_code == code, ledger_lines.c.account_code.startswith(code)
    )
    t = ledger_lines if as_of is not None else ledger_turnover
    opening = select(func.coalesce(func.sum(t.c.debit_cents - t.c.credit_cents), 0)).where(
        and_(t.c.period < period, or_(t.c.account_code == code,
                                      t.c.account_code.startswith(code))))
    if as_of is not None:
        opening = opening.where(ledger_lines.c.position <= as_of)
        belongs = and_(belongs, ledger_lines.c.position <= as_of)
    opening_cents = conn.execute(opening).scalar_one()
    q = (
        select(
            ledger_lines.c.posting_date,
            ledger_entries.c.voucher_no,
            ledger_lines.c.entry_id,
            ledger_entries.c.summary,
            ledger_lines.c.memo,
            ledger_lines.c.debit_cents,
            ledger_lines.c.credit_cents,
        )
        .join(ledger_entries, ledger_entries.c.entry_id == ledger_lines.c.entry_id)
        .where(ledger_lines.c.period == period, belongs)
        .order_by(
            ledger_lines.c.posting_date, ledger_lines.c.voucher_seq, ledger_lines.c.line_no
        )
    )
    running = int(opening_cents)
    total_d = total_c = 0
    rows = []
    for r in conn.execute(q):
        running += r.debit_cents - r.credit_cents
        total_d += r.debit_cents
        total_c += r.credit_cents
        rows.append(
            LedgerRow(
                r.posting_date,
                r.voucher_no,
                r.entry_id,
                r.memo or r.summary,
                from_cents(r.debit_cents),
                from_cents(r.credit_cents),
                from_cents(running),
            )
        )
    return AccountLedger(
        acc,
        period,
        from_cents(int(opening_cents)),
        rows,
        from_cents(total_d),
        from_cents(total_c),
        from_cents(running),
    )
