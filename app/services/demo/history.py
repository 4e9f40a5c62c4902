"""Past years of decided results for the demo, consistent with each year's rules.

For each year, oldest first: the period is created under the rule set of that year (so its
roster is frozen from the demo's membership history at 31/12), every classified member and
organisation gets a self-assessed level drawn at realistic rates (about 14% HTXSNV and 77%
HTTNV of members, the Điện Biên 2017 figures), and the rule engine's proposal from those
self levels (caps for discipline, sick leave, cells with members KHTNV, the 20% quota …) is
recorded as the commune's decision. So ``validate`` finds nothing blocking in any year, and
the history looks like a commune that followed the rules.

About a third of the members decided KHTNV in a year are KHTNV again the next year (at least
two when there are that many), so the screening list of every year after the first has names.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.procedure import CellStep, PeriodState
from app.domain.rules import PeriodFacts, RuleSet, Scale, Subject, eligibility, propose
from app.domain.vocabulary import AuditAction
from app.services.common.bulk_update import update_by_id
from app.services.common.errors import ServiceError
from app.services.common.progress import SILENT, Progress
from app.services.periods import lifecycle as periods
from app.services.periods import rule_sets as rulesets
from app.services.safekeeping import seal
from app.store.database import Database
from app.store.models import EvaluationPeriod, MemberEvaluation, OrgEvaluation

ACTOR = "Dữ liệu mẫu"
# Self-assessed levels by tier (1 best … 4 worst); a level counted inside another one (hd27's
# "tiêu biểu") takes EXEMPLARY_SHARE of its tier.
MEMBER_RATES = {1: 0.16, 2: 0.745, 3: 0.08, 4: 0.015}
ORG_RATES = {1: 0.30, 2: 0.61, 3: 0.08, 4: 0.01}
EXEMPLARY_SHARE = 0.2
REPEAT_SHARE = 0.35  # of last year's KHTNV members, KHTNV again


@dataclass(frozen=True)
class HistoryYear:
    year: int
    ruleset_id: str
    members_classified: int
    orgs_classified: int
    screening: int  # members KHTNV this year and the year before


def add_history(
    db: Database, years: list[int], seed: int, progress: Progress = SILENT
) -> list[HistoryYear]:
    """Create a decided period for each of *years*; refuse a year that already has one."""
    wanted = sorted(set(years))
    with db.session() as session:
        taken = set(session.scalars(select(EvaluationPeriod.year)))
    clash = [y for y in wanted if y in taken]
    if clash:
        raise ServiceError(
            "Đã có kỳ đánh giá năm " + ", ".join(str(y) for y in clash) + "; không tạo lại"
        )
    rng = random.Random(seed)
    done = []
    for index, year in enumerate(wanted):
        progress.step(index, len(wanted), f"Đang tạo kết quả năm {year}")
        rs = rulesets.default_for_year(year)
        with db.session() as session:
            period, records = periods.open_period(
                session, year, rs, dt.date(year, 12, 31), actor=ACTOR
            )
            done.append(_decide_year(session, period, rs, rng, records.facts))
    progress.step(len(wanted), len(wanted), "Xong")
    return done


def _draw(rng: random.Random, scale: Scale, rates: dict[int, float]) -> str:
    codes, weights = [], []
    for level in scale.levels:
        peers = [lv for lv in scale.levels if lv.tier == level.tier]
        share = rates.get(level.tier, 0.0)
        if len(peers) > 1:
            inner = EXEMPLARY_SHARE if level.counts_as else 1 - EXEMPLARY_SHARE
            share *= inner / max(
                1, sum(1 for p in peers if bool(p.counts_as) == bool(level.counts_as))
            )
        codes.append(level.code)
        weights.append(share)
    return rng.choices(codes, weights)[0]


def _self_levels(rng: random.Random, rs: RuleSet, period: PeriodFacts) -> PeriodFacts:
    """The period's facts with a self-assessed level for every member and organisation."""
    lowest = rs.member_levels.lowest.code
    classified = [m for m in period.members if eligibility(rs, period, m).evaluated]
    again = [m for m in classified if m.previous_level == lowest]
    rng.shuffle(again)
    repeat = {
        m.member_id for m in again[: max(min(2, len(again)), round(len(again) * REPEAT_SHARE))]
    }
    members = tuple(
        dataclasses.replace(
            m,
            self_level=lowest
            if m.member_id in repeat
            else _draw(rng, rs.member_levels, MEMBER_RATES),
        )
        for m in period.members
    )
    # Only a cell with a member KHTNV is drawn at the lowest level: a weak cell with no weak
    # member would puzzle whoever reads the demo.
    weak_cells = {m.cell_id for m in members if m.self_level == lowest}
    orgs = []
    for o in period.organizations:
        code = _draw(rng, rs.org_levels, ORG_RATES)
        if code == rs.org_levels.lowest.code and o.org_id not in weak_cells:
            code = rs.org_levels.best_at_tier(3).code
        orgs.append(dataclasses.replace(o, self_level=code))
    return dataclasses.replace(period, members=members, organizations=tuple(orgs))


def _decide_year(
    session: Session,
    period: EvaluationPeriod,
    rs: RuleSet,
    rng: random.Random,
    records: PeriodFacts,
) -> HistoryYear:
    """Decide the newly opened *period* from its *records* (the facts its roster was frozen
    from). The engine's proposal breaks no rule; the demo's tests check every year."""
    year = period.year
    drawn = _self_levels(rng, rs, records)
    proposal = propose(rs, drawn)
    decided_at = dt.datetime(year + 1, 1, 15, 9, 0)
    member_rows = dict(
        session.execute(
            select(MemberEvaluation.member_id, MemberEvaluation.id).where(
                MemberEvaluation.period_id == period.id
            )
        ).all()
    )
    selfs = {m.member_id: m.self_level for m in drawn.members}
    member_updates = []
    for member_id, row_id in member_rows.items():
        level = proposal.levels.get(Subject("member", member_id))
        if level is None:
            continue  # not classified (exempt, suspended, newly admitted)
        member_updates.append(
            {
                "id": row_id,
                "self_level": selfs[member_id],
                "proposed_level": level,
                "decided_level": level,
            }
        )
    if member_updates:
        update_by_id(session, MemberEvaluation, member_updates)
    org_selfs = {o.org_id: o.self_level for o in drawn.organizations}
    org_updates = []
    for row in session.scalars(select(OrgEvaluation).where(OrgEvaluation.period_id == period.id)):
        level = proposal.levels.get(Subject(row.subject, row.org_id))
        org_updates.append(
            {
                "id": row.id,
                "step": CellStep.DECIDED,
                "locked": True,
                "decided_at": decided_at,
                "self_level": org_selfs.get(row.org_id) if level else None,
                "proposed_level": level,
                "decided_level": level,
            }
        )
    if org_updates:
        update_by_id(session, OrgEvaluation, org_updates)
    period.state = PeriodState.DECIDED
    screening = sum(
        1
        for m in drawn.members
        if m.previous_level == rs.member_levels.lowest.code
        and proposal.levels.get(Subject("member", m.member_id)) == rs.member_levels.lowest.code
    )
    seal.record_lock(
        session,
        period,
        actor=ACTOR,
        action=AuditAction.DEMO_DATA,
        summary=f"Dữ liệu mẫu: kết quả đã quyết định năm {year} ({len(member_updates)} "
        f"đảng viên, {sum(1 for u in org_updates if u['decided_level'])} tổ chức)",
        at=decided_at,
    )
    return HistoryYear(
        year,
        rs.id,
        len(member_updates),
        sum(1 for u in org_updates if u["decided_level"]),
        screening,
    )
