"""Statement lines by account code (issue #15): the 利润表 其中 line or the
reclassified balance sheet line (14/28/40/45) each account feeds; and the
open parents (5602 … keep their own postings beside their sub-accounts).

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("ledger_accounts", sa.Column("statement_line", sa.Integer()))
    op.add_column("ledger_accounts", sa.Column("open_parent", sa.Boolean(), nullable=False,
                                               server_default="0"))


def downgrade() -> None:
    op.drop_column("ledger_accounts", "open_parent")
    op.drop_column("ledger_accounts", "statement_line")
