"""The period board: every cell of a period with its step, how far along it is, what is still
missing, and whether the plan's deadline has passed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import clock
from app.domain.collation import text_key
from app.domain.procedure import CellStep, missing_for, progress_share
from app.domain.vocabulary import OrgKind
from app.services.periods import rule_sets as rulesets
from app.services.periods.lifecycle import find
from app.services.procedure.view import progress_of
from app.store.database import Database
from app.store.models import (
    Attendance,
    Meeting,
    MemberEvaluation,
    Organization,
    OrgEvaluation,
)


@dataclass(frozen=True)
class BoardRow:
    cell_id: int
    cell_name: str
    step: CellStep
    share: float
    missing: str
    locked: bool
    deadline_passed: bool = False
    extra: dict[str, object] = field(default_factory=dict)


def _latest_meetings(
    session: Session, evaluation_ids: list[int]
) -> tuple[dict[int, Meeting], dict[int, dict[int, bool]]]:
    """``latest_meeting`` of many evaluations and who attended each, in two queries (the
    board of a district has hundreds of cells: one query per cell made it slow)."""
    latest: dict[int, Meeting] = {}
    for meeting in session.scalars(
        select(Meeting).where(Meeting.org_evaluation_id.in_(evaluation_ids))
    ):
        known = latest.get(meeting.org_evaluation_id)
        if known is None or meeting.round > known.round:
            latest[meeting.org_evaluation_id] = meeting
    attendance: dict[int, dict[int, bool]] = defaultdict(dict)
    ids = [m.id for m in latest.values()]
    if ids:
        for meeting_id, member_id, present in session.execute(
            select(Attendance.meeting_id, Attendance.member_id, Attendance.present).where(
                Attendance.meeting_id.in_(ids)
            )
        ):
            attendance[meeting_id][member_id] = present
    return latest, attendance


def board(db: Database, year: int, today: dt.date | None = None) -> list[BoardRow]:
    """Every cell of the period: its step, how far along, and what is missing."""
    today = today or clock.today()
    with db.session() as session:
        period = find(session, year)
        rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
        names = dict(session.execute(select(Organization.id, Organization.name)).all())
        kinds = dict(session.execute(select(Organization.id, Organization.kind)).all())
        cells = {
            e.org_id: e
            for e in session.scalars(
                select(OrgEvaluation).where(
                    OrgEvaluation.period_id == period.id, OrgEvaluation.subject == "org"
                )
            )
            if kinds.get(e.org_id) == OrgKind.CELL
        }
        collectives = {
            e.org_id: e
            for e in session.scalars(
                select(OrgEvaluation).where(
                    OrgEvaluation.period_id == period.id, OrgEvaluation.subject == "collective"
                )
            )
        }
        members: dict[int, list[MemberEvaluation]] = defaultdict(list)
        for e in session.scalars(
            select(MemberEvaluation).where(MemberEvaluation.period_id == period.id)
        ):
            members[e.org_id].append(e)
        meetings, attendance = _latest_meetings(session, [c.id for c in cells.values()])
        rows = []
        for cell_id, cell in cells.items():
            meeting = meetings.get(cell.id)
            present = attendance.get(meeting.id, {}) if meeting is not None else {}
            progress = progress_of(
                rs, cell, collectives.get(cell_id), members[cell_id], meeting, present
            )
            step = CellStep(cell.step)
            missing = missing_for(step, progress)
            late = (
                period.deadline is not None
                and today > period.deadline
                and step in (CellStep.PREPARATION, CellStep.SELF_REVIEW, CellStep.MEETING,
                             CellStep.VOTING, CellStep.RETURNED)
            )  # fmt: skip
            if step is CellStep.RETURNED:
                text = f"trả lại: {cell.returned_reason}"
            elif step is CellStep.SUBMITTED:
                text = "chờ đảng ủy thẩm định"
            elif step is CellStep.DECIDED:
                text = "—"
            else:
                text = "; ".join(missing) if missing else "sẵn sàng sang bước tiếp"
            rows.append(
                BoardRow(
                    cell_id=cell_id,
                    cell_name=names.get(cell_id, ""),
                    step=step,
                    share=progress_share(step, progress),
                    missing=text,
                    locked=cell.locked,
                    deadline_passed=late,
                )
            )
    rows.sort(key=lambda r: text_key(r.cell_name))
    return rows
