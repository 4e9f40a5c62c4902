"""Gathering a period's facts from the records, in the shape the rule engine reads.

The roster is the period's frozen member evaluations (each with the cell the member belonged
to at the reference date). Dated history is read at the reference date: exemption,
suspension and posts on that day; discipline of every year (the checks pick the evaluated
year); sick and maternity leave as the spans within the evaluated year (cut at its first day and
at the last day counted: the year's end or the reference date, whichever is first).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.domain.collation import post_rank
from app.domain.quarters import QuarterRating
from app.domain.rules import (
    CellVoting,
    DisciplineFact,
    MemberFacts,
    OrgFacts,
    PeriodFacts,
    Subject,
    VoteTally,
)
from app.domain.rules.leave import LeaveSpan
from app.domain.text import fold
from app.domain.tree import OrgTree, TreeNode
from app.domain.vocabulary import DisciplineForm, OrgKind, PeriodKind
from app.services.periods import item_sheets
from app.services.periods.carry_over import previous_shortcomings
from app.store.models import (
    Attendance,
    CellMembership,
    Discipline,
    EvaluationPeriod,
    Meeting,
    Member,
    MemberEvaluation,
    MemberPeriod,
    Organization,
    OrgDiscipline,
    OrgEvaluation,
    PostHolding,
    PostKind,
    QuarterRecord,
)


@dataclass(frozen=True)
class PeriodRecords:
    """The facts, and the tree and names the services need alongside them."""

    facts: PeriodFacts
    tree: OrgTree
    org_names: dict[int, str]


def _covers(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    return (start is None or start <= day) and (end is None or end >= day)


def _span_within(
    start: dt.date, end: dt.date | None, first: dt.date, last: dt.date
) -> LeaveSpan | None:
    """The part of a period (``end_on`` included; None = still running) from *first* to
    *last*, or None when they do not meet."""
    low, high = max(start, first), min(end or last, last)
    return LeaveSpan(low, high) if low <= high else None


def _alive(org: Organization, day: dt.date) -> bool:
    return org.dissolved_on is None or org.dissolved_on > day


def roster_at(session: Session, day: dt.date) -> list[tuple[int, int]]:
    """(member, cell) for every member in a cell on *day*, from the membership history."""
    rows = session.execute(
        select(CellMembership.member_id, CellMembership.org_id, CellMembership.start_on,
               CellMembership.end_on, Member.admitted_on)
        .join(Member, Member.id == CellMembership.member_id)
    ).all()  # fmt: skip
    found: dict[int, int] = {}
    for member_id, org_id, start, end, admitted in rows:
        if admitted is not None and admitted > day:
            continue  # not yet a member on that day
        # A transfer dated on the day itself counts for the new cell.
        if (start is None or start <= day) and (end is None or end > day):
            found[member_id] = org_id
    return sorted(found.items())


def build(
    session: Session,
    period: EvaluationPeriod,
    roster: list[tuple[int, int]] | None = None,
    cells: set[int] | None = None,
) -> PeriodRecords:
    """The period's facts as the engine reads them: for its frozen roster, or for *roster*
    ((member, cell) pairs) when the roster is being frozen. *cells* limits the members to
    those cells (every organisation is still there, so the tree stays whole)."""
    ref = period.reference_date
    orgs = [o for o in session.scalars(select(Organization)) if _alive(o, ref)]
    tree = OrgTree(TreeNode(o.id, o.parent_id, OrgKind(o.kind)) for o in orgs)
    evaluations, scope = _evaluations_in_scope(session, period, roster, cells)
    scored = item_sheets.period_records(session, period)
    org_evaluations = {
        (e.org_id, e.subject): e
        for e in session.scalars(select(OrgEvaluation).where(OrgEvaluation.period_id == period.id))
    }
    facts = PeriodFacts(
        year=period.year,
        reference_date=ref,
        members=tuple(_member_facts(session, period, evaluations, scope, tree, scored)),
        organizations=tuple(_org_facts(session, period, orgs, tree, org_evaluations, scored)),
        votes=_tallies(evaluations, org_evaluations, tree),
        voting=tuple(
            _voting(session, period.id, evaluations, org_evaluations)
            + _committee_voting(tree, org_evaluations)
        ),
    )

    return PeriodRecords(facts, tree, {o.id: o.name for o in orgs})


def _evaluations_in_scope(
    session: Session,
    period: EvaluationPeriod,
    roster: list[tuple[int, int]] | None,
    cells: set[int] | None,
) -> tuple[list[MemberEvaluation], Select[tuple[int]]]:
    """The members' evaluation rows (stored, or new ones for a roster being frozen) and the
    query for their member ids."""
    if roster is None:
        query = select(MemberEvaluation).where(MemberEvaluation.period_id == period.id)
        if cells is not None:
            query = query.where(MemberEvaluation.org_id.in_(cells))
        evaluations = list(session.scalars(query))
        # The members in scope, as a subquery: an IN list of thousands of ids would outgrow
        # SQLite's limit on parameters.
        scope = select(MemberEvaluation.member_id).where(MemberEvaluation.period_id == period.id)
        if cells is not None:
            scope = scope.where(MemberEvaluation.org_id.in_(cells))
    else:
        evaluations = [
            MemberEvaluation(member_id=m, org_id=c)
            for m, c in roster
            if cells is None or c in cells
        ]
        ids = [e.member_id for e in evaluations]
        # A short roster is named; a long one (a whole archive being frozen) reads everybody.
        scope = (
            select(Member.id).where(Member.id.in_(ids)) if len(ids) <= 900 else select(Member.id)
        )
    return evaluations, scope


def _member_facts(
    session: Session,
    period: EvaluationPeriod,
    evaluations: list[MemberEvaluation],
    scope: Select[tuple[int]],
    tree: OrgTree,
    scored: dict[Subject, item_sheets.ScoredRecord],
) -> list[MemberFacts]:
    """Each member's facts: their records on the reference day and in the year; the score
    as the items give it where they were scored item by item (``item_sheets``)."""
    ref = period.reference_date
    first, last = dt.date(period.year, 1, 1), min(dt.date(period.year, 12, 31), ref)
    members = {m.id: m for m in session.scalars(select(Member).where(Member.id.in_(scope)))}
    periods: dict[int, list[MemberPeriod]] = defaultdict(list)
    for p in session.scalars(select(MemberPeriod).where(MemberPeriod.member_id.in_(scope))):
        periods[p.member_id].append(p)
    disciplines: dict[int, list[DisciplineFact]] = defaultdict(list)
    for d in session.scalars(select(Discipline).where(Discipline.member_id.in_(scope))):
        disciplines[d.member_id].append(
            DisciplineFact(d.decided_on, DisciplineForm(d.form), d.self_detected_remedied)
        )
    party_posts: dict[int, str] = {}
    other_posts: set[int] = set()  # members holding a government or mass-organisation post
    for post in session.scalars(select(PostHolding).where(PostHolding.member_id.in_(scope))):
        if not _covers(post.start_on, post.end_on, ref):
            continue
        if post.kind == PostKind.PARTY:
            party_posts[post.member_id] = post.title
        else:
            other_posts.add(post.member_id)
    quarters = quarter_ratings(session, period.id)
    previous = _previous_levels(session, period.year)
    carried = previous_shortcomings(session, period.year)

    member_facts = []
    for evaluation in evaluations:
        member = members[evaluation.member_id]
        mine = periods.get(member.id, [])

        def on_ref(kind: PeriodKind, mine: list[MemberPeriod] = mine) -> bool:
            return any(p.kind == kind and _covers(p.start_on, p.end_on, ref) for p in mine)

        def spans(kind: PeriodKind, mine: list[MemberPeriod] = mine) -> tuple[LeaveSpan, ...]:
            found = (
                _span_within(p.start_on, p.end_on, first, last) for p in mine if p.kind == kind
            )
            return tuple(sorted(s for s in found if s is not None))

        heads, sits_on = _leadership(party_posts.get(member.id, ""), evaluation.org_id, tree)
        general, tasks = evaluation.self_score_general, evaluation.self_score_tasks
        record = scored.get(Subject("member", member.id))
        if record is not None and record.replaces:
            general, tasks = record.general, record.tasks
        member_facts.append(
            MemberFacts(
                member_id=member.id,
                full_name=member.full_name,
                cell_id=evaluation.org_id,
                admitted_on=member.admitted_on,
                official_on=member.official_on,
                exempt=on_ref(PeriodKind.EXEMPT),
                suspended=on_ref(PeriodKind.SUSPENDED),
                disciplines=tuple(disciplines.get(member.id, [])),
                sick_leave=spans(PeriodKind.SICK_LEAVE),
                maternity_leave=spans(PeriodKind.MATERNITY_LEAVE),
                is_civil_servant=member.is_civil_servant,
                state_level=evaluation.state_level,
                degradation=bool(evaluation.degradation),
                tasks_below_half=bool(evaluation.tasks_below_half),
                heads_org_id=heads,
                self_level=evaluation.self_level,
                score_general=general,
                score_tasks=tasks,
                all_tasks_on_time=evaluation.all_tasks_on_time,
                tasks_exceeded_share=evaluation.tasks_exceeded_share,
                shortcomings_remedied=evaluation.shortcomings_remedied,
                previous_level=previous.get(member.id),
                collective_org_id=sits_on,
                previous_shortcomings=carried.get(member.id, ""),
                remedy=evaluation.remedy or "",
                score_detail=record.detail if record is not None else "",
                holds_party_post=member.id in party_posts,
                holds_other_post=member.id in other_posts,
                quarters=quarters.get(member.id, ()),
            )
        )
    return member_facts


def quarter_ratings(session: Session, period_id: int) -> dict[int, tuple[QuarterRating, ...]]:
    """The period's quarterly ratings by member, each member's in quarter order."""
    found: dict[int, list[QuarterRating]] = defaultdict(list)
    rows = session.scalars(
        select(QuarterRecord)
        .where(QuarterRecord.period_id == period_id)
        .order_by(QuarterRecord.member_id, QuarterRecord.quarter)
    )
    for row in rows:
        found[row.member_id].append(
            QuarterRating(
                row.quarter,
                row.self_score,
                row.self_level,
                row.superior_score,
                row.superior_level,
                row.note,
            )
        )
    return {member_id: tuple(ratings) for member_id, ratings in found.items()}


def _org_facts(
    session: Session,
    period: EvaluationPeriod,
    orgs: list[Organization],
    tree: OrgTree,
    org_evaluations: dict[tuple[int, str], OrgEvaluation],
    scored: dict[Subject, item_sheets.ScoredRecord],
) -> list[OrgFacts]:
    """Each organisation's facts: its evaluation this year, its disciplines, last year."""
    org_disciplines: dict[tuple[int, bool], list[DisciplineFact]] = defaultdict(list)
    for d in session.scalars(select(OrgDiscipline)):
        org_disciplines[(d.org_id, d.of_collective)].append(
            DisciplineFact(d.decided_on, DisciplineForm(d.form))
        )
    previous_org = _previous_org_levels(session, period.year)
    org_facts = []
    for org in orgs:
        e = org_evaluations.get((org.id, "org"))
        record = scored.get(Subject("org", org.id))
        org_facts.append(
            OrgFacts(
                org_id=org.id,
                name=org.name,
                kind=OrgKind(org.kind),
                parent_id=org.parent_id if org.parent_id in tree else None,
                established_on=org.established_on,
                is_grassroots=tree.is_grassroots(org.id),
                disciplines=tuple(org_disciplines.get((org.id, False), [])),
                collective_disciplines=tuple(org_disciplines.get((org.id, True), [])),
                disunity=bool(e and e.disunity),
                tasks_below_half=bool(e and e.tasks_below_half),
                government_lowest=bool(e and e.government_lowest),
                mass_orgs_lowest=e.mass_orgs_lowest if e else 0,
                score_general=e.score_general if e else None,
                score_tasks=e.score_tasks if e else None,
                score=e.score if e else None,
                all_tasks_on_time=e.all_tasks_on_time if e else None,
                tasks_exceeded_share=e.tasks_exceeded_share if e else None,
                shortcomings_remedied=e.shortcomings_remedied if e else None,
                previous_level=previous_org.get(org.id),
                self_level=e.self_level if e else None,
                member_degradation_disciplined=bool(e and e.member_degradation_disciplined),
                tasks_late_share=e.tasks_late_share if e else None,
                score_detail=record.detail if record is not None else "",
            )
        )
    return org_facts


def _tallies(
    evaluations: list[MemberEvaluation],
    org_evaluations: dict[tuple[int, str], OrgEvaluation],
    tree: OrgTree,
) -> tuple[VoteTally, ...]:
    votes = [
        VoteTally(Subject("member", e.member_id), dict(e.vote_counts))
        for e in evaluations
        if e.vote_counts
    ]
    votes += [
        VoteTally(Subject(subject, org_id), dict(e.vote_counts))
        for (org_id, subject), e in org_evaluations.items()
        if e.vote_counts and org_id in tree
    ]
    return tuple(votes)


@dataclass(frozen=True)
class PeriodVotes:
    """A period's votes as :func:`build` reads them, and only what reading them needs: the
    tallies, who could vote in each cell, each member's cell, the tree and the names."""

    votes: tuple[VoteTally, ...]
    voting: tuple[CellVoting, ...]
    member_cells: dict[int, int]  # member → the cell of the period's roster
    tree: OrgTree
    org_names: dict[int, str]


def votes(session: Session, period: EvaluationPeriod, cells: set[int] | None = None) -> PeriodVotes:
    """The period's votes, the same as ``build(session, period, cells=cells)`` gives them,
    without the members' records the rule checks need (a quarter of the queries): for the
    vote's stage beside the others in documents and on the appraisal page."""
    ref = period.reference_date
    orgs = [o for o in session.scalars(select(Organization)) if _alive(o, ref)]
    tree = OrgTree(TreeNode(o.id, o.parent_id, OrgKind(o.kind)) for o in orgs)
    query = select(MemberEvaluation).where(MemberEvaluation.period_id == period.id)
    if cells is not None:
        query = query.where(MemberEvaluation.org_id.in_(cells))
    evaluations = list(session.scalars(query))
    org_evaluations = {
        (e.org_id, e.subject): e
        for e in session.scalars(select(OrgEvaluation).where(OrgEvaluation.period_id == period.id))
    }
    return PeriodVotes(
        votes=_tallies(evaluations, org_evaluations, tree),
        voting=tuple(
            _voting(session, period.id, evaluations, org_evaluations)
            + _committee_voting(tree, org_evaluations)
        ),
        member_cells={e.member_id: e.org_id for e in evaluations},
        tree=tree,
        org_names={o.id: o.name for o in orgs},
    )


def _committee_voting(
    tree: OrgTree, org_evaluations: dict[tuple[int, str], OrgEvaluation]
) -> list[CellVoting]:
    """Who voted on the commune's own levels at the đảng ủy's conference, as recorded with
    them (the commune's committee has no roster or attendance of its own in the app)."""
    found = []
    for root in tree.roots():
        rows = [org_evaluations.get((root, kind)) for kind in ("org", "collective")]
        recorded = [row for row in rows if row is not None and row.voters_total]
        if recorded:
            row = recorded[0]
            found.append(CellVoting(root, row.voters_total or 0, row.voters_present or 0))
    return found


def _leadership(title: str, cell_id: int, tree: OrgTree) -> tuple[int | None, int | None]:
    """Which organisation a member heads, and whose leading collective they sit on, from
    their party post: "Bí thư chi bộ" heads the cell; "… Đảng ủy …" posts belong to the
    committee above it."""
    rank = post_rank(title)
    if rank == 9:
        return None, None
    target = cell_id
    if "đảng ủy" in fold(title) or "đảng uỷ" in fold(title):
        target = tree.grassroots_of(cell_id) or cell_id
    if rank == 0:
        return target, None
    return None, target


def _previous_levels(session: Session, year: int) -> dict[int, str]:
    rows = session.execute(
        select(MemberEvaluation.member_id, MemberEvaluation.decided_level)
        .join(EvaluationPeriod, EvaluationPeriod.id == MemberEvaluation.period_id)
        .where(EvaluationPeriod.year == year - 1, MemberEvaluation.decided_level.is_not(None))
    ).all()
    return {member_id: level for member_id, level in rows}


def _previous_org_levels(session: Session, year: int) -> dict[int, str]:
    rows = session.execute(
        select(OrgEvaluation.org_id, OrgEvaluation.decided_level)
        .join(EvaluationPeriod, EvaluationPeriod.id == OrgEvaluation.period_id)
        .where(
            EvaluationPeriod.year == year - 1,
            OrgEvaluation.subject == "org",
            OrgEvaluation.decided_level.is_not(None),
        )
    ).all()
    return {org_id: level for org_id, level in rows}


def _voting(
    session: Session,
    period_id: int,
    evaluations: list[MemberEvaluation] | tuple[MemberEvaluation, ...],
    org_evaluations: dict[tuple[int, str], OrgEvaluation],
) -> list[CellVoting]:
    """Voters and those present, for the cells that met or voted (a year imported from a
    workbook has neither, and no quorum to judge)."""
    voters: dict[int, set[int]] = defaultdict(set)
    voted: set[int] = set()
    for e in evaluations:
        if e.votes:
            voters[e.org_id].add(e.member_id)
        if e.vote_counts:
            voted.add(e.org_id)
    # The latest meeting of every cell and who was present at it: two queries for the whole
    # period rather than two per cell.
    latest: dict[int, tuple[int, int]] = {}  # evaluation → (round, meeting)
    for meeting_id, evaluation_id, round_ in session.execute(
        select(Meeting.id, Meeting.org_evaluation_id, Meeting.round)
        .join(OrgEvaluation, OrgEvaluation.id == Meeting.org_evaluation_id)
        .where(OrgEvaluation.period_id == period_id)
    ):
        if evaluation_id not in latest or round_ > latest[evaluation_id][0]:
            latest[evaluation_id] = (round_, meeting_id)
    present_at: dict[int, set[int]] = defaultdict(set)
    for meeting_id, member_id in session.execute(
        select(Attendance.meeting_id, Attendance.member_id)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(OrgEvaluation, OrgEvaluation.id == Meeting.org_evaluation_id)
        .where(OrgEvaluation.period_id == period_id, Attendance.present.is_(True))
    ):
        present_at[meeting_id].add(member_id)
    result = []
    for cell_id, cell_voters in voters.items():
        evaluation = org_evaluations.get((cell_id, "org"))
        if evaluation is not None and evaluation.vote_counts:
            voted.add(cell_id)
        meeting = latest.get(evaluation.id) if evaluation is not None else None
        present = present_at.get(meeting[1], set()) if meeting is not None else set()
        if meeting is not None or cell_id in voted:
            result.append(CellVoting(cell_id, len(cell_voters), len(cell_voters & present)))
    return result
