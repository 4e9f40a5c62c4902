"""What a commune's report to the province carries, as plain records: the commune, its
decision, its organisations and members with their decided levels, and the figures of its own
summary; and how those figures follow from the lists (the same functions the commune's summary
uses), so the reader can check that a report's figures are what its lists say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.domain.procedure import PeriodState
from app.domain.rules import RuleSet, Scale
from app.domain.tree import OrgTree, TreeNode
from app.domain.vocabulary import OrgKind
from app.services.common.signed_json import BadValue
from app.services.periods import rule_sets as rulesets
from app.services.summary import figures
from app.services.summary.figures import GroupFigures
from app.services.summary.load import Outcome

OTHER_REASONS = "Các lý do khác"  # figures' label for free reasons beyond the first few


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    place: str
    superior: str  # the body above it ("Đảng bộ tỉnh Điện Biên")


@dataclass(frozen=True)
class Decision:
    number: str | None  # as printed without "Số" ("03-QĐ/ĐU"); None: not in the register
    issued_on: dt.date | None
    decided_on: dt.date | None
    pdf: bytes | None  # the signed decision


@dataclass(frozen=True)
class OrgResult:
    evaluated: bool
    level: str | None  # the decided level (None when not evaluated, or not decided)
    not_classified_reason: str
    low_level_reason: str
    collective_level: str | None  # its leading collective's decided level


@dataclass(frozen=True)
class OrgEntry:
    code: str
    name: str
    kind: OrgKind
    parent: str | None
    evaluation: OrgResult | None  # None: in the tree, not in the year's evaluation


@dataclass(frozen=True)
class MemberEntry:
    code: str
    full_name: str
    cell: str
    evaluated: bool
    level: str | None
    not_classified_reason: str
    not_classified_note: str
    low_level_reason: str
    # The score the rules read (the self-assessment's two parts; the items' sums where scored
    # item by item) and the year drawn from the quarterly ratings, where rated by quarter
    # (issue 24): what the province may ask to see behind a level.
    score_general: float | None = None
    score_tasks: float | None = None
    quarterly_level: str | None = None
    quarterly: str = ""  # the derivation in words; "" = not rated by quarter


@dataclass(frozen=True)
class GroupCounts:
    """One group of a summary in plain counts: what a report states and the province checks."""

    total: int
    evaluated: int
    pending: int
    levels: tuple[tuple[str, int], ...]
    not_evaluated: tuple[tuple[str, int], ...]

    def level(self, code: str) -> int:
        return dict(self.levels).get(code, 0)

    @property
    def reasons(self) -> dict[str, int]:
        return dict(self.not_evaluated)


@dataclass(frozen=True)
class StatedFigures:
    members: GroupCounts
    organisations: GroupCounts | None


@dataclass(frozen=True)
class ReportData:
    commune: Commune
    year: int
    state: PeriodState
    reference_date: dt.date
    ruleset_id: str
    ruleset_name: str
    ruleset_snapshot: str
    decision: Decision
    audit_count: int
    audit_head: str
    organizations: tuple[OrgEntry, ...]
    members: tuple[MemberEntry, ...]
    figures: StatedFigures


@dataclass(frozen=True)
class ReportPackage:
    path: Path
    checksum: str
    format_version: int
    app_version: str
    exported_at: dt.datetime
    exported_by: str
    data: ReportData

    @property
    def ruleset(self) -> RuleSet:
        return rulesets.from_snapshot(self.data.ruleset_snapshot, self.data.year)


# ---- figures, both sides ---------------------------------------------------------------------


def group_counts(group: GroupFigures, scale: Scale) -> GroupCounts:
    """A summary's group as plain counts: every level of *scale*, and the reasons that count."""
    return GroupCounts(
        total=group.total,
        evaluated=group.evaluated,
        pending=group.pending,
        levels=tuple((lv.code, group.count(lv.code)) for lv in scale.levels),
        not_evaluated=tuple((r.label, r.count) for r in group.not_evaluated if r.count),
    )


def member_outcome(m: MemberEntry) -> Outcome:
    if not m.evaluated:
        return Outcome(
            False, None, False, m.not_classified_reason or "other", m.not_classified_note
        )
    return Outcome(True, m.level, m.level is not None)


def org_outcome(result: OrgResult) -> Outcome:
    if not result.evaluated:
        return Outcome(False, None, False, result.not_classified_reason or "other")
    return Outcome(True, result.level, result.level is not None)


def figures_of(outcomes: Iterable[Outcome], rs: RuleSet, scale: Scale, title: str) -> GroupCounts:
    return group_counts(figures.group(title, figures.count(outcomes, rs), scale), scale)


def same_figures(stated: GroupCounts, found: GroupCounts) -> bool:
    """Whether a report's stated figures are what its lists give. The reasons compare label by
    label, unless one side gathered free-text reasons under ``OTHER_REASONS`` (the summary
    does so with the previous year's reasons in view): then their sum must agree."""
    if (stated.total, stated.evaluated, stated.pending, stated.levels) != (
        found.total,
        found.evaluated,
        found.pending,
        found.levels,
    ):
        return False
    if OTHER_REASONS in stated.reasons or OTHER_REASONS in found.reasons:
        return sum(stated.reasons.values()) == sum(found.reasons.values())
    return stated.reasons == found.reasons


# ---- the tree ------------------------------------------------------------------------------


def check_tree(commune: str, orgs: tuple[OrgEntry, ...], members: tuple[MemberEntry, ...]) -> None:
    """The organisations form one tree under the commune; every member's cell is in it."""
    codes = [o.code for o in orgs]
    if len(set(codes)) != len(codes):
        raise BadValue("một mã tổ chức có hai lần trong danh sách")
    known = set(codes)
    tops = [o.code for o in orgs if o.parent is None]
    if tops != [commune]:
        raise BadValue(f"danh sách tổ chức phải có đúng một tổ chức cao nhất là {commune}")
    for o in orgs:
        if o.parent is not None and o.parent not in known:
            raise BadValue(f"tổ chức {o.code}: tổ chức cấp trên {o.parent} không có trong báo cáo")
    parent = {o.code: o.parent for o in orgs}
    for o in orgs:  # every chain ends at the top: no loop
        seen, current = set(), o.code
        while current is not None:
            if current in seen:
                raise BadValue(f"tổ chức {o.code}: cây tổ chức có vòng lặp")
            seen.add(current)
            current = parent[current]
    codes_m = [m.code for m in members]
    if len(set(codes_m)) != len(codes_m):
        raise BadValue("một mã đảng viên có hai lần trong danh sách")
    for m in members:
        if m.cell not in known:
            raise BadValue(f"đảng viên {m.code}: chi bộ {m.cell} không có trong báo cáo")


def tree_of(orgs: tuple[OrgEntry, ...]) -> tuple[OrgTree, dict[str, int]]:
    """The report's tree with the organisations numbered in their order (ids from 1)."""
    ids = {o.code: i for i, o in enumerate(orgs, start=1)}
    tree = OrgTree(
        TreeNode(ids[o.code], ids[o.parent] if o.parent is not None else None, o.kind) for o in orgs
    )
    return tree, ids


def summary_groups(orgs: tuple[OrgEntry, ...]) -> dict[str, tuple[str, str | None]]:
    """Each organisation's code → (its group in the commune's summary, the code of its
    grassroots organisation). Groups as ``summary.report`` counts them at the top: "top"
    itself; "main", every organisation below a grassroots top, or the grassroots ones below a
    top above grassroots level; "under", the cells and partial committees under those."""
    tree, ids = tree_of(orgs)
    code_of = {i: c for c, i in ids.items()}
    top = tree.roots()[0]
    superior_top = tree.is_superior(top)
    found: dict[str, tuple[str, str | None]] = {}
    for o in orgs:
        i = ids[o.code]
        grassroots = tree.grassroots_of(i)
        if i == top:
            group = "top"
        elif not superior_top or tree.is_grassroots(i):
            group = "main"
        elif not tree.is_superior(i):
            group = "under"
        else:
            group = ""
        found[o.code] = (group, code_of[grassroots] if grassroots is not None else None)
    return found


def computed_figures(data: ReportData, rs: RuleSet) -> StatedFigures:
    """The figures the report's own lists give, as the commune's summary counts them."""
    members = figures_of(
        (member_outcome(m) for m in data.members), rs, rs.member_levels, "Đảng viên"
    )
    if len(data.organizations) == 1 and data.organizations[0].kind is OrgKind.CELL:
        return StatedFigures(members, None)
    groups = summary_groups(data.organizations)
    main = [
        org_outcome(o.evaluation)
        for o in data.organizations
        if o.evaluation is not None and groups[o.code][0] == "main"
    ]
    return StatedFigures(members, figures_of(main, rs, rs.org_levels, "Tổ chức đảng"))
