"""discipline records with who decided and when they were erased; organisation flags the rules read; who voted on the commune's own levels

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("disciplines", "org_disciplines"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("decided_by", sa.String(length=200), server_default="", nullable=False)
            )
            batch_op.add_column(sa.Column("erased_on", sa.Date(), nullable=True))
    with op.batch_alter_table("org_evaluations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "member_degradation_disciplined", sa.Boolean(), server_default="0", nullable=False
            )
        )
        batch_op.add_column(sa.Column("tasks_late_share", sa.Double(), nullable=True))
        batch_op.add_column(sa.Column("voters_total", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("voters_present", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("org_evaluations", schema=None) as batch_op:
        batch_op.drop_column("voters_present")
        batch_op.drop_column("voters_total")
        batch_op.drop_column("tasks_late_share")
        batch_op.drop_column("member_degradation_disciplined")
    for table in ("org_disciplines", "disciplines"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("erased_on")
            batch_op.drop_column("decided_by")
