"""evaluations: organisations and members per period, every stage side by side

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 21:08:59.890524
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "member_evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("evaluated", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("votes", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("not_classified_reason", sa.String(length=40), server_default="", nullable=False),
        sa.Column("not_classified_note", sa.String(length=300), server_default="", nullable=False),
        sa.Column("self_level", sa.String(length=12), nullable=True),
        sa.Column("self_score_general", sa.Double(), nullable=True),
        sa.Column("self_score_tasks", sa.Double(), nullable=True),
        sa.Column("self_review", sa.Text(), server_default="", nullable=False),
        sa.Column("degradation", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("tasks_below_half", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("state_level", sa.String(length=12), nullable=True),
        sa.Column("all_tasks_on_time", sa.Boolean(), nullable=True),
        sa.Column("tasks_exceeded_share", sa.Double(), nullable=True),
        sa.Column("shortcomings_remedied", sa.Boolean(), nullable=True),
        sa.Column("facts_note", sa.Text(), server_default="", nullable=False),
        sa.Column("shortcomings", sa.Text(), server_default="", nullable=False),
        sa.Column("comments", sa.Text(), server_default="", nullable=False),
        sa.Column("vote_counts", sa.JSON(), server_default="{}", nullable=False),
        sa.Column("vote_level", sa.String(length=12), nullable=True),
        sa.Column("proposed_level", sa.String(length=12), nullable=True),
        sa.Column("proposal_note", sa.Text(), server_default="", nullable=False),
        sa.Column("decided_level", sa.String(length=12), nullable=True),
        sa.Column("decision_reason", sa.Text(), server_default="", nullable=False),
        sa.Column("low_level_reason", sa.String(length=40), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_evaluations_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_member_evaluations_org_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["evaluation_periods.id"],
            name=op.f("fk_member_evaluations_period_id_evaluation_periods"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_evaluations")),
        sa.UniqueConstraint("period_id", "member_id", name=op.f("uq_member_evaluations_period_id")),
    )
    with op.batch_alter_table("member_evaluations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_evaluations_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_member_evaluations_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_member_evaluations_period_id"), ["period_id"], unique=False
        )

    op.create_table(
        "org_evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=12), server_default="org", nullable=False),
        sa.Column("step", sa.String(length=20), server_default="chuan_bi", nullable=False),
        sa.Column("evaluated", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("not_classified_reason", sa.String(length=40), server_default="", nullable=False),
        sa.Column("disunity", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("tasks_below_half", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("government_lowest", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("mass_orgs_lowest", sa.Integer(), server_default="0", nullable=False),
        sa.Column("facts_note", sa.Text(), server_default="", nullable=False),
        sa.Column("score_general", sa.Double(), nullable=True),
        sa.Column("score_tasks", sa.Double(), nullable=True),
        sa.Column("score", sa.Double(), nullable=True),
        sa.Column("all_tasks_on_time", sa.Boolean(), nullable=True),
        sa.Column("tasks_exceeded_share", sa.Double(), nullable=True),
        sa.Column("shortcomings_remedied", sa.Boolean(), nullable=True),
        sa.Column("self_level", sa.String(length=12), nullable=True),
        sa.Column("self_assessment", sa.Text(), server_default="", nullable=False),
        sa.Column("vote_counts", sa.JSON(), server_default="{}", nullable=False),
        sa.Column("vote_level", sa.String(length=12), nullable=True),
        sa.Column("proposed_level", sa.String(length=12), nullable=True),
        sa.Column("proposal_note", sa.Text(), server_default="", nullable=False),
        sa.Column("decided_level", sa.String(length=12), nullable=True),
        sa.Column("decision_reason", sa.Text(), server_default="", nullable=False),
        sa.Column("low_level_reason", sa.String(length=40), server_default="", nullable=False),
        sa.Column("returned_reason", sa.Text(), server_default="", nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("locked", sa.Boolean(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_org_evaluations_org_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["evaluation_periods.id"],
            name=op.f("fk_org_evaluations_period_id_evaluation_periods"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_evaluations")),
        sa.UniqueConstraint(
            "period_id", "org_id", "subject", name=op.f("uq_org_evaluations_period_id")
        ),
    )
    with op.batch_alter_table("org_evaluations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_evaluations_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_org_evaluations_period_id"), ["period_id"], unique=False
        )

    with op.batch_alter_table("org_disciplines", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("of_collective", sa.Boolean(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("org_disciplines", schema=None) as batch_op:
        batch_op.drop_column("of_collective")

    with op.batch_alter_table("org_evaluations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_evaluations_period_id"))
        batch_op.drop_index(batch_op.f("ix_org_evaluations_org_id"))

    op.drop_table("org_evaluations")
    with op.batch_alter_table("member_evaluations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_evaluations_period_id"))
        batch_op.drop_index(batch_op.f("ix_member_evaluations_org_id"))
        batch_op.drop_index(batch_op.f("ix_member_evaluations_member_id"))

    op.drop_table("member_evaluations")
