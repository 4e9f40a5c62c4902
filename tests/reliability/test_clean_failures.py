"""Clean failures (issue 18, item 6): a read-only database, a demo killed half-way, a damaged
workbook. Each ends in a Vietnamese message that names the file and says what to do, never in
a Python traceback or the libraries' English."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.__main__ import main
from app.services.demo import procedure as demo_procedure

ROOT = Path(__file__).resolve().parents[2]
# What must never reach the user: Python's report of a crash, and the libraries' English.
ENGLISH = ("Traceback", "readonly", "Permission denied", "Errno", "KeyError", "cannot read")
READ_ONLY = "Không ghi được vào tệp"
BUILDING = ".dang-tao-"  # "<name>.dang-tao-<random>": a demo being built for <name>


def cli(*argv: str) -> subprocess.CompletedProcess[str]:
    """The command line in its own process, as a user runs it: what reaches the terminal is
    all of stdout and stderr, warnings printed by Python's logging included."""
    return subprocess.run(
        [sys.executable, "-m", "app", *argv],
        capture_output=True, text=True, encoding="utf-8", timeout=300, cwd=ROOT,
    )  # fmt: skip


def assert_clean(result: subprocess.CompletedProcess[str], *expected: str) -> str:
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for text in expected:
        assert text in output, output
    for english in ENGLISH:
        assert english not in output, output
    return output


@pytest.fixture
def enforced(tmp_path: Path) -> None:
    """Skip where file permissions are not enforced: root (and a process with CAP_DAC_OVERRIDE)
    writes a 0444 file all the same. (Probed rather than read from os.geteuid(), so that a root
    without that capability, e.g. under ``setpriv``, runs these tests.)"""
    probe = tmp_path / "probe"
    probe.write_text("")
    probe.chmod(0o444)
    try:
        with probe.open("a"):
            pytest.skip("file permissions are not enforced for this user (root)")
    except PermissionError:
        pass
    finally:
        probe.chmod(0o644)


@pytest.fixture
def read_only_file(db_path: Path, enforced: None) -> Iterator[Path]:
    """An empty database marked read-only (chmod 0444), in a folder that can be written."""
    db_path.chmod(0o444)
    yield db_path
    db_path.chmod(0o644)


@pytest.fixture
def read_only_folder(tmp_path: Path, empty_template: Path, enforced: None) -> Iterator[Path]:
    """A writable empty database in a folder that cannot be written (chmod 0555)."""
    if sys.platform == "win32":
        pytest.skip("Windows ignores a folder's read-only attribute")
    folder = tmp_path / "chi-doc"
    folder.mkdir()
    path = Path(shutil.copyfile(empty_template, folder / "danhgia.sqlite"))
    folder.chmod(0o555)
    yield path
    folder.chmod(0o755)


def members_workbook(tmp_path: Path, demo_template: Path) -> Path:
    workbook = tmp_path / "dang-vien.xlsx"
    assert main(["export", "members", str(workbook), "--db", str(demo_template)]) == 0
    return workbook


# ---- (1) the command line on a read-only database ----------------------------------------


def test_the_command_line_refuses_a_read_only_file_in_words(
    tmp_path: Path, read_only_file: Path, demo_template: Path
) -> None:
    workbook = members_workbook(tmp_path, demo_template)  # all new to the empty database
    before = read_only_file.read_bytes()
    result = cli("import", "members", str(workbook), "--db", str(read_only_file))
    assert_clean(result, READ_ONLY, f"“{read_only_file}”", "chỉ cho đọc", "bỏ thuộc tính chỉ đọc")
    assert read_only_file.read_bytes() == before


def test_the_command_line_refuses_a_read_only_folder_in_words(
    tmp_path: Path, read_only_folder: Path, demo_template: Path
) -> None:
    workbook = members_workbook(tmp_path, demo_template)
    result = cli("import", "members", str(workbook), "--db", str(read_only_folder))
    assert_clean(result, READ_ONLY, f"“{read_only_folder}”", "chỉ cho đọc")
    assert sorted(p.name for p in read_only_folder.parent.iterdir()) == ["danhgia.sqlite"]


def test_a_write_refused_after_opening_is_the_same_message(read_only_file: Path) -> None:
    """The file becomes read-only while the database is open (before its first write): the
    write fails with SQLite's "attempt to write a readonly database", told in the same words."""
    from sqlalchemy import text

    from app.store.database import Database
    from app.store.errors import DatabaseReadOnly

    read_only_file.chmod(0o644)
    db = Database.open(read_only_file)
    try:
        read_only_file.chmod(0o444)
        with pytest.raises(DatabaseReadOnly, match=READ_ONLY), db.session() as session:
            session.execute(text("CREATE TABLE probe (x)"))
    finally:
        db.close()


# ---- (2) a demo that stops half-way ------------------------------------------------------


def test_a_demo_stopped_half_way_leaves_no_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "danhgia.sqlite"
    # What a demo killed earlier left beside the target: removed by the next attempt.
    killed = tmp_path / f"danhgia.sqlite{BUILDING}0badf00d"
    killed.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)

    def stopped(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("dừng giữa chừng")  # the organisations and past years are written

    with monkeypatch.context() as patch:
        patch.setattr(demo_procedure, "current_year", stopped)
        with pytest.raises(RuntimeError):
            main(["demo", "--db", str(target)])
    assert not target.exists()
    assert not list(tmp_path.glob(f"*{BUILDING}*"))

    assert main(["demo", "--db", str(target)]) == 0
    assert main(["check", "--db", str(target)]) == 0
    assert "Kết quả: tốt." in capsys.readouterr().out
    assert not list(tmp_path.glob(f"*{BUILDING}*"))
    assert main(["demo", "--db", str(target)]) == 2  # complete: a second demo is refused
    assert "đã có dữ liệu" in capsys.readouterr().err


# ---- (3) a damaged workbook --------------------------------------------------------------


def test_a_damaged_workbook_is_told_in_vietnamese_only(
    tmp_path: Path, demo_template: Path, db_path: Path
) -> None:
    """A valid zip whose workbook is missing a part openpyxl needs (it raises KeyError) or has
    broken XML: only the Vietnamese message reaches the terminal, the detail goes to the log."""
    good = members_workbook(tmp_path, demo_template)
    with zipfile.ZipFile(good) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    broken = {
        "thieu-phan.xlsx": {k: v for k, v in parts.items() if k != "[Content_Types].xml"},
        "xml-hong.xlsx": {**parts, "xl/workbook.xml": parts["xl/workbook.xml"][:300]},
    }
    for name, content in broken.items():
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as out:
            for part, data in content.items():
                out.writestr(part, data)
        result = cli("import", "members", str(path), "--db", str(db_path))
        assert_clean(result, f"Không nhập tệp “{name}”", "không phải tệp Excel .xlsx hợp lệ")


def test_a_file_that_cannot_be_written_is_told_in_vietnamese(
    tmp_path: Path, demo_path: Path, enforced: None
) -> None:
    folder = tmp_path / "khong-ghi-duoc"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = cli("export", "members", str(folder / "ds.xlsx"), "--db", str(demo_path))
    finally:
        folder.chmod(0o755)
    assert_clean(result, "Không đọc/ghi được tệp", str(folder), "không có quyền")


# ---- (4) the window on a read-only database ----------------------------------------------


def test_the_window_says_why_it_cannot_open_a_read_only_file(
    qapp: object, read_only_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the window does at start with the database it was given: a message box in
    Vietnamese (``ask.warn``), and no window on a file it could not save into."""
    from app.ui.common import ask
    from app.ui.shell import application

    warnings: list[tuple[str, str]] = []
    monkeypatch.setattr(ask, "warn", lambda _p, title, text, _d="": warnings.append((title, text)))
    db = application.open_database(read_only_file)
    if db is not None:
        db.close()
    assert db is None
    [(title, text)] = warnings
    assert title == "Không mở được cơ sở dữ liệu"
    assert READ_ONLY in text and f"“{read_only_file}”" in text
