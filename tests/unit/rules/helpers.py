"""Builders for the rules tests: a commune, its cells and members, in a few words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache

from app.domain.rules import (
    CellVoting,
    DisciplineFact,
    Finding,
    MemberFacts,
    OrgFacts,
    PeriodFacts,
    RuleSet,
    Subject,
    VoteTally,
    load_ruleset,
)
from app.domain.vocabulary import DisciplineForm, OrgKind
from app.paths import rulesets_dir

RULESET_IDS = ("hd27-2014", "qd132-2018", "qd124-2023", "qd366-2025")
# A year each regime was in force, to build periods it would judge.
YEAR = {"hd27-2014": 2017, "qd132-2018": 2020, "qd124-2023": 2024, "qd366-2025": 2025}

COMMUNE = 1
CELL = 10

NAMES = (
    "Lò Văn Pọm", "Giàng A Páo", "Lò Thị Ín", "Quàng Văn Hặc", "Cà Văn Xôm", "Tòng Thị Xuân",
    "Vì Văn Chiến", "Mùa A Dế", "Thào A Chứ", "Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Thị Hoa",
    "Phạm Văn Dũng", "Hoàng Thị Mai", "Đặng Văn Tuấn", "Bùi Thị Hằng", "Đỗ Văn Nam",
    "Sùng A Sình", "Vàng Thị Mỷ", "Lường Văn Hải",
)  # fmt: skip


@cache
def ruleset(rs_id: str) -> RuleSet:
    return load_ruleset(rulesets_dir() / f"{rs_id}.toml")


def m(subject_id: int) -> Subject:
    return Subject("member", subject_id)


def o(subject_id: int) -> Subject:
    return Subject("org", subject_id)


def c(subject_id: int) -> Subject:
    return Subject("collective", subject_id)


def disc(
    year: int, month: int = 3, day: int = 5, form: DisciplineForm = DisciplineForm.REPRIMAND,
    remedied: bool = False,
) -> DisciplineFact:  # fmt: skip
    return DisciplineFact(dt.date(year, month, day), form, remedied)


def member(member_id: int, cell: int = CELL, name: str | None = None, **fields) -> MemberFacts:
    """An official member admitted long ago, unless *fields* say otherwise."""
    fields.setdefault("admitted_on", dt.date(2000, 1, 1))
    fields.setdefault("official_on", dt.date(2001, 1, 1))
    full_name = name or NAMES[(member_id - 1) % len(NAMES)]
    return MemberFacts(member_id=member_id, full_name=full_name, cell_id=cell, **fields)


def commune(**fields) -> OrgFacts:
    fields.setdefault("established_on", dt.date(2000, 1, 1))
    return OrgFacts(
        COMMUNE, "Đảng bộ xã Na Tông", OrgKind.COMMITTEE, None, is_grassroots=True, **fields
    )


def cell(org_id: int = CELL, name: str | None = None, parent: int = COMMUNE, **fields) -> OrgFacts:
    fields.setdefault("established_on", dt.date(2000, 1, 1))
    kind = fields.pop("kind", OrgKind.CELL)
    return OrgFacts(
        org_id, name or f"Chi bộ bản {org_id}", kind, parent, is_grassroots=False, **fields
    )


def period(
    members: Iterable[MemberFacts],
    orgs: Iterable[OrgFacts] | None = None,
    year: int = 2025,
    votes: Iterable[VoteTally] = (),
    voting: Iterable[CellVoting] = (),
    reference_date: dt.date | None = None,
) -> PeriodFacts:
    members = tuple(members)
    if orgs is None:
        cells = sorted({x.cell_id for x in members} | {CELL})
        orgs = [commune(), *(cell(i, "Chi bộ bản Na Tông" if i == CELL else None) for i in cells)]
    return PeriodFacts(
        year, reference_date or dt.date(year, 12, 31), members, tuple(orgs), tuple(votes),
        tuple(voting),
    )  # fmt: skip


def tally(subject: Subject, **counts: int) -> VoteTally:
    return VoteTally(subject, counts)


def of_check(findings: Iterable[Finding], name: str) -> list[Finding]:
    return [f for f in findings if f.check == name]


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "blocking"]
