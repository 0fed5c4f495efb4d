"""Equipment: the register, machine states and counts, alerts, downtime
reasons, maintenance plans and orders, and rejected MQTT messages.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "equipment",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("work_center", sa.String(40), nullable=False),
        sa.Column("model", sa.String(60), nullable=False),
        sa.Column("serial", sa.String(60), nullable=False),
        sa.Column("installed_on", sa.Date),
        sa.Column("ideal_cycle_hours", sa.String(40), nullable=False),
        sa.Column("shifts", sa.String(400), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("spare_parts", sa.String(400), nullable=False),
        sa.Column("state", sa.String(24), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("state_at", sa.String(32), nullable=False),
        sa.Column("counted_micros", sa.BigInteger, nullable=False),
        sa.Column("good_micros", sa.BigInteger, nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "equipment_states",
        sa.Column("position", sa.BigInteger, primary_key=True),
        sa.Column("equipment", sa.String(40), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("state", sa.String(24), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("breakdown", sa.Boolean, nullable=False),
        sa.Column("message_id", sa.String(100), nullable=False),
    )
    op.create_index("ix_equipment_states_equipment_at", "equipment_states",
                    ["equipment", "at"])
    op.create_table(
        "equipment_counts",
        sa.Column("position", sa.BigInteger, primary_key=True),
        sa.Column("equipment", sa.String(40), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("total_micros", sa.BigInteger, nullable=False),
        sa.Column("good_micros", sa.BigInteger, nullable=False),
        sa.Column("message_id", sa.String(100), nullable=False),
    )
    op.create_index("ix_equipment_counts_equipment_at", "equipment_counts",
                    ["equipment", "at"])
    op.create_table(
        "equipment_alerts",
        sa.Column("position", sa.BigInteger, primary_key=True),
        sa.Column("equipment", sa.String(40), nullable=False),
        sa.Column("work_center", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("message", sa.String(400), nullable=False),
    )
    op.create_table(
        "downtime_reasons",
        sa.Column("code", sa.String(20), primary_key=True),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("breakdown", sa.Boolean, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
    )
    op.create_table(
        "maintenance_plans",
        sa.Column("equipment", sa.String(40), primary_key=True),
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("description", sa.String(200), nullable=False),
        sa.Column("every_days", sa.Integer, nullable=False),
        sa.Column("every_units_micros", sa.BigInteger, nullable=False),
        sa.Column("last_done_on", sa.Date),
        sa.Column("last_done_units_micros", sa.BigInteger, nullable=False),
        sa.Column("open_order", sa.String(20), nullable=False),
    )
    op.create_table(
        "maintenance_orders",
        sa.Column("number", sa.String(20), primary_key=True),
        sa.Column("equipment", sa.String(40), nullable=False),
        sa.Column("work_center", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("plan", sa.String(40), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("description", sa.String(200), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("opened_on", sa.Date, nullable=False),
        sa.Column("started_on", sa.Date),
        sa.Column("closed_on", sa.Date),
        sa.Column("note", sa.String(200), nullable=False),
        sa.Column("parts_cents", sa.BigInteger, nullable=False),
        sa.Column("labor_uh", sa.BigInteger, nullable=False),
        sa.Column("labor_cents", sa.BigInteger, nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_maintenance_orders_equipment", "maintenance_orders", ["equipment"])
    op.create_table(
        "maintenance_costs",
        sa.Column("position", sa.BigInteger, primary_key=True),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("document", sa.String(20), nullable=False),
        sa.Column("detail", sa.String(400), nullable=False),
        sa.Column("hours_uh", sa.BigInteger, nullable=False),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
        sa.Column("entry_id", sa.String(36), nullable=False),
        sa.Column("voucher_no", sa.String(16), nullable=False),
    )
    op.create_index("ix_maintenance_costs_number", "maintenance_costs", ["number"])
    op.create_table(
        "equipment_dead_letters",
        sa.Column("position", sa.BigInteger, primary_key=True),
        sa.Column("topic", sa.String(300), nullable=False),
        sa.Column("message_id", sa.String(100), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("received_at", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("equipment_dead_letters")
    op.drop_index("ix_maintenance_costs_number", table_name="maintenance_costs")
    op.drop_table("maintenance_costs")
    op.drop_index("ix_maintenance_orders_equipment", table_name="maintenance_orders")
    op.drop_table("maintenance_orders")
    op.drop_table("maintenance_plans")
    op.drop_table("downtime_reasons")
    op.drop_table("equipment_alerts")
    op.drop_index("ix_equipment_counts_equipment_at", table_name="equipment_counts")
    op.drop_table("equipment_counts")
    op.drop_index("ix_equipment_states_equipment_at", table_name="equipment_states")
    op.drop_table("equipment_states")
    op.drop_table("equipment")
