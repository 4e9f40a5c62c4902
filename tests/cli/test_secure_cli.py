"""Passwords on the command line: `package export/import --password`, `backup --password`,
`restore` of an encrypted backup. A password is never an argument: a prompt, a file, or
DANHGIA_PASSWORD."""

from __future__ import annotations

import getpass
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import select

from app.__main__ import main
from app.domain.procedure import CellStep
from app.services.periods import lifecycle as periods
from app.services.procedure import board as procedure_board
from app.services.procedure import steps as procedure_steps
from app.services.safekeeping.secure_file import is_encrypted
from app.store.database import Database
from app.store.models import Organization

PASSWORD = "Bản Pá Có 2026"


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DANHGIA_PASSWORD", raising=False)


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """What the user types at each hidden prompt, in order; the prompts are recorded."""
    answers: list[str] = []
    prompts: list[str] = []

    def prompt(label: str = "") -> str:
        prompts.append(label)
        if not answers:
            raise EOFError
        return answers.pop(0)

    monkeypatch.setattr(getpass, "getpass", prompt)
    yield answers


@pytest.fixture
def cell(full_demo_path: Path, tmp_path: Path) -> tuple[int, str, Path]:
    copy = tmp_path / "ban-sao-chi-bo.sqlite"
    shutil.copy(full_demo_path, copy)
    with Database.open(copy) as db:
        year = periods.list_periods(db)[-1].year
        cell_id = next(
            r.cell_id for r in procedure_board.board(db, year) if r.step is CellStep.VOTING
        )
        procedure_steps.advance(db, year, cell_id, "Bí thư chi bộ")  # one change to import
        with db.session() as session:
            code = session.scalar(select(Organization.code).where(Organization.id == cell_id))
    return year, str(code), copy


def test_an_encrypted_package_from_the_command_line(
    cell: tuple[int, str, Path], full_demo_path: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], no_env: None, typed: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    year, code, copy = cell
    out = tmp_path / "goi.dgx"
    export = ["package", "export", "--year", str(year), "--unit", code, "-o", str(out),
              "--db", str(copy), "--password"]  # fmt: skip
    typed += [PASSWORD, PASSWORD + "!"]
    assert main(export) == 2
    assert "không khớp" in capsys.readouterr().err and not out.exists()
    typed += [PASSWORD, PASSWORD]
    assert main(export) == 0
    said = capsys.readouterr().out
    assert "Đã xuất gói dữ liệu" in said and "báo mật khẩu cho người nhận" in said
    assert is_encrypted(out)

    importing = ["package", "import", str(out), "--db", str(full_demo_path)]
    assert main(importing) == 2  # no password and nobody at a terminal
    assert "được đặt mật khẩu: chạy lại với --password" in capsys.readouterr().err
    monkeypatch.setenv("DANHGIA_PASSWORD", "sai mật khẩu rồi")
    assert main(importing) == 2
    assert "mật khẩu không đúng, hoặc tệp đã bị thay đổi" in capsys.readouterr().err
    secret = tmp_path / "mat-khau.txt"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    assert main([*importing, "--password-file", str(secret)]) == 0
    said = capsys.readouterr().out
    assert "Sẽ thay đổi (1):" in said and said.rstrip().endswith("thêm --yes để nhập.")
    monkeypatch.setenv("DANHGIA_PASSWORD", PASSWORD)
    assert main([*importing, "--yes"]) == 0
    assert "Đã nhập gói của" in capsys.readouterr().out


def test_an_encrypted_backup_and_its_restore(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], no_env: None,
    typed: list[str], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    target = tmp_path / "usb" / "sao-luu.dgb"
    monkeypatch.setenv("DANHGIA_PASSWORD", PASSWORD)  # alone, it asks for no encryption
    plain = tmp_path / "thuong.sqlite"
    assert main(["backup", str(plain), "--db", str(demo_path)]) == 0
    assert not is_encrypted(plain)
    assert main(["backup", str(target), "--password", "--db", str(demo_path)]) == 0
    assert "mã hóa" in capsys.readouterr().out and is_encrypted(target)
    assert b"SQLite format 3" not in target.read_bytes()

    restored = tmp_path / "khoi-phuc.sqlite"
    monkeypatch.delenv("DANHGIA_PASSWORD")
    assert main(["restore", str(target), "--db", str(restored)]) == 2
    assert "--password" in capsys.readouterr().err and not restored.exists()
    typed.append("đoán bừa một mật khẩu")
    assert main(["restore", str(target), "--password", "--db", str(restored)]) == 2
    assert "mật khẩu không đúng" in capsys.readouterr().err and not restored.exists()
    typed.append(PASSWORD)
    assert main(["restore", str(target), "--password", "--db", str(restored)]) == 0
    assert "Đã khôi phục" in capsys.readouterr().out
    with closing(sqlite3.connect(restored)) as connection:
        assert connection.execute("SELECT count(*) FROM members").fetchone()[0] > 500


def test_a_short_or_empty_password_is_refused(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], no_env: None,
    typed: list[str],
) -> None:  # fmt: skip
    target = tmp_path / "a.dgb"
    short = tmp_path / "ngan.txt"
    short.write_text("1234\n", encoding="utf-8")
    assert main(["backup", str(target), "--password-file", str(short), "--db", str(demo_path)]) == 2
    assert "ít nhất 8 ký tự" in capsys.readouterr().err
    empty = tmp_path / "trong.txt"
    empty.write_text("", encoding="utf-8")
    assert main(["backup", str(target), "--password-file", str(empty), "--db", str(demo_path)]) == 2
    assert "trống" in capsys.readouterr().err
    assert main(["backup", str(target), "--password", "--db", str(demo_path)]) == 2  # EOF
    assert "Chưa nhập mật khẩu" in capsys.readouterr().err
    assert not target.exists()


def test_a_forgotten_window_password_is_removed_from_the_command_line(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.services.safekeeping import audit
    from app.services.safekeeping import window_password as access

    with Database.open(demo_path) as db:
        access.set_password(db, "mật khẩu bị quên")
        assert access.has_password(db)
    assert main(["password", "remove", "--db", str(demo_path)]) == 0
    assert "Đã gỡ mật khẩu" in capsys.readouterr().out
    with Database.open(demo_path) as db:
        assert not access.has_password(db)
        assert any("quên mật khẩu" in e.summary for e in audit.entries(db))
        assert audit.verify_chain(db) == []
    assert main(["password", "remove", "--db", str(demo_path)]) == 0
    assert "không đặt mật khẩu" in capsys.readouterr().out
