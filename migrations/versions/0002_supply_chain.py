"""Supply-chain read models: items, warehouses, parties, stock, documents, orders.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "items",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("uom", sa.String(10), nullable=False),
        sa.Column("item_type", sa.String(20), nullable=False),
        sa.Column("lot_tracked", sa.Boolean, nullable=False),
        sa.Column("standard_cost", sa.String(24), nullable=False),
        sa.Column("default_warehouse", sa.String(40), nullable=False),
        sa.Column("tax_code", sa.String(19), nullable=False),
        sa.Column("vat_rate", sa.String(8), nullable=False),
        sa.Column("inventory_account", sa.String(10), nullable=False),
        sa.Column("spec", sa.String(100), nullable=False),
        sa.Column("lead_time_days", sa.Integer, nullable=False),
        sa.Column("lot_size_rule", sa.String(20), nullable=False),
        sa.Column("lot_size", sa.String(24), nullable=False),
        sa.Column("lot_multiple", sa.String(24), nullable=False),
        sa.Column("safety_stock", sa.String(24), nullable=False),
        sa.Column("scrap_factor", sa.String(24), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_table(
        "warehouses",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_table(
        "warehouse_locations",
        sa.Column("warehouse", sa.String(40), primary_key=True),
        sa.Column("location", sa.String(40), primary_key=True),
        sa.Column("quarantine", sa.Boolean, nullable=False),
    )
    op.create_table(
        "parties",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("is_customer", sa.Boolean, nullable=False),
        sa.Column("is_supplier", sa.Boolean, nullable=False),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("bank", sa.String(100), nullable=False),
        sa.Column("bank_account", sa.String(40), nullable=False),
        sa.Column("payment_terms_days", sa.Integer, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_table(
        "stock_balances",
        sa.Column("item", sa.String(40), primary_key=True),
        sa.Column("warehouse", sa.String(40), primary_key=True),
        sa.Column("qty_micros", sa.BigInteger, nullable=False),
        sa.Column("value_cents", sa.BigInteger, nullable=False),
        sa.Column("reserved_micros", sa.BigInteger, nullable=False),
        sa.Column("quarantine_micros", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "stock_bins",
        sa.Column("item", sa.String(40), primary_key=True),
        sa.Column("warehouse", sa.String(40), primary_key=True),
        sa.Column("location", sa.String(40), primary_key=True),
        sa.Column("lot", sa.String(40), primary_key=True),
        sa.Column("qty_micros", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "stock_moves",
        sa.Column("position", sa.BigInteger, primary_key=True),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("warehouse", sa.String(40), nullable=False),
        sa.Column("posting_date", sa.Date, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("document", sa.String(20), nullable=False),
        sa.Column("doc_line", sa.Integer, nullable=False),
        sa.Column("location", sa.String(40), nullable=False),
        sa.Column("to_location", sa.String(40), nullable=False),
        sa.Column("lot", sa.String(40), nullable=False),
        sa.Column("qty_micros", sa.BigInteger, nullable=False),
        sa.Column("value_cents", sa.BigInteger, nullable=False),
        sa.Column("balance_qty_micros", sa.BigInteger, nullable=False),
        sa.Column("balance_value_cents", sa.BigInteger, nullable=False),
        sa.Column("entry_id", sa.String(36), nullable=False),
    )
    op.create_index("ix_stock_moves_date", "stock_moves", ["posting_date"])
    op.create_index("ix_stock_moves_item", "stock_moves", ["item", "warehouse", "position"])
    op.create_table(
        "stock_documents",
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("posting_date", sa.Date, nullable=False),
        sa.Column("party", sa.String(40), nullable=False),
        sa.Column("order_no", sa.String(20), nullable=False),
        sa.Column("entry_id", sa.String(36), nullable=False),
        sa.Column("voucher_no", sa.String(16), nullable=False),
        sa.Column("total_value_cents", sa.BigInteger, nullable=False),
        sa.Column("line_count", sa.Integer, nullable=False),
        sa.Column("note", sa.String(200), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_stock_documents_kind_date", "stock_documents", ["kind", "posting_date"])
    op.create_table(
        "stock_document_lines",
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("line_no", sa.Integer, primary_key=True),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("warehouse", sa.String(40), nullable=False),
        sa.Column("location", sa.String(40), nullable=False),
        sa.Column("lot", sa.String(40), nullable=False),
        sa.Column("qty_micros", sa.BigInteger, nullable=False),
        sa.Column("value_cents", sa.BigInteger, nullable=False),
        sa.Column("order_line", sa.Integer, nullable=False),
        sa.Column("to_warehouse", sa.String(40), nullable=False),
        sa.Column("to_location", sa.String(40), nullable=False),
    )
    op.create_table(
        "orders",
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("party", sa.String(40), nullable=False),
        sa.Column("order_date", sa.Date, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_orders_kind_status", "orders", ["kind", "status"])
    op.create_table(
        "order_lines",
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("line_no", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("qty_micros", sa.BigInteger, nullable=False),
        sa.Column("unit_price", sa.String(24), nullable=False),
        sa.Column("vat_rate", sa.String(8), nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("warehouse", sa.String(40), nullable=False),
        sa.Column("delivered_micros", sa.BigInteger, nullable=False),
        sa.Column("returned_micros", sa.BigInteger, nullable=False),
        sa.Column("delivered_value_cents", sa.BigInteger, nullable=False),
        sa.Column("returned_value_cents", sa.BigInteger, nullable=False),
        sa.Column("reserved_micros", sa.BigInteger, nullable=False),
        sa.Column("last_delivery", sa.Date),
        sa.Column("completed_on", sa.Date),
    )
    op.create_index("ix_order_lines_due", "order_lines", ["kind", "due_date"])
    op.create_index("ix_order_lines_item", "order_lines", ["item"])


def downgrade() -> None:
    for name in [
        "order_lines",
        "orders",
        "stock_document_lines",
        "stock_documents",
        "stock_moves",
        "stock_bins",
        "stock_balances",
        "parties",
        "warehouse_locations",
        "warehouses",
        "items",
    ]:
        op.drop_table(name)
