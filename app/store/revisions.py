"""The schema revision of a database and the newest one in ``db/versions``, read without Alembic.

Importing Alembic costs a quarter of a second, at every start, only to learn that the database
is up to date, which it nearly always is. The revision files are read here as text instead.
This is only a shortcut for that one answer: whenever a file does not read as a plain
``revision = "…"`` / ``down_revision = "…"`` pair, or the chain has no single head, the answer
is "don't know" and the caller asks Alembic as before.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path

_QUOTED = r"""["']([^"'\s]+)["']"""
_REVISION = re.compile(rf"^revision(?:\s*:[^=\n]+)?\s*=\s*{_QUOTED}\s*$", re.MULTILINE)
_DOWN = re.compile(rf"^down_revision(?:\s*:[^=\n]+)?\s*=\s*(?:None|{_QUOTED})\s*$", re.MULTILINE)


def head_from_files(versions: Path) -> str | None:
    """The one head of the revision chain in *versions*, or None when unsure."""
    down_of: dict[str, str | None] = {}
    for file in sorted(versions.glob("*.py")):
        source = file.read_text(encoding="utf-8")
        revision, down = _REVISION.findall(source), _DOWN.findall(source)
        if len(revision) != 1 or len(down) != 1 or revision[0] in down_of:
            return None
        down_of[revision[0]] = down[0] or None
    parents = {down for down in down_of.values() if down is not None}
    heads = set(down_of) - parents
    if len(heads) != 1 or not parents <= set(down_of):
        return None
    return heads.pop()


def stamped_revision(path: Path) -> tuple[bool, str | None]:
    """(True, the revision in ``alembic_version`` or None if there is none), or (False, None)
    when the table holds several rows and only Alembic can say what that means. Read through
    the driver alone (raises sqlite3.DatabaseError for a file that is not a database)."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        table = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        if table is None:
            return True, None
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    if len(rows) > 1:
        return False, None
    return True, (rows[0][0] if rows else None)
