"""initial schema: organisations, members and their histories, evaluation periods

Revision ID: 0001
Revises:
Create Date: 2026-11-25 20:47:48.997518
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evaluation_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("ruleset_id", sa.String(length=60), nullable=False),
        sa.Column("ruleset_snapshot", sa.Text(), server_default="", nullable=False),
        sa.Column("reference_date", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=20), server_default="open", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_periods")),
        sa.UniqueConstraint("year", name=op.f("uq_evaluation_periods_year")),
    )
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("full_name", sa.String(length=120), nullable=False),
        sa.Column("name_key", sa.String(length=240), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column(
            "gender",
            sa.Enum("nam", "nu", name="gender", native_enum=False, length=24),
            nullable=True,
        ),
        sa.Column("card_number", sa.String(length=40), server_default="", nullable=False),
        sa.Column("admitted_on", sa.Date(), nullable=True),
        sa.Column("official_on", sa.Date(), nullable=True),
        sa.Column(
            "form_category",
            sa.Enum("2A", "2B", "2C", name="formcategory", native_enum=False, length=24),
            server_default="2C",
            nullable=False,
        ),
        sa.Column("is_civil_servant", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint("code", name=op.f("uq_members_code")),
    )
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_members_name_key"), ["name_key"], unique=False)

    op.create_table(
        "organizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "dang_bo", "dang_bo_bo_phan", "chi_bo", name="orgkind", native_enum=False, length=24
            ),
            nullable=False,
        ),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("place_name", sa.String(length=100), server_default="", nullable=False),
        sa.Column("superior_line", sa.String(length=200), server_default="", nullable=False),
        sa.Column("established_on", sa.Date(), nullable=True),
        sa.Column("dissolved_on", sa.Date(), nullable=True),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["organizations.id"],
            name=op.f("fk_organizations_parent_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
        sa.UniqueConstraint("code", name=op.f("uq_organizations_code")),
    )
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organizations_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "cell_memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=200), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_cell_memberships_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_cell_memberships_org_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cell_memberships")),
    )
    with op.batch_alter_table("cell_memberships", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cell_memberships_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_cell_memberships_org_id"), ["org_id"], unique=False)

    op.create_table(
        "disciplines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column(
            "form",
            sa.Enum(
                "khien_trach",
                "canh_cao",
                "cach_chuc",
                "khai_tru",
                name="disciplineform",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("self_detected_remedied", sa.Boolean(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_disciplines_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disciplines")),
    )
    with op.batch_alter_table("disciplines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_disciplines_member_id"), ["member_id"], unique=False)

    op.create_table(
        "member_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "mien_sinh_hoat",
                "dinh_chi",
                "nghi_om",
                "nghi_thai_san",
                "sinh_hoat_tam_thoi",
                name="periodkind",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=300), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_periods_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_periods")),
    )
    with op.batch_alter_table("member_periods", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_periods_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "org_disciplines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column(
            "form",
            sa.Enum(
                "khien_trach",
                "canh_cao",
                "cach_chuc",
                "khai_tru",
                name="disciplineform",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_org_disciplines_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_disciplines")),
    )
    with op.batch_alter_table("org_disciplines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_disciplines_org_id"), ["org_id"], unique=False)

    op.create_table(
        "post_holdings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("dang", "khac", name="postkind", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_post_holdings_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_holdings")),
    )
    with op.batch_alter_table("post_holdings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_post_holdings_member_id"), ["member_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("post_holdings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_post_holdings_member_id"))

    op.drop_table("post_holdings")
    with op.batch_alter_table("org_disciplines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_disciplines_org_id"))

    op.drop_table("org_disciplines")
    with op.batch_alter_table("member_periods", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_periods_member_id"))

    op.drop_table("member_periods")
    with op.batch_alter_table("disciplines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_disciplines_member_id"))

    op.drop_table("disciplines")
    with op.batch_alter_table("cell_memberships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cell_memberships_org_id"))
        batch_op.drop_index(batch_op.f("ix_cell_memberships_member_id"))

    op.drop_table("cell_memberships")
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organizations_parent_id"))

    op.drop_table("organizations")
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_members_name_key"))

    op.drop_table("members")
    op.drop_table("evaluation_periods")
