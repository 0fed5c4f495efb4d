"""Cash receipts and payments, AR/AP open items and their allocations.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "open_items",
        sa.Column("item_id", sa.String(36), primary_key=True),
        sa.Column("ledger", sa.String(10), nullable=False),
        sa.Column("account", sa.String(10), nullable=False),
        sa.Column("party", sa.String(40), nullable=False),
        sa.Column("document_kind", sa.String(40), nullable=False),
        sa.Column("document", sa.String(64), nullable=False),
        sa.Column("document_date", sa.Date, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
        sa.Column("settled_cents", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_open_items_ledger_document", "open_items", ["ledger", "document"],
                    unique=True)
    op.create_index("ix_open_items_party", "open_items", ["party"])
    op.create_table(
        "open_item_settlements",
        sa.Column("item_id", sa.String(36), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("by_document", sa.String(64), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_open_item_settlements_by_document", "open_item_settlements",
                    ["by_document"])
    op.create_table(
        "cash_documents",
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("posting_date", sa.Date, nullable=False),
        sa.Column("party", sa.String(40), nullable=False),
        sa.Column("bank_account", sa.String(10), nullable=False),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
        sa.Column("prepayment_cents", sa.BigInteger, nullable=False),
        sa.Column("vat_cents", sa.BigInteger, nullable=False),
        sa.Column("credit_document", sa.String(64), nullable=False),
        sa.Column("payee", sa.String(100), nullable=False),
        sa.Column("reference", sa.String(100), nullable=False),
        sa.Column("memo", sa.String(200), nullable=False),
        sa.Column("entry_id", sa.String(36), nullable=False),
        sa.Column("voucher_no", sa.String(16), nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_cash_documents_party", "cash_documents", ["party"])
    op.create_table(
        "cash_document_lines",
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("line_no", sa.Integer, primary_key=True),
        sa.Column("document", sa.String(64), nullable=False),
        sa.Column("account", sa.String(10), nullable=False),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
        sa.Column("memo", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("cash_document_lines")
    op.drop_index("ix_cash_documents_party", table_name="cash_documents")
    op.drop_table("cash_documents")
    op.drop_index("ix_open_item_settlements_by_document", table_name="open_item_settlements")
    op.drop_table("open_item_settlements")
    op.drop_index("ix_open_items_party", table_name="open_items")
    op.drop_index("ix_open_items_ledger_document", table_name="open_items")
    op.drop_table("open_items")
