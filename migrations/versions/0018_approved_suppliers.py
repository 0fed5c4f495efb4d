"""Approved suppliers (issue #13): quality's approved supplier list per item
(合格供方名录, the preferred first) and the supplier MRP proposes for each
planned purchase.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "approved_suppliers",
        sa.Column("item", sa.String(40), primary_key=True),
        sa.Column("rank", sa.Integer, primary_key=True),
        sa.Column("supplier", sa.String(40), nullable=False),
        sa.Column("approved_on", sa.Date, nullable=False),
    )
    op.add_column(
        "planned_orders",
        sa.Column("supplier", sa.String(40), nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_column("planned_orders", "supplier")
    op.drop_table("approved_suppliers")
