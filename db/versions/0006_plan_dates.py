"""the commune's plan dates per step; a member's remedy of last year's shortcomings

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 01:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

PLAN_COLUMNS = ("self_review_due", "meeting_due", "appraisal_due", "decision_due")


def upgrade() -> None:
    with op.batch_alter_table("evaluation_periods", schema=None) as batch_op:
        for name in PLAN_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Date(), nullable=True))
    with op.batch_alter_table("member_evaluations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("remedy", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("member_evaluations", schema=None) as batch_op:
        batch_op.drop_column("remedy")
    with op.batch_alter_table("evaluation_periods", schema=None) as batch_op:
        for name in reversed(PLAN_COLUMNS):
            batch_op.drop_column(name)
