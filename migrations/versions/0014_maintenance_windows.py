"""Maintenance orders' planned windows (the time the work stops the machine,
kept free by finite scheduling).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for name in ("planned_start", "planned_end"):
        op.add_column("maintenance_orders",
                      sa.Column(name, sa.String(32), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("maintenance_orders") as batch:
        batch.drop_column("planned_end")
        batch.drop_column("planned_start")
