"""The facts of a period indexed once for the checks: by id, by cell, along the tree."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property

from app.domain.collation import name_key
from app.domain.rules.eligibility import Eligibility, eligibility, org_eligibility
from app.domain.rules.facts import (
    CellVoting,
    DisciplineFact,
    MemberFacts,
    OrgFacts,
    PeriodFacts,
    Subject,
    VoteTally,
)
from app.domain.rules.model import RuleSet, Scale
from app.domain.tree import OrgTree, TreeNode

# What a Context derived with ``with_levels`` takes over from its base (none of it depends on
# the levels): the indexes, the eligibility found so far, the collectives.
_SHARED = (
    "members", "orgs", "tree", "by_cell", "tallies", "voting", "_member_elig", "_org_elig",
    "collective_members", "heads",
)  # fmt: skip


class Context:
    """One evaluation of *levels* under *rs* for *period*.

    Raises ValueError (Vietnamese message) for input a caller must not send: a level code the
    rule set lacks, a subject not in the period, a member whose cell is not among the
    organisations.
    """

    def __init__(
        self,
        rs: RuleSet,
        period: PeriodFacts,
        levels: Mapping[Subject, str],
        base: Context | None = None,
    ) -> None:
        self.rs = rs
        self.period = period
        self.year = period.year
        if base is not None:
            # Everything that does not depend on the levels is shared with *base*: the engine
            # evaluates one period many times over while it settles the levels.
            for name in _SHARED:
                if name in base.__dict__:
                    self.__dict__[name] = base.__dict__[name]
        else:
            self._index(period)
        self.levels: dict[Subject, str] = {}
        for subject, code in levels.items():
            self._check_subject(subject)
            if code not in self.scale(subject):
                raise ValueError(
                    f"Mức “{code}” không có trong bộ quy tắc “{rs.name}” "
                    f"(các mức: {', '.join(self.scale(subject).codes)})"
                )
            self.levels[subject] = code
        self._orgs_with_levels: dict[str, list[tuple[OrgFacts, str]]] = {}

    def _index(self, period: PeriodFacts) -> None:
        self.members: dict[int, MemberFacts] = {m.member_id: m for m in period.members}
        self.orgs: dict[int, OrgFacts] = {o.org_id: o for o in period.organizations}
        self.tree = OrgTree(
            TreeNode(o.org_id, o.parent_id if o.parent_id in self.orgs else None, o.kind)
            for o in period.organizations
        )
        self.by_cell: dict[int, list[MemberFacts]] = {}
        for m in sorted(period.members, key=lambda m: (name_key(m.full_name), m.member_id)):
            if m.cell_id not in self.orgs:
                raise ValueError(
                    f"Đảng viên {m.full_name} thuộc chi bộ (mã {m.cell_id}) không có trong "
                    "danh sách tổ chức đảng của kỳ đánh giá"
                )
            self.by_cell.setdefault(m.cell_id, []).append(m)
        self.tallies: dict[Subject, VoteTally] = {t.subject: t for t in period.votes}
        self.voting: dict[int, CellVoting] = {v.cell_id: v for v in period.voting}
        self._member_elig: dict[int, Eligibility] = {}
        self._org_elig: dict[int, Eligibility] = {}

    def with_levels(self, levels: Mapping[Subject, str]) -> Context:
        """The same period under other levels (its indexes and eligibility shared)."""
        return Context(self.rs, self.period, levels, base=self)

    # What nearly every check iterates over, listed once per evaluation (a context's levels
    # never change).
    @cached_property
    def members_with_levels(self) -> list[tuple[MemberFacts, str]]:
        found = []
        for cell_members in self.by_cell.values():
            for m in cell_members:
                level = self.levels.get(Subject("member", m.member_id))
                if level is not None and self.member_eligibility(m).evaluated:
                    found.append((m, level))
        return found

    def orgs_with_levels(self, kind: str = "org") -> list[tuple[OrgFacts, str]]:
        known = self._orgs_with_levels.get(kind)
        if known is None:
            known = self._orgs_with_levels[kind] = [
                (o, level)
                for o in self.orgs.values()
                if (level := self.levels.get(Subject(kind, o.org_id))) is not None
                and self.org_eligibility(o).evaluated
            ]
        return known

    def _check_subject(self, subject: Subject) -> None:
        known = self.members if subject.kind == "member" else self.orgs
        if subject.id not in known:
            what = "đảng viên" if subject.kind == "member" else "tổ chức đảng"
            raise ValueError(f"Không có {what} mã {subject.id} trong kỳ đánh giá")

    def scale(self, subject: Subject) -> Scale:
        return self.rs.scale(subject.kind)

    def level(self, subject: Subject) -> str | None:
        return self.levels.get(subject)

    # Eligibility -------------------------------------------------------------------------

    def member_eligibility(self, member: MemberFacts) -> Eligibility:
        if member.member_id not in self._member_elig:
            self._member_elig[member.member_id] = eligibility(self.rs, self.period, member)
        return self._member_elig[member.member_id]

    def org_eligibility(self, org: OrgFacts) -> Eligibility:
        if org.org_id not in self._org_elig:
            self._org_elig[org.org_id] = org_eligibility(self.rs, self.period, org)
        return self._org_elig[org.org_id]

    def subject_eligibility(self, subject: Subject) -> Eligibility:
        if subject.kind == "member":
            return self.member_eligibility(self.members[subject.id])
        return self.org_eligibility(self.orgs[subject.id])

    # The tree ----------------------------------------------------------------------------

    def members_in(self, org_id: int) -> list[MemberFacts]:
        """Every member of the cells at or below *org_id*, in name order."""
        cells = self.tree.cells(org_id)
        found = [m for cell in cells for m in self.by_cell.get(cell, [])]
        if len(cells) > 1:
            found.sort(key=lambda m: (name_key(m.full_name), m.member_id))
        return found

    def evaluated_members_in(self, org_id: int) -> list[MemberFacts]:
        return [m for m in self.members_in(org_id) if self.member_eligibility(m).evaluated]

    def children(self, org_id: int) -> list[OrgFacts]:
        return [self.orgs[c] for c in self.tree.children(org_id)]

    def evaluated_children(self, org_id: int) -> list[OrgFacts]:
        return [o for o in self.children(org_id) if self.org_eligibility(o).evaluated]

    def grassroots_of(self, org_id: int) -> int:
        """The grassroots organisation over *org_id* as the facts mark it; the top of the
        known tree when none is marked."""
        chain = [org_id, *self.tree.ancestors(org_id)]
        for candidate in chain:
            if self.orgs[candidate].is_grassroots:
                return candidate
        return chain[-1]

    @cached_property
    def collective_members(self) -> dict[int, list[MemberFacts]]:
        """Members of each organisation's leading collective (its head included)."""
        result: dict[int, list[MemberFacts]] = {}
        for m in self.members.values():
            seats = {m.collective_org_id, m.heads_org_id} - {None}
            for org_id in seats:
                result.setdefault(org_id, []).append(m)
        for seated in result.values():
            seated.sort(key=lambda m: (name_key(m.full_name), m.member_id))
        return result

    @cached_property
    def heads(self) -> dict[int, MemberFacts]:
        return {m.heads_org_id: m for m in self.members.values() if m.heads_org_id is not None}

    def in_year(self, disciplines: Iterable[DisciplineFact]) -> list[DisciplineFact]:
        """The disciplines decided in the evaluated year (a violation counts once, in the
        year it was decided)."""
        if not disciplines:
            return []  # most members: no discipline at all
        return sorted(
            (d for d in disciplines if d.decided_on.year == self.year), key=lambda d: d.decided_on
        )
