"""The province's side: a commune's report read, previewed, and stored or rejected.

- :func:`read_report_file` verifies and reads one ``.dgr`` (every problem a PackageError);
- :func:`plan_import` says what storing it would do: a new commune-year, or what changes
  against the report stored for that commune and year (figures, members whose level changed,
  the decision's number), or nothing at all (the very same report); writes nothing;
- :func:`apply_import` stores it in one transaction, audited with the importing user. A
  corrected report REPLACES the stored one of its commune and year and needs a reason;
- both writers check the acting user first (access.permissions.check_write: with users in the
  database a clerk stores only the reports of his communes, an inspector none);
- :func:`reject_report` is the hook for a window that refuses a report explicitly: the
  refusal and its reason are logged (and kept on the report's row when none is stored yet).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain import clock
from app.domain.formatting import format_date
from app.domain.text import clean
from app.domain.vocabulary import AuditAction
from app.services.access.permissions import check_write
from app.services.common.errors import ServiceError
from app.services.exchange.file_format import (
    PackageError,
    PackageNeedsPassword,
    read_signed_file,
)
from app.services.reports.file_format import MAX_BYTES, REPORT_KIND, decode, group_json
from app.services.reports.preview import (
    ACCEPTED,
    REJECTED,
    ImportKind,
    ImportPreview,
    LevelChange,
    existing_report,
    plan_import,
)
from app.services.reports.records import ReportPackage, summary_groups
from app.services.safekeeping import audit
from app.services.safekeeping.secure_file import Kind
from app.store.database import Database
from app.store.models import CommuneReport, ReportedMember, ReportedOrganization


def read_report_file(path: Path, password: str | None = None) -> ReportPackage:
    """Read and verify the report at *path*: a PackageError (Vietnamese) for a file that is
    missing, too large, not a report, damaged, changed after export, from a newer app, or of
    a year not decided. An encrypted report needs its *password*: without one,
    PackageNeedsPassword; with a wrong one (or a changed file), secure_file.WrongPassword."""
    path = Path(path)
    return decode(read_signed_file(path, password, REPORT_KIND, MAX_BYTES, Kind.REPORT), path)


# ---- storing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    commune_name: str
    year: int
    kind: ImportKind
    revision: int
    members: int
    organizations: int

    def describe(self) -> str:
        if self.kind is ImportKind.SAME:
            return (
                f"Báo cáo năm {self.year} của {self.commune_name} đã có đúng như vậy; không ghi gì."
            )
        done = "Đã thay thế" if self.kind is ImportKind.REPLACE else "Đã nhập"
        return (
            f"{done} báo cáo năm {self.year} của {self.commune_name}: {self.members} đảng viên, "
            f"{self.organizations} tổ chức đảng (lần nhập thứ {self.revision})."
        )


def _header(report: CommuneReport, package: ReportPackage, now: dt.datetime, actor: str) -> None:
    d = package.data
    report.commune_code = d.commune.code
    report.commune_name = d.commune.name
    report.place_name = d.commune.place
    report.superior_line = d.commune.superior
    report.year = d.year
    report.ruleset_id = d.ruleset_id
    report.ruleset_snapshot = d.ruleset_snapshot
    report.reference_date = d.reference_date
    report.decision_number = d.decision.number
    report.decision_issued_on = d.decision.issued_on
    report.decided_on = d.decision.decided_on
    report.decision_pdf = d.decision.pdf
    report.audit_count = d.audit_count
    report.audit_head = d.audit_head
    report.figures = {
        "members": group_json(d.figures.members),
        "organisations": group_json(d.figures.organisations),
    }
    report.checksum = package.checksum
    report.format_version = package.format_version
    report.app_version = package.app_version
    report.exported_at = package.exported_at
    report.exported_by = package.exported_by
    report.imported_at = now
    report.imported_by = actor


def _write_rows(session: Session, report_id: int, package: ReportPackage) -> None:
    d = package.data
    groups = summary_groups(d.organizations)
    org_rows = []
    for o in d.organizations:
        e = o.evaluation
        group, grassroots = groups[o.code]
        org_rows.append(
            {
                "report_id": report_id,
                "code": o.code,
                "name": o.name,
                "kind": o.kind,
                "parent_code": o.parent,
                "grassroots_code": grassroots,
                "summary_group": group,
                "in_period": e is not None,
                "evaluated": e.evaluated if e is not None else False,
                "level": e.level if e is not None else None,
                "not_classified_reason": e.not_classified_reason if e is not None else "",
                "low_level_reason": e.low_level_reason if e is not None else "",
                "collective_level": e.collective_level if e is not None else None,
            }
        )
    if org_rows:
        session.execute(insert(ReportedOrganization), org_rows)
    member_rows = [
        {
            "report_id": report_id,
            "code": m.code,
            "full_name": m.full_name,
            "cell_code": m.cell,
            "grassroots_code": groups[m.cell][1],
            "evaluated": m.evaluated,
            "level": m.level,
            "not_classified_reason": m.not_classified_reason,
            "not_classified_note": m.not_classified_note,
            "low_level_reason": m.low_level_reason,
            "score_general": m.score_general,
            "score_tasks": m.score_tasks,
            "quarterly_level": m.quarterly_level,
            "quarterly": m.quarterly,
        }
        for m in d.members
    ]
    if member_rows:
        session.execute(insert(ReportedMember), member_rows)


def _audit_view(report: CommuneReport | None) -> dict[str, Any] | None:
    if report is None:
        return None
    return {
        "commune": report.commune_code,
        "year": report.year,
        "status": report.status,
        "revision": report.revision,
        "checksum": report.checksum,
        "decision_number": report.decision_number,
        "audit_count": report.audit_count,
        "audit_head": report.audit_head,
        "figures": report.figures,
    }


_CHANGED_SINCE_PREVIEW = (
    "Báo cáo của đảng bộ này ở tỉnh đã thay đổi từ lúc xem trước (có người vừa nhập hoặc từ "
    "chối một báo cáo khác); hãy xem lại trước khi nhập."
)


def apply_import(
    db: Database, preview: ImportPreview, *, actor: str = "", reason: str = ""
) -> ImportResult:
    """Store the previewed report in one transaction, audited under *actor*: a new
    commune-year, or the replacement of the stored report (which needs a *reason*, logged).
    Nothing is written when the preview is out of date or the reason is missing."""
    package = preview.package
    d = package.data
    reason = clean(reason)
    if preview.kind is ImportKind.SAME:
        return ImportResult(d.commune.name, d.year, preview.kind, preview.existing_revision,
                            len(d.members), len(d.organizations))  # fmt: skip
    if preview.needs_reason and not reason:
        raise ServiceError(
            f"Tỉnh đã có báo cáo năm {d.year} của {d.commune.name}: nhập báo cáo sửa để thay "
            'thế phải ghi lý do (trên dòng lệnh: --reason "…").'
        )
    now = clock.now().replace(microsecond=0)
    try:
        with db.session() as session:
            # Who may store this commune's report: checked here, the window's and the command
            # line's way alike (no users in the database: everyone, as before).
            check_write(session, actor, d.commune.code)
            existing = existing_report(session, package)
            if (existing.checksum if existing else None) != preview.existing_checksum or (
                existing.status if existing else None
            ) != preview.existing_status:
                raise ServiceError(_CHANGED_SINCE_PREVIEW)
            before = _audit_view(existing)
            if existing is None:
                report = CommuneReport(status=ACCEPTED, revision=1)
                _header(report, package, now, actor)
                session.add(report)
                session.flush()
            else:
                report = existing
                for model in (ReportedMember, ReportedOrganization):
                    session.execute(delete(model).where(model.report_id == report.id))
                _header(report, package, now, actor)
                report.revision = existing.revision + 1
                report.status = ACCEPTED
                report.status_note = ""
                report.replaced_reason = reason if preview.needs_reason else ""
                session.flush()
            _write_rows(session, report.id, package)
            replacing = preview.kind is ImportKind.REPLACE
            summary = (
                f"{'Thay thế' if replacing else 'Nhập'} báo cáo năm {d.year} của "
                f"{d.commune.name} (mã {d.commune.code}): {len(d.members)} đảng viên, "
                f"{len(d.organizations)} tổ chức đảng" + (f"; lý do: {reason}" if replacing else "")
            )
            audit.record(
                session,
                actor=actor,
                action=AuditAction.REPLACE_REPORT if replacing else AuditAction.IMPORT_REPORT,
                entity="commune_report",
                entity_id=report.id,
                summary=summary,
                before=before,
                after={**(_audit_view(report) or {}), "reason": reason},
                at=now,
                commune=d.commune.code,
            )
            revision = report.revision
    except IntegrityError:
        raise ServiceError(_CHANGED_SINCE_PREVIEW) from None
    return ImportResult(d.commune.name, d.year, preview.kind, revision, len(d.members),
                        len(d.organizations))  # fmt: skip


def reject_report(db: Database, package: ReportPackage, reason: str, *, actor: str = "") -> str:
    """The province refuses *package* (a hook for the window): the refusal and its reason go
    into the audit log. A report the province already accepted for that commune and year
    stays as it is; where none is stored, a row with status "rejected" (and no members)
    records the refusal. Returns a sentence saying what was done."""
    reason = clean(reason)
    if not reason:
        raise ServiceError("Phải ghi lý do từ chối báo cáo.")
    d = package.data
    now = clock.now().replace(microsecond=0)
    with db.session() as session:
        check_write(session, actor, d.commune.code)
        existing = existing_report(session, package)
        if existing is None or existing.status != ACCEPTED:
            report = existing or CommuneReport(revision=0)
            _header(report, package, now, actor)
            report.status = REJECTED
            report.status_note = reason
            if existing is None:
                session.add(report)
            session.flush()
            entity_id = report.id
            kept = ""
        else:
            entity_id = existing.id
            kept = f"; tỉnh giữ báo cáo đã nhập ngày {format_date(existing.imported_at.date())}"
        audit.record(
            session,
            actor=actor,
            action=AuditAction.REJECT_REPORT,
            entity="commune_report",
            entity_id=entity_id,
            summary=f"Từ chối báo cáo năm {d.year} của {d.commune.name} (mã kiểm tra "
            f"{package.checksum.removeprefix('sha256:')[:16]}): {reason}{kept}",
            after={"checksum": package.checksum, "reason": reason},
            at=now,
            commune=d.commune.code,
        )  # fmt: skip
    return f"Đã từ chối báo cáo năm {d.year} của {d.commune.name}{kept}."


__all__ = [
    "ImportKind",
    "ImportPreview",
    "ImportResult",
    "LevelChange",
    "PackageError",
    "PackageNeedsPassword",
    "apply_import",
    "plan_import",
    "read_report_file",
    "reject_report",
]
