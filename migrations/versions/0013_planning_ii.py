"""Planning II (issue 17): the company's planning settings, the working
calendars (the company's and each work center's holidays and working days),
MRP's pegged scheduled receipts, the monthly plans' daily work orders and
the saved schedules.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "planning_settings",
        sa.Column("name", sa.String(20), primary_key=True),
        sa.Column("expedite_horizon_days", sa.Integer, nullable=False),
    )
    op.create_table(
        "working_calendar_days",
        sa.Column("scope", sa.String(40), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("working", sa.Boolean, nullable=False),
    )
    op.create_table(
        "mrp_receipts",
        sa.Column("run", sa.String(20), primary_key=True),
        sa.Column("ref", sa.String(64), primary_key=True),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("qty_micros", sa.BigInteger, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("available_date", sa.Date, nullable=False),
    )
    op.create_table(
        "mrp_receipt_pegs",
        sa.Column("run", sa.String(20), primary_key=True),
        sa.Column("ref", sa.String(64), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("demand", sa.String(64), nullable=False),
        sa.Column("top", sa.String(64), nullable=False),
        sa.Column("qty_micros", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_mrp_receipt_pegs_top", "mrp_receipt_pegs", ["top"])
    op.create_table(
        "daily_work_orders",
        sa.Column("work_order", sa.String(20), primary_key=True),
        sa.Column("plan", sa.String(20), nullable=False),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
    )
    _schedules()


def _schedules() -> None:
    op.create_table(
        "schedule_runs",
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("start", sa.DateTime, nullable=False),
        sa.Column("mode", sa.String(10), nullable=False),
        sa.Column("status", sa.String(300), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("based_on", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "scheduled_operations",
        sa.Column("run", sa.String(20), primary_key=True),
        sa.Column("order_ref", sa.String(32), primary_key=True),
        sa.Column("op_no", sa.String(10), primary_key=True),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("work_center", sa.String(40), nullable=False),
        sa.Column("unit", sa.Integer, nullable=False),
        sa.Column("operator", sa.String(40), nullable=False),
        sa.Column("start", sa.DateTime, nullable=False),
        sa.Column("end", sa.DateTime, nullable=False),
        sa.Column("due", sa.Date, nullable=False),
    )
    op.create_table(
        "schedule_late_orders",
        sa.Column("run", sa.String(20), primary_key=True),
        sa.Column("order_ref", sa.String(32), primary_key=True),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("finish", sa.DateTime, nullable=False),
        sa.Column("lateness_days", sa.Integer, nullable=False),
        sa.Column("lateness_uh", sa.BigInteger, nullable=False),
        sa.Column("working_uh", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "schedule_moves",
        sa.Column("run", sa.String(20), primary_key=True),
        sa.Column("order_ref", sa.String(32), primary_key=True),
        sa.Column("op_no", sa.String(10), primary_key=True),
        sa.Column("work_center", sa.String(40), nullable=False),
        sa.Column("old_unit", sa.Integer, nullable=False),
        sa.Column("old_start", sa.DateTime, nullable=False),
        sa.Column("old_end", sa.DateTime, nullable=False),
        sa.Column("new_unit", sa.Integer, nullable=False),
        sa.Column("new_start", sa.DateTime, nullable=False),
        sa.Column("new_end", sa.DateTime, nullable=False),
    )
    op.create_table(
        "schedule_breakdowns",
        sa.Column("run", sa.String(20), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("work_center", sa.String(40), nullable=False),
        sa.Column("start", sa.DateTime, nullable=False),
        sa.Column("end", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    for table in ("schedule_breakdowns", "schedule_moves", "schedule_late_orders",
                  "scheduled_operations", "schedule_runs", "daily_work_orders"):
        op.drop_table(table)
    op.drop_index("ix_mrp_receipt_pegs_top", "mrp_receipt_pegs")
    op.drop_table("mrp_receipt_pegs")
    op.drop_table("mrp_receipts")
    op.drop_table("working_calendar_days")
    op.drop_table("planning_settings")
