"""Fixed assets: the register of asset cards and its depreciation by month.

Revision ID: 0015
Revises: 0014
Create Date: 2027-01-31
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fixed_assets",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("method", sa.String(30), nullable=False),
        sa.Column("use", sa.String(20), nullable=False),
        sa.Column("expense_account", sa.String(10), nullable=False),
        sa.Column("work_center", sa.String(40), nullable=False),
        sa.Column("equipment", sa.String(40), nullable=False),
        sa.Column("unit", sa.String(10), nullable=False),
        sa.Column("acquisition_date", sa.Date, nullable=False),
        sa.Column("cost_cents", sa.BigInteger, nullable=False),
        sa.Column("residual_rate", sa.String(20), nullable=False),
        sa.Column("residual_cents", sa.BigInteger, nullable=False),
        sa.Column("life_months", sa.Integer, nullable=False),
        sa.Column("total_units_micros", sa.BigInteger, nullable=False),
        sa.Column("funding", sa.String(10), nullable=False),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("vat_cents", sa.BigInteger, nullable=False),
        sa.Column("opening_cents", sa.BigInteger, nullable=False),
        sa.Column("opening_months", sa.Integer, nullable=False),
        sa.Column("opening_units_micros", sa.BigInteger, nullable=False),
        sa.Column("accumulated_cents", sa.BigInteger, nullable=False),
        sa.Column("months", sa.Integer, nullable=False),
        sa.Column("units_micros", sa.BigInteger, nullable=False),
        sa.Column("through", sa.String(7), nullable=False),
        sa.Column("entry_id", sa.String(36), nullable=False),
        sa.Column("voucher_no", sa.String(16), nullable=False),
        sa.Column("disposed_on", sa.Date),
        sa.Column("proceeds_cents", sa.BigInteger, nullable=False),
        sa.Column("proceeds_vat_cents", sa.BigInteger, nullable=False),
        sa.Column("costs_cents", sa.BigInteger, nullable=False),
        sa.Column("gain_cents", sa.BigInteger, nullable=False),
        sa.Column("disposal_reason", sa.String(200), nullable=False),
        sa.Column("disposal_entry_id", sa.String(36), nullable=False),
        sa.Column("disposal_voucher_no", sa.String(16), nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "fixed_asset_depreciation",
        sa.Column("period", sa.String(7), primary_key=True),
        sa.Column("asset", sa.String(40), primary_key=True),
        sa.Column("account", sa.String(10), nullable=False),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
        sa.Column("units_micros", sa.BigInteger, nullable=False),
        sa.Column("work_center", sa.String(40), nullable=False),
        sa.Column("posting_date", sa.Date, nullable=False),
        sa.Column("by", sa.String(10), nullable=False),
        sa.Column("entry_id", sa.String(36), nullable=False),
        sa.Column("voucher_no", sa.String(16), nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_fixed_asset_depreciation_asset", "fixed_asset_depreciation",
                    ["asset"])


def downgrade() -> None:
    op.drop_table("fixed_asset_depreciation")
    op.drop_table("fixed_assets")
