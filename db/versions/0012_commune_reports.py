"""the province's store of the communes' reports (báo cáo lên tỉnh)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 09:00:00

A commune reports its decided year to the province in one file (``danhgia report export``);
the province imports it (``danhgia report import``) into three new tables: the report itself,
one row per commune and year (``commune_reports``), and its organisations and members
(``reported_organizations``, ``reported_members``), counted by the province's summary in SQL.
Nothing is there before: no existing table changes. Portable SQL only (SQLite and PostgreSQL).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "commune_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_code", sa.String(length=40), nullable=False),
        sa.Column("commune_name", sa.String(length=200), nullable=False),
        sa.Column("place_name", sa.String(length=100), server_default="", nullable=False),
        sa.Column("superior_line", sa.String(length=200), server_default="", nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("ruleset_id", sa.String(length=60), nullable=False),
        sa.Column("ruleset_snapshot", sa.Text(), server_default="", nullable=False),
        sa.Column("reference_date", sa.Date(), nullable=True),
        sa.Column("decision_number", sa.String(length=40), nullable=True),
        sa.Column("decision_issued_on", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decision_pdf", sa.LargeBinary(), nullable=True),
        sa.Column("audit_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("audit_head", sa.String(length=64), server_default="", nullable=False),
        sa.Column("figures", sa.JSON(), server_default="{}", nullable=False),
        sa.Column("checksum", sa.String(length=80), nullable=False),
        sa.Column("format_version", sa.Integer(), nullable=False),
        sa.Column("app_version", sa.String(length=40), server_default="", nullable=False),
        sa.Column("exported_at", sa.DateTime(), nullable=True),
        sa.Column("exported_by", sa.String(length=120), server_default="", nullable=False),
        sa.Column("status", sa.String(length=20), server_default="accepted", nullable=False),
        sa.Column("status_note", sa.Text(), server_default="", nullable=False),
        sa.Column("revision", sa.Integer(), server_default="1", nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=120), server_default="", nullable=False),
        sa.Column("replaced_reason", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commune_reports")),
        sa.UniqueConstraint("commune_code", "year", name=op.f("uq_commune_reports_commune_code")),
    )
    with op.batch_alter_table("commune_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commune_reports_year"), ["year"], unique=False)
    op.create_table(
        "reported_organizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "dang_bo", "dang_bo_bo_phan", "chi_bo", name="orgkind", native_enum=False, length=24
            ),
            nullable=False,
        ),
        sa.Column("parent_code", sa.String(length=40), nullable=True),
        sa.Column("grassroots_code", sa.String(length=40), nullable=True),
        sa.Column("summary_group", sa.String(length=12), server_default="", nullable=False),
        sa.Column("in_period", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("evaluated", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("level", sa.String(length=12), nullable=True),
        sa.Column("not_classified_reason", sa.String(length=40), server_default="", nullable=False),
        sa.Column("low_level_reason", sa.String(length=40), server_default="", nullable=False),
        sa.Column("collective_level", sa.String(length=12), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["commune_reports.id"],
            name=op.f("fk_reported_organizations_report_id_commune_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reported_organizations")),
        sa.UniqueConstraint("report_id", "code", name=op.f("uq_reported_organizations_report_id")),
    )
    op.create_table(
        "reported_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("full_name", sa.String(length=120), nullable=False),
        sa.Column("cell_code", sa.String(length=40), nullable=False),
        sa.Column("grassroots_code", sa.String(length=40), nullable=True),
        sa.Column("evaluated", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("level", sa.String(length=12), nullable=True),
        sa.Column("not_classified_reason", sa.String(length=40), server_default="", nullable=False),
        sa.Column("not_classified_note", sa.String(length=300), server_default="", nullable=False),
        sa.Column("low_level_reason", sa.String(length=40), server_default="", nullable=False),
        sa.Column("score_general", sa.Float(), nullable=True),
        sa.Column("score_tasks", sa.Float(), nullable=True),
        sa.Column("quarterly_level", sa.String(length=12), nullable=True),
        sa.Column("quarterly", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["commune_reports.id"],
            name=op.f("fk_reported_members_report_id_commune_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reported_members")),
        sa.UniqueConstraint("report_id", "code", name=op.f("uq_reported_members_report_id")),
    )


def downgrade() -> None:
    op.drop_table("reported_members")
    op.drop_table("reported_organizations")
    with op.batch_alter_table("commune_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commune_reports_year"))
    op.drop_table("commune_reports")
