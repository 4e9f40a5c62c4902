"""A cell's view built once for all the documents printed together.

Each document of a cell is filled from ``procedure.view.cell_view``, the slowest part of
gathering its data (the members' records, the meeting, the votes, the rules' checks).
Printing a cell's six documents built it six times over the same records. Inside
:func:`shared_views` the view is built once per cell and reused; outside it every call reads
the database afresh, as a single document printed from the window must. The view is frozen,
and printing writes only the numbering register, which the view does not read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from app.services.procedure import view as procedure_view
from app.services.procedure.view import CellView
from app.store.database import Database

_shared: ContextVar[dict[tuple[int, int, int], CellView] | None] = ContextVar(
    "shared_cell_views", default=None
)


@contextmanager
def shared_views() -> Iterator[None]:
    """Within the block, a cell's view is built at its first use and then reused."""
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def cell_view(db: Database, year: int, cell_id: int) -> CellView:
    views = _shared.get()
    if views is None:
        return procedure_view.cell_view(db, year, cell_id)
    key = (id(db), year, cell_id)
    if key not in views:
        views[key] = procedure_view.cell_view(db, year, cell_id)
    return views[key]
