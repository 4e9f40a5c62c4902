"""The commune's plan dates for a period, and each cell's status against them.
The dates live on the period; submission's is the period's ``deadline``."""

from __future__ import annotations

import datetime as dt

from app.domain.member_checks import FieldProblem
from app.domain.plan import LABELS, MILESTONES, Plan, PlanStatus, order_problems, status
from app.domain.vocabulary import AuditAction
from app.services.common.errors import ValidationError
from app.services.periods.lifecycle import find
from app.services.procedure.cell_marks import cell_rows
from app.services.safekeeping import audit
from app.store.database import Database
from app.store.models import EvaluationPeriod

KEYS = tuple(m.key for m in MILESTONES)


def _plan(period: EvaluationPeriod) -> Plan:
    return Plan(**{key: getattr(period, key) for key in KEYS})


def get_plan(db: Database, year: int) -> Plan:
    with db.session() as session:
        return _plan(find(session, year))


def save_plan(db: Database, year: int, plan: Plan, actor: str = "") -> None:
    """Store the plan; refused (naming the date) when a step is due before one before it."""
    problems = [FieldProblem(key, message, LABELS[key]) for key, message in order_problems(plan)]
    if problems:
        raise ValidationError(problems)
    with db.session() as session:
        period = find(session, year)
        before = {key: getattr(period, key) for key in KEYS}
        for key in KEYS:
            setattr(period, key, plan.due(key))
        after = {key: getattr(period, key) for key in KEYS}
        if before != after:
            audit.record(
                session, actor=actor, action=AuditAction.PLAN, entity="period", entity_id=period.id,
                period_id=period.id, summary=f"Kế hoạch đánh giá năm {year}",
                before=before, after=after,
            )  # fmt: skip


def board_status(db: Database, year: int, today: dt.date) -> dict[int, PlanStatus]:
    """Each cell of the period against the plan on *today*."""
    with db.session() as session:
        period = find(session, year)
        plan = _plan(period)
        rows = cell_rows(session, period)
    return {
        org_id: status(plan, step, decided is not None, today) for org_id, step, decided in rows
    }
