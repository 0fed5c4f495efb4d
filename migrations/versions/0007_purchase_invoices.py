"""Purchase invoices: three-way match, holds and price differences.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "purchase_invoices",
        sa.Column("supplier", sa.String(40), primary_key=True),
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("invoice_date", sa.Date, nullable=False),
        sa.Column("invoice_type", sa.String(10), nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
        sa.Column("tax_cents", sa.BigInteger, nullable=False),
        sa.Column("gross_cents", sa.BigInteger, nullable=False),
        sa.Column("estimate_cents", sa.BigInteger, nullable=False),
        sa.Column("price_difference_cents", sa.BigInteger, nullable=False),
        sa.Column("posting_date", sa.Date),
        sa.Column("entry_id", sa.String(36), nullable=False),
        sa.Column("voucher_no", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_purchase_invoices_status", "purchase_invoices", ["status", "supplier"])
    op.create_table(
        "purchase_invoice_lines",
        sa.Column("supplier", sa.String(40), primary_key=True),
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("line_no", sa.Integer, primary_key=True),
        sa.Column("receipt", sa.String(20), nullable=False),
        sa.Column("receipt_line", sa.Integer, nullable=False),
        sa.Column("order_no", sa.String(20), nullable=False),
        sa.Column("order_line", sa.Integer, nullable=False),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("warehouse", sa.String(40), nullable=False),
        sa.Column("qty_micros", sa.BigInteger, nullable=False),
        sa.Column("unit_price", sa.String(24), nullable=False),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
        sa.Column("vat_rate", sa.String(8), nullable=False),
        sa.Column("tax_cents", sa.BigInteger, nullable=False),
        sa.Column("posted", sa.Boolean, nullable=False),
    )
    op.create_index("ix_purchase_invoice_lines_receipt", "purchase_invoice_lines",
                    ["receipt", "receipt_line"])
    op.create_table(
        "purchase_invoice_differences",
        sa.Column("supplier", sa.String(40), primary_key=True),
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("line_no", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("expected", sa.String(40), nullable=False),
        sa.Column("actual", sa.String(40), nullable=False),
    )
    op.create_table(
        "purchase_invoice_price_differences",
        sa.Column("supplier", sa.String(40), primary_key=True),
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("line_no", sa.Integer, nullable=False),
        sa.Column("target", sa.String(8), nullable=False),
        sa.Column("reference", sa.String(80), nullable=False),
        sa.Column("account", sa.String(10), nullable=False),
        sa.Column("qty_micros", sa.BigInteger, nullable=False),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("purchase_invoice_price_differences")
    op.drop_table("purchase_invoice_differences")
    op.drop_index("ix_purchase_invoice_lines_receipt", table_name="purchase_invoice_lines")
    op.drop_table("purchase_invoice_lines")
    op.drop_index("ix_purchase_invoices_status", table_name="purchase_invoices")
    op.drop_table("purchase_invoices")
