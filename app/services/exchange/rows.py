"""The database rows of one cell's period, loaded once in a session: what the exchange reads
a package's values from and writes an import's values into."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.procedure.view import latest_meeting
from app.store.models import (
    Attendance,
    EvaluationPeriod,
    Meeting,
    Member,
    MemberEvaluation,
    Organization,
    OrgEvaluation,
)


@dataclass(frozen=True)
class CellRows:
    """The rows of one cell's period in one session, for reading and for writing."""

    period: EvaluationPeriod
    org: Organization
    cell: OrgEvaluation
    collective: OrgEvaluation | None
    members: dict[str, tuple[Member, MemberEvaluation]]  # by member code
    meeting: Meeting | None  # the latest round
    attendance: dict[int, Attendance]  # by member id, at the latest round


def load_rows(session: Session, period: EvaluationPeriod, org: Organization) -> CellRows | None:
    """The cell's rows, or None when the period has no evaluation for it."""
    evaluations = {
        e.subject: e
        for e in session.scalars(
            select(OrgEvaluation).where(
                OrgEvaluation.period_id == period.id, OrgEvaluation.org_id == org.id
            )
        )
    }
    cell = evaluations.get("org")
    if cell is None:
        return None
    members = {
        m.code: (m, e)
        for e, m in session.execute(
            select(MemberEvaluation, Member)
            .join(Member, Member.id == MemberEvaluation.member_id)
            .where(MemberEvaluation.period_id == period.id, MemberEvaluation.org_id == org.id)
        ).all()
    }
    meeting = latest_meeting(session, cell)
    attendance: dict[int, Attendance] = {}
    if meeting is not None:
        attendance = {
            a.member_id: a
            for a in session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id))
        }
    return CellRows(period, org, cell, evaluations.get("collective"), members, meeting, attendance)
