"""users and their roles; a version on the evaluations for conflicting saves

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08 09:00:00

Who may do what where several people share one database (the province's office): ``users``
(a login, a full name, a role: "admin", "clerk" or "inspector", active or not, an optional
Argon2id password hash) and ``user_communes`` (the communes a clerk may write). No users: the
single-user program as before, nothing checked. And a ``version`` on ``member_evaluations``
and ``org_evaluations``, counted up by every save, so that a save made from an old reading is
refused instead of overwriting a colleague's (existing rows start at 1). Portable SQL only
(SQLite and PostgreSQL).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=60), nullable=False),
        sa.Column("full_name", sa.String(length=120), server_default="", nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=120), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("login", name=op.f("uq_users_login")),
    )
    op.create_table(
        "user_communes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("commune_code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_communes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_communes")),
        sa.UniqueConstraint("user_id", "commune_code", name=op.f("uq_user_communes_user_id")),
    )
    for table in ("member_evaluations", "org_evaluations"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), server_default="1", nullable=False)
            )


def downgrade() -> None:
    for table in ("org_evaluations", "member_evaluations"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
    op.drop_table("user_communes")
    op.drop_table("users")
