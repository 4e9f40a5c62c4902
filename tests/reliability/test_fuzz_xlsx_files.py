"""Fuzzing the workbook importers at the level of the file: damaged bytes, damaged
zip parts and XML, zip bombs, a zip whose headers lie, files too large. Each is refused with a
Vietnamese message before anything is written, without exhausting memory — or, where the damage
hit nothing the importer reads (a byte of the document's properties), imported exactly as the
undamaged file is.
"""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from app.services.common import workbook_guard
from app.services.common.workbook import WorkbookError
from app.services.results import workbook as results_workbook
from app.services.roster import workbook as members_workbook
from app.store.database import Database
from tests.db_state import changed_tables, state
from tests.reliability.fuzz_support import (
    VOLATILE,
    assert_user_message,
    fresh_database,
    fuzz_settings,
    import_or_refuse,
)
from tests.reliability.test_fuzz_workbooks import TODAY, members_book
from tests.reliability.zip_fuzz import bomb, damaged_bytes, declare_size, rezip, sheet_paths

Importer = Callable[[Database, Path], object]
IMPORTERS: dict[str, Importer] = {
    "members": lambda db, path: members_workbook.import_members(db, path, TODAY),
    "results": lambda db, path: results_workbook.import_results(db, path, today=TODAY),
}
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
    + b"".join(b'<!ENTITY %c "%s">' % (98 + i, (b"&%c;" % (97 + i)) * 10) for i in range(9))
    + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&j;</t></is></c></row></sheetData>'
    b"</worksheet>"
)
OUTSIDE = (
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>M\xc3\xa3</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData></worksheet>'
)


@pytest.fixture(scope="module")
def base_xlsx(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return members_book().save(tmp_path_factory.mktemp("xlsx") / "base.xlsx").read_bytes()


@pytest.fixture(scope="module")
def undamaged(
    base_xlsx: bytes, empty_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Each importer's database after the undamaged file (None: that importer refuses it)."""
    folder = tmp_path_factory.mktemp("undamaged")
    path = folder / "base.xlsx"
    path.write_bytes(base_xlsx)
    found: dict[str, Any] = {}
    for name, importer in IMPORTERS.items():
        with fresh_database(empty_template, folder / name) as db:
            imported = import_or_refuse(db, lambda db=db, importer=importer: importer(db, path))
            found[name] = None if imported is None else state(db.path, VOLATILE)
    assert found["members"] is not None, "the undamaged workbook does not import"
    return found


def refused_or_exact(db: Database, path: Path, importer: str, undamaged: dict[str, Any]) -> None:
    """A damaged file is refused with a clean message and nothing written, or it imports
    exactly what the undamaged file imports (the damage hit a part the importer never reads)."""
    outcome = import_or_refuse(db, lambda: IMPORTERS[importer](db, path))
    if outcome is not None:
        assert undamaged[importer] is not None, "a damaged file imported, the undamaged did not"
        differs = changed_tables(undamaged[importer], state(db.path, VOLATILE))
        assert differs == [], f"the damaged file imported otherwise than the undamaged: {differs}"


def refused(db: Database, path: Path, importer: Importer) -> str:
    """The import is refused, with a clean message, and nothing is written."""
    outcome = import_or_refuse(db, lambda: importer(db, path))
    assert outcome is None, "a damaged file was imported"
    with pytest.raises(WorkbookError) as error:
        importer(db, path)
    assert_user_message(error.value)
    return str(error.value)


@given(data=st.data())
@fuzz_settings()
def test_fuzz_damaged_bytes(
    data: st.DataObject,
    base_xlsx: bytes,
    undamaged: dict[str, Any],
    empty_template: Path,
    tmp_path: Path,
) -> None:
    damaged, how = damaged_bytes(base_xlsx, data)
    note(how)
    path = tmp_path / "hong.xlsx"
    path.write_bytes(damaged)
    importer = data.draw(st.sampled_from(sorted(IMPORTERS)), label="importer")
    with fresh_database(empty_template, tmp_path / "db") as db:
        refused_or_exact(db, path, importer, undamaged)


@pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl's warnings about broken parts
@given(data=st.data())
@fuzz_settings()
def test_fuzz_damaged_parts(
    data: st.DataObject,
    base_xlsx: bytes,
    undamaged: dict[str, Any],
    empty_template: Path,
    tmp_path: Path,
) -> None:
    """One part of the zip removed, truncated, replaced by junk or by hostile XML."""
    with zipfile.ZipFile(io.BytesIO(base_xlsx)) as archive:
        names = sorted(archive.namelist())
        part = data.draw(st.sampled_from(names), label="part")
        original = archive.read(part)
    replacement = data.draw(
        st.one_of(
            st.none(),
            st.integers(0, len(original)).map(lambda end: original[:end]),
            st.binary(max_size=300),
            st.sampled_from([BILLION_LAUGHS, OUTSIDE, b"<a>" * 5000, b"\xef\xbb\xbf<?xml"]),
        ),
        label="replacement",
    )
    note(f"{part}: {replacement!r:.100}")
    path = tmp_path / "hong.xlsx"
    path.write_bytes(rezip(base_xlsx, {part: replacement}))
    importer = data.draw(st.sampled_from(sorted(IMPORTERS)), label="importer")
    with fresh_database(empty_template, tmp_path / "db") as db:
        refused_or_exact(db, path, importer, undamaged)


def _light(run: Callable[[], str]) -> str:
    """*run*'s message, refused without inflating the file in memory (how long it takes is
    the benchmarks' business, not a test's)."""
    tracemalloc.start()
    try:
        message = run()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024 * 1024, f"{peak / 1e6:.0f} MB used to refuse the file"
    return message


@pytest.fixture(scope="module")
def a_bomb(base_xlsx: bytes) -> bytes:
    """A sheet that inflates to 250 MB from under a megabyte."""
    return bomb(base_xlsx, sheet_paths(base_xlsx)[1], 250)


def test_fuzz_a_zip_bomb_is_refused_before_it_inflates(
    a_bomb: bytes, empty_template: Path, tmp_path: Path
) -> None:
    assert len(a_bomb) < 1024 * 1024
    path = tmp_path / "bom.xlsx"
    path.write_bytes(a_bomb)
    with fresh_database(empty_template, tmp_path / "db") as db:
        for importer in IMPORTERS.values():
            message = _light(lambda importer=importer: refused(db, path, importer))
            assert "giới hạn 200 MB" in message


def test_fuzz_a_zip_that_lies_about_its_sizes(
    a_bomb: bytes, base_xlsx: bytes, empty_template: Path, tmp_path: Path
) -> None:
    """Headers that understate what a part inflates to (the bomb's sheet, and the shared
    strings openpyxl reads whole) get no further than headers that tell the truth; headers
    that overstate are refused too."""
    sheet, strings = sheet_paths(base_xlsx)[1], "xl/sharedStrings.xml"
    cases = {
        "sheet": declare_size(a_bomb, sheet, 100_000),
        "strings": declare_size(bomb(base_xlsx, strings, 150), strings, 5000),
        "overstated": declare_size(base_xlsx, sheet, 3_000_000_000),
        "understated": declare_size(base_xlsx, sheet, 10),
    }
    with fresh_database(empty_template, tmp_path / "db") as db:
        for name, data in cases.items():
            path = tmp_path / f"{name}.xlsx"
            path.write_bytes(data)
            message = _light(lambda path=path: refused(db, path, IMPORTERS["members"]))
            assert message, name


def test_fuzz_files_too_large_or_of_another_kind(
    base_xlsx: bytes, empty_template: Path, tmp_path: Path
) -> None:
    huge = tmp_path / "lon.xlsx"
    with huge.open("wb") as file:
        file.truncate(workbook_guard.MAX_FILE_BYTES + 1)  # sparse: nothing is really written
    old = tmp_path / "cu.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000))
    with fresh_database(empty_template, tmp_path / "db") as db:
        assert "quá giới hạn 50 MB" in refused(db, huge, IMPORTERS["members"])
        assert "tệp Excel cũ (.xls)" in refused(db, old, IMPORTERS["results"])
        assert "không tìm thấy tệp" in refused(db, tmp_path / "khong-co.xlsx", IMPORTERS["members"])
        # A folder chosen instead of a file is named as such, not called a broken workbook.
        assert "đây là một thư mục" in refused(db, tmp_path, IMPORTERS["members"])
