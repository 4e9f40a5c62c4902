"""The province's figures for a year, from the communes' reports it accepted.

:func:`province_summary` gives, for each commune that reported the year, its members and
organisations by level and not classified by reason, and the province's total; the HTXSNV
quota checked in every grassroots organisation across the province (listed where exceeded);
the communes the province knows (any that ever reported) that have not reported the year; and
the screening list across communes (members at the lowest level two years running, matched by
member code within the same commune's reports).

Everything is counted in SQL: one GROUP BY per question over ``reported_members`` and
``reported_organizations``, never a loop over members, so a province of 300,000 members comes
back as a few thousand tallies. The tallies then go through the very functions the commune's
own summary uses (``summary.figures``), with the rule set the commune judged by (the report's
own text), so a commune's figures here are the figures of its own summary.

Which rule set: each commune's figures use the rule set its report carries. The province's
total and the quota read the rule set named by its id (``rule_sets.get``; the report's text
where this app does not have that id): the regime of most reports of the year, and the reports
under another one are named in ``other_rulesets``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from app.domain.collation import name_key, text_key
from app.domain.formatting import format_int
from app.domain.rules import RuleSet
from app.domain.rules.quota import allowed_for, counted_in_base
from app.domain.rules.schema import ratio_text
from app.domain.rules.sections import ROUNDINGS
from app.services.common.errors import ServiceError
from app.services.periods import rule_sets as rulesets
from app.services.reports.preview import ACCEPTED
from app.services.summary import figures
from app.services.summary.figures import GroupFigures, LevelInfo, RatioFigure
from app.services.summary.load import Outcome, screening_level
from app.store.database import Database
from app.store.models import CommuneReport, ReportedMember, ReportedOrganization


@dataclass(frozen=True)
class CommuneFigures:
    """One commune's report as the province counts it."""

    report_id: int
    code: str
    name: str
    ruleset_id: str
    revision: int
    decision_number: str | None
    decided_on: dt.date | None
    imported_at: dt.datetime
    members: GroupFigures
    organisations: GroupFigures
    ratio: RatioFigure  # HTXSNV of HTTNV across the commune


@dataclass(frozen=True)
class QuotaExcess:
    """A grassroots organisation (or cell, where the rule set's scope is the cell) with more
    members at the limited level than the quota allows."""

    commune_code: str
    commune_name: str
    org_code: str
    org_name: str
    level: str  # the limited level's short name ("HTXSNV")
    used: int
    allowed: int
    basis: str  # "20% của 394 HTTNV, làm tròn xuống"

    @property
    def over(self) -> int:
        return self.used - self.allowed


@dataclass(frozen=True)
class MissingCommune:
    code: str
    name: str
    last_year: int  # the last year it reported


@dataclass(frozen=True)
class ScreeningEntry:
    commune_code: str
    commune_name: str
    member_code: str
    full_name: str
    cell_code: str
    cell_name: str
    previous_level: LevelInfo
    current_level: LevelInfo


@dataclass(frozen=True)
class ProvinceSummary:
    year: int
    ruleset_id: str
    ruleset_name: str
    member_levels: tuple[LevelInfo, ...]
    org_levels: tuple[LevelInfo, ...]
    communes: tuple[CommuneFigures, ...]
    members: GroupFigures
    organisations: GroupFigures
    ratio: RatioFigure
    quota_rule: str  # the rule in words; "" when the rule set sets no quota
    quota_checked: int  # grassroots organisations (or cells) checked
    quota_exceeded: tuple[QuotaExcess, ...]
    not_reported: tuple[MissingCommune, ...]
    screening: tuple[ScreeningEntry, ...]
    other_rulesets: tuple[str, ...]  # "Đảng bộ xã … (qd124-2023)": reports of another regime


class _RuleSets:
    """The rule sets of one summary: by id (``rule_sets.get``, read once) or a report's text."""

    def __init__(self) -> None:
        self._by_id: dict[str, RuleSet] | None = None

    def by_id(self, rs_id: str, snapshot: str, year: int) -> RuleSet:
        if self._by_id is None:
            self._by_id = rulesets.available()[0]
        found = self._by_id.get(rs_id)
        return found if found is not None else rulesets.from_snapshot(snapshot, year)

    @staticmethod
    def of_report(rs_id: str, snapshot: str, year: int) -> RuleSet:
        if not snapshot:
            return rulesets.get(rs_id)
        return rulesets.from_snapshot(snapshot, year)


# What the summary reads of a report: never the decision's PDF.
_REPORT = select(
    CommuneReport.id,
    CommuneReport.commune_code,
    CommuneReport.commune_name,
    CommuneReport.ruleset_id,
    CommuneReport.ruleset_snapshot,
    CommuneReport.revision,
    CommuneReport.decision_number,
    CommuneReport.decided_on,
    CommuneReport.imported_at,
)
_Report = Any  # a row of _REPORT


def _accepted(year: int) -> tuple[Any, ...]:
    return (CommuneReport.year == year, CommuneReport.status == ACCEPTED)


def _member_outcomes(session: Session, year: int) -> dict[int, list[Outcome]]:
    m = ReportedMember
    query = (
        select(m.report_id, m.evaluated, m.level, m.not_classified_reason,
               m.not_classified_note, func.count())
        .join(CommuneReport, CommuneReport.id == m.report_id)
        .where(*_accepted(year))
        .group_by(m.report_id, m.evaluated, m.level, m.not_classified_reason,
                  m.not_classified_note)
    )  # fmt: skip
    found: dict[int, list[Outcome]] = defaultdict(list)
    for report_id, evaluated, level, reason, note, n in session.execute(query):
        found[report_id].append(_outcome(evaluated, level, reason, note, n))
    return found


def _org_outcomes(session: Session, year: int) -> dict[int, list[Outcome]]:
    o = ReportedOrganization
    query = (
        select(o.report_id, o.evaluated, o.level, o.not_classified_reason, func.count())
        .join(CommuneReport, CommuneReport.id == o.report_id)
        .where(*_accepted(year), o.in_period.is_(True), o.summary_group == "main")
        .group_by(o.report_id, o.evaluated, o.level, o.not_classified_reason)
    )
    found: dict[int, list[Outcome]] = defaultdict(list)
    for report_id, evaluated, level, reason, n in session.execute(query):
        found[report_id].append(_outcome(evaluated, level, reason, "", n))
    return found


def _outcome(evaluated: bool, level: str | None, reason: str, note: str, n: int) -> Outcome:
    if not evaluated:
        return Outcome(False, None, False, reason or "other", note or "", n)
    return Outcome(True, level, level is not None, "", "", n)


def _group(title: str, outcomes: list[Outcome], rs: RuleSet, kind: str) -> GroupFigures:
    scale = rs.member_levels if kind == "member" else rs.org_levels
    return figures.group(title, figures.count(outcomes, rs), scale)


def _quota(
    session: Session, year: int, reports: dict[int, _Report], rules: _RuleSets
) -> tuple[str, int, list[QuotaExcess]]:
    m = ReportedMember
    own = {i: rules.by_id(r.ruleset_id, r.ruleset_snapshot, year) for i, r in reports.items()}
    by_cell = {i for i, rs in own.items() if rs.member_quota and rs.member_quota.scope == "cell"}
    # Counted per grassroots organisation (a cell with none above it counts as its own), and
    # per cell only where a report's rule set scopes the quota so.
    columns = [m.report_id, func.coalesce(m.grassroots_code, m.cell_code), m.level]
    if by_cell:
        columns.append(m.cell_code)
    query = (
        select(*columns, func.count())
        .join(CommuneReport, CommuneReport.id == m.report_id)
        .where(*_accepted(year), m.evaluated.is_(True), m.level.is_not(None))
        .group_by(*columns)
    )
    scopes: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    for row in session.execute(query):
        report_id, grassroots, level, n = row[0], row[1], row[2], row[-1]
        scope = row[3] if report_id in by_cell else grassroots
        scopes[(report_id, scope)][level] += n
    names = {
        (report_id, code): name
        for report_id, code, name in session.execute(
            select(ReportedOrganization.report_id, ReportedOrganization.code,
                   ReportedOrganization.name)
            .join(CommuneReport, CommuneReport.id == ReportedOrganization.report_id)
            .where(*_accepted(year))
        )
    }  # fmt: skip
    exceeded: list[QuotaExcess] = []
    checked = 0
    sentence = ""
    for (report_id, scope), levels in scopes.items():
        r, rs = reports[report_id], own[report_id]
        rule, scale = rs.member_quota, rs.member_levels
        if rule is None or not rule.enabled or rule.level not in scale:
            continue
        checked += 1
        base = sum(n for code, n in levels.items() if code in scale
                   and counted_in_base(rule, scale, code))  # fmt: skip
        used = sum(n for code, n in levels.items() if code in scale
                   and scale.counts(code, rule.level))  # fmt: skip
        allowed = allowed_for(rule, base)
        better = " trở lên" if rule.base == "httnv_or_better" else ""
        base_short = scale.get(rule.base_level).short
        counted = f"{ratio_text(rule.rate)} của {format_int(base)} {base_short}{better}"
        if not sentence:
            where = "chi bộ" if rule.scope == "cell" else "tổ chức cơ sở đảng"
            sentence = (
                f"Số {scale.get(rule.level).short} trong mỗi {where} không quá "
                f"{ratio_text(rule.rate)} số {base_short}{better} ({ROUNDINGS[rule.rounding]})"
            )
        if used > allowed:
            exceeded.append(
                QuotaExcess(
                    commune_code=r.commune_code,
                    commune_name=r.commune_name,
                    org_code=scope,
                    org_name=names.get((report_id, scope), scope),
                    level=scale.get(rule.level).short,
                    used=used,
                    allowed=allowed,
                    basis=f"{counted}, {ROUNDINGS[rule.rounding]}",
                )
            )
    exceeded.sort(key=lambda q: (text_key(q.commune_name), q.commune_code, q.org_code))
    return sentence, checked, exceeded


def _not_reported(session: Session, year: int, reported: set[str]) -> list[MissingCommune]:
    last: dict[str, tuple[int, str]] = {}
    for code, report_year, name in session.execute(
        select(CommuneReport.commune_code, CommuneReport.year, CommuneReport.commune_name)
        .where(CommuneReport.status == ACCEPTED)
        .order_by(CommuneReport.year)
    ):
        last[code] = (report_year, name)
    missing = [
        MissingCommune(code, name, report_year)
        for code, (report_year, name) in last.items()
        if code not in reported
    ]
    return sorted(missing, key=lambda c: (text_key(c.name), c.code))


def _info(rs: RuleSet, code: str) -> LevelInfo:
    if code in rs.member_levels:
        level = rs.member_levels.get(code)
        return LevelInfo(level.code, level.short, level.name)
    return LevelInfo(code, code, code)


def _screening(
    session: Session, year: int, reports: dict[int, _Report], rules: _RuleSets
) -> list[ScreeningEntry]:
    own = {i: rules.of_report(r.ruleset_id, r.ruleset_snapshot, year) for i, r in reports.items()}
    wanted = {i: screening_level(rs) for i, rs in own.items()}
    if not wanted:
        return []
    now, before = aliased(ReportedMember), aliased(ReportedMember)
    now_report, before_report = aliased(CommuneReport), aliased(CommuneReport)
    query = (
        select(now.report_id, now.code, now.full_name, now.cell_code, now.level)
        .join(now_report, now_report.id == now.report_id)
        .join(
            before_report,
            and_(
                before_report.commune_code == now_report.commune_code,
                before_report.year == year - 1,
                before_report.status == ACCEPTED,
            ),
        )
        .join(before, and_(before.report_id == before_report.id, before.code == now.code))
        .where(
            now_report.year == year,
            now_report.status == ACCEPTED,
            now.evaluated.is_(True),
            now.level.in_(sorted(set(wanted.values()))),
            before.level == now.level,
        )
    )
    rows = [row for row in session.execute(query) if row.level == wanted[row.report_id]]
    cells = {
        (report_id, code): name
        for report_id, code, name in session.execute(
            select(ReportedOrganization.report_id, ReportedOrganization.code,
                   ReportedOrganization.name)
            .where(ReportedOrganization.report_id.in_({r.report_id for r in rows}))
        )
    } if rows else {}  # fmt: skip
    found = [
        ScreeningEntry(
            commune_code=reports[r.report_id].commune_code,
            commune_name=reports[r.report_id].commune_name,
            member_code=r.code,
            full_name=r.full_name,
            cell_code=r.cell_code,
            cell_name=cells.get((r.report_id, r.cell_code), r.cell_code),
            previous_level=_info(own[r.report_id], r.level),
            current_level=_info(own[r.report_id], r.level),
        )
        for r in rows
    ]
    found.sort(key=lambda e: (text_key(e.commune_name), e.commune_code, name_key(e.full_name),
                              e.member_code))  # fmt: skip
    return found


def _main_ruleset(reports: dict[int, _Report], year: int, rules: _RuleSets) -> RuleSet:
    if not reports:
        found = rulesets.for_year(year)
        if not found:
            raise ServiceError(f"Không có bộ quy tắc nào áp dụng cho năm {year}")
        return found[0]
    counted = Counter(r.ruleset_id for r in reports.values())
    rs_id = min(counted, key=lambda i: (-counted[i], i))
    sample = next(r for r in reports.values() if r.ruleset_id == rs_id)
    return rules.by_id(rs_id, sample.ruleset_snapshot, year)


def province_summary(db: Database, year: int) -> ProvinceSummary:
    """The province's figures for *year* from the reports it accepted (see the module)."""
    rules = _RuleSets()
    with db.session() as session:
        reports = {r.id: r for r in session.execute(_REPORT.where(*_accepted(year)))}
        rs = _main_ruleset(reports, year, rules)
        members = _member_outcomes(session, year)
        orgs = _org_outcomes(session, year)
        quota_rule, checked, exceeded = _quota(session, year, reports, rules)
        missing = _not_reported(session, year, {r.commune_code for r in reports.values()})
        screening = _screening(session, year, reports, rules)
    communes = []
    for report_id, r in reports.items():
        own = rules.of_report(r.ruleset_id, r.ruleset_snapshot, year)
        counts = figures.count(members.get(report_id, []), own)
        communes.append(
            CommuneFigures(
                report_id=report_id,
                code=r.commune_code,
                name=r.commune_name,
                ruleset_id=r.ruleset_id,
                revision=r.revision,
                decision_number=r.decision_number,
                decided_on=r.decided_on,
                imported_at=r.imported_at,
                members=figures.group("Đảng viên", counts, own.member_levels),
                organisations=_group("Tổ chức đảng", orgs.get(report_id, []), own, "org"),
                ratio=figures.ratio(own, counts, None, None),
            )
        )
    communes.sort(key=lambda c: (text_key(c.name), c.code))
    all_members = [o for found in members.values() for o in found]
    all_orgs = [o for found in orgs.values() for o in found]
    member_counts = figures.count(all_members, rs)
    return ProvinceSummary(
        year=year,
        ruleset_id=rs.id,
        ruleset_name=rs.name,
        member_levels=figures.levels_of(rs.member_levels),
        org_levels=figures.levels_of(rs.org_levels),
        communes=tuple(communes),
        members=figures.group("Đảng viên", member_counts, rs.member_levels),
        organisations=_group("Tổ chức đảng", all_orgs, rs, "org"),
        ratio=figures.ratio(rs, member_counts, None, None),
        quota_rule=quota_rule,
        quota_checked=checked,
        quota_exceeded=tuple(exceeded),
        not_reported=tuple(missing),
        screening=tuple(screening),
        other_rulesets=tuple(
            f"{c.name} ({c.ruleset_id})" for c in communes if c.ruleset_id != rs.id
        ),
    )
