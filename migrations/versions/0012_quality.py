"""Quality read models: inspection plans and their characteristics, inspection
lots with their measurements and defects, nonconformance reports and their
dispositions, held operations, supplier quality, item yields, flagged
purchase orders and quality alerts.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inspection_plans",
        sa.Column("item", sa.String(40), primary_key=True),
        sa.Column("stage", sa.String(12), primary_key=True),
        sa.Column("operation", sa.String(20), primary_key=True),
        sa.Column("version", sa.String(20), primary_key=True),
        sa.Column("effective_from", sa.Date, nullable=False),
        sa.Column("effective_to", sa.Date, nullable=True),
        sa.Column("method", sa.String(10), nullable=False),
        sa.Column("aql", sa.String(10), nullable=False),
        sa.Column("level", sa.String(4), nullable=False),
        sa.Column("sample_size", sa.Integer, nullable=False),
        sa.Column("accept", sa.Integer, nullable=False),
        sa.Column("blocks_next", sa.Boolean, nullable=False),
        sa.Column("description", sa.String(200), nullable=False),
    )
    op.create_table(
        "inspection_characteristics",
        sa.Column("item", sa.String(40), primary_key=True),
        sa.Column("stage", sa.String(12), primary_key=True),
        sa.Column("operation", sa.String(20), primary_key=True),
        sa.Column("version", sa.String(20), primary_key=True),
        sa.Column("code", sa.String(20), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("nominal", sa.String(40), nullable=True),
        sa.Column("lower", sa.String(40), nullable=True),
        sa.Column("upper", sa.String(40), nullable=True),
        sa.Column("unit", sa.String(10), nullable=False),
        sa.Column("decimals", sa.Integer, nullable=False),
        sa.Column("defect_codes", sa.String(1100), nullable=False),
    )
    op.create_table(
        "inspection_lots",
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("stage", sa.String(12), nullable=False),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("qty_micros", sa.BigInteger, nullable=False),
        sa.Column("warehouse", sa.String(40), nullable=False),
        sa.Column("location", sa.String(40), nullable=False),
        sa.Column("lot", sa.String(40), nullable=False),
        sa.Column("document", sa.String(20), nullable=False),
        sa.Column("doc_line", sa.Integer, nullable=False),
        sa.Column("supplier", sa.String(40), nullable=False),
        sa.Column("order_no", sa.String(20), nullable=False),
        sa.Column("order_line", sa.Integer, nullable=False),
        sa.Column("operation", sa.String(20), nullable=False),
        sa.Column("work_center", sa.String(40), nullable=False),
        sa.Column("value_cents", sa.BigInteger, nullable=False),
        sa.Column("reinspects", sa.String(20), nullable=False),
        sa.Column("first_lot", sa.String(20), nullable=False),
        sa.Column("plan_version", sa.String(20), nullable=False),
        sa.Column("code_letter", sa.String(2), nullable=False),
        sa.Column("plan_letter", sa.String(2), nullable=False),
        sa.Column("sample_size", sa.Integer, nullable=False),
        sa.Column("accept", sa.Integer, nullable=False),
        sa.Column("reject", sa.Integer, nullable=False),
        sa.Column("full_inspection", sa.Boolean, nullable=False),
        sa.Column("blocks_next", sa.Boolean, nullable=False),
        sa.Column("opened_on", sa.Date, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("inspected_on", sa.Date, nullable=True),
        sa.Column("nonconformities", sa.Integer, nullable=False),
        sa.Column("defective", sa.Integer, nullable=False),
        sa.Column("computed_verdict", sa.String(10), nullable=False),
        sa.Column("computed_accepted_micros", sa.BigInteger, nullable=False),
        sa.Column("verdict", sa.String(10), nullable=False),
        sa.Column("accepted_micros", sa.BigInteger, nullable=False),
        sa.Column("rejected_micros", sa.BigInteger, nullable=False),
        sa.Column("decided_on", sa.Date, nullable=True),
        sa.Column("overridden", sa.Boolean, nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("ncr", sa.String(20), nullable=False),
        sa.Column("release_document", sa.String(20), nullable=False),
        sa.Column("hours_micros", sa.BigInteger, nullable=False),
        sa.Column("appraisal_cents", sa.BigInteger, nullable=False),
        sa.Column("inspector", sa.String(64), nullable=False),
        sa.Column("conceded_micros", sa.BigInteger, nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_inspection_lots_item", "inspection_lots", ["item", "opened_on"])
    op.create_index("ix_inspection_lots_status", "inspection_lots", ["status", "stage"])
    op.create_table(
        "inspection_measurements",
        sa.Column("lot", sa.String(20), primary_key=True),
        sa.Column("characteristic", sa.String(20), primary_key=True),
        sa.Column("sample_no", sa.Integer, primary_key=True),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("inspected_on", sa.Date, nullable=False),
        sa.Column("value", sa.String(40), nullable=False),
        sa.Column("conforming", sa.Boolean, nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_inspection_measurements_item", "inspection_measurements",
                    ["item", "characteristic", "position"])
    op.create_table(
        "inspection_defects",
        sa.Column("lot", sa.String(20), primary_key=True),
        sa.Column("characteristic", sa.String(20), primary_key=True),
        sa.Column("defect_code", sa.String(20), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.create_table(
        "nonconformances",
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("origin", sa.String(12), nullable=False),
        sa.Column("inspection_lot", sa.String(20), nullable=False),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("qty_micros", sa.BigInteger, nullable=False),
        sa.Column("disposed_micros", sa.BigInteger, nullable=False),
        sa.Column("warehouse", sa.String(40), nullable=False),
        sa.Column("lot", sa.String(40), nullable=False),
        sa.Column("supplier", sa.String(40), nullable=False),
        sa.Column("order_no", sa.String(20), nullable=False),
        sa.Column("operation", sa.String(20), nullable=False),
        sa.Column("work_center", sa.String(40), nullable=False),
        sa.Column("defects", sa.String(400), nullable=False),
        sa.Column("description", sa.String(200), nullable=False),
        sa.Column("opened_on", sa.Date, nullable=False),
        sa.Column("cost_cents", sa.BigInteger, nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_nonconformances_item", "nonconformances", ["item", "opened_on"])
    op.create_table(
        "ncr_dispositions",
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("qty_micros", sa.BigInteger, nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("cost_cents", sa.BigInteger, nullable=False),
        sa.Column("document", sa.String(20), nullable=False),
        sa.Column("entry_id", sa.String(36), nullable=False),
        sa.Column("approver", sa.String(100), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("reinspection", sa.String(20), nullable=False),
        sa.Column("origin", sa.String(12), nullable=False),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("supplier", sa.String(40), nullable=False),
        sa.Column("work_center", sa.String(40), nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "operation_holds",
        sa.Column("work_order", sa.String(20), primary_key=True),
        sa.Column("operation", sa.String(20), primary_key=True),
        sa.Column("held_by", sa.String(20), primary_key=True),
        sa.Column("qty_micros", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "supplier_quality",
        sa.Column("supplier", sa.String(40), primary_key=True),
        sa.Column("lots", sa.Integer, nullable=False),
        sa.Column("accepted_lots", sa.Integer, nullable=False),
        sa.Column("flagged", sa.Boolean, nullable=False),
    )
    op.create_table(
        "yield_lots",
        sa.Column("item", sa.String(40), primary_key=True),
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("lot", sa.String(20), primary_key=True),
        sa.Column("qty_micros", sa.BigInteger, nullable=False),
        sa.Column("accepted_micros", sa.BigInteger, nullable=False),
        sa.Column("lost_micros", sa.BigInteger, nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "purchase_order_flags",
        sa.Column("order_no", sa.String(20), primary_key=True),
        sa.Column("supplier", sa.String(40), nullable=False),
        sa.Column("message", sa.String(400), nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "quality_alerts",
        sa.Column("position", sa.BigInteger, primary_key=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("subject", sa.String(40), nullable=False),
        sa.Column("message", sa.String(400), nullable=False),
        sa.Column("raised_at", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "quality_alerts",
        "purchase_order_flags",
        "yield_lots",
        "supplier_quality",
        "operation_holds",
        "ncr_dispositions",
        "nonconformances",
        "inspection_defects",
        "inspection_measurements",
        "inspection_lots",
        "inspection_characteristics",
        "inspection_plans",
    ):
        op.drop_table(table)
