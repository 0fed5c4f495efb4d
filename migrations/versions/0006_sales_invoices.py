"""Sales invoices (数电票) and red-letter corrections: the invoice register and
lines, invoiced quantities of shipment lines, the seller's profile, and the
items' 税收分类简称.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("items", sa.Column("tax_short_name", sa.String(40), nullable=False,
                                     server_default=""))
    op.create_table(
        "sales_invoices",
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("invoice_type", sa.String(10), nullable=False),
        sa.Column("color", sa.String(4), nullable=False),
        sa.Column("blue_number", sa.String(20), nullable=False),
        sa.Column("confirmation_no", sa.String(40), nullable=False),
        sa.Column("red_reason", sa.Integer, nullable=False),
        sa.Column("customer", sa.String(40), nullable=False),
        sa.Column("buyer_name", sa.String(100), nullable=False),
        sa.Column("buyer_uscc", sa.String(18), nullable=False),
        sa.Column("seller_name", sa.String(100), nullable=False),
        sa.Column("seller_uscc", sa.String(18), nullable=False),
        sa.Column("invoice_date", sa.Date, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
        sa.Column("tax_cents", sa.BigInteger, nullable=False),
        sa.Column("total_cents", sa.BigInteger, nullable=False),
        sa.Column("amount_in_words", sa.String(80), nullable=False),
        sa.Column("remark", sa.String(300), nullable=False),
        sa.Column("drawer", sa.String(64), nullable=False),
        sa.Column("confirmed", sa.Boolean, nullable=False),
        sa.Column("credited_amount_cents", sa.BigInteger, nullable=False),
        sa.Column("credited_tax_cents", sa.BigInteger, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("entry_id", sa.String(36), nullable=False),
        sa.Column("voucher_no", sa.String(16), nullable=False),
        sa.Column("line_count", sa.Integer, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_sales_invoices_customer", "sales_invoices", ["customer", "invoice_date"])
    op.create_index("ix_sales_invoices_date", "sales_invoices", ["invoice_date"])
    op.create_index("ix_sales_invoices_blue", "sales_invoices", ["blue_number"])
    op.create_table(
        "sales_invoice_lines",
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("line_no", sa.Integer, primary_key=True),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("item_name", sa.String(200), nullable=False),
        sa.Column("tax_code", sa.String(19), nullable=False),
        sa.Column("spec", sa.String(100), nullable=False),
        sa.Column("unit", sa.String(10), nullable=False),
        sa.Column("qty_micros", sa.BigInteger, nullable=False),
        sa.Column("unit_price", sa.String(24), nullable=False),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
        sa.Column("vat_rate", sa.String(8), nullable=False),
        sa.Column("tax_cents", sa.BigInteger, nullable=False),
        sa.Column("shipment", sa.String(20), nullable=False),
        sa.Column("shipment_line", sa.Integer, nullable=False),
        sa.Column("order_no", sa.String(20), nullable=False),
        sa.Column("order_line", sa.Integer, nullable=False),
        sa.Column("blue_line", sa.Integer, nullable=False),
        sa.Column("credited_qty_micros", sa.BigInteger, nullable=False),
        sa.Column("credited_amount_cents", sa.BigInteger, nullable=False),
        sa.Column("credited_tax_cents", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_sales_invoice_lines_shipment", "sales_invoice_lines",
                    ["shipment", "shipment_line"])
    op.create_table(
        "sales_billing",
        sa.Column("shipment", sa.String(20), primary_key=True),
        sa.Column("line_no", sa.Integer, primary_key=True),
        sa.Column("invoiced_micros", sa.BigInteger, nullable=False),
        sa.Column("invoiced_amount_cents", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "company_profile",
        sa.Column("id", sa.String(10), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("bank", sa.String(100), nullable=False),
        sa.Column("bank_account", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("company_profile")
    op.drop_table("sales_billing")
    op.drop_index("ix_sales_invoice_lines_shipment", table_name="sales_invoice_lines")
    op.drop_table("sales_invoice_lines")
    for name in ("ix_sales_invoices_blue", "ix_sales_invoices_date",
                 "ix_sales_invoices_customer"):
        op.drop_index(name, table_name="sales_invoices")
    op.drop_table("sales_invoices")
    op.drop_column("items", "tax_short_name")
