"""quarterly ratings of members (đánh giá, xếp loại theo quý)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 06:00:00

One row per period, member and quarter: the self-rating and the superior's, each points and/or
a level. Nothing is there before: existing periods have no quarterly ratings, and the rule
set's quarterly check leaves their members alone.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "quarter_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("self_score", sa.Float(), nullable=True),
        sa.Column("self_level", sa.String(length=12), nullable=True),
        sa.Column("superior_score", sa.Float(), nullable=True),
        sa.Column("superior_level", sa.String(length=12), nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_quarter_ratings_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["evaluation_periods.id"],
            name=op.f("fk_quarter_ratings_period_id_evaluation_periods"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarter_ratings")),
        sa.UniqueConstraint(
            "period_id", "member_id", "quarter", name=op.f("uq_quarter_ratings_period_id")
        ),
    )
    with op.batch_alter_table("quarter_ratings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_quarter_ratings_period_id"), ["period_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("quarter_ratings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quarter_ratings_period_id"))
    op.drop_table("quarter_ratings")
