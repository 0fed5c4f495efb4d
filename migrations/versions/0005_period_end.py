"""Period end: turnover from closing entries (结转损益) kept apart, so the income
statement shows the month's revenue and costs rather than their transfer to 3103;
and the overhead differences allocated to each work order.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for column in ("closing_debit_cents", "closing_credit_cents"):
        op.add_column(
            "ledger_turnover",
            sa.Column(column, sa.BigInteger, nullable=False, server_default="0"),
        )
    op.add_column(
        "work_orders",
        sa.Column("overhead_allocated_cents", sa.BigInteger, nullable=False,
                  server_default="0"),
    )


def downgrade() -> None:
    op.drop_column("work_orders", "overhead_allocated_cents")
    for column in ("closing_debit_cents", "closing_credit_cents"):
        op.drop_column("ledger_turnover", column)
