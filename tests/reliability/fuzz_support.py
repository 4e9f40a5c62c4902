"""What every fuzz case checks, whatever importer it drives.

- :func:`dump` reads every row of every table, so "the database is unchanged" is a plain
  comparison of two dumps, and the rows an import added or changed are their difference;
- :func:`assert_consistent` is what a clean import must leave: SQLite's own checks, every
  text within its column's declared length, the organisation tree a tree with members only in
  cells, and every text the import wrote in NFC without control characters;
- :func:`assert_user_message` is what a refusal must look like: Vietnamese, with no Python
  noise a user cannot act on;
- :func:`fuzz_settings` is the bounded default run or, with ``HYPOTHESIS_PROFILE=long``, the
  long one (profiles registered in this folder's conftest.py).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, TypeVar

from hypothesis import currently_in_test_context, event, note, settings
from sqlalchemy import JSON, String, Text

from app.services.common.errors import ServiceError
from app.services.common.workbook import WorkbookError
from app.store.database import Database
from app.store.models import Base
from tests.db_state import changed_tables, state
from tests.reliability.workbook_cases import Case

T = TypeVar("T")
PROFILES = ("fuzz", "long")
Dump = dict[str, frozenset[tuple[Any, ...]]]

# The characters app.domain.text.clean removes: none may reach a stored text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
# What a refusal must never show a user: tracebacks, reprs, exception class names.
NOISE = re.compile(r"Traceback|object at 0x|<[\w.]+ object|\b\w*(Error|Exception)\b|File \"")
# Not text anyone reads: a sort key built from the name.
NOT_TEXT = {"members.name_key"}
VIETNAMESE = re.compile(r"[ăâđêôơưàáạảãèéẹẻẽìíịỉĩòóọỏõùúụủũỳýỵỷỹ]", re.IGNORECASE)


def fuzz_settings(share: float = 1.0) -> settings:
    """The active profile, with *share* of its examples (a slow test takes fewer)."""
    name = os.environ.get("HYPOTHESIS_PROFILE", "fuzz")
    profile = settings.get_profile(name if name in PROFILES else "fuzz")
    return settings(profile, max_examples=max(5, round(profile.max_examples * share)))


@contextmanager
def fresh_database(template: Path, folder: Path) -> Iterator[Database]:
    """A copy of *template* for one example: hypothesis examples share a test's fixtures."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "fuzz.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, path)
    database = Database.open(path)
    try:
        yield database
    finally:
        database.close()


def dump(path: Path) -> Dump:
    """Every row of every table (the WAL included: it reads through SQLite)."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: frozenset(connection.execute(f'SELECT * FROM "{table}"').fetchall())
            for table in sorted(tables)
        }


def assert_unchanged(before: Dump, after: Dump) -> None:
    changed = [table for table in before if before[table] != after.get(table)]
    assert not changed, f"a refused import changed the tables {changed}"


def import_or_refuse(db: Database, run: Callable[[], T]) -> T | None:
    """The property of every case: *run* (an import) is refused with a Vietnamese message and
    the database untouched, or it succeeds and leaves the database consistent. Any other
    exception fails the test."""
    before = dump(db.path)
    try:
        result = run()
    except ServiceError as error:
        if currently_in_test_context():
            note(f"refused: {str(error)[:400]}")
            event("refused")
        assert_user_message(error)
        assert_unchanged(before, dump(db.path))
        return None
    if currently_in_test_context():
        event("imported")
    assert_consistent(db.path, before)
    return result


# Written by the real clock whatever the day the session lives on: left out of comparisons.
VOLATILE = frozenset({"members.updated_at", "audit_log.at", "audit_log.hash",
                      "audit_log.previous_hash", "access_control.set_at",
                      "org_evaluations.decided_at", "org_evaluations.submitted_at",
                      "tally_entries.entered_at"})  # fmt: skip


def import_as_expected(
    db: Database, run: Callable[[], object], case: Case, reference: dict[str, tuple[int, str]]
) -> str:
    """The property of a workbook whose changes are known (``workbook_cases``): with a
    breaking change it is refused, the refusal names the sheet, row and column of each one
    and nothing left alone, and nothing is written; with harmless changes only it imports
    exactly as the unchanged workbook did (*reference*: the database after that import)."""
    before = state(db.path)
    try:
        run()
    except WorkbookError as refused:
        if currently_in_test_context():
            note(f"refused: {str(refused)[:600]}")
        assert case.breaks, f"refused, though every change was harmless: {refused}"
        assert_user_message(refused)
        assert changed_tables(before, state(db.path)) == [], "a refused import wrote"
        named = {(p.sheet, p.row, p.column) for p in refused.problems}
        missing = case.places() - named
        assert not missing, f"breaking changes not named: {sorted(missing)}; named {sorted(named)}"
        allowed = case.broken_rows()
        blamed = sorted(str(p) for p in refused.problems if (p.sheet, p.row) not in allowed)
        assert not blamed, f"problems named where nothing was broken: {blamed}"
        return "refused"
    assert not case.breaks, f"imported, though broken at {sorted(case.places())}"
    differs = changed_tables(reference, state(db.path, VOLATILE))
    assert differs == [], f"imported otherwise than the unchanged file: {differs}"
    return "imported"


def assert_user_text(message: str) -> None:
    assert message.strip(), "an empty message"
    assert not NOISE.search(message), f"Python noise shown to the user: {message[:600]!r}"
    assert VIETNAMESE.search(message), f"not a Vietnamese message: {message[:600]!r}"


def assert_user_message(error: ServiceError) -> None:
    assert_user_text(str(error))


def _columns() -> dict[str, dict[str, Any]]:
    return {t.name: {c.name: c.type for c in t.columns} for t in Base.metadata.tables.values()}


def _check_text(where: str, value: str, multiline: bool) -> None:
    assert unicodedata.is_normalized("NFC", value), f"{where}: not NFC: {value[:80]!r}"
    assert not CONTROL.search(value), f"{where}: control character in {value[:80]!r}"
    if not multiline:
        assert not re.search(r"[\t\n\r]", value), f"{where}: a line break in {value[:80]!r}"


def _check_json(where: str, value: Any) -> None:
    if isinstance(value, str):
        _check_text(where, value, multiline=True)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_json(where, key)
            _check_json(where, item)
    elif isinstance(value, list):
        for item in value:
            _check_json(where, item)


def assert_consistent(path: Path, before: Dump) -> None:
    """What a successful import must leave behind; texts are checked in the rows it wrote."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        for sql, what in (
            (
                "SELECT c.code FROM organizations c JOIN organizations p ON c.parent_id = p.id "
                "WHERE p.kind = 'chi_bo'",
                "an organisation under a cell",
            ),
            (
                "SELECT m.member_id FROM cell_memberships m JOIN organizations o "
                "ON m.org_id = o.id WHERE m.end_on IS NULL AND o.kind != 'chi_bo'",
                "a current membership of something that is not a cell",
            ),
            (
                "SELECT member_id FROM cell_memberships WHERE end_on IS NULL "
                "GROUP BY member_id HAVING count(*) > 1",
                "a member in two cells at once",
            ),
        ):
            found = connection.execute(sql).fetchall()
            assert not found, f"{what}: {found[:5]}"
        parents = dict(connection.execute("SELECT id, parent_id FROM organizations"))
        for start in parents:
            seen, current = {start}, parents[start]
            while current is not None:
                assert current not in seen, f"organisations are each other's parents: {seen}"
                seen.add(current)
                current = parents.get(current)
        columns = _columns()
        order = {
            table: [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
            for table in columns
        }
        for table, types in columns.items():
            for name, kind in types.items():
                if isinstance(kind, String) and kind.length:
                    long = connection.execute(
                        f'SELECT "{name}" FROM "{table}" WHERE length("{name}") > ?',
                        (kind.length,),
                    ).fetchall()
                    assert not long, f"{table}.{name} longer than {kind.length}: {long[:1]}"
    after = dump(path)
    for table, rows in after.items():
        types = columns.get(table, {})
        for row in rows - before.get(table, frozenset()):
            for name, value in zip(order.get(table, []), row, strict=False):
                where, kind = f"{table}.{name}", types.get(name)
                if where in NOT_TEXT:
                    continue
                if isinstance(kind, JSON) and isinstance(value, str):
                    _check_json(where, json.loads(value))
                elif isinstance(kind, Text) and isinstance(value, str):
                    _check_text(where, value, multiline=True)
                elif isinstance(kind, String) and isinstance(value, str):
                    _check_text(where, value, multiline=False)
