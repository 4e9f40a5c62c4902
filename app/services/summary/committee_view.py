"""The committee's mirror: how the year's levels look, for the commune
committee to see itself — it informs, it never decides.

Levels are compared by tier (1 best … 4 worst), so years judged under different rule sets
line up. The level read is the decided one, else the cell's proposal (as the summary does).
What it shows, per cell and for the commune:

* the distribution of member levels against the commune's and against the cell's own past;
* cells where every classified member is HTTNV or better — flagged strongly when the cell
  itself is HTNV or lower ("all members good, organisation weak");
* the HTXSNV ceiling used to the last place (each cell's share of it, and the commune's);
* members at the top level several years running;
* members rated above their own cell's level.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from app.domain.collation import text_key
from app.domain.formatting import format_int, format_percent
from app.domain.rules import RuleSet
from app.domain.rules.checkkit import units
from app.domain.rules.model import QuotaRule, Scale
from app.domain.rules.quota import allowed_for, base_count
from app.domain.rules.schema import ratio_text
from app.domain.vocabulary import OrgKind
from app.services.common.errors import NotFound
from app.services.periods import rule_sets as rulesets
from app.store.database import Database
from app.store.models import EvaluationPeriod, Member, MemberEvaluation, Organization, OrgEvaluation

TIERS = 4
MIN_STREAK = 2


@dataclass(frozen=True)
class MirrorMember:
    member_id: int
    full_name: str
    level: str


@dataclass(frozen=True)
class CellMirror:
    cell_id: int
    name: str
    level: str | None  # the cell's own level (decided, else proposed)
    level_name: str
    tier: int | None
    counts: tuple[int, ...]  # members per tier this year, best first
    past: tuple[int, ...]  # members per tier over the cell's earlier years, summed
    past_years: int
    ceiling_allowed: int | None  # the cell's own share of the HTXSNV ceiling
    ceiling_basis: str
    above: tuple[MirrorMember, ...]  # rated above the cell's own level

    @property
    def classified(self) -> int:
        return sum(self.counts)

    @property
    def all_good(self) -> bool:
        """Every classified member HTTNV or better (tiers 1–2)."""
        return self.classified > 0 and sum(self.counts[:2]) == self.classified

    @property
    def weak_despite_good(self) -> bool:
        return self.all_good and self.tier is not None and self.tier >= 3

    @property
    def ceiling_full(self) -> bool:
        return bool(self.ceiling_allowed) and self.counts[0] >= (self.ceiling_allowed or 0)


@dataclass(frozen=True)
class Streak:
    member_id: int
    full_name: str
    cell_name: str
    years: tuple[int, ...]  # consecutive years at the top level, ending with the year shown


@dataclass(frozen=True)
class MirrorNote:
    """One thing worth a look, in one Vietnamese sentence. ``strong`` ones head the list."""

    kind: str  # weak_cell, ceiling, streak, above_cell, all_good
    text: str
    strong: bool = False
    cell_id: int | None = None
    member_id: int | None = None


@dataclass(frozen=True)
class Mirror:
    year: int
    years: tuple[int, ...]  # every year with a period, oldest first
    level_labels: tuple[str, ...]  # member level short names, best first
    commune_name: str
    counts: tuple[int, ...]  # the commune's members per tier this year
    history: tuple[tuple[int, tuple[int, ...]], ...]  # (year, counts) up to this year
    ceiling_allowed: int | None
    ceiling_basis: str
    cells: tuple[CellMirror, ...]
    streaks: tuple[Streak, ...]
    notes: tuple[MirrorNote, ...]

    @property
    def ceiling_full(self) -> bool:
        return bool(self.ceiling_allowed) and self.counts[0] >= (self.ceiling_allowed or 0)


def share_text(part: int, whole: int) -> str:
    return format_percent(part, whole) if whole else "—"


def default_year(db: Database) -> int:
    """The latest decided year, else the latest year; NotFound when there is none."""
    with db.session() as session:
        rows = session.execute(
            select(EvaluationPeriod.year, EvaluationPeriod.state).order_by(EvaluationPeriod.year)
        ).all()
    if not rows:
        raise NotFound("Chưa có kỳ đánh giá nào")
    decided = [year for year, state in rows if state == "decided"]
    return decided[-1] if decided else rows[-1][0]


def _tier(rs: RuleSet, kind: str, code: str | None) -> int | None:
    scale = rs.scale(kind)
    return scale.get(code).tier if code and code in scale else None


def _read(
    db: Database, year: int
) -> tuple[
    dict[int, EvaluationPeriod],
    dict[int, Organization],
    dict[int, str],
    dict[int, dict[int, tuple[int, str]]],
    dict[int, str | None],
]:
    """The periods, organisations and member names, every year's member levels (year → member
    → (cell, level)) and *year*'s cell levels."""
    with db.session() as session:
        periods = {p.year: p for p in session.scalars(select(EvaluationPeriod))}
        if year not in periods:
            raise NotFound(f"Chưa có kỳ đánh giá năm {year}")
        by_period = {p.id: y for y, p in periods.items()}
        orgs = {o.id: o for o in session.scalars(select(Organization))}
        names = dict(session.execute(select(Member.id, Member.full_name)).all())
        # (year, member) → (cell, level); only classified members with a level.
        levels: dict[int, dict[int, tuple[int, str]]] = defaultdict(dict)
        for period_id, member_id, cell_id, decided, proposed in session.execute(
            select(
                MemberEvaluation.period_id,
                MemberEvaluation.member_id,
                MemberEvaluation.org_id,
                MemberEvaluation.decided_level,
                MemberEvaluation.proposed_level,
            ).where(MemberEvaluation.evaluated.is_(True))
        ):
            level = decided or proposed
            if level:
                levels[by_period[period_id]][member_id] = (cell_id, level)
        cell_levels: dict[int, str | None] = {
            org_id: decided or proposed
            for org_id, decided, proposed in session.execute(
                select(
                    OrgEvaluation.org_id, OrgEvaluation.decided_level, OrgEvaluation.proposed_level
                ).where(OrgEvaluation.period_id == periods[year].id, OrgEvaluation.subject == "org")
            )
        }
    return periods, orgs, names, levels, cell_levels


def _ceiling(rule: QuotaRule | None, scale: Scale, codes: list[str]) -> tuple[int | None, str]:
    """How many of the top level *codes* may hold under *rule*, and on what base, in words."""
    if rule is None:
        return None, ""
    base = base_count(rule, scale, codes)
    basis = f"{ratio_text(rule.rate)} của {format_int(base)} {scale.get(rule.base_level).short}"
    return allowed_for(rule, base), basis


def build(db: Database, year: int | None = None) -> Mirror:
    year = year if year is not None else default_year(db)
    periods, orgs, names, levels, cell_levels = _read(db, year)
    sets = {y: rulesets.from_snapshot(p.ruleset_snapshot, y) for y, p in periods.items()}
    rs = sets[year]
    scale = rs.member_levels
    cells = sorted(
        (org_id for org_id in cell_levels if orgs[org_id].kind == OrgKind.CELL),
        key=lambda org_id: text_key(orgs[org_id].name),
    )

    def tier_counts(pairs: list[tuple[int, str]], y: int) -> list[int]:
        found = [0] * TIERS
        for _cell, code in pairs:
            tier = _tier(sets[y], "member", code)
            if tier is not None:
                found[min(tier, TIERS) - 1] += 1
        return found

    rule = rs.member_quota if rs.member_quota and rs.member_quota.enabled else None
    now = levels.get(year, {})
    per_cell: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for member_id, (cell_id, code) in now.items():
        per_cell[cell_id].append((member_id, code))
    cell_rows = []
    for cell_id in cells:
        mine = per_cell.get(cell_id, [])
        past = [0] * TIERS
        past_years = 0
        for y in sorted(levels):
            if y >= year:
                continue
            earlier = [(m, code) for m, (c, code) in levels[y].items() if c == cell_id]
            if earlier:
                past_years += 1
                past = [a + b for a, b in zip(past, tier_counts(earlier, y), strict=True)]
        code = cell_levels.get(cell_id)
        tier = _tier(rs, "org", code)
        allowed, basis = _ceiling(rule, scale, [c for _m, c in mine])
        above = tuple(
            MirrorMember(m, names.get(m, ""), c)
            for m, c in sorted(mine, key=lambda pair: text_key(names.get(pair[0], "")))
            if tier is not None and (_tier(rs, "member", c) or TIERS) < tier
        )
        cell_rows.append(
            CellMirror(
                cell_id=cell_id,
                name=orgs[cell_id].name,
                level=code,
                level_name=rs.org_levels.get(code).short if code in rs.org_levels else "—",
                tier=tier,
                counts=tuple(tier_counts(mine, year)),
                past=tuple(past),
                past_years=past_years,
                ceiling_allowed=allowed,
                ceiling_basis=basis,
                above=above,
            )
        )
    counts = tuple(tier_counts(list(now.values()), year))
    history = tuple(
        (y, tuple(tier_counts(list(levels[y].values()), y))) for y in sorted(levels) if y <= year
    )
    commune_allowed, commune_basis = _ceiling(rule, scale, [c for _cell, c in now.values()])
    roots = [o for o in orgs.values() if o.parent_id is None]
    streaks = _streaks(levels, sets, year, names, orgs)
    mirror = Mirror(
        year=year,
        years=tuple(sorted(periods)),
        level_labels=tuple(level.short for level in scale.levels if level.tier <= TIERS)[:TIERS],
        commune_name=roots[0].name if roots else "",
        counts=counts,
        history=history,
        ceiling_allowed=commune_allowed,
        ceiling_basis=commune_basis,
        cells=tuple(cell_rows),
        streaks=streaks,
        notes=(),
    )
    return dataclasses.replace(mirror, notes=tuple(notes(mirror)))


def _streaks(
    levels: dict[int, dict[int, tuple[int, str]]],
    sets: dict[int, RuleSet],
    year: int,
    names: dict[int, str],
    orgs: dict[int, Organization],
) -> tuple[Streak, ...]:
    found = []
    for member_id, (cell_id, _code) in levels.get(year, {}).items():
        run: list[int] = []
        y = year
        while y in levels and member_id in levels[y]:
            if _tier(sets[y], "member", levels[y][member_id][1]) != 1:
                break
            run.append(y)
            y -= 1
        if len(run) >= MIN_STREAK:
            cell = orgs.get(cell_id)
            found.append(
                Streak(member_id, names.get(member_id, ""), cell.name if cell else "",
                       tuple(reversed(run)))
            )  # fmt: skip
    found.sort(key=lambda s: (-len(s.years), text_key(s.full_name)))
    return tuple(found)


def notes(mirror: Mirror) -> list[MirrorNote]:
    """The sentences of the mirror, strongest first; each says what it sees, never what to
    do about it."""
    top = mirror.level_labels[0] if mirror.level_labels else "HTXSNV"
    out: list[MirrorNote] = []
    for c in mirror.cells:
        if c.weak_despite_good:
            out.append(
                MirrorNote(
                    "weak_cell",
                    f"{c.name} được xếp {c.level_name} nhưng cả {format_int(c.classified)} đảng "
                    f"viên đều được xếp loại HTTNV trở lên ({format_int(c.counts[0])} {top}): "
                    f"mọi cá nhân đều tốt trong khi tổ chức chỉ ở mức {c.level_name}.",
                    strong=True,
                    cell_id=c.cell_id,
                )
            )
    if mirror.ceiling_full:
        out.append(
            MirrorNote(
                "ceiling",
                f"Toàn đảng bộ có {format_int(mirror.counts[0])} đảng viên {top}, dùng hết trần "
                f"{format_int(mirror.ceiling_allowed or 0)} ({mirror.ceiling_basis}).",
                strong=True,
            )
        )
    full = [c for c in mirror.cells if c.ceiling_full and c.counts[0] == c.ceiling_allowed]
    if full:
        out.append(
            MirrorNote(
                "ceiling",
                f"{format_int(len(full))} chi bộ có số {top} bằng đúng phần trần của riêng chi "
                f"bộ mình ({units([c.name for c in full])}); xem cột “Trần XS”.",
            )
        )
    over = [c for c in mirror.cells if c.ceiling_full and c.counts[0] > (c.ceiling_allowed or 0)]
    if over:
        out.append(
            MirrorNote(
                "ceiling",
                f"{format_int(len(over))} chi bộ có số {top} vượt phần trần tính riêng cho chi "
                f"bộ ({units([c.name for c in over])}); trần được tính chung cho toàn đảng bộ, "
                "nên phần vượt là phần các chi bộ khác không dùng.",
            )
        )
    for s in mirror.streaks:
        out.append(
            MirrorNote(
                "streak",
                f"Đồng chí {s.full_name} ({s.cell_name}) được xếp {top} {len(s.years)} năm liền "
                f"({s.years[0]}–{s.years[-1]}).",
                member_id=s.member_id,
            )
        )
    above = [c for c in mirror.cells if c.above]
    if above:
        people = sum(len(c.above) for c in above)
        out.append(
            MirrorNote(
                "above_cell",
                f"{format_int(people)} đảng viên ở {format_int(len(above))} chi bộ được xếp "
                f"loại cao hơn mức của chính chi bộ mình ({units([c.name for c in above])}); "
                "xem cột “Cao hơn chi bộ”.",
            )
        )
    good = [c for c in mirror.cells if c.all_good]
    if good:
        out.append(
            MirrorNote(
                "all_good",
                f"{format_int(len(good))}/{format_int(len(mirror.cells))} chi bộ có mọi đảng "
                f"viên được xếp HTTNV trở lên ({units([c.name for c in good])}).",
            )
        )
    return out
