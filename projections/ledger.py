"""General-ledger read models: accounts, periods, journal entries and lines,
and turnover per leaf account and period."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, update

from domain.ledger.accounts import Account, ChartOfAccounts
from domain.ledger.entries import EntryKind, JournalEntry
from domain.ledger.periods import FiscalPeriod, voucher_number
from domain.money import to_cents
from projections.runner import Notified
from projections.sql import bulk_insert, upsert_add
from projections.tables import (
    ledger_accounts,
    ledger_cash_flows,
    ledger_entries,
    ledger_lines,
    ledger_periods,
    ledger_turnover,
)

ENTRY_COLUMNS = (
    "entry_id", "position", "period", "voucher_seq", "voucher_no", "posting_date", "summary",
    "kind", "reverses", "reversed_by", "total_cents", "line_count", "source_kind",
    "source_id", "source_label", "actor", "command_id", "correlation_id", "recorded_at",
)
FLOW_COLUMNS = ("entry_id", "item", "amount_cents", "period", "posting_date", "position")
LINE_COLUMNS = (
    "entry_id", "line_no", "account_code", "debit_cents", "credit_cents", "memo", "period",
    "posting_date", "voucher_seq", "position",
)


class LedgerProjection:
    name = "ledger"
    tables = (ledger_accounts, ledger_periods, ledger_entries, ledger_lines, ledger_turnover,
              ledger_cash_flows)

    def apply(self, conn: Connection, batch: Sequence[Notified]) -> None:
        entries: list[tuple[Any, ...]] = []
        lines: list[tuple[Any, ...]] = []
        flows: list[tuple[Any, ...]] = []
        # (account, period) -> [debit, credit, closing debit, closing credit] in cents
        turnover: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        reversals: list[tuple[str, str]] = []
        voucher_counts: dict[str, int] = {}

        # The common events first, by exact type (cheaper than isinstance chains).
        posted, assigned = JournalEntry.Posted, FiscalPeriod.VoucherAssigned
        for item in batch:
            ev = item.event
            kind = type(ev)
            if kind is posted:
                self._collect_entry(item, entries, lines, turnover)
                flows.extend(_flow_rows(item))
            elif kind is assigned:
                voucher_counts[ev.period] = ev.seq
            elif isinstance(ev, JournalEntry.Posted):
                self._collect_entry(item, entries, lines, turnover)
                flows.extend(_flow_rows(item))
            elif isinstance(ev, FiscalPeriod.VoucherAssigned):
                voucher_counts[ev.period] = ev.seq
            elif isinstance(ev, JournalEntry.Reversed):
                reversals.append((str(ev.originator_id), str(ev.reversal_id)))
            elif isinstance(ev, FiscalPeriod.Event):
                self._period_event(conn, item)
            elif isinstance(ev, ChartOfAccounts.Event):
                self._chart_event(conn, ev)

        if entries:
            bulk_insert(conn, ledger_entries, ENTRY_COLUMNS, entries)
            bulk_insert(conn, ledger_lines, LINE_COLUMNS, lines)
            bulk_insert(conn, ledger_cash_flows, FLOW_COLUMNS, flows)
        upsert_add(
            conn,
            ledger_turnover,
            ("account_code", "period"),
            [
                {"account_code": a, "period": p, "debit_cents": d, "credit_cents": c,
                 "closing_debit_cents": cd, "closing_credit_cents": cc}
                for (a, p), (d, c, cd, cc) in sorted(turnover.items())
            ],
        )
        for original, reversal in reversals:
            conn.execute(
                update(ledger_entries)
                .where(ledger_entries.c.entry_id == original)
                .values(reversed_by=reversal)
            )
        for period, count in voucher_counts.items():
            conn.execute(
                update(ledger_periods)
                .where(ledger_periods.c.period == period)
                .values(voucher_count=count)
            )

    # -- journal entries ------------------------------------------------------
    @staticmethod
    def _collect_entry(item: Notified, entries, lines, turnover) -> None:
        """Rows as tuples in ENTRY_COLUMNS / LINE_COLUMNS order."""
        ev = item.event
        meta = item.meta
        entry_id = str(ev.originator_id)
        position = item.position
        period = ev.period
        posting_date = ev.posting_date
        seq = ev.voucher_seq
        source = ev.source
        total = 0
        no = 0
        closing = ev.kind is EntryKind.CLOSING
        for line in ev.lines:
            no += 1
            debit, credit = to_cents(line.debit), to_cents(line.credit)
            total += debit
            lines.append((entry_id, no, line.account, debit, credit, line.memo, period,
                          posting_date, seq, position))
            bucket = turnover[(line.account, period)]
            bucket[0] += debit
            bucket[1] += credit
            if closing:
                bucket[2] += debit
                bucket[3] += credit
        entries.append((
            entry_id,
            position,
            period,
            seq,
            voucher_number(seq),
            posting_date,
            ev.summary,
            ev.kind.value,
            str(ev.reverses) if ev.reverses else None,
            None,
            total,
            len(ev.lines),
            source.kind if source else None,
            source.id if source else None,
            source.label if source else None,
            meta.get("actor", ""),
            meta.get("command_id", ""),
            meta.get("correlation_id", ""),
            ev.timestamp.isoformat(),
        ))

    # -- periods --------------------------------------------------------------
    @staticmethod
    def _period_event(conn: Connection, item: Notified) -> None:
        ev = item.event
        if isinstance(ev, FiscalPeriod.Opened):
            conn.execute(
                ledger_periods.insert().values(
                    period=ev.period,
                    status="open",
                    voucher_count=0,
                    opened_at=ev.timestamp.isoformat(),
                )
            )
            return
        period = ev.period
        if isinstance(ev, FiscalPeriod.Closed):
            values = {"status": "closed", "closed_at": ev.timestamp.isoformat()}
        elif isinstance(ev, FiscalPeriod.Reopened):
            values = {"status": "open", "closed_at": None, "reopen_reason": ev.reason}
        else:
            return
        conn.execute(
            update(ledger_periods).where(ledger_periods.c.period == period).values(**values)
        )

    # -- chart of accounts ----------------------------------------------------
    @staticmethod
    def _chart_event(conn: Connection, ev: Any) -> None:
        if isinstance(ev, ChartOfAccounts.Seeded):
            codes = {a.code for a in ev.accounts}
            conn.execute(
                ledger_accounts.insert(),
                [_account_row(a, is_leaf=not any(c[:-2] == a.code for c in codes
                                                if len(c) > 4)) for a in ev.accounts],
            )
        elif isinstance(ev, ChartOfAccounts.AccountAdded):
            conn.execute(ledger_accounts.insert().values(**_account_row(ev.account, True)))
            if ev.account.parent_code:
                _set(conn, ev.account.parent_code, is_leaf=False)
        elif isinstance(ev, ChartOfAccounts.AccountRenamed):
            _set(conn, ev.code, name=ev.name)
        elif isinstance(ev, ChartOfAccounts.AccountDeactivated):
            _set(conn, ev.code, active=False)
        elif isinstance(ev, ChartOfAccounts.AccountReactivated):
            _set(conn, ev.code, active=True)
        elif isinstance(ev, ChartOfAccounts.StatementSubAccountsInstalled):
            if ev.accounts:
                conn.execute(ledger_accounts.insert(),
                             [_account_row(a, True) for a in ev.accounts])
            for parent in {a.parent_code for a in ev.accounts if a.parent_code}:
                _set(conn, parent, is_leaf=False)
            for parent in ev.open_parents:
                _set(conn, parent, open_parent=True)
            for code, line in ev.lines:
                _set(conn, code, statement_line=int(line))
        elif isinstance(ev, ChartOfAccounts.StatementLineSet):
            _set(conn, ev.code, statement_line=ev.line)
        elif isinstance(ev, ChartOfAccounts.AccountOpenedAsParent):
            _set(conn, ev.code, open_parent=True)
        elif isinstance(ev, ChartOfAccounts.AccountMadeHeading):
            _set(conn, ev.code, open_parent=False)
        elif isinstance(ev, ChartOfAccounts.AccountsUsed):
            conn.execute(
                update(ledger_accounts)
                .where(ledger_accounts.c.code.in_(list(ev.codes)))
                .values(used=True)
            )


def _flow_rows(item: Notified) -> list[tuple[Any, ...]]:
    ev = item.event
    entry_id = str(ev.originator_id)
    return [(entry_id, flow.item.value, to_cents(flow.amount), ev.period, ev.posting_date,
             item.position) for flow in ev.cash_flows]


def _account_row(account: Account, is_leaf: bool) -> dict[str, Any]:
    return {
        "code": account.code,
        "name": account.name,
        "category": account.category.value,
        "normal_balance": account.normal_balance.value,
        "parent_code": account.parent_code,
        "level": account.level,
        "is_leaf": is_leaf,
        "active": account.active,
        "used": False,
        "statement_line": None,
        "open_parent": False,
    }


def _set(conn: Connection, code: str, **values: Any) -> None:
    conn.execute(update(ledger_accounts).where(ledger_accounts.c.code == code).values(**values))
