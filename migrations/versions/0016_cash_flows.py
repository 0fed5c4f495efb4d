"""Cash flows: what each journal entry changed cash by, per 现金流量表 item.

Revision ID: 0016
Revises: 0015
Create Date: 2027-01-31
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger_cash_flows",
        sa.Column("entry_id", sa.String(36), primary_key=True),
        sa.Column("item", sa.String(4), primary_key=True),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("posting_date", sa.Date, nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_ledger_cash_flows_period", "ledger_cash_flows", ["period"])


def downgrade() -> None:
    op.drop_table("ledger_cash_flows")
