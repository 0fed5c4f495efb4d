"""Ledger read models: tracking, accounts, periods, entries, lines, turnover.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "projection_tracking",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "ledger_accounts",
        sa.Column("code", sa.String(10), primary_key=True),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("normal_balance", sa.String(6), nullable=False),
        sa.Column("parent_code", sa.String(10)),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("is_leaf", sa.Boolean, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("used", sa.Boolean, nullable=False),
    )
    op.create_table(
        "ledger_periods",
        sa.Column("period", sa.String(7), primary_key=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("voucher_count", sa.Integer, nullable=False),
        sa.Column("opened_at", sa.String(40), nullable=False),
        sa.Column("closed_at", sa.String(40)),
        sa.Column("reopen_reason", sa.String(200)),
    )
    op.create_table(
        "ledger_entries",
        sa.Column("entry_id", sa.String(36), primary_key=True),
        sa.Column("position", sa.BigInteger, nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("voucher_seq", sa.Integer, nullable=False),
        sa.Column("voucher_no", sa.String(16), nullable=False),
        sa.Column("posting_date", sa.Date, nullable=False),
        sa.Column("summary", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("reverses", sa.String(36)),
        sa.Column("reversed_by", sa.String(36)),
        sa.Column("total_cents", sa.BigInteger, nullable=False),
        sa.Column("line_count", sa.Integer, nullable=False),
        sa.Column("source_kind", sa.String(40)),
        sa.Column("source_id", sa.String(64)),
        sa.Column("source_label", sa.String(200)),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("command_id", sa.String(128), nullable=False),
        sa.Column("correlation_id", sa.String(128), nullable=False),
        sa.Column("recorded_at", sa.String(40), nullable=False),
    )
    op.create_index(
        "ix_ledger_entries_period_seq", "ledger_entries", ["period", "voucher_seq"], unique=True
    )
    op.create_index("ix_ledger_entries_position", "ledger_entries", ["position"])
    op.create_table(
        "ledger_lines",
        sa.Column("entry_id", sa.String(36), primary_key=True),
        sa.Column("line_no", sa.Integer, primary_key=True),
        sa.Column("account_code", sa.String(10), nullable=False),
        sa.Column("debit_cents", sa.BigInteger, nullable=False),
        sa.Column("credit_cents", sa.BigInteger, nullable=False),
        sa.Column("memo", sa.String(200), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("posting_date", sa.Date, nullable=False),
        sa.Column("voucher_seq", sa.Integer, nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_index(
        "ix_ledger_lines_account_period", "ledger_lines", ["account_code", "period"]
    )
    op.create_table(
        "ledger_turnover",
        sa.Column("account_code", sa.String(10), primary_key=True),
        sa.Column("period", sa.String(7), primary_key=True),
        sa.Column("debit_cents", sa.BigInteger, nullable=False),
        sa.Column("credit_cents", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    for name in (
        "ledger_turnover",
        "ledger_lines",
        "ledger_entries",
        "ledger_periods",
        "ledger_accounts",
        "projection_tracking",
    ):
        op.drop_table(name)
