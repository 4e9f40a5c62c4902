"""Last year's shortcomings carried into this year's self-review.

The shortcomings a member's review recorded last year come back this year: on the
pre-filled form with its "Đã khắc phục?" line, in the self-review step that asks how they
were remedied, and in the facts the rule engine reads (QĐ 366: HTXSNV needs them remedied).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.rules import Finding
from app.domain.rules.checks_carry import remedy_reminders
from app.domain.rules.facts import MemberFacts
from app.store.models import EvaluationPeriod, MemberEvaluation


def previous_shortcomings(
    session: Session, year: int, ids: Iterable[int] | None = None
) -> dict[int, str]:
    """Member → the shortcomings recorded in their review of *year* − 1 (only those with
    some); every member of that year when *ids* is None."""
    query = (
        select(MemberEvaluation.member_id, MemberEvaluation.shortcomings)
        .join(EvaluationPeriod, EvaluationPeriod.id == MemberEvaluation.period_id)
        .where(EvaluationPeriod.year == year - 1, MemberEvaluation.shortcomings != "")
    )
    if ids is not None:
        query = query.where(MemberEvaluation.member_id.in_(list(ids)))
    return {member_id: text for member_id, text in session.execute(query) if text.strip()}


def reminders(year: int, members: Iterable[MemberFacts]) -> list[Finding]:
    """The self-review step's warnings: last year's shortcomings with no remedy written."""
    return remedy_reminders(year, members)
