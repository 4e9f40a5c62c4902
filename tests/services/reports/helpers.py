"""Steps the report tests share: export a commune's year, store a report at the province,
compare figures, and rewrite a report's content as a hostile or mistaken sender would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.services.reports import importer, preview
from app.services.reports.export import export_report
from app.services.reports.file_format import encode
from app.services.summary.figures import GroupFigures
from app.store.database import Database
from app.store.models import (
    AuditEntry,
    CommuneReport,
    EvaluationPeriod,
    Member,
    MemberEvaluation,
    ReportedMember,
    ReportedOrganization,
)

ACTOR = "btc-tinh"
PASSWORD = "Mật khẩu báo cáo tỉnh 2025!"


def export(path: Path, year: int, out: Path, **options: Any) -> Path:
    """Export *year* of the commune database at *path* to *out*."""
    with Database.open(path) as db:
        return export_report(db, year, out, actor="van-phong-dang-uy", **options).path


def store(db: Database, file: Path, *, reason: str = "", password: str | None = None) -> Any:
    plan = preview.plan_import(db, importer.read_report_file(file, password))
    return importer.apply_import(db, plan, actor=ACTOR, reason=reason)


def figures_of(group: GroupFigures | None) -> tuple[Any, ...]:
    """A group's figures as plain data: totals, every level, every reason that counts."""
    assert group is not None
    return (
        group.total,
        group.evaluated,
        group.pending,
        {f.code: group.count(f.code) for f in group.levels}
        | {f.of_which.code: f.of_which.count for f in group.levels if f.of_which is not None},
        {r.label: r.count for r in group.not_evaluated if r.count},
    )


def content_of(file: Path) -> dict[str, Any]:
    document = json.loads(file.read_bytes().decode("utf-8"))
    return document["content"]


def rewrite(file: Path, content: dict[str, Any], format_version: int | None = None) -> Path:
    """*file* with *content*, written in the exact form with a checksum that holds."""
    file.write_bytes(encode(content) if format_version is None else encode(content, format_version))
    return file


def change_levels(path: Path, year: int, frm: str, to: str, how_many: int) -> list[str]:
    """Change the decided level of *how_many* members of the commune's *year* (a correction
    the commune made after reopening the year); their codes."""
    with Database.open(path) as db:
        return correct_levels(db, year, frm, to, how_many)


def correct_levels(db: Database, year: int, frm: str, to: str, how_many: int) -> list[str]:
    """``change_levels`` on a database already open (a window's)."""
    with db.session() as session:
        rows = session.execute(
            select(MemberEvaluation, Member.code)
            .join(Member, Member.id == MemberEvaluation.member_id)
            .join(EvaluationPeriod, EvaluationPeriod.id == MemberEvaluation.period_id)
            .where(EvaluationPeriod.year == year, MemberEvaluation.decided_level == frm)
            .order_by(Member.code)
            .limit(how_many)
        ).all()
        for evaluation, _code in rows:
            evaluation.decided_level = to
        return [code for _e, code in rows]


def written(db: Database) -> dict[str, Any]:
    """What the province has stored, read through the database's own engine (SQLite or a
    server): the rows of each table the reports touch, and each report as stored. Two equal
    results: nothing was written in between."""
    with db.session() as session:
        found: dict[str, Any] = {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (CommuneReport, ReportedOrganization, ReportedMember, AuditEntry)
        }
        found["reports"] = session.execute(
            select(CommuneReport.commune_code, CommuneReport.year, CommuneReport.checksum,
                   CommuneReport.revision, CommuneReport.status, CommuneReport.imported_at)
            .order_by(CommuneReport.id)
        ).all()  # fmt: skip
        found["levels"] = session.execute(
            select(ReportedMember.report_id, ReportedMember.level, func.count())
            .group_by(ReportedMember.report_id, ReportedMember.level)
            .order_by(ReportedMember.report_id, ReportedMember.level)
        ).all()
    return found
