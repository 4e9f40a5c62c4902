"""The report to the province carries, for each member, the score the rules read and the
year drawn from the quarterly ratings (issue 24): what the province may ask to see behind a
level arrives with the level and is stored beside it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import insert, select

from app.services.periods import facts
from app.services.periods import lifecycle as periods
from app.store.database import Database
from app.store.models import Member, MemberEvaluation, QuarterRecord, ReportedMember

from .helpers import content_of, export, store


def test_scores_and_the_quarterly_year_travel_with_each_members_level(
    full_demo_path: Path, province_db: Database, decided_year: int, tmp_path: Path
) -> None:
    with Database.open(full_demo_path) as db, db.session() as session:
        period = periods.find(session, decided_year)
        records = facts.build(session, period)
        holder = next(m for m in records.facts.members if m.holds_party_post and not m.exempt)
        # Quarters entered during the year (before the decision locked the cells).
        session.execute(
            insert(QuarterRecord),
            [{"period_id": period.id, "member_id": holder.member_id, "quarter": q,
              "superior_score": score} for q, score in ((1, 92), (2, 88), (3, 85), (4, 90))],
        )  # fmt: skip
        code = session.scalar(select(Member.code).where(Member.id == holder.member_id))
        general, tasks = session.execute(
            select(MemberEvaluation.self_score_general, MemberEvaluation.self_score_tasks).where(
                MemberEvaluation.period_id == period.id,
                MemberEvaluation.member_id == holder.member_id,
            )
        ).one()
    file = export(full_demo_path, decided_year, tmp_path / "bao-cao.dgr")
    [sent] = [m for m in content_of(file)["members"] if m["code"] == code]
    assert (sent["score_general"], sent["score_tasks"]) == (general, tasks)
    assert sent["quarterly_level"] == "HTTNV"
    assert "(92 + 88 + 85 + 90) : 4 = 88,75 điểm" in sent["quarterly"]
    others = [m for m in content_of(file)["members"] if m["code"] != code]
    assert all(m["quarterly"] == "" and m["quarterly_level"] is None for m in others)

    store(province_db, file)
    with province_db.session() as session:
        row = session.scalar(select(ReportedMember).where(ReportedMember.code == code))
        assert row is not None
        assert (row.score_general, row.score_tasks) == (general, tasks)
        assert row.quarterly_level == "HTTNV" and "88,75 điểm" in row.quarterly
