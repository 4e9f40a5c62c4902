"""Fuzzing the province's report importer as the exchange importer is fuzzed: the demo
commune's real report, its content mutated by hypothesis (the exchange fuzz's mutations: wrong
types, missing and extra keys, NFD text and control characters, long strings, members
duplicated, dropped or swapped) and re-sealed with a correct checksum; and the bytes of a
report damaged without re-sealing. Every case is refused with a Vietnamese message and the
province's database untouched, or stored cleanly: a consistent database, clean text, an intact
audit chain. The preview never writes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st

from app.domain import clock
from app.services.reports import importer, preview
from app.services.reports.export import export_report
from app.services.reports.file_format import PackageError, encode
from app.services.safekeeping import audit
from app.store.database import Database
from tests.reliability.fuzz_support import (
    assert_unchanged,
    assert_user_message,
    assert_user_text,
    dump,
    fresh_database,
    fuzz_settings,
    import_or_refuse,
)
from tests.reliability.test_fuzz_exchange import mutate
from tests.reliability.zip_fuzz import damaged_bytes

ACTOR = "Ban Tổ chức Tỉnh ủy"


@pytest.fixture(scope="module")
def report(full_demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The demo commune's report of its decided year."""
    folder = tmp_path_factory.mktemp("reports")
    path = folder / "xa.sqlite"
    path.write_bytes(full_demo_template.read_bytes())
    with Database.open(path) as db:
        info = export_report(db, clock.today().year - 1, folder / "xa.dgr")
    return info.path.read_bytes()


def preview_then_store(db: Database, path: Path) -> importer.ImportResult:
    package = importer.read_report_file(path)
    before = dump(db.path)
    plan = preview.plan_import(db, package)
    assert_unchanged(before, dump(db.path))
    for line in plan.lines():
        assert_user_text(line)
    result = importer.apply_import(db, plan, actor=ACTOR, reason="Sửa")
    assert_user_text(result.describe())
    assert audit.verify_chain(db) == []
    return result


@given(data=st.data())
@fuzz_settings(share=0.5)
def test_fuzz_report_content(
    data: st.DataObject, report: bytes, empty_template: Path, tmp_path: Path
) -> None:
    content = json.loads(report)["content"]
    mutate(content, data)
    path = tmp_path / "bao-cao.dgr"
    path.write_bytes(encode(content))
    with fresh_database(empty_template, tmp_path / "db") as db:
        import_or_refuse(db, lambda: preview_then_store(db, path))


@given(data=st.data())
@fuzz_settings(share=0.5)
def test_fuzz_report_bytes(data: st.DataObject, report: bytes, tmp_path: Path) -> None:
    """Damage without re-sealing: always refused, before any database is opened."""
    damaged, how = damaged_bytes(report, data)
    assume(damaged != report)
    note(how)
    path = tmp_path / "hong.dgr"
    path.write_bytes(damaged)
    with pytest.raises(PackageError) as refused:
        importer.read_report_file(path)
    assert_user_message(refused.value)


def test_the_report_stores_unmutated(report: bytes, empty_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.dgr"
    path.write_bytes(report)
    with fresh_database(empty_template, tmp_path / "db") as db:
        assert import_or_refuse(db, lambda: preview_then_store(db, path)) is not None
