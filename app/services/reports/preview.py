"""What storing a commune's report would do at the province, shown before anything is
written: a new commune-year; what changes against the report stored for that commune and year
(the figures, the members whose level changed or who came or went, the decision's number);
or nothing at all, the very report stored. Lines in Vietnamese for the window and the command
line; :func:`plan_import` writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.formatting import format_date, format_int
from app.domain.rules import RuleSet, Scale
from app.domain.text import clean
from app.services.reports.file_format import group_json
from app.services.reports.records import GroupCounts, ReportPackage
from app.services.summary import figures
from app.store.database import Database
from app.store.models import CommuneReport, ReportedMember

ACCEPTED, REJECTED = "accepted", "rejected"  # a report's status
MAX_LEVEL_CHANGES_SHOWN = 30


class ImportKind(StrEnum):
    NEW = "new"  # no report of this commune and year yet
    REPLACE = "replace"  # a report is stored: this one replaces it (a reason is required)
    SAME = "same"  # the very report stored (same checksum): nothing to do


@dataclass(frozen=True)
class LevelChange:
    """A member whose level differs from the stored report's (or who came or went)."""

    code: str
    full_name: str
    cell: str
    before: str  # the level's short name, "không xếp loại (lý do)", or "" (not in the report)
    after: str


@dataclass(frozen=True)
class ImportPreview:
    """What storing a report would do, in Vietnamese lines for the window and the command
    line; :func:`apply_import` takes it back to store the report."""

    package: ReportPackage
    kind: ImportKind
    existing_id: int | None
    existing_checksum: str | None
    existing_status: str | None
    existing_revision: int
    summary_lines: tuple[str, ...]
    figure_changes: tuple[str, ...]
    level_changes: tuple[LevelChange, ...]
    warnings: tuple[str, ...]

    @property
    def needs_reason(self) -> bool:
        return self.kind is ImportKind.REPLACE

    @property
    def changes(self) -> bool:
        return self.kind is not ImportKind.SAME

    @property
    def title(self) -> str:
        d = self.package.data
        return f"{d.commune.name} (mã {d.commune.code}), năm {d.year}"

    def lines(self) -> tuple[str, ...]:
        found = [*self.summary_lines]
        if self.kind is ImportKind.REPLACE:
            if self.figure_changes:
                found.append("Thay đổi so với báo cáo đã nhập:")
                found += [f"  - {c}" for c in self.figure_changes]
            else:
                found.append("Số liệu tổng hợp không đổi so với báo cáo đã nhập.")
            if self.level_changes:
                found.append(f"{len(self.level_changes)} đảng viên có thay đổi:")
                for c in self.level_changes[:MAX_LEVEL_CHANGES_SHOWN]:
                    before = c.before or "không có trong báo cáo trước"
                    after = c.after or "không còn trong báo cáo"
                    found.append(f"  - {c.code} {c.full_name} ({c.cell}): {before} → {after}")
                if len(self.level_changes) > MAX_LEVEL_CHANGES_SHOWN:
                    rest = len(self.level_changes) - MAX_LEVEL_CHANGES_SHOWN
                    found.append(f"  … và {rest} đảng viên khác")
            else:
                found.append("Không đảng viên nào đổi mức xếp loại.")
        found += [f"Lưu ý: {w}" for w in self.warnings]
        return tuple(found)


def _level_name(scale: Scale, code: str | None) -> str:
    if code is None:
        return "chưa có mức"
    return scale.get(code).short if code in scale else code


def _group_text(title: str, group: GroupCounts, scale: Scale) -> str:
    levels = ", ".join(
        f"{_level_name(scale, code)} {format_int(n)}"
        for code, n in group.levels
        if scale.get(code).counts_as is None or n
    )
    text = f"{title}: {format_int(group.total)}; được xếp loại {format_int(group.evaluated)}"
    text += f" ({levels})" if levels else ""
    not_evaluated = group.total - group.evaluated
    if not_evaluated:
        reasons = ", ".join(f"{label} {format_int(n)}" for label, n in group.not_evaluated)
        text += f"; không xếp loại {format_int(not_evaluated)}"
        text += f" ({reasons})" if reasons else ""
    return text + "."


def _decision_text(package: ReportPackage) -> str:
    d = package.data.decision
    if d.number:
        day = d.issued_on or d.decided_on
        return f"Quyết định số {d.number}" + (f" ngày {format_date(day)}" if day else "") + "."
    if d.decided_on:
        return f"Quyết định: ngày {format_date(d.decided_on)} (sổ văn bản của xã chưa ghi số)."
    return "Quyết định: báo cáo không ghi số và ngày quyết định."


def _summary_lines(package: ReportPackage, rs: RuleSet) -> list[str]:
    d = package.data
    lines = [
        f"Báo cáo năm {d.year} của {d.commune.name} (mã {d.commune.code}), xuất ngày "
        f"{format_date(package.exported_at.date())}"
        + (f" bởi {package.exported_by}" if package.exported_by else "")
        + ".",
        f"Bộ quy tắc: {d.ruleset_name} ({d.ruleset_id}). {_decision_text(package)}",
        _group_text("Đảng viên", d.figures.members, rs.member_levels),
    ]
    if d.figures.organisations is not None:
        lines.append(_group_text("Tổ chức đảng", d.figures.organisations, rs.org_levels))
    lines.append(f"Nhật ký thay đổi của xã: {format_int(d.audit_count)} mục.")
    if d.decision.pdf is not None:
        size = max(1, round(len(d.decision.pdf) / 1024))
        lines.append(f"Kèm bản quyết định đã ký (PDF, {format_int(size)} KB).")
    return lines


def _figure_changes(before: dict[str, Any], package: ReportPackage, rs: RuleSet) -> list[str]:
    changes: list[str] = []
    stated = package.data.figures
    for key, title, group, scale in (
        ("members", "Đảng viên", stated.members, rs.member_levels),
        ("organisations", "Tổ chức đảng", stated.organisations, rs.org_levels),
    ):
        old = before.get(key) or {}
        new = group_json(group) or {}
        for field, label in (("total", "tổng số"), ("evaluated", "được xếp loại")):
            if old.get(field) != new.get(field):
                changes.append(f"{title}, {label}: {old.get(field, 0)} → {new.get(field, 0)}")
        old_levels, new_levels = old.get("levels", {}), new.get("levels", {})
        for code in dict.fromkeys([*new_levels, *old_levels]):
            if old_levels.get(code, 0) != new_levels.get(code, 0):
                changes.append(
                    f"{title} {_level_name(scale, code)}: {old_levels.get(code, 0)} → "
                    f"{new_levels.get(code, 0)}"
                )
        old_reasons = {r["label"]: r["count"] for r in old.get("not_evaluated", [])}
        new_reasons = {r["label"]: r["count"] for r in new.get("not_evaluated", [])}
        for label in dict.fromkeys([*new_reasons, *old_reasons]):
            if old_reasons.get(label, 0) != new_reasons.get(label, 0):
                changes.append(
                    f"{title} không xếp loại, {label}: {old_reasons.get(label, 0)} → "
                    f"{new_reasons.get(label, 0)}"
                )
    return changes


def _member_state(rs: RuleSet, evaluated: bool, level: str | None, reason: str, note: str) -> str:
    if not evaluated:
        return f"không xếp loại ({figures.reason_label(rs, reason or 'other', note)})"
    return _level_name(rs.member_levels, level)


def _level_changes(
    session: Session, report_id: int, package: ReportPackage, rs: RuleSet
) -> list[LevelChange]:
    stored = {
        row.code: row
        for row in session.execute(
            select(
                ReportedMember.code,
                ReportedMember.full_name,
                ReportedMember.cell_code,
                ReportedMember.evaluated,
                ReportedMember.level,
                ReportedMember.not_classified_reason,
                ReportedMember.not_classified_note,
            ).where(ReportedMember.report_id == report_id)
        )
    }
    changes: list[LevelChange] = []
    for m in package.data.members:
        now = _member_state(
            rs, m.evaluated, m.level, m.not_classified_reason, m.not_classified_note
        )
        old = stored.pop(m.code, None)
        if old is None:
            changes.append(LevelChange(m.code, m.full_name, m.cell, "", now))
            continue
        was = _member_state(
            rs, old.evaluated, old.level, old.not_classified_reason, old.not_classified_note
        )
        if was != now:
            changes.append(LevelChange(m.code, m.full_name, m.cell, was, now))
    for old in stored.values():
        was = _member_state(
            rs, old.evaluated, old.level, old.not_classified_reason, old.not_classified_note
        )
        changes.append(LevelChange(old.code, old.full_name, old.cell_code, was, ""))
    return sorted(changes, key=lambda c: (c.cell, c.code))


def _warnings(
    session: Session, existing: CommuneReport | None, package: ReportPackage
) -> list[str]:
    d = package.data
    found: list[str] = []
    if existing is not None and existing.status == ACCEPTED:
        if d.audit_count < existing.audit_count:
            found.append(
                f"nhật ký thay đổi của xã nay có {format_int(d.audit_count)} mục, ít hơn "
                f"{format_int(existing.audit_count)} mục lúc báo cáo trước: nhật ký đã bị xóa "
                "bớt, hoặc báo cáo được xuất từ một bản sao cũ của dữ liệu."
            )
        elif d.audit_count == existing.audit_count and d.audit_head != existing.audit_head:
            found.append(
                "nhật ký thay đổi của xã có cùng số mục với lúc báo cáo trước nhưng khác mục "
                "cuối: nhật ký đã bị viết lại, hoặc đây là dữ liệu của một máy khác."
            )
    other = session.execute(
        select(CommuneReport.year, CommuneReport.commune_name)
        .where(
            CommuneReport.commune_code == d.commune.code,
            CommuneReport.year != d.year,
            CommuneReport.status == ACCEPTED,
        )
        .order_by(CommuneReport.year.desc())
        .limit(1)
    ).first()
    if other is not None and clean(other.commune_name) != d.commune.name:
        found.append(
            f"mã {d.commune.code} trong báo cáo năm {other.year} là “{other.commune_name}”, "
            f"nay là “{d.commune.name}”: hãy chắc đây là cùng một đảng bộ."
        )
    return found


def _decision_changes(existing: CommuneReport, package: ReportPackage) -> list[str]:
    d = package.data.decision
    changes = []
    if d.number != existing.decision_number:
        changes.append(
            f"Số quyết định: {existing.decision_number or 'chưa có'} → {d.number or 'chưa có'}"
        )
    for label, old, new in (
        ("Ngày ban hành quyết định", existing.decision_issued_on, d.issued_on),
        ("Ngày quyết định", existing.decided_on, d.decided_on),
    ):
        if old != new:
            changes.append(
                f"{label}: {format_date(old) if old else 'chưa có'} → "
                f"{format_date(new) if new else 'chưa có'}"
            )
    if (existing.decision_pdf is None) != (d.pdf is None) or (
        d.pdf is not None and existing.decision_pdf != d.pdf
    ):
        changes.append(
            "Bản quyết định đã ký: "
            + ("gửi kèm bản mới" if d.pdf is not None else "báo cáo mới không gửi kèm")
        )
    return changes


def existing_report(session: Session, package: ReportPackage) -> CommuneReport | None:
    d = package.data
    return session.scalar(
        select(CommuneReport).where(
            CommuneReport.commune_code == d.commune.code, CommuneReport.year == d.year
        )
    )


def plan_import(db: Database, package: ReportPackage) -> ImportPreview:
    """What storing *package* would do here; writes nothing."""
    rs = package.ruleset
    with db.session() as session:
        existing = existing_report(session, package)
        kind = ImportKind.NEW
        figure_changes: list[str] = []
        level_changes: list[LevelChange] = []
        summary = _summary_lines(package, rs)
        if existing is not None and existing.status == ACCEPTED:
            if existing.checksum == package.checksum:
                kind = ImportKind.SAME
                summary = [
                    f"Báo cáo năm {package.data.year} của {package.data.commune.name} này đã "
                    f"được nhập ngày {format_date(existing.imported_at.date())} (cùng mã kiểm "
                    "tra): không có gì thay đổi, không ghi gì."
                ]
            else:
                kind = ImportKind.REPLACE
                summary.insert(
                    0,
                    f"Tỉnh đã có báo cáo năm {package.data.year} của {existing.commune_name} "
                    f"(nhập ngày {format_date(existing.imported_at.date())}, lần "
                    f"{existing.revision}): báo cáo này sẽ THAY THẾ báo cáo đó, cần ghi lý do.",
                )
                figure_changes = _decision_changes(existing, package)
                figure_changes += _figure_changes(existing.figures or {}, package, rs)
                level_changes = _level_changes(session, existing.id, package, rs)
        elif existing is not None:
            summary.insert(
                0,
                f"Báo cáo trước của {existing.commune_name} năm {package.data.year} đã bị từ "
                f"chối ({existing.status_note or 'không ghi lý do'}); báo cáo này là báo cáo "
                "mới.",
            )
        else:
            summary.insert(0, f"Báo cáo mới: tỉnh chưa có báo cáo năm {package.data.year} "
                              f"của {package.data.commune.name}.")  # fmt: skip
        warnings = _warnings(session, existing, package) if kind is not ImportKind.SAME else []
        return ImportPreview(
            package=package,
            kind=kind,
            existing_id=existing.id if existing is not None else None,
            existing_checksum=existing.checksum if existing is not None else None,
            existing_status=existing.status if existing is not None else None,
            existing_revision=existing.revision if existing is not None else 0,
            summary_lines=tuple(summary),
            figure_changes=tuple(figure_changes),
            level_changes=tuple(level_changes),
            warnings=tuple(warnings),
        )
