"""The commune's side: its decided year written as one report file for the province.

Only a decided year is reported (the period "Đã quyết định" or "Đã báo cáo"): its levels are
the commune's decision and no longer change. Exporting reads only: the database is left as
it was, and a commune may export again as often as it likes (the province keeps the last
report it accepted, replaced with a logged reason).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import __version__
from app.domain import clock
from app.domain.procedure import PeriodState
from app.domain.quarters import Derivation, derive_year
from app.domain.rules import RuleSet
from app.domain.rules.checks_quarters import ruleset_quarter_rule, score_thresholds
from app.domain.vocabulary import OrgKind
from app.services.common.atomic import write_bytes_atomically
from app.services.common.errors import ServiceError, describe_os_error
from app.services.periods import rule_sets as rulesets
from app.services.periods.facts import quarter_ratings
from app.services.periods.lifecycle import find
from app.services.reports.file_format import MAX_BYTES, MAX_PDF, content_json, encode
from app.services.reports.importer import read_report_file
from app.services.reports.records import (
    Commune,
    Decision,
    MemberEntry,
    OrgEntry,
    OrgResult,
    ReportData,
    StatedFigures,
    group_counts,
)
from app.services.safekeeping import audit
from app.services.safekeeping.secure_file import Kind, encrypt_bytes
from app.services.summary import report as summary_report
from app.store.database import Database
from app.store.models import (
    EvaluationPeriod,
    IssuedDocument,
    Member,
    MemberEvaluation,
    Organization,
    OrgEvaluation,
)


@dataclass(frozen=True)
class ExportInfo:
    """What was exported, for the message shown to the user."""

    path: Path
    checksum: str
    year: int
    commune_code: str
    commune_name: str
    organizations: int
    members: int
    decision_number: str | None
    with_pdf: bool
    encrypted: bool
    size: int

    def describe(self) -> str:
        decision = f", quyết định số {self.decision_number}" if self.decision_number else ""
        pdf = ", kèm bản quyết định đã ký" if self.with_pdf else ""
        return (
            f"Đã xuất báo cáo năm {self.year} của {self.commune_name} ({self.members} đảng viên, "
            f"{self.organizations} tổ chức đảng{decision}{pdf}) ra {self.path}."
        )


def _decision_pdf(path: Path | None) -> bytes | None:
    if path is None:
        return None
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_PDF:
            raise ServiceError(
                f"Tệp “{path.name}” quá lớn (tối đa {MAX_PDF // 1024 // 1024} MB) để gửi kèm báo "
                "cáo."
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise ServiceError(f"Không tìm thấy tệp “{path}”.") from None
    except OSError as error:
        raise ServiceError(describe_os_error(error, path, "đọc")) from None
    if not data.startswith(b"%PDF-"):
        raise ServiceError(f"Tệp “{path.name}” không phải tệp PDF; chọn bản quyết định đã ký.")
    return data


def _decision(
    session: Session, period: EvaluationPeriod, top_id: int, pdf: bytes | None
) -> Decision:
    """The decision's number and date as the commune's register of issued documents keeps
    them (the number it was printed with), and the day the commune decided."""
    issued = session.scalar(
        select(IssuedDocument).where(
            IssuedDocument.issuer_id == top_id,
            IssuedDocument.kind == "decision",
            IssuedDocument.year == period.year,
        )
    )
    decided_at = session.scalar(
        select(func.max(OrgEvaluation.decided_at)).where(OrgEvaluation.period_id == period.id)
    )
    return Decision(
        number=f"{issued.number:02d}-{issued.symbol}" if issued is not None else None,
        issued_on=issued.issued_on if issued is not None else None,
        decided_on=decided_at.date() if decided_at is not None else None,
        pdf=pdf,
    )


_NOT_RATED = Derivation(None, None, (), "")


def _quarterly(found: dict[int, Derivation], member_id: int) -> Derivation:
    return found.get(member_id, _NOT_RATED)


def _quarterly_results(session: Session, period_id: int, rs: RuleSet) -> dict[int, Derivation]:
    """The year drawn from each member's quarterly ratings (members rated by quarter only:
    nobody else has any), under the period's rule set; empty where it does not rate so."""
    rule = ruleset_quarter_rule(rs)
    if rule is None:
        return {}
    thresholds = score_thresholds(rs)
    return {
        member_id: derive_year(ratings, rule, rs.member_levels, thresholds)
        for member_id, ratings in quarter_ratings(session, period_id).items()
    }


def read_report(db: Database, year: int, decision_pdf: bytes | None = None) -> ReportData:
    """The commune's decided *year* in the report's terms; ServiceError for a year that is
    not decided, or a database without one top organisation."""
    summary = summary_report.report(db, year)  # refuses a database with several tops
    unit = summary.summary.unit
    with db.session() as session:
        period = find(session, year)
        state = PeriodState(period.state)
        if not state.is_decided:
            raise ServiceError(
                f"Năm {year} chưa được quyết định (kỳ đánh giá đang ở bước “{state.label}”): "
                "chỉ báo cáo lên tỉnh được năm đã quyết định và khóa kết quả."
            )
        rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
        orgs = session.execute(
            select(Organization.id, Organization.code, Organization.name, Organization.kind,
                   Organization.parent_id)
        ).all()  # fmt: skip
        code_of = {o.id: o.code for o in orgs}
        children: dict[int | None, list[int]] = {}
        for o in orgs:
            children.setdefault(o.parent_id, []).append(o.id)
        subtree, stack = set(), [unit.id]
        while stack:
            current = stack.pop()
            subtree.add(current)
            stack.extend(children.get(current, []))
        results: dict[int, dict[str, object]] = {}
        for e in session.scalars(select(OrgEvaluation).where(OrgEvaluation.period_id == period.id)):
            results.setdefault(e.org_id, {})[e.subject] = e
        by_quarters = _quarterly_results(session, period.id, rs)
        entries = []
        for o in orgs:
            if o.id not in subtree:
                continue
            found = results.get(o.id, {})
            own, collective = found.get("org"), found.get("collective")
            result = None
            if isinstance(own, OrgEvaluation):
                result = OrgResult(
                    evaluated=own.evaluated,
                    level=own.decided_level if own.evaluated else None,
                    not_classified_reason="" if own.evaluated else own.not_classified_reason,
                    low_level_reason=own.low_level_reason,
                    collective_level=(
                        collective.decided_level if isinstance(collective, OrgEvaluation) else None
                    ),
                )
            entries.append(
                OrgEntry(
                    code=o.code,
                    name=o.name,
                    kind=OrgKind(o.kind),
                    parent=code_of.get(o.parent_id) if o.id != unit.id else None,
                    evaluation=result,
                )
            )
        members = [
            MemberEntry(
                code=code,
                full_name=name,
                cell=code_of[e.org_id],
                evaluated=e.evaluated,
                level=e.decided_level if e.evaluated else None,
                not_classified_reason="" if e.evaluated else e.not_classified_reason,
                not_classified_note="" if e.evaluated else e.not_classified_note,
                low_level_reason=e.low_level_reason,
                score_general=e.self_score_general if e.evaluated else None,
                score_tasks=e.self_score_tasks if e.evaluated else None,
                quarterly_level=by_quarters[e.member_id].level
                if e.member_id in by_quarters
                else None,
                quarterly=by_quarters[e.member_id].words if e.member_id in by_quarters else "",
            )
            for e, code, name in session.execute(
                select(MemberEvaluation, Member.code, Member.full_name)
                .join(Member, Member.id == MemberEvaluation.member_id)
                .where(MemberEvaluation.period_id == period.id)
            )
            if e.org_id in subtree
        ]
        decision = _decision(session, period, unit.id, decision_pdf)
        head = audit.head(session)
        reference_date = period.reference_date
        ruleset_id, snapshot = period.ruleset_id, period.ruleset_snapshot
    s = summary.summary
    stated = StatedFigures(
        members=group_counts(s.members, rs.member_levels),
        organisations=(
            group_counts(s.organisations, rs.org_levels) if s.organisations is not None else None
        ),
    )
    return ReportData(
        commune=Commune(unit.code, unit.name, unit.place_name, unit.superior),
        year=year,
        state=state,
        reference_date=reference_date,
        ruleset_id=ruleset_id,
        ruleset_name=rs.name,
        ruleset_snapshot=snapshot,
        decision=decision,
        audit_count=head.count,
        audit_head=head.hash,
        organizations=tuple(sorted(entries, key=lambda o: o.code)),
        members=tuple(sorted(members, key=lambda m: m.code)),
        figures=stated,
    )


def export_report(
    db: Database,
    year: int,
    path: Path,
    *,
    actor: str = "",
    password: str | None = None,
    decision_pdf: Path | None = None,
) -> ExportInfo:
    """Write the commune's decided *year* to one report file at *path* (with the signed
    decision PDF at *decision_pdf*, if given); with a *password*, encrypted. Reads only.
    The file is read back and verified before this returns."""
    path = Path(path)
    data = read_report(db, year, _decision_pdf(decision_pdf))
    exported_at = clock.now().replace(microsecond=0)
    content = content_json(data, app_version=__version__, exported_at=exported_at,
                           exported_by=actor)  # fmt: skip
    payload = encode(content)
    if len(payload) > MAX_BYTES:
        raise ServiceError("Báo cáo quá lớn để ghi ra một tệp; hãy bỏ bản quyết định kèm theo.")
    if password:
        payload = encrypt_bytes(payload, password, Kind.REPORT)
    write_bytes_atomically(path, payload)
    # Read back what was written, so a fault shows here and not at the province.
    checksum = read_report_file(path, password or None).checksum
    return ExportInfo(
        path=path,
        checksum=checksum,
        year=year,
        commune_code=data.commune.code,
        commune_name=data.commune.name,
        organizations=len(data.organizations),
        members=len(data.members),
        decision_number=data.decision.number,
        with_pdf=data.decision.pdf is not None,
        encrypted=bool(password),
        size=len(payload),
    )


def default_file_name(code: str, year: int) -> str:
    """ "bao-cao-XNT-2025.dgr" """
    return f"bao-cao-{code}-{year}.dgr"


__all__ = ["ExportInfo", "default_file_name", "export_report", "read_report"]
