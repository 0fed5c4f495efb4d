"""Short-closed orders (短交关闭): the reason, and what each line gave up.

Revision ID: 0017
Revises: 0016
Create Date: 2027-01-31
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("orders", sa.Column("close_reason", sa.String(200), nullable=False,
                                      server_default=""))
    op.add_column("order_lines", sa.Column("short_closed_micros", sa.BigInteger,
                                           nullable=False, server_default="0"))


def downgrade() -> None:
    op.drop_column("order_lines", "short_closed_micros")
    op.drop_column("orders", "close_reason")
