"""Partial disposals of fixed assets (issue #15): the cost and accumulated
depreciation each part took out of the register.

Revision ID: 0021
Revises: 0019
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fixed_asset_parts",
        sa.Column("position", sa.BigInteger, primary_key=True),
        sa.Column("asset", sa.String(40), nullable=False),
        sa.Column("disposal_date", sa.Date, nullable=False),
        sa.Column("cost_cents", sa.BigInteger, nullable=False),
        sa.Column("accumulated_cents", sa.BigInteger, nullable=False),
        sa.Column("proceeds_cents", sa.BigInteger, nullable=False),
        sa.Column("proceeds_vat_cents", sa.BigInteger, nullable=False),
        sa.Column("costs_cents", sa.BigInteger, nullable=False),
        sa.Column("gain_cents", sa.BigInteger, nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("entry_id", sa.String(36), nullable=False),
        sa.Column("voucher_no", sa.String(16), nullable=False),
    )
    op.create_index("ix_fixed_asset_parts_asset", "fixed_asset_parts", ["asset"])


def downgrade() -> None:
    op.drop_index("ix_fixed_asset_parts_asset", "fixed_asset_parts")
    op.drop_table("fixed_asset_parts")
