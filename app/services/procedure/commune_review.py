"""The commune's own review: the đảng bộ as an organisation and its standing committee as a
leading collective assess themselves, the đảng ủy's conference votes, and the commune proposes
a level to the province, which decides (``stages.record_province_decision``).

The two rows are the period's evaluations of the grassroots committee (subject "org" and
"collective"). Once the province's decision on a row is recorded, the row is closed: the
province decided on what it was sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.member_checks import FieldProblem
from app.domain.procedure import CellStep, PeriodState
from app.domain.rules import Scale, Subject
from app.domain.rules.findings import leading_collective_title
from app.domain.tree import OrgTree, TreeNode
from app.domain.vocabulary import AuditAction, OrgKind
from app.services.common.errors import ValidationError
from app.services.periods import item_sheets
from app.services.periods import rule_sets as rulesets
from app.services.periods.lifecycle import find
from app.services.procedure.levels import LockedError, write_level
from app.services.safekeeping import audit
from app.store.database import Database
from app.store.models import EvaluationPeriod, Organization, OrgEvaluation

Kind = Literal["org", "collective"]


@dataclass(frozen=True)
class CommuneReview:
    """What the commune records of its own review, for the đảng bộ or its standing committee."""

    level: str | None = None  # tự xếp loại
    text: str = ""  # tóm tắt báo cáo kiểm điểm
    score_general: float | None = None
    score_tasks: float | None = None
    disunity: bool = False
    tasks_below_half: bool = False
    government_lowest: bool = False  # the commune's government rated lowest
    mass_orgs_lowest: int = 0  # the commune's mass organisations rated lowest
    member_degradation_disciplined: bool = False
    all_tasks_on_time: bool | None = None
    tasks_exceeded_share: float | None = None
    tasks_late_share: float | None = None
    shortcomings_remedied: bool | None = None
    facts_note: str = ""
    voters_total: int | None = None  # đảng ủy members who vote (official, not exempt)
    voters_present: int | None = None  # of whom present at the conference
    vote_counts: Mapping[str, int] = field(default_factory=dict)  # the đảng ủy's vote
    proposed_level: str | None = None  # đề nghị cấp trên
    proposal_note: str = ""


_COLUMNS = {
    "level": "self_level",
    "text": "self_assessment",
    "score_general": "score_general",
    "score_tasks": "score_tasks",
    "disunity": "disunity",
    "tasks_below_half": "tasks_below_half",
    "government_lowest": "government_lowest",
    "mass_orgs_lowest": "mass_orgs_lowest",
    "member_degradation_disciplined": "member_degradation_disciplined",
    "all_tasks_on_time": "all_tasks_on_time",
    "tasks_exceeded_share": "tasks_exceeded_share",
    "tasks_late_share": "tasks_late_share",
    "shortcomings_remedied": "shortcomings_remedied",
    "facts_note": "facts_note",
    "voters_total": "voters_total",
    "voters_present": "voters_present",
    "vote_counts": "vote_counts",
}


@dataclass(frozen=True)
class CommuneSubject:
    """The commune's organisation or its standing committee, as the review dialog shows it."""

    kind: Kind
    org_id: int
    title: str  # "Đảng bộ xã Na Tông", "Ban Thường vụ Đảng ủy xã Na Tông"
    review: CommuneReview
    closed: str  # "" = editable; else why not, in Vietnamese


def commune_org(session: Session) -> Organization | None:
    """The grassroots committee the app's tree is rooted in (the commune's đảng bộ)."""
    orgs = list(session.scalars(select(Organization)))
    tree = OrgTree(TreeNode(o.id, o.parent_id, OrgKind(o.kind)) for o in orgs)
    roots = [r for r in tree.roots() if tree.is_grassroots(r)] or tree.roots()
    return session.get(Organization, roots[0]) if roots else None


def _row(session: Session, period: EvaluationPeriod, org_id: int, kind: Kind) -> OrgEvaluation:
    """The commune's row of *kind*; a period opened before the standing committee was a subject
    gets its row now."""
    row = session.scalar(
        select(OrgEvaluation).where(
            OrgEvaluation.period_id == period.id,
            OrgEvaluation.org_id == org_id,
            OrgEvaluation.subject == kind,
        )
    )
    if row is None:
        row = OrgEvaluation(
            period_id=period.id, org_id=org_id, subject=kind, step=CellStep.PREPARATION
        )
        session.add(row)
        session.flush()
    return row


def closed_reason(period: EvaluationPeriod, row: OrgEvaluation) -> str:
    """Why the commune's own row *row* can no longer be edited ("" = it can)."""
    if period.state == PeriodState.REPORTED:
        return "Kỳ đánh giá đã báo cáo cấp trên; không sửa được tự đánh giá của đảng bộ."
    if row.province_level is not None:
        return (
            "Cấp trên đã quyết định mức xếp loại; muốn sửa phần tự đánh giá, hãy xóa quyết định "
            "của cấp trên trước (Ghi quyết định của cấp trên… → Chưa có)."
        )
    return ""


def _title(org: Organization, kind: Kind) -> str:
    return org.name if kind == "org" else leading_collective_title(org.name, OrgKind(org.kind))


def load(db: Database, year: int) -> list[CommuneSubject]:
    """The commune's organisation and its standing committee with what is recorded of them."""
    with db.session() as session:
        period = find(session, year)
        org = commune_org(session)
        if org is None:
            return []
        result = []
        for kind in ("org", "collective"):
            row = _row(session, period, org.id, kind)
            values = {key: getattr(row, column) for key, column in _COLUMNS.items()}
            values["vote_counts"] = dict(row.vote_counts or {})
            review = CommuneReview(
                **values, proposed_level=row.proposed_level, proposal_note=row.proposal_note
            )
            result.append(
                CommuneSubject(kind, org.id, _title(org, kind), review, closed_reason(period, row))
            )
        return result


def _problems(review: CommuneReview, levels: Scale) -> list[FieldProblem]:
    problems = []
    for key, label, level in (
        ("level", "Tự xếp loại", review.level),
        ("proposed_level", "Đề nghị cấp trên", review.proposed_level),
    ):
        if level is not None and level not in levels:
            problems.append(FieldProblem(key, f"mức “{level}” không có", label))
    for code, votes in review.vote_counts.items():
        if code not in levels:
            problems.append(FieldProblem("vote_counts", f"mức “{code}” không có", "Biểu quyết"))
        elif votes < 0:
            problems.append(FieldProblem("vote_counts", "số phiếu không được âm", "Biểu quyết"))
    for key, label, share in (
        ("tasks_exceeded_share", "Nhiệm vụ vượt yêu cầu", review.tasks_exceeded_share),
        ("tasks_late_share", "Nhiệm vụ chậm tiến độ", review.tasks_late_share),
    ):
        if share is not None and not 0 <= share <= 1:
            problems.append(FieldProblem(key, "phải từ 0% đến 100%", label))
    total, present = review.voters_total, review.voters_present
    if total is not None and present is not None and present > total:
        problems.append(FieldProblem("voters_present", "nhiều hơn số được biểu quyết", "Số có mặt"))
    ceiling = present if present is not None else total
    if ceiling is not None and sum(review.vote_counts.values()) > ceiling:
        problems.append(
            FieldProblem(
                "vote_counts", f"tổng số phiếu vượt {ceiling} người biểu quyết", "Biểu quyết"
            )
        )
    if review.vote_counts and total is None:
        problems.append(
            FieldProblem("voters_total", "cần để tính tỷ lệ biểu quyết", "Số được biểu quyết")
        )
    if review.mass_orgs_lowest < 0:
        problems.append(FieldProblem("mass_orgs_lowest", "không được âm", "Số đoàn thể"))
    return problems


def save(db: Database, year: int, kind: Kind, review: CommuneReview, actor: str = "") -> None:
    """Record the commune's own review of *kind* in one unit of work, audited; refused, naming
    each field, for a level the rule set does not have, and once the province has decided."""
    with db.session() as session:
        period = find(session, year)
        org = commune_org(session)
        if org is None:
            raise ValidationError([FieldProblem("org", "chưa có đảng bộ", "Đảng bộ")])
        row = _row(session, period, org.id, kind)
        closed = closed_reason(period, row)
        if closed:
            raise LockedError(closed)
        rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
        problems = _problems(review, rs.scale(kind))
        review = item_sheets.keep_item_totals(
            session,
            period,
            Subject(kind, org.id),
            review,
            (row.score_general, row.score_tasks),
            problems,
        )
        if problems:
            raise ValidationError(problems)
        before = {column: getattr(row, column) for column in _COLUMNS.values()}
        for key, column in _COLUMNS.items():
            setattr(row, column, getattr(review, key))
        row.vote_counts = {code: n for code, n in review.vote_counts.items() if n}
        after = {column: getattr(row, column) for column in _COLUMNS.values()}
        title = _title(org, kind)
        if before != after:
            audit.record(
                session, actor=actor, action=AuditAction.COLLECTIVE_REVIEW,
                entity=f"{kind}_evaluation", entity_id=row.id, period_id=period.id,
                summary=f"{title} tự đánh giá, biểu quyết", before=before, after=after,
            )  # fmt: skip
        write_level(
            session, period, row, Subject(kind, org.id), "proposed", review.proposed_level,
            note=review.proposal_note.strip(), actor=actor, who=title,
        )  # fmt: skip
