"""Many rows of one table updated by id in one statement, below the ORM.

The evaluations carry a version (SQLAlchemy's ``version_id_col``) that the ORM's own "bulk
UPDATE by primary key" insists on reading from every row given; a bulk writer that builds its
rows fresh (the demo) has no version to give and no concurrent editor to guard against. This
writes the given columns as they are, leaving the version alone, so objects already loaded
in the session stay current.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session


def update_by_id(
    session: Session,
    model: type[Any],
    rows: Sequence[dict[str, Any]],
    *,
    bump_version: bool = False,
) -> None:
    """``UPDATE model SET … WHERE id = …`` for each of *rows* (dicts with "id"), one
    executemany per set of columns. *bump_version*: count the rows' ``version`` up too (a
    user's change, which a colleague's later save from an older reading must not overwrite)."""
    table = model.__table__
    batches: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        batches[tuple(sorted(set(row) - {"id"}))].append(row)
    session.flush()
    for keys, batch in batches.items():
        values: dict[str, Any] = {
            key: bindparam(f"new_{key}", type_=table.c[key].type) for key in keys
        }
        if bump_version:
            values["version"] = table.c.version + 1
        statement = update(table).where(table.c.id == bindparam("row_id")).values(values)
        session.execute(
            statement,
            [{"row_id": row["id"], **{f"new_{k}": row[k] for k in keys}} for row in batch],
        )
