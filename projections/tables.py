"""Read-model tables (SQLAlchemy Core). Alembic migrations create them; a test
checks that the migrations and these definitions agree.

Money is stored as integer cents (exact on SQLite and PostgreSQL alike);
timestamps from events as ISO text, so a rebuild reproduces them exactly.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
)

metadata = MetaData()

projection_tracking = Table(
    "projection_tracking",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("position", BigInteger, nullable=False),
)

ledger_accounts = Table(
    "ledger_accounts",
    metadata,
    Column("code", String(10), primary_key=True),
    Column("name", String(60), nullable=False),
    Column("category", String(20), nullable=False),
    Column("normal_balance", String(6), nullable=False),
    Column("parent_code", String(10)),
    Column("level", Integer, nullable=False),
    Column("is_leaf", Boolean, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("used", Boolean, nullable=False),
)

ledger_periods = Table(
    "ledger_periods",
    metadata,
    Column("period", String(7), primary_key=True),
    Column("status", String(10), nullable=False),
    Column("voucher_count", Integer, nullable=False),
    Column("opened_at", String(40), nullable=False),
    Column("closed_at", String(40)),
    Column("reopen_reason", String(200)),
)

ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("entry_id", String(36), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("period", String(7), nullable=False),
    Column("voucher_seq", Integer, nullable=False),
    Column("voucher_no", String(16), nullable=False),
    Column("posting_date", Date, nullable=False),
    Column("summary", String(200), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("reverses", String(36)),
    Column("reversed_by", String(36)),
    Column("total_cents", BigInteger, nullable=False),
    Column("line_count", Integer, nullable=False),
    Column("source_kind", String(40)),
    Column("source_id", String(64)),
    Column("source_label", String(200)),
    Column("actor", String(64), nullable=False),
    Column("command_id", String(128), nullable=False),
    Column("correlation_id", String(128), nullable=False),
    Column("recorded_at", String(40), nullable=False),
    Index("ix_ledger_entries_period_seq", "period", "voucher_seq", unique=True),
    Index("ix_ledger_entries_position", "position"),
)

ledger_lines = Table(
    "ledger_lines",
    metadata,
    Column("entry_id", String(36), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("account_code", String(10), nullable=False),
    Column("debit_cents", BigInteger, nullable=False),
    Column("credit_cents", BigInteger, nullable=False),
    Column("memo", String(200), nullable=False),
    Column("period", String(7), nullable=False),
    Column("posting_date", Date, nullable=False),
    Column("voucher_seq", Integer, nullable=False),
    Column("position", BigInteger, nullable=False),
    Index("ix_ledger_lines_account_period", "account_code", "period"),
)

# Turnover per leaf account and period; opening and closing balances are sums
# over earlier periods, so a back-dated posting never needs later rows rewritten.
ledger_turnover = Table(
    "ledger_turnover",
    metadata,
    Column("account_code", String(10), primary_key=True),
    Column("period", String(7), primary_key=True),
    Column("debit_cents", BigInteger, nullable=False),
    Column("credit_cents", BigInteger, nullable=False),
)
