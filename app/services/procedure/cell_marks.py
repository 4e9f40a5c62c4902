"""Each cell's step in a period, for the marks beside the cells in the tree, and the cells'
decided levels beside it.

The marks need only the step, which is one column: ``procedure.board.board`` also works out
each cell's progress from its members' evaluations and meetings, half a second for a district,
and the window shows the marks at every start and after every save.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.procedure import CellStep
from app.domain.vocabulary import OrgKind

# Each cell's step alone is read with plain SQL (the window's first paint needs it).
from app.services.roster.quick_read import cell_steps as cell_steps
from app.store.models import EvaluationPeriod, Organization, OrgEvaluation


def cell_rows(session: Session, period: EvaluationPeriod) -> list[tuple[int, CellStep, str | None]]:
    """(cell id, step, decided level) of every cell's own evaluation in *period*."""
    rows = session.execute(
        select(OrgEvaluation.org_id, OrgEvaluation.step, OrgEvaluation.decided_level)
        .join(Organization, Organization.id == OrgEvaluation.org_id)
        .where(
            OrgEvaluation.period_id == period.id,
            OrgEvaluation.subject == "org",
            Organization.kind == OrgKind.CELL,
        )
    ).all()
    return [(org_id, CellStep(step), decided) for org_id, step, decided in rows]
