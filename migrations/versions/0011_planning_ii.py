"""Planning II (issue 17): the company's planning settings, the working
calendars (the company's and each work center's holidays and working days)
and MRP's pegged scheduled receipts.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "planning_settings",
        sa.Column("name", sa.String(20), primary_key=True),
        sa.Column("expedite_horizon_days", sa.Integer, nullable=False),
    )
    op.create_table(
        "working_calendar_days",
        sa.Column("scope", sa.String(40), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("working", sa.Boolean, nullable=False),
    )
    op.create_table(
        "mrp_receipts",
        sa.Column("run", sa.String(20), primary_key=True),
        sa.Column("ref", sa.String(64), primary_key=True),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("qty_micros", sa.BigInteger, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("available_date", sa.Date, nullable=False),
    )
    op.create_table(
        "mrp_receipt_pegs",
        sa.Column("run", sa.String(20), primary_key=True),
        sa.Column("ref", sa.String(64), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("demand", sa.String(64), nullable=False),
        sa.Column("top", sa.String(64), nullable=False),
        sa.Column("qty_micros", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_mrp_receipt_pegs_top", "mrp_receipt_pegs", ["top"])


def downgrade() -> None:
    op.drop_index("ix_mrp_receipt_pegs_top", "mrp_receipt_pegs")
    op.drop_table("mrp_receipt_pegs")
    op.drop_table("mrp_receipts")
    op.drop_table("working_calendar_days")
    op.drop_table("planning_settings")
