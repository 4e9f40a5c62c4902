"""What the window shows at its first paint, read with plain SQL: the organisation tree, the
members as they stand today, each cell's step in a period, the periods' years, and whether a
window password is set.

These reads go through the SQLite driver itself (``Database.read``; psycopg on a server
database, which answers alike), not SQLAlchemy: importing SQLAlchemy and the mapped models took
more than half of every start on an office PC, and none of it is needed to show the tree and
the member table. Everything that writes, and every other
read, goes through the sessions as usual; this module imports nothing from SQLAlchemy and must
stay so (a test starts the window and checks).

Values come back as the driver gives them: dates as ISO text (how SQLAlchemy stores them),
enums as their values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain import clock
from app.domain.collation import text_key
from app.domain.member_checks import MemberFields
from app.domain.procedure import CellStep
from app.domain.search import SearchText
from app.domain.tree import OrgTree, TreeNode
from app.domain.vocabulary import FormCategory, Gender, OrgKind, PeriodKind, PostKind
from app.services.common.errors import NotFound
from app.store.database import Database


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


# ---- organisations -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrgNode:
    id: int
    code: str
    name: str
    kind: OrgKind
    parent_id: int | None
    place_name: str
    superior_line: str
    established_on: dt.date | None
    position: int


@dataclass(frozen=True)
class OrgListing:
    """The whole tree, ordered for display, with its structure."""

    nodes: list[OrgNode]
    tree: OrgTree

    def by_id(self) -> dict[int, OrgNode]:
        return {node.id: node for node in self.nodes}


def display_order(nodes: list[OrgNode]) -> list[OrgNode]:
    """Parents before children; siblings by position, then committees before cells, then name."""
    kind_rank = {OrgKind.COMMITTEE: 0, OrgKind.PARTIAL_COMMITTEE: 1, OrgKind.CELL: 2}
    children: dict[int | None, list[OrgNode]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    ids = {node.id for node in nodes}
    ordered: list[OrgNode] = []

    def visit(parent: int | None) -> None:
        siblings = sorted(
            children.get(parent, []),
            key=lambda n: (n.position, kind_rank[n.kind], text_key(n.name), n.code),
        )
        for node in siblings:
            ordered.append(node)
            visit(node.id)

    visit(None)
    # Nodes whose parent is missing would be lost; show them at the top level instead.
    for node in nodes:
        if node.parent_id is not None and node.parent_id not in ids:
            ordered.append(node)
            visit(node.id)
    return ordered


def list_organizations(db: Database) -> OrgListing:
    rows = db.read(
        "SELECT id, code, name, kind, parent_id, place_name, superior_line, established_on, "
        "position FROM organizations"
    )
    nodes = [
        OrgNode(org_id, code, name, OrgKind(kind), parent, place, superior, _day(founded), pos)
        for org_id, code, name, kind, parent, place, superior, founded, pos in rows
    ]
    ordered = display_order(nodes)
    tree = OrgTree(TreeNode(n.id, n.parent_id, n.kind) for n in ordered)
    return OrgListing(ordered, tree)


# ---- members -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MemberRow:
    """One line of the member table: the member as they stand today."""

    id: int
    code: str
    full_name: str
    name_key: str
    birth_date: dt.date | None
    gender: Gender | None
    cell_id: int
    cell_name: str
    admitted_on: dt.date | None
    official_on: dt.date | None
    party_post: str
    other_post: str
    form_category: FormCategory
    is_civil_servant: bool
    card_number: str
    exempt_since: dt.date | None

    def is_probationary(self, on: dt.date) -> bool:
        return self.official_on is None or self.official_on > on

    @property
    def is_exempt(self) -> bool:
        return self.exempt_since is not None

    def fields(self) -> MemberFields:
        return MemberFields(
            code=self.code,
            full_name=self.full_name,
            birth_date=self.birth_date,
            gender=self.gender,
            admitted_on=self.admitted_on,
            official_on=self.official_on,
            party_post=self.party_post,
            other_post=self.other_post,
            form_category=self.form_category,
            is_civil_servant=self.is_civil_servant,
            card_number=self.card_number,
            exempt_since=self.exempt_since,
        )

    @property
    def search(self) -> SearchText:
        """The forms the member is searched in (made when asked: the member table makes them
        once, after the window's first paint)."""
        return SearchText.of(self.full_name, self.code)


_MEMBERS = """
SELECT m.id, m.code, m.full_name, m.name_key, m.birth_date, m.gender, m.admitted_on,
       m.official_on, m.form_category, m.is_civil_servant, m.card_number, c.org_id
FROM members AS m
JOIN cell_memberships AS c ON c.member_id = m.id AND c.end_on IS NULL
ORDER BY m.name_key, m.code
"""
_EXEMPT_SINCE = """
SELECT member_id, min(start_on) FROM member_periods
WHERE kind = ? AND start_on <= ? AND (end_on IS NULL OR end_on >= ?)
GROUP BY member_id
"""


def list_members(db: Database, today: dt.date | None = None) -> list[MemberRow]:
    """Every member currently in a cell, in Vietnamese name order."""
    today = today or clock.today()
    cells = dict(db.read("SELECT id, name FROM organizations"))
    posts: dict[tuple[int, str], str] = {}
    for member_id, kind, title in db.read(
        "SELECT member_id, kind, title FROM post_holdings WHERE end_on IS NULL ORDER BY id"
    ):
        posts[(member_id, kind)] = title
    day = today.isoformat()  # ISO dates compare as text
    exempt = {
        member_id: _day(since)
        for member_id, since in db.read(_EXEMPT_SINCE, (PeriodKind.EXEMPT.value, day, day))
    }
    genders = {g.value: g for g in Gender}
    forms = {f.value: f for f in FormCategory}
    party, other = PostKind.PARTY.value, PostKind.OTHER.value
    return [
        MemberRow(
            id=member_id,
            code=code,
            full_name=full_name,
            name_key=key,
            birth_date=_day(birth),
            gender=genders.get(gender) if gender else None,
            cell_id=cell_id,
            cell_name=cells.get(cell_id, ""),
            admitted_on=_day(admitted),
            official_on=_day(official),
            party_post=posts.get((member_id, party), ""),
            other_post=posts.get((member_id, other), ""),
            form_category=forms[form],
            is_civil_servant=bool(civil_servant),
            card_number=card,
            exempt_since=exempt.get(member_id),
        )
        for (member_id, code, full_name, key, birth, gender, admitted, official, form,
             civil_servant, card, cell_id) in db.read(_MEMBERS)
    ]  # fmt: skip


@dataclass(frozen=True, slots=True)
class RegistryCounts:
    cells: int
    members: int
    official: int
    probationary: int
    exempt: int


def counts(rows: list[MemberRow], cell_count: int, today: dt.date) -> RegistryCounts:
    probationary = sum(1 for r in rows if r.is_probationary(today))
    return RegistryCounts(
        cells=cell_count,
        members=len(rows),
        official=len(rows) - probationary,
        probationary=probationary,
        exempt=sum(1 for r in rows if r.is_exempt),
    )


# ---- periods ---------------------------------------------------------------------------------


def period_years(db: Database) -> list[int]:
    """The years that have an evaluation period, oldest first."""
    return [year for (year,) in db.read("SELECT year FROM evaluation_periods ORDER BY year")]


def cell_steps(db: Database, year: int) -> dict[int, CellStep]:
    """The step of every cell of the period *year*; NotFound when the year has none."""
    if not db.read("SELECT 1 FROM evaluation_periods WHERE year = ?", (year,)):
        raise NotFound(f"Chưa có kỳ đánh giá năm {year}")
    rows = db.read(
        "SELECT e.org_id, e.step FROM org_evaluations AS e "
        "JOIN evaluation_periods AS p ON p.id = e.period_id "
        "JOIN organizations AS o ON o.id = e.org_id "
        "WHERE p.year = ? AND e.subject = 'org' AND o.kind = ?",
        (year, OrgKind.CELL.value),
    )
    return {org_id: CellStep(step) for org_id, step in rows}


def has_password(db: Database) -> bool:
    """Whether a window password is set (its row in ``access_control``)."""
    return bool(db.read("SELECT 1 FROM access_control WHERE id = 1"))


def report_years(db: Database) -> list[int]:
    """The years of the communes' reports the province accepted, newest first; [] for a
    commune's database (it holds no reports). Read at every reload of the window (whether to
    show the "Tỉnh" tab), before anything heavy is loaded."""
    rows = db.read(
        "SELECT DISTINCT year FROM commune_reports WHERE status = 'accepted' ORDER BY year DESC"
    )
    return [int(year) for (year,) in rows]
