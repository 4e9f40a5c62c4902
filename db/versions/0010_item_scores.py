"""a period's criteria set (id and exact TOML text); scores item by item

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 09:00:00

A period keeps the criteria set it scores by as it keeps its rule set: the id and the file's
text. Periods already there get none (NULL, ""): their two sub-scores stay typed in, as before.
Each item's entry for a subject at a stage (the self-review, the chi ủy's assessment) is a row
of ``item_scores``, one per period, subject, stage and item.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("evaluation_periods", schema=None) as batch_op:
        batch_op.add_column(sa.Column("criteria_id", sa.String(length=60), nullable=True))
        batch_op.add_column(
            sa.Column("criteria_snapshot", sa.Text(), server_default="", nullable=False)
        )
    op.create_table(
        "item_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("subject_kind", sa.String(length=12), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=12), nullable=False),
        sa.Column("item_key", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["evaluation_periods.id"],
            name=op.f("fk_item_scores_period_id_evaluation_periods"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_scores")),
        sa.UniqueConstraint(
            "period_id",
            "subject_kind",
            "subject_id",
            "stage",
            "item_key",
            name=op.f("uq_item_scores_period_id"),
        ),
    )
    with op.batch_alter_table("item_scores", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_item_scores_period_id"), ["period_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("item_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_scores_period_id"))
    op.drop_table("item_scores")
    with op.batch_alter_table("evaluation_periods", schema=None) as batch_op:
        batch_op.drop_column("criteria_snapshot")
        batch_op.drop_column("criteria_id")
