"""Summary of a year's results at any node of the tree.

Public API::

    summarize(db, year, unit=None) -> Summary           one node (None: the top of the tree)
    summarize_children(db, year, unit=None) -> tuple[Summary, ...]   each child node
    report(db, year, unit=None) -> SummaryReport        both, from one reading
    cell_members(db, year, unit) -> tuple[MemberResult, ...]         drill down to members
    trend(db, unit=None) -> tuple[Summary, ...]         every year with a period, oldest first

Which organisations a node counts: above grassroots level (a former district, a province),
the grassroots organisations below it (tổ chức cơ sở đảng: "36/69 TSVM"), and separately the
cells and partial committees under those; at a grassroots committee, every organisation below
it; at a cell, none. Members: every member whose frozen roster row lies in the node's subtree.
Shares of levels are of those classified, those without a level yet a line of their own
(``figures``: every share is computed there, once); the screening list and the previous
year's figures come with it. Everything is aggregated in SQL (see ``summary.load``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.collation import roster_key, text_key
from app.domain.procedure import PeriodState
from app.domain.rules import RuleSet
from app.domain.vocabulary import OrgKind
from app.services.common.errors import NotFound, ServiceError
from app.services.periods import rule_sets as rulesets
from app.services.periods.lifecycle import find
from app.services.roster.organizations import find_unit
from app.services.summary import figures, scores
from app.services.summary.figures import (
    PENDING_LABEL,
    GroupFigures,
    LevelFigure,
    LevelInfo,
    RatioFigure,
    ReasonFigure,
    change_text,
)
from app.services.summary.load import (
    Archive,
    Outcome,
    YearRecords,
    load_archive,
    load_year,
    period_years,
)
from app.services.summary.scores import ScoreDistribution
from app.store.database import Database
from app.store.models import EvaluationPeriod, Member, MemberEvaluation, PostHolding, PostKind

__all__ = [
    "PENDING_LABEL",
    "GroupFigures",
    "LevelFigure",
    "LevelInfo",
    "MemberResult",
    "RatioFigure",
    "ReasonFigure",
    "ScreeningMember",
    "Summary",
    "SummaryReport",
    "Unit",
    "cell_members",
    "change_text",
    "report",
    "summarize",
    "summarize_children",
    "trend",
]

_KIND_RANK = {OrgKind.COMMITTEE: 0, OrgKind.PARTIAL_COMMITTEE: 1, OrgKind.CELL: 2}


@dataclass(frozen=True)
class Unit:
    id: int
    code: str
    name: str
    kind: OrgKind
    place_name: str
    superior: str  # the body above it, for a document heading ("Đảng bộ tỉnh Điện Biên")

    @property
    def is_cell(self) -> bool:
        return self.kind is OrgKind.CELL


@dataclass(frozen=True)
class ScreeningMember:
    """A member at the lowest level two years running (R11; HD 02-HD/BTCTW 2021)."""

    member_id: int
    code: str
    full_name: str
    cell_id: int
    cell_name: str
    previous_level: LevelInfo
    current_level: LevelInfo


@dataclass(frozen=True)
class Summary:
    year: int
    ruleset_id: str
    ruleset_name: str
    unit: Unit
    member_levels: tuple[LevelInfo, ...]
    org_levels: tuple[LevelInfo, ...]
    members: GroupFigures
    organisations: GroupFigures | None  # None at a cell
    subordinate: GroupFigures | None  # above grassroots: the cells under grassroots committees
    ratio: RatioFigure
    screening: tuple[ScreeningMember, ...]
    own_level: LevelInfo | None  # the node's own level (decided, else proposed)
    own_level_decided: bool = False
    previous_year: int | None = None  # the year the ``previous`` figures are of
    # By score band, where the rule set scores (issue 24): members; the organisations of the
    # main group. None where it does not score them.
    member_scores: ScoreDistribution | None = None
    org_scores: ScoreDistribution | None = None


@dataclass(frozen=True)
class SummaryReport:
    summary: Summary
    children: tuple[Summary, ...]
    # The year is not decided yet: its figures are provisional and every paper of them is a
    # draft (the window labels them, the PDF says "DỰ THẢO").
    provisional: bool = False


@dataclass(frozen=True)
class MemberResult:
    member_id: int
    code: str
    full_name: str
    cell_id: int
    cell_name: str
    party_post: str
    evaluated: bool
    level: LevelInfo | None
    decided: bool
    reason: str  # why not classified, "" when classified
    previous_level: LevelInfo | None  # the decision of the year before


@dataclass(frozen=True)
class _Reading:
    archive: Archive
    now: YearRecords
    before: YearRecords | None


def _read(session: Session, year: int) -> _Reading:
    now = load_year(session, year)
    if now is None:
        raise NotFound(f"Chưa có kỳ đánh giá năm {year}")
    return _Reading(load_archive(session), now, load_year(session, year - 1, screening=False))


def _node(session: Session, archive: Archive, unit: str | int | None) -> int:
    if unit is not None:
        return find_unit(session, unit).id
    roots = archive.roots()
    if not roots:
        raise NotFound("Chưa có tổ chức đảng nào trong dữ liệu")
    if len(roots) > 1:
        codes = ", ".join(archive.orgs[r].code for r in roots)
        raise ServiceError(f"Dữ liệu có nhiều tổ chức cấp cao nhất ({codes}); hãy chọn một tổ chức")
    return roots[0]


def summarize(db: Database, year: int, unit: str | int | None = None) -> Summary:
    """The summary of *unit* (a code or an id; None: the top of the tree) for *year*."""
    with db.session() as session:
        reading = _read(session, year)
        return _summary(reading, _node(session, reading.archive, unit))


def summarize_children(
    db: Database, year: int, unit: str | int | None = None
) -> tuple[Summary, ...]:
    """The same summary for each child of *unit*, in the tree's display order."""
    return report(db, year, unit).children


def report(db: Database, year: int, unit: str | int | None = None) -> SummaryReport:
    """The summary of *unit* and of each of its children, from one reading of the records."""
    with db.session() as session:
        reading = _read(session, year)
        node = _node(session, reading.archive, unit)
        children = tuple(_summary(reading, c) for c in _children(reading.archive, node))
        provisional = not PeriodState(find(session, year).state).is_decided
        return SummaryReport(_summary(reading, node), children, provisional)


def trend(db: Database, unit: str | int | None = None) -> tuple[Summary, ...]:
    """The summary of *unit* for every year that has a period, oldest first (for a chart)."""
    with db.session() as session:
        archive = load_archive(session)
        node = _node(session, archive, unit)
        found: list[Summary] = []
        previous: YearRecords | None = None
        for year in period_years(session):
            now = load_year(session, year)
            assert now is not None
            before = previous if previous is not None and previous.year == year - 1 else None
            found.append(_summary(_Reading(archive, now, before), node))
            previous = now
        return tuple(found)


def _children(archive: Archive, node: int) -> list[int]:
    def key(i: int) -> tuple[int, int, str, str]:
        o = archive.orgs[i]
        return (o.position, _KIND_RANK[o.kind], text_key(o.name), o.code)

    return sorted(archive.tree.children(node), key=key)


def _unit(archive: Archive, node: int) -> Unit:
    org = archive.orgs[node]
    parent = archive.orgs.get(org.parent_id) if org.parent_id is not None else None
    superior = parent.name if parent is not None else org.superior_line
    return Unit(org.id, org.code, org.name, org.kind, org.place_name, superior)


def _org_groups(archive: Archive, node: int) -> tuple[tuple[str, list[int]] | None, ...]:
    """The organisations counted at *node*: (title, ids) of the main group and of the
    second group shown above grassroots level."""
    tree = archive.tree
    if archive.orgs[node].kind is OrgKind.CELL:
        return (None, None)
    below = list(tree.descendants(node))
    if not tree.is_superior(node):
        return (("Tổ chức đảng trực thuộc", below), None)
    grassroots = [i for i in below if tree.is_grassroots(i)]
    under = [i for i in below if not tree.is_grassroots(i) and not tree.is_superior(i)]
    return (
        ("Tổ chức cơ sở đảng", grassroots),
        ("Chi bộ, đảng bộ bộ phận trực thuộc đảng ủy cơ sở", under) if under else None,
    )


def _members(records: YearRecords, cells: Iterable[int]) -> list[Outcome]:
    return [o for c in cells for o in records.members.get(c, ())]


def _orgs(records: YearRecords, ids: Iterable[int]) -> list[Outcome]:
    return [records.orgs[i] for i in ids if i in records.orgs]


def _summary(reading: _Reading, node: int) -> Summary:
    archive, now, before = reading.archive, reading.now, reading.before
    rs = now.ruleset
    prs = before.ruleset if before else None
    subtree = archive.tree.subtree(node)
    member_now = figures.count(_members(now, subtree), rs)
    member_before = figures.count(_members(before, subtree), prs) if before and prs else None
    members = figures.group(
        "Đảng viên", member_now, rs.member_levels, member_before, prs.member_levels if prs else None
    )
    groups = []
    for spec in _org_groups(archive, node):
        if spec is None:
            groups.append(None)
            continue
        title, ids = spec
        org_now = figures.count(_orgs(now, ids), rs)
        org_before = figures.count(_orgs(before, ids), prs) if before and prs else None
        groups.append(
            figures.group(
                title, org_now, rs.org_levels, org_before, prs.org_levels if prs else None
            )
        )
    specs = _org_groups(archive, node)
    org_ids = specs[0][1] if specs[0] is not None else []
    member_scores = scores.distribution(
        "Đảng viên (điểm tự chấm)", rs, "member",
        scores.summed(now.member_bands.get(c, {}) for c in subtree),
    )  # fmt: skip
    org_scores = (
        scores.distribution(
            f"{specs[0][0]} (điểm tự chấm)",
            rs,
            "org",
            Counter(now.org_bands[i] for i in org_ids if i in now.org_bands),
        )
        if specs[0] is not None
        else None
    )
    own = now.orgs.get(node)
    own_level = None
    if own is not None and own.level is not None and own.level in rs.org_levels:
        level = rs.org_levels.get(own.level)
        own_level = LevelInfo(level.code, level.short, level.name)
    return Summary(
        year=now.year,
        ruleset_id=rs.id,
        ruleset_name=rs.name,
        unit=_unit(archive, node),
        member_levels=figures.levels_of(rs.member_levels),
        org_levels=figures.levels_of(rs.org_levels),
        members=members,
        organisations=groups[0],
        subordinate=groups[1],
        ratio=figures.ratio(rs, member_now, member_before, prs),
        screening=_screening(archive, now, prs, subtree),
        own_level=own_level,
        own_level_decided=bool(own and own.decided),
        previous_year=before.year if before else None,
        member_scores=member_scores,
        org_scores=org_scores,
    )


def _info(rs: RuleSet | None, code: str) -> LevelInfo:
    if rs is not None and code in rs.member_levels:
        level = rs.member_levels.get(code)
        return LevelInfo(level.code, level.short, level.name)
    return LevelInfo(code, code, code)


def _screening(
    archive: Archive, now: YearRecords, previous_rs: RuleSet | None, subtree: set[int]
) -> tuple[ScreeningMember, ...]:
    found = []
    for r in now.screening:
        if r.cell_id not in subtree:
            continue
        cell = archive.orgs.get(r.cell_id)
        found.append(
            ScreeningMember(
                member_id=r.member_id,
                code=r.code,
                full_name=r.full_name,
                cell_id=r.cell_id,
                cell_name=cell.name if cell else "",
                previous_level=_info(previous_rs or now.ruleset, r.previous_level),
                current_level=_info(now.ruleset, r.current_level),
            )
        )
    return tuple(found)


def cell_members(db: Database, year: int, unit: str | int) -> tuple[MemberResult, ...]:
    """The members of a cell (or of any node, cell by cell) with their level of *year* and
    the decision of the year before; office-holders first, then Vietnamese name order."""
    with db.session() as session:
        archive = load_archive(session)
        node = _node(session, archive, unit)
        period = find(session, year)
        rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
        before = session.scalar(select(EvaluationPeriod).where(EvaluationPeriod.year == year - 1))
        before_rs = rulesets.from_snapshot(before.ruleset_snapshot, before.year) if before else None
        rows = session.execute(
            select(MemberEvaluation, Member.code, Member.full_name)
            .join(Member, Member.id == MemberEvaluation.member_id)
            .where(
                MemberEvaluation.period_id == period.id,
                MemberEvaluation.org_id.in_(archive.tree.subtree(node)),
            )
        ).all()
        ids = [e.member_id for e, _code, _name in rows]
        previous: dict[int, str] = {}
        if before is not None:
            previous = {
                member_id: level
                for member_id, level in session.execute(
                    select(MemberEvaluation.member_id, MemberEvaluation.decided_level).where(
                        MemberEvaluation.period_id == before.id,
                        MemberEvaluation.member_id.in_(ids),
                        MemberEvaluation.decided_level.is_not(None),
                    )
                )
            }
        posts = _party_posts(session, ids, period.reference_date)
        results = [
            _member_result(archive, rs, before_rs, e, code, name, posts, previous)
            for e, code, name in rows
        ]
    results.sort(
        key=lambda r: (text_key(r.cell_name), r.cell_id, *roster_key(r.party_post, r.full_name))
    )
    return tuple(results)


def _member_result(
    archive: Archive,
    rs: RuleSet,
    before_rs: RuleSet | None,
    e: MemberEvaluation,
    code: str,
    name: str,
    posts: dict[int, str],
    previous: dict[int, str],
) -> MemberResult:
    level = (e.decided_level or e.proposed_level) if e.evaluated else None
    cell = archive.orgs.get(e.org_id)
    reason = ""
    if not e.evaluated:
        reason = figures.reason_label(rs, e.not_classified_reason or "other", e.not_classified_note)
    before = previous.get(e.member_id)
    return MemberResult(
        member_id=e.member_id,
        code=code,
        full_name=name,
        cell_id=e.org_id,
        cell_name=cell.name if cell else "",
        party_post=posts.get(e.member_id, ""),
        evaluated=e.evaluated,
        level=_info(rs, level) if level else None,
        decided=e.evaluated and e.decided_level is not None,
        reason=reason,
        previous_level=_info(before_rs, before) if before else None,
    )


def _party_posts(session: Session, ids: list[int], day: dt.date) -> dict[int, str]:
    """Each member's party post on *day* (the period's reference date)."""
    posts: dict[int, str] = {}
    query = select(PostHolding).where(
        PostHolding.kind == PostKind.PARTY, PostHolding.member_id.in_(ids)
    )
    for post in session.scalars(query):
        if (post.start_on is None or post.start_on <= day) and (
            post.end_on is None or post.end_on > day
        ):
            posts[post.member_id] = post.title
    return posts
