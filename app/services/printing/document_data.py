"""Gathering each document's data from the records of a period (the renderers in
app.documents turn it into PDF). Every document of a cell is filled from the same cell view
the window shows, so paper and screen always agree."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import ScalarResult, select
from sqlalchemy.orm import Session

from app.documents import data as doc
from app.documents.ballot import sort_roster
from app.domain.collation import (
    distinct_names,
    heads_cell,
    heads_committee,
    roster_key,
    text_key,
)
from app.domain.criteria import CriteriaSet, CriteriaSubject, ItemEntry
from app.domain.formatting import format_percent
from app.domain.procedure import CellStep, PeriodState
from app.domain.rules import RuleSet, Subject
from app.domain.vocabulary import FormCategory, OrgKind, PeriodKind
from app.services.periods import criteria_sets, item_sheets
from app.services.periods import lifecycle as periods
from app.services.printing import view_memo as cell_view_memo
from app.services.procedure import double_tally as tally_double
from app.services.procedure import stages
from app.services.procedure.stages import Stage, StageRow
from app.services.procedure.view import CellView, MemberLine, OrgLine
from app.services.summary import export as summary_export
from app.services.summary import report as summary_report
from app.store.database import Database
from app.store.models import (
    Discipline,
    EvaluationPeriod,
    ItemScore,
    Member,
    MemberEvaluation,
    MemberPeriod,
    Organization,
    OrgEvaluation,
    PostHolding,
    PostKind,
)


@dataclass(frozen=True)
class Unit:
    """What the heading of a document needs to know about an organisation."""

    id: int
    name: str
    superior: str  # the line above the issuer: the parent's name, or the stored line
    place: str


def unit(session: Session, org_id: int) -> Unit:
    org = session.get(Organization, org_id)
    assert org is not None
    parent = session.get(Organization, org.parent_id) if org.parent_id else None
    superior = parent.name if parent is not None else org.superior_line
    place = org.place_name or (parent.place_name if parent is not None else "")
    return Unit(org.id, org.name, superior, place)


def committee_name(name: str) -> str:
    """The committee that issues for an organisation: "Đảng bộ xã X" → "Đảng ủy xã X"."""
    return "Đảng ủy" + name[len("Đảng bộ") :] if name.startswith("Đảng bộ") else name


def levels(rs: RuleSet, kind: str) -> tuple[doc.LevelColumn, ...]:
    return tuple(doc.LevelColumn(lvl.code, lvl.short, lvl.name) for lvl in rs.scale(kind).levels)


def form_code(rs: RuleSet, variant: str, year: int) -> str:
    """The self-review form's code as the guidance of the regime names it."""
    if rs.id.startswith("qd366") or year >= 2025:
        return f"Mẫu {variant}-HD KĐ.ĐG {year}"
    if rs.id.startswith("qd124"):
        return f"Mẫu 0{variant}-HD KĐ.ĐG 2023"
    return "Mẫu 02-HD KĐ.ĐG"


def _score_groups(
    rs: RuleSet, general: float | None, tasks: float | None
) -> tuple[doc.ScoreGroup, ...]:
    model = rs.score
    if model is None or not model.enabled or not model.parts:
        return ()
    return (
        doc.ScoreGroup("A", "Tiêu chí chung", model.general_max or 30, general),
        doc.ScoreGroup("B", "Kết quả thực hiện nhiệm vụ", model.tasks_max or 70, tasks),
    )


def _self_entries(
    session: Session, period: EvaluationPeriod, ids: list[int]
) -> dict[int, dict[str, ItemEntry]]:
    """The self-review's item entries of the members *ids*, by member and item key: one
    query for the whole cell."""
    found: dict[int, dict[str, ItemEntry]] = {}
    rows = session.scalars(
        select(ItemScore)
        .where(
            ItemScore.period_id == period.id,
            ItemScore.subject_kind == "member",
            ItemScore.stage == "self",
            ItemScore.subject_id.in_(ids),
        )
        .order_by(ItemScore.id)
    )
    for row in rows:
        entry = ItemEntry(item_sheets.read_value(row.value), row.note)
        found.setdefault(row.subject_id, {})[row.item_key] = entry
    return found


def _points(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _item_groups(
    rs: RuleSet,
    cset: CriteriaSet | None,
    variant: str,
    found: dict[str, ItemEntry],
    general: float | None,
    tasks: float | None,
) -> tuple[doc.ScoreGroup, ...]:
    """The self-review's score table: with the period's criteria set, every item of the
    member's sheet (Mẫu 2A/2B/2C) under its group, with the self-review's points where
    entered; else (or when the set has no sheet for the form) the two groups' totals.

    A group's subtotal is the sum of its items once all are scored; a member who typed the
    two totals instead of scoring item by item keeps them on the group that alone makes up
    its part."""
    plain = _score_groups(rs, general, tasks)
    if cset is None or not plain:
        return plain
    scored = item_sheets.score(cset, CriteriaSubject.member(variant), found)
    if scored is None:
        return plain
    typed = {"general": general, "tasks": tasks}
    parts = Counter(group.part for group in scored.sheet.groups)
    groups = []
    for group in scored.groups:
        points = {s.item.key: s.points for s in group.items}
        subtotal: float | None = None
        if group.complete:
            subtotal = float(group.points)
        elif not found and parts[group.group.part] == 1:
            subtotal = typed.get(group.group.part)
        items = tuple(
            doc.ScoreItem(item.key, item.text, float(item.points), _points(points.get(item.key)))
            for item in group.group.items
        )
        groups.append(
            doc.ScoreGroup(
                group.group.key, group.group.title, float(group.group.points), subtotal, items
            )
        )
    return tuple(groups)


def score_frame(rs: RuleSet, cset: CriteriaSet | None, variant: str) -> tuple[doc.ScoreGroup, ...]:
    """The score frame of a member's form with no points in it: every item of the member's
    sheet under its group with the period's criteria set, else the two groups; () when the
    rule set does not score (the quarterly form, whose item points are not kept)."""
    return _item_groups(rs, cset, variant, {}, None, None)


def _post(line: MemberLine) -> str:
    return line.party_post


def _vote_row(
    rs: RuleSet, kind: str, name: str, post: str, counts: dict[str, int], proposed: str | None
) -> doc.VoteRow:
    scale = rs.scale(kind)
    votes = tuple(counts.get(code) if counts else None for code in scale.codes)
    return doc.VoteRow(name=name, post=post, votes=votes, proposed=proposed)


def _support(rs: RuleSet, kind: str, counts: dict[str, int], level: str | None) -> int:
    if not level or not counts:
        return 0
    codes = rs.scale(kind).codes
    if rs.vote.cascade:
        return sum(counts.get(code, 0) for code in codes[: codes.index(level) + 1])
    return counts.get(level, 0)


def _vote_figure(vote: Stage | None) -> str:
    """ "HTTNV: 16/17 phiếu (94,1%)": the vote's level and the figure every document quotes."""
    return f"{vote.level}: {vote.detail}" if vote and vote.level else ""


def vote_result(rs: RuleSet, kind: str, line: MemberLine | OrgLine, voters: int) -> str:
    level = line.proposed_level or line.suggested_level
    if not line.vote_counts or not level:
        return ""
    support = _support(rs, kind, line.vote_counts, level)
    return f"{support}/{voters} ({format_percent(support, voters)})"


# ---- per cell ---------------------------------------------------------------------------------


def _cell_view(db: Database, year: int, cell_id: int) -> tuple[CellView, Unit]:
    """The cell's view as its documents list it: two members of the same name are told apart
    (year of birth) wherever names are listed."""
    view = cell_view_memo.cell_view(db, year, cell_id)  # once per cell when printing them all
    with db.session() as session:
        names = _distinct_names(session, [m.member_id for m in view.members])
        members = tuple(
            m if names.get(m.member_id, m.full_name) == m.full_name
            else dataclasses.replace(m, full_name=names[m.member_id])
            for m in view.members
        )  # fmt: skip
        return dataclasses.replace(view, members=members), unit(session, cell_id)


def _draft(view: CellView) -> bool:
    """A cell's record is final once the cell has submitted; before (or once returned to it)
    anything in it may still change, so it prints as "DỰ THẢO"."""
    return view.step not in (CellStep.SUBMITTED, CellStep.DECIDED)


def _distinct_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    rows = session.execute(
        select(Member.id, Member.full_name, Member.birth_date, Member.code).where(
            Member.id.in_(list(ids))
        )
    )
    return distinct_names(
        (member_id, name, born.year if born else None, code) for member_id, name, born, code in rows
    )


def _heading(u: Unit, number: str = "", date: dt.date | None = None) -> doc.Heading:
    return doc.Heading(superior=u.superior, issuer=u.name, number=number, place=u.place, date=date)


def _secretary(view: CellView) -> MemberLine | None:
    return next((m for m in view.members if heads_cell(m.party_post)), None)


def self_reviews(db: Database, year: int, cell_id: int) -> list[doc.SelfReviewData]:
    """One pre-filled form per member classified this year, in roster order."""
    view, u = _cell_view(db, year, cell_id)
    rs = view.ruleset
    with db.session() as session:
        ids = [m.member_id for m in view.members if m.evaluated]
        records = {m.id: m for m in session.scalars(select(Member).where(Member.id.in_(ids)))}
        other_posts = {
            p.member_id: p.title
            for p in session.scalars(
                select(PostHolding).where(
                    PostHolding.member_id.in_(ids),
                    PostHolding.kind == PostKind.OTHER,
                    PostHolding.end_on.is_(None),
                )
            )
        }
        previous = _previous_shortcomings(session, year, ids)
        period = periods.find(session, year)
        cset = criteria_sets.of_period(period)
        entries = _self_entries(session, period, ids) if cset is not None else {}
        # The commune's secretary signs the committee's part of every form.
        committee_secretary = _committee_secretary(
            session, periods.party_posts(session, view.reference_date)
        )
    secretary = _secretary(view)
    forms = []
    for line in view.members:
        if not line.evaluated:
            continue
        member = records[line.member_id]
        variant = FormCategory(member.form_category).value
        forms.append(
            doc.SelfReviewData(
                heading=_heading(u),
                form_code=form_code(rs, variant, year),
                variant=variant,
                year=year,
                full_name=member.full_name,  # the form gives the birth date beside it
                levels=levels(rs, "member"),
                birth_date=member.birth_date,
                party_post=line.party_post,
                other_post=other_posts.get(line.member_id, ""),
                workplace="" if variant == "2C" else other_posts.get(line.member_id, ""),
                cell=u.name,
                texts=doc.SelfReviewTexts(
                    tasks=line.self_review, shortcomings=line.shortcomings, remedies=line.remedy
                ),
                previous_shortcomings=previous.get(line.member_id, ""),
                previous_remedied=line.shortcomings_remedied
                if previous.get(line.member_id)
                else None,
                self_level=line.self_level,
                scores=_item_groups(
                    rs,
                    cset,
                    variant,
                    entries.get(line.member_id, {}),
                    line.self_score_general,
                    line.self_score_tasks,
                ),
                cell_level=line.proposed_level,
                cell_signer=doc.Signer(
                    "BÍ THƯ", secretary.full_name if secretary else "", "T/M CHI ỦY (CHI BỘ)"
                ),
                authority_name=committee_name(u.superior),
                decided_level=line.decided_level,
                authority_signer=doc.Signer("BÍ THƯ", committee_secretary, "T/M BAN THƯỜNG VỤ"),
            )
        )
    return forms


def _previous_shortcomings(session: Session, year: int, ids: list[int]) -> dict[int, str]:
    rows = session.execute(
        select(MemberEvaluation.member_id, MemberEvaluation.shortcomings)
        .join(EvaluationPeriod, EvaluationPeriod.id == MemberEvaluation.period_id)
        .where(EvaluationPeriod.year == year - 1, MemberEvaluation.member_id.in_(ids))
    ).all()
    return {member_id: text for member_id, text in rows if text}


def collective_report(
    db: Database, year: int, cell_id: int, number: str = ""
) -> doc.CollectiveReportData:
    view, u = _cell_view(db, year, cell_id)
    rs = view.ruleset
    members = view.members
    secretary = _secretary(view)
    meeting = view.meeting
    return doc.CollectiveReportData(
        heading=_heading(u, number, meeting.held_on if meeting else None),
        year=year,
        collective=u.name,
        counts=doc.MemberCounts(
            total=len(members),
            official=sum(1 for m in members if not m.probationary),
            probationary=sum(1 for m in members if m.probationary),
            exempt=sum(1 for m in members if m.reason_label == rs.reason_label("exempt")),
            evaluated=sum(1 for m in members if m.evaluated),
        ),
        levels=levels(rs, "org"),
        form_code=form_code(rs, "01", year).replace("Mẫu 001", "Mẫu 01"),
        texts=doc.CollectiveReportTexts(political_tasks=view.cell.self_assessment),
        self_level=view.cell.self_level,
        scores=_score_groups(rs, view.cell.score_general, view.cell.score_tasks),
        signer=doc.Signer("BÍ THƯ", secretary.full_name if secretary else "", "T/M CHI ỦY"),
        draft=_draft(view),
    )


def ballots(db: Database, year: int, cell_id: int) -> doc.BallotData:
    """Ballots for the cell's vote: the members classified this year, one copy per voter."""
    view, u = _cell_view(db, year, cell_id)
    rs = view.ruleset
    entries = sort_roster(
        doc.BallotEntry(name=m.full_name, post=_post(m)) for m in view.members if m.evaluated
    )
    return doc.BallotData(
        heading=_heading(u),
        year=year,
        members=entries,
        member_levels=levels(rs, "member"),
        copies=max(view.voters, 1),
        collective=u.name if view.cell.evaluated else "",
        collective_levels=levels(rs, "org"),
        leadership=view.collective.name
        if view.collective is not None and view.collective.evaluated and view.cell.evaluated
        else "",
    )


def _person(view: CellView, member_id: int | None) -> doc.Person:
    line = next((m for m in view.members if m.member_id == member_id), None)
    return doc.Person(line.full_name, _post(line)) if line else doc.Person("")


def _vote_rows(
    db: Database, view: CellView
) -> tuple[tuple[doc.VoteRow, ...], doc.VoteRow | None, doc.VoteRow | None]:
    """The members' rows, the cell's and its chi ủy's (None where not classified)."""
    rs = view.ruleset
    notes = proposal_notes(db, view.year, view.cell_id)
    members = tuple(
        dataclasses.replace(
            _vote_row(rs, "member", m.full_name, _post(m), m.vote_counts, m.proposed_level),
            note=notes.get(m.subject, ""),
        )
        for m in view.members
        if m.evaluated
    )

    def organisation(line: OrgLine | None) -> doc.VoteRow | None:
        if line is None or not line.evaluated:
            return None
        row = _vote_row(rs, "org", line.name, "", line.vote_counts, line.proposed_level)
        return dataclasses.replace(row, note=notes.get(line.subject, ""))

    return members, organisation(view.cell), organisation(view.collective)


def proposal_notes(db: Database, year: int, cell_id: int) -> dict[Subject, str]:
    """Why the cell proposes another level than its vote gives, in the rule set's words
    ("biểu quyết đạt HTTNV; chi bộ đề xuất KHTNV: Bị kỷ luật trong năm"), for each subject
    whose proposal differs from its vote: minutes that print the counts must say it."""
    notes: dict[Subject, str] = {}
    for row in stages.period_stages(db, year, cell_id, authors=False).rows:
        vote, proposed = row.level("vote"), row.level("proposed")
        if not proposed or proposed == vote:
            continue
        written = row.stage("proposed")
        because = row.low_reason_text or (written.detail if written else "")
        given = f"biểu quyết đạt {vote}" if vote else "biểu quyết không đạt mức nào"
        notes[row.subject] = f"{given}; chi bộ đề xuất {proposed}" + (
            f" vì: {because}" if because else ""
        )
    return notes


def tally_minutes(db: Database, year: int, cell_id: int, number: str = "") -> doc.TallyMinutesData:
    view, u = _cell_view(db, year, cell_id)
    meeting = view.meeting
    members, collective, leadership = _vote_rows(db, view)
    committee = tuple(_person(view, m) for m in (meeting.tally_committee if meeting else ()))
    issued = meeting.ballots_issued or 0 if meeting else 0
    returned = meeting.ballots_returned or 0 if meeting else 0
    valid = meeting.ballots_valid or 0 if meeting else 0
    return doc.TallyMinutesData(
        heading=_heading(u, number, meeting.held_on if meeting else None),
        year=year,
        cell=u.name,
        committee=committee,
        ballots_issued=issued,
        ballots_returned=returned,
        ballots_valid=valid,
        ballots_invalid=max(returned - valid, 0),
        denominator=view.voters,
        member_levels=levels(view.ruleset, "member"),
        members=members,
        collective_levels=levels(view.ruleset, "org"),
        collective=collective,
        leadership=leadership,
        place=meeting.place if meeting else "",
        # Two tellers who disagree (or whose agreed count is not the vote) block the print.
        double_entry_agreed=tally_double.agreed_state(db, year, cell_id) if meeting else None,
        draft=_draft(view),
    )


def meeting_minutes(
    db: Database, year: int, cell_id: int, number: str = ""
) -> doc.MeetingMinutesData:
    view, u = _cell_view(db, year, cell_id)
    rs = view.ruleset
    meeting = view.meeting
    members, collective, leadership = _vote_rows(db, view)
    exempt_label = rs.reason_label("exempt")
    # An exempt member who stays away is not absent: the Charter frees them from meetings.
    absent = tuple(
        doc.Absence(m.full_name, m.absence_reason, bool(m.absence_reason))
        for m in view.members
        if m.present is False and m.reason_label != exempt_label
    )
    held = bool(meeting and meeting.held_on)
    # Every member classified this year is reviewed at the meeting, commented on or not.
    reviews = tuple(
        doc.MemberReview(
            name=m.full_name,
            post=_post(m),
            summary=m.self_review,
            comments=tuple(_comments(m.comments)),
            response=m.response,
            no_comments=held and not m.comments.strip(),
        )
        for m in view.members
        if m.evaluated
    )
    chair = _person(view, meeting.chair_id if meeting else None)
    secretary = _person(view, meeting.secretary_id if meeting else None)
    guests = (
        (doc.Person(meeting.upper_attendee, meeting.upper_attendee_post),)
        if meeting and meeting.upper_attendee
        else ()
    )
    method = "biểu quyết giơ tay" if meeting and not meeting.secret_ballot else "bỏ phiếu kín"
    presenter = _secretary(view)
    return doc.MeetingMinutesData(
        heading=_heading(u, number, meeting.held_on if meeting else None),
        year=year,
        cell=u.name,
        attendance=doc.Attendance(
            total=len(view.members),
            official=sum(1 for m in view.members if not m.probationary),
            probationary=sum(1 for m in view.members if m.probationary),
            exempt=sum(1 for m in view.members if m.reason_label == rs.reason_label("exempt")),
            present=sum(1 for m in view.members if m.present),
            absent=absent,
        ),
        chair=chair,
        secretary=secretary,
        member_levels=levels(rs, "member"),
        meeting_date=meeting.held_on if meeting else None,
        start=meeting.starts_at if meeting else None,
        end=meeting.ends_at if meeting else None,
        place=meeting.place if meeting else "",
        guests=guests,
        # The cell's secretary reads the report on behalf of the chi ủy.
        report_presenter=presenter.full_name if presenter else chair.name,
        report_summary=meeting.report_summary if meeting else "",
        reviews=reviews,
        voting_method=method,
        tally_committee=tuple(
            _person(view, m) for m in (meeting.tally_committee if meeting else ())
        ),
        voters=view.voters,
        members=members,
        collective_levels=levels(rs, "org"),
        collective=collective,
        leadership=leadership,
        upper_remarks=meeting.upper_remarks if meeting else "",
        conclusion=meeting.conclusion if meeting else "",
        approval_agreed=meeting.approval_agree if meeting else None,
        approval_of=meeting.approval_total if meeting else None,
        draft=_draft(view),
    )


def _comments(text: str) -> list[doc.Comment]:
    """Comments typed one per line, "Đ/c Lò Văn Hặc: …" or just the gist."""
    result = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        who, sep, gist = line.partition(":")
        if sep and len(who) < 60:
            result.append(doc.Comment(who.strip(), gist.strip()))
        else:
            result.append(doc.Comment("Ý kiến", line))
    return result


def proposal_list(db: Database, year: int, cell_id: int, number: str = "") -> doc.ProposalListData:
    view, u = _cell_view(db, year, cell_id)
    rs = view.ruleset
    secretary = _secretary(view)
    with db.session() as session:
        notes = _member_notes(session, year, [m.member_id for m in view.members])
    # Who wrote each stage is not printed: the audit log is left unread.
    staged = {r.subject: r for r in stages.period_stages(db, year, cell_id, authors=False).rows}

    def vote_text(subject: Subject) -> str:
        # The vote's own level beside its share (every stage side by side).
        vote = staged[subject].stage("vote") if subject in staged else None
        return _vote_figure(vote)

    def note(subject: Subject, text: str) -> str:
        """The records the commune should know, the cell's note on its proposal and the
        rule set's reason for a low level — the cell's, not one the commune gave later."""
        row = staged.get(subject)
        if row is None:
            return text
        written = row.stage("proposed")
        proposal_note = written.detail if written else ""
        decided = row.level("decided")
        low = row.low_reason_text if decided in (None, row.level("proposed")) else ""
        return join_notes(text, proposal_note, low)

    rows = tuple(
        doc.ProposalRow(
            name=m.full_name,
            post=_post(m),
            self_level=m.self_level,
            vote_result=vote_text(m.subject) or vote_result(rs, "member", m, view.voters),
            proposed=m.proposed_level,
            note=note(m.subject, notes.get(m.member_id, "")),
        )
        for m in view.members
        if m.evaluated
    )

    def organisation(line: OrgLine | None) -> doc.ProposalRow | None:
        if line is None or not line.evaluated:
            return None
        return doc.ProposalRow(
            name=line.name,
            self_level=line.self_level,
            vote_result=vote_text(line.subject) or vote_result(rs, "org", line, view.voters),
            proposed=line.proposed_level,
            note=note(line.subject, ""),
        )

    submitted = view.submitted_at.date() if view.submitted_at else None
    return doc.ProposalListData(
        heading=_heading(u, number, submitted or (view.meeting.held_on if view.meeting else None)),
        year=year,
        cell=u.name,
        member_levels=levels(rs, "member"),
        members=rows,
        collective_levels=levels(rs, "org"),
        collective=organisation(view.cell),
        leadership=organisation(view.collective),
        addressee=f"Kính gửi: Ban Thường vụ {committee_name(u.superior)}",
        signer=doc.Signer("BÍ THƯ", secretary.full_name if secretary else "", "T/M CHI BỘ"),
        draft=_draft(view),
    )


def join_notes(*parts: str) -> str:
    """The notes beside a proposal, each said once: one that another already says (the record's
    "nghỉ ốm dài ngày" beside the cell's "Nghỉ ốm dài ngày trong năm") is left out."""
    given: dict[str, str] = {}
    for part in parts:
        if part.strip():
            given.setdefault(part.strip().casefold(), part.strip())
    return "; ".join(
        part
        for fold, part in given.items()
        if not any(fold in other and fold != other for other in given)
    )


def _member_notes(session: Session, year: int, ids: list[int]) -> dict[int, str]:
    """What the commune should know beside a proposal: discipline, long sick leave."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    notes: dict[int, list[str]] = {}
    for d in session.scalars(select(Discipline).where(Discipline.member_id.in_(ids))):
        if first <= d.decided_on <= last:
            notes.setdefault(d.member_id, []).append(f"kỷ luật {d.form.label.lower()}")
    for p in session.scalars(
        select(MemberPeriod).where(
            MemberPeriod.member_id.in_(ids), MemberPeriod.kind == PeriodKind.SICK_LEAVE
        )
    ):
        end = p.end_on or last
        if p.start_on <= last and end >= first:
            notes.setdefault(p.member_id, []).append("nghỉ ốm dài ngày")
    return {k: "; ".join(v) for k, v in notes.items()}


# ---- the commune -------------------------------------------------------------------------------


def decision(db: Database, year: int, number: str = "") -> doc.DecisionData:
    """The standing committee's decision, with every cell and member decided in the annex.

    Read from the period's stages alone: one pass over the period's facts, and none of the
    rule checks, suggestions or quota the appraisal page computes (they were most of the
    time of the first preview). The annex prints every stage side by side."""
    staged = stages.period_stages(db, year, authors=False)
    rs, tree, names = staged.ruleset, staged.tree, staged.org_names
    roots = [r for r in tree.roots() if tree.is_grassroots(r)] or tree.roots()
    assert roots, "a period has organisations"
    with db.session() as session:
        commune = unit(session, roots[0])
        period = periods.find(session, year)
        posts = periods.party_posts(session, period.reference_date)
        signer = _committee_secretary(session, posts)
        decided_state = PeriodState(period.state).is_decided
        decided_on = _decision_day(session, period.id)
    committee = committee_name(commune.name)

    def is_cell(org_id: int) -> bool:
        return org_id in tree and tree.node(org_id).kind is OrgKind.CELL

    def post(row: StageRow) -> str:
        return posts.get(row.subject.id, "") if row.subject.kind == "member" else ""

    # The cells' own rows and the members', in the appraisal page's order: cell by cell in
    # Vietnamese name order, the cell first, then its members office-holders first.
    rows = [r for r in staged.rows if r.subject.kind == "member" or is_cell(r.cell_id)]
    rows.sort(
        key=lambda r: (
            text_key(names.get(r.cell_id, "")),
            ("org", "collective", "member").index(r.subject.kind),
            *roster_key(post(r), r.name),
        )
    )
    # Two members of one cell's roster with the same name are told apart in the annex, as
    # in every document of the cell.
    shown: dict[int, str] = {}
    with db.session() as session:
        by_cell: dict[int, list[int]] = {}
        for member_id, cell_id in session.execute(
            select(MemberEvaluation.member_id, MemberEvaluation.org_id).where(
                MemberEvaluation.period_id == period.id
            )
        ):
            by_cell.setdefault(cell_id, []).append(member_id)
        for ids in by_cell.values():
            shown |= _distinct_names(session, ids)
    above = _secretaries_above_their_cell(rs, rows, posts)
    organisations: list[doc.DecidedOrganisation] = []
    collectives: list[doc.DecidedOrganisation] = []
    cells: dict[str, list[doc.DecidedMember]] = {}
    for row in rows:
        vote_text = _vote_figure(row.stage("vote"))
        decided = row.stage("decided")
        level = decided.level if decided else None
        proposed = row.level("proposed")
        # The reason for a decision that differs from the cell's proposal.
        reason = decided.detail if decided and level is not None and level != proposed else ""
        if row.subject.kind != "member":
            (organisations if row.subject.kind == "org" else collectives).append(
                doc.DecidedOrganisation(
                    row.name,
                    level,
                    proposed,
                    reason,
                    self_level=row.level("self"),
                    vote=vote_text,
                    low_reason=row.low_reason_text,
                )
            )
        else:
            cells.setdefault(names.get(row.cell_id, ""), []).append(
                doc.DecidedMember(
                    shown.get(row.subject.id, row.name),
                    level,
                    post=post(row),
                    proposed=proposed,
                    reason=reason,
                    self_level=row.level("self"),
                    vote=vote_text,
                    low_reason="; ".join(
                        part
                        for part in (row.low_reason_text, above.get(row.subject.id, ""))
                        if part
                    ),
                )
            )
    annex = tuple(
        doc.CellDecision(name, tuple(sorted(members, key=lambda m: roster_key(m.post, m.name))))
        for name, members in cells.items()
    )
    return doc.DecisionData(
        heading=doc.Heading(
            superior=commune.superior,
            issuer=committee,
            number=number,
            place=commune.place,
            date=decided_on,
        ),
        year=year,
        deciding_body=f"Ban Thường vụ {committee}",
        legal_bases=(
            "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
            *(f"Căn cứ {basis};" for basis in rs.legal_bases or (rs.name,)),
            "Căn cứ Kế hoạch kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng, đảng viên "
            f"năm {year} của Ban Thường vụ {committee};",
            "Xét đề nghị của các chi bộ trực thuộc và kết quả thẩm định của Văn phòng Đảng ủy,",
        ),
        organisation_levels=levels(rs, "org"),
        member_levels=levels(rs, "member"),
        organisations=tuple(organisations),
        collectives=tuple(collectives),
        cells=annex,
        party_unit=commune.name,
        draft=not decided_state,
        signer=doc.Signer("BÍ THƯ", signer, "T/M BAN THƯỜNG VỤ", hint=""),
    )


def summary(db: Database, year: int, number: str = "") -> doc.SummaryData:
    """The commune's summary of the year filed as its report: numbered, dated the day of the
    decision (a draft before it), signed by the committee's secretary, with "Nơi nhận"."""
    with db.session() as session:
        period = periods.find(session, year)
        decided_on = _decision_day(session, period.id)
        decided = PeriodState(period.state).is_decided
        signer = _committee_secretary(session, periods.party_posts(session, period.reference_date))
    data = summary_export.summary_document(summary_report.report(db, year))
    heading = dataclasses.replace(data.heading, number=number, date=decided_on if decided else None)
    right = data.right_signer or doc.Signer("BÍ THƯ", authority="T/M BAN THƯỜNG VỤ")
    return dataclasses.replace(
        data,
        heading=heading,
        left_signer=None,
        right_signer=dataclasses.replace(right, name=signer),
        recipients=("Ban Tổ chức Tỉnh ủy (để báo cáo)", "Lưu Văn phòng Đảng ủy"),
        draft=not decided,
    )


def _secretaries_above_their_cell(
    rs: RuleSet, rows: list[StageRow], posts: dict[int, str]
) -> dict[int, str]:
    """A cell's secretary recognised at a level above the cell's own: the rule set warns
    (the head is not rated above the unit), so the annex says it in so many words, for the
    committee to stand by in the decision it signs."""
    cell_levels = {
        r.cell_id: r.level("decided")
        for r in rows
        if r.subject.kind == "org" and r.level("decided")
    }
    notes: dict[int, str] = {}
    for row in rows:
        level, cell_level = row.level("decided"), cell_levels.get(row.cell_id)
        if row.subject.kind != "member" or not level or not cell_level:
            continue
        if not heads_cell(posts.get(row.subject.id, "")):
            continue
        if rs.member_levels.tier_of(level) < rs.org_levels.tier_of(cell_level):
            short = rs.org_levels.get(cell_level).short
            notes[row.subject.id] = (
                f"Bí thư chi bộ xếp loại cao hơn chi bộ ({short}), Ban Thường vụ xem xét quyết định"
            )
    return notes


def _committee_secretary(session: Session, posts: dict[int, str]) -> str:
    """The name of the commune committee's secretary, who signs its decisions ("" when the
    roster records nobody in that post: the name is then written by hand)."""
    holder = next((member for member, post in posts.items() if heads_committee(post)), None)
    record = session.get(Member, holder) if holder is not None else None
    return record.full_name if record is not None else ""


def _decision_day(session: Session, period_id: int) -> dt.date | None:
    """The day the commune decided the period (its latest decision), or None."""
    latest = max(
        (e.decided_at for e in _org_evaluations(session, period_id) if e.decided_at),
        default=None,
    )
    return latest.date() if latest else None


def _org_evaluations(session: Session, period_id: int) -> ScalarResult[OrgEvaluation]:
    return session.scalars(select(OrgEvaluation).where(OrgEvaluation.period_id == period_id))
