"""Production read models: work centers, operators, BOMs, routings, work orders,
operations, reports, completions, shortages and alerts.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "work_centers",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("capacity", sa.Integer, nullable=False),
        sa.Column("labor_rate", sa.String(24), nullable=False),
        sa.Column("overhead_rate", sa.String(24), nullable=False),
        sa.Column("shifts", sa.String(400), nullable=False),
        sa.Column("holidays", sa.String(2000), nullable=False),
    )
    op.create_table(
        "operators",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("work_centers", sa.String(400), nullable=False),
    )
    op.create_table(
        "bom_lines",
        sa.Column("item", sa.String(40), primary_key=True),
        sa.Column("version", sa.String(20), primary_key=True),
        sa.Column("line_no", sa.Integer, primary_key=True),
        sa.Column("component", sa.String(40), nullable=False),
        sa.Column("qty_per", sa.String(24), nullable=False),
        sa.Column("scrap_allowance", sa.String(24), nullable=False),
        sa.Column("issue_method", sa.String(10), nullable=False),
        sa.Column("operation", sa.String(10), nullable=False),
        sa.Column("effective_from", sa.Date, nullable=False),
        sa.Column("effective_to", sa.Date),
    )
    op.create_index("ix_bom_lines_component", "bom_lines", ["component"])
    op.create_table(
        "routing_operations",
        sa.Column("item", sa.String(40), primary_key=True),
        sa.Column("version", sa.String(20), primary_key=True),
        sa.Column("op_no", sa.String(10), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("work_center", sa.String(40), nullable=False),
        sa.Column("setup_hours", sa.String(24), nullable=False),
        sa.Column("run_hours_per_unit", sa.String(24), nullable=False),
        sa.Column("description", sa.String(100), nullable=False),
        sa.Column("effective_from", sa.Date, nullable=False),
        sa.Column("effective_to", sa.Date),
    )
    op.create_table(
        "work_orders",
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("qty_micros", sa.BigInteger, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("warehouse", sa.String(40), nullable=False),
        sa.Column("bom_version", sa.String(20), nullable=False),
        sa.Column("routing_version", sa.String(20), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("business_day", sa.Date, nullable=False),
        sa.Column("released_position", sa.BigInteger),
        sa.Column("completed_micros", sa.BigInteger, nullable=False),
        sa.Column("scrapped_micros", sa.BigInteger, nullable=False),
        sa.Column("completed_value_cents", sa.BigInteger, nullable=False),
        sa.Column("material_cents", sa.BigInteger, nullable=False),
        sa.Column("labor_cents", sa.BigInteger, nullable=False),
        sa.Column("overhead_cents", sa.BigInteger, nullable=False),
        sa.Column("variance_cents", sa.BigInteger, nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_work_orders_status_due", "work_orders", ["status", "due_date"])
    op.create_table(
        "work_order_materials",
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("line_no", sa.Integer, primary_key=True),
        sa.Column("component", sa.String(40), nullable=False),
        sa.Column("issue_method", sa.String(10), nullable=False),
        sa.Column("operation", sa.String(10), nullable=False),
        sa.Column("required_micros", sa.BigInteger, nullable=False),
        sa.Column("issued_micros", sa.BigInteger, nullable=False),
        sa.Column("returned_micros", sa.BigInteger, nullable=False),
        sa.Column("issued_value_cents", sa.BigInteger, nullable=False),
        sa.Column("returned_value_cents", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "work_order_operations",
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("op_no", sa.String(10), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("work_center", sa.String(40), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("setup_uh", sa.BigInteger, nullable=False),
        sa.Column("run_uh_per_unit", sa.BigInteger, nullable=False),
        sa.Column("good_micros", sa.BigInteger, nullable=False),
        sa.Column("scrap_micros", sa.BigInteger, nullable=False),
        sa.Column("rework_micros", sa.BigInteger, nullable=False),
        sa.Column("labor_uh", sa.BigInteger, nullable=False),
        sa.Column("machine_uh", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_work_order_operations_wc", "work_order_operations", ["work_center"])
    op.create_table(
        "work_order_shortages",
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("item", sa.String(40), primary_key=True),
        sa.Column("needed_micros", sa.BigInteger, nullable=False),
        sa.Column("available_micros", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "operation_reports",
        sa.Column("position", sa.BigInteger, primary_key=True),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("op_no", sa.String(10), nullable=False),
        sa.Column("work_center", sa.String(40), nullable=False),
        sa.Column("report_date", sa.Date, nullable=False),
        sa.Column("good_micros", sa.BigInteger, nullable=False),
        sa.Column("scrap_micros", sa.BigInteger, nullable=False),
        sa.Column("rework_micros", sa.BigInteger, nullable=False),
        sa.Column("scrap_reason", sa.String(200), nullable=False),
        sa.Column("labor_uh", sa.BigInteger, nullable=False),
        sa.Column("machine_uh", sa.BigInteger, nullable=False),
        sa.Column("operator", sa.String(40), nullable=False),
        sa.Column("equipment", sa.String(40), nullable=False),
        sa.Column("labor_cents", sa.BigInteger, nullable=False),
        sa.Column("overhead_cents", sa.BigInteger, nullable=False),
        sa.Column("scrap_cost_cents", sa.BigInteger, nullable=False),
        sa.Column("flagged", sa.String(200), nullable=False),
        sa.Column("entry_id", sa.String(36), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
    )
    op.create_index("ix_operation_reports_number", "operation_reports", ["number"])
    op.create_index(
        "ix_operation_reports_wc_date", "operation_reports", ["work_center", "report_date"]
    )
    op.create_table(
        "work_order_completions",
        sa.Column("position", sa.BigInteger, primary_key=True),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("document", sa.String(20), nullable=False),
        sa.Column("qty_micros", sa.BigInteger, nullable=False),
        sa.Column("value_cents", sa.BigInteger, nullable=False),
        sa.Column("lot", sa.String(40), nullable=False),
    )
    op.create_index("ix_work_order_completions_number", "work_order_completions", ["number"])
    op.create_table(
        "alerts",
        sa.Column("position", sa.BigInteger, primary_key=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("subject", sa.String(40), nullable=False),
        sa.Column("message", sa.String(400), nullable=False),
        sa.Column("raised_at", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    for name in [
        "alerts",
        "work_order_completions",
        "operation_reports",
        "work_order_shortages",
        "work_order_operations",
        "work_order_materials",
        "work_orders",
        "routing_operations",
        "bom_lines",
        "operators",
        "work_centers",
    ]:
        op.drop_table(name)
