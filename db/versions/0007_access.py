"""the window's optional password (an Argon2id hash)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "access_control",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.Column("set_by", sa.String(length=100), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_control")),
    )


def downgrade() -> None:
    op.drop_table("access_control")
