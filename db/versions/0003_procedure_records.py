"""procedure records: meetings, attendance, audit log; period deadline and window; member response

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 21:30:47.469786
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=120), server_default="", nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("period_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), server_default="", nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("previous_hash", sa.String(length=64), server_default="", nullable=False),
        sa.Column("hash", sa.String(length=64), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_period_id"), ["period_id"], unique=False)

    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_evaluation_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), server_default="1", nullable=False),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("starts_at", sa.Time(), nullable=True),
        sa.Column("ends_at", sa.Time(), nullable=True),
        sa.Column("place", sa.String(length=200), server_default="", nullable=False),
        sa.Column("chair_id", sa.Integer(), nullable=True),
        sa.Column("secretary_id", sa.Integer(), nullable=True),
        sa.Column("upper_attendee", sa.String(length=120), server_default="", nullable=False),
        sa.Column("upper_attendee_post", sa.String(length=200), server_default="", nullable=False),
        sa.Column(
            "voting_method", sa.String(length=20), server_default="bo_phieu_kin", nullable=False
        ),
        sa.Column("tally_committee", sa.JSON(), server_default="[]", nullable=False),
        sa.Column("ballots_issued", sa.Integer(), nullable=True),
        sa.Column("ballots_returned", sa.Integer(), nullable=True),
        sa.Column("ballots_valid", sa.Integer(), nullable=True),
        sa.Column("report_summary", sa.Text(), server_default="", nullable=False),
        sa.Column("upper_remarks", sa.Text(), server_default="", nullable=False),
        sa.Column("conclusion", sa.Text(), server_default="", nullable=False),
        sa.Column("approval_agree", sa.Integer(), nullable=True),
        sa.Column("approval_total", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["chair_id"],
            ["members.id"],
            name=op.f("fk_meetings_chair_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_evaluation_id"],
            ["org_evaluations.id"],
            name=op.f("fk_meetings_org_evaluation_id_org_evaluations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["secretary_id"],
            ["members.id"],
            name=op.f("fk_meetings_secretary_id_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint(
            "org_evaluation_id", "round", name=op.f("uq_meetings_org_evaluation_id")
        ),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meetings_org_evaluation_id"), ["org_evaluation_id"], unique=False
        )

    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("present", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("absence_reason", sa.String(length=200), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_attendance_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_attendance_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
        sa.UniqueConstraint("meeting_id", "member_id", name=op.f("uq_attendance_meeting_id")),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attendance_meeting_id"), ["meeting_id"], unique=False)

    with op.batch_alter_table("evaluation_periods", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deadline", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("opens_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("closes_on", sa.Date(), nullable=True))

    with op.batch_alter_table("member_evaluations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("response", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("member_evaluations", schema=None) as batch_op:
        batch_op.drop_column("response")

    with op.batch_alter_table("evaluation_periods", schema=None) as batch_op:
        batch_op.drop_column("closes_on")
        batch_op.drop_column("opens_on")
        batch_op.drop_column("deadline")

    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_meeting_id"))

    op.drop_table("attendance")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meetings_org_evaluation_id"))

    op.drop_table("meetings")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_period_id"))

    op.drop_table("audit_log")
