"""Flagged purchase orders (issue #13): why a supplier is flagged, and for a
purchase order placed with a flagged supplier, that reason and when.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "supplier_quality",
        sa.Column("flag_reason", sa.String(300), nullable=False, server_default=""),
    )
    op.add_column(
        "purchase_order_flags",
        sa.Column("reason", sa.String(300), nullable=False, server_default=""),
    )
    op.add_column(
        "purchase_order_flags",
        sa.Column("flagged_at", sa.String(40), nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_column("purchase_order_flags", "flagged_at")
    op.drop_column("purchase_order_flags", "reason")
    op.drop_column("supplier_quality", "flag_reason")
