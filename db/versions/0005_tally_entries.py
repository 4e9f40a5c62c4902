"""two tellers' tally entries; the province's decision on an organisation

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 02:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tally_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("teller", sa.Integer(), nullable=False),
        sa.Column("teller_name", sa.String(length=120), server_default="", nullable=False),
        sa.Column("subject_kind", sa.String(length=12), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("counts", sa.JSON(), server_default="{}", nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_tally_entries_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tally_entries")),
        sa.UniqueConstraint(
            "meeting_id",
            "teller",
            "subject_kind",
            "subject_id",
            name=op.f("uq_tally_entries_meeting_id"),
        ),
    )
    with op.batch_alter_table("tally_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tally_entries_meeting_id"), ["meeting_id"])
    with op.batch_alter_table("org_evaluations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("province_level", sa.String(length=12), nullable=True))
        batch_op.add_column(
            sa.Column("province_note", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("province_decided_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("org_evaluations", schema=None) as batch_op:
        batch_op.drop_column("province_decided_on")
        batch_op.drop_column("province_note")
        batch_op.drop_column("province_level")
    with op.batch_alter_table("tally_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tally_entries_meeting_id"))
    op.drop_table("tally_entries")
