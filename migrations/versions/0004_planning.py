"""Planning read models: forecasts, MRP runs, planned orders with pegging, exceptions.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "forecasts",
        sa.Column("item", sa.String(40), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("qty_micros", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "mrp_runs",
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("today", sa.Date, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("planned_count", sa.Integer, nullable=False),
        sa.Column("exception_count", sa.Integer, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "planned_orders",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("run", sa.String(20), nullable=False),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(6), nullable=False),
        sa.Column("qty_micros", sa.BigInteger, nullable=False),
        sa.Column("need_date", sa.Date, nullable=False),
        sa.Column("release_date", sa.Date, nullable=False),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("firmed_as", sa.String(20)),
    )
    op.create_index("ix_planned_orders_run_item", "planned_orders", ["run", "item"])
    op.create_table(
        "planned_order_pegs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("demand", sa.String(64), nullable=False),
        sa.Column("top", sa.String(64), nullable=False),
        sa.Column("qty_micros", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_planned_order_pegs_top", "planned_order_pegs", ["top"])
    op.create_table(
        "mrp_exceptions",
        sa.Column("run", sa.String(20), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("ref", sa.String(64), nullable=False),
        sa.Column("message", sa.String(300), nullable=False),
        sa.Column("day", sa.Date),
    )


def downgrade() -> None:
    for name in ["mrp_exceptions", "planned_order_pegs", "planned_orders", "mrp_runs", "forecasts"]:
        op.drop_table(name)
