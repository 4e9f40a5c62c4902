"""Encrypted exchange packages and encrypted backups: what leaves the machine can only be read
with its password, and the file shows nothing of whom it is about."""

from __future__ import annotations

import sqlite3
import unicodedata
from contextlib import closing
from pathlib import Path

import pytest

from app.domain.procedure import CellStep
from app.services.exchange import package as exchange
from app.services.periods import lifecycle as periods
from app.services.procedure import board as procedure_board
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.services.safekeeping import secure_backup
from app.services.safekeeping.secure_file import WeakPassword, WrongPassword
from app.store.database import Database
from app.store.errors import StoreError
from tests.services.conftest import CopyOf, Location

PASSWORD = "Mường Tè, tháng 12"


def _forms(text: str) -> list[bytes]:
    """*text* as a file could hold it: UTF-8 and UTF-16 (both byte orders), composed and not."""
    found = []
    for form in ("NFC", "NFD"):
        value = unicodedata.normalize(form, text)
        found += [value.encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be")]
    return found


def _names(db: Database, year: int, cell: int) -> list[str]:
    view = procedure_view.cell_view(db, year, cell)
    people = [m.full_name for m in view.members]
    assert len(people) >= 5
    return [view.cell_name, *people[:3], people[-1], *[n for n in people if len(n) > 16][:2]]


def _voting_cell(db: Database) -> tuple[int, int]:
    year = periods.list_periods(db)[-1].year
    board = procedure_board.board(db, year)
    return year, next(row.cell_id for row in board if row.step is CellStep.VOTING)


@pytest.fixture
def cell(full_demo_db: Database) -> tuple[int, int]:
    return _voting_cell(full_demo_db)


def test_an_encrypted_package_needs_its_password_and_shows_no_name(
    full_demo_db: Database, cell: tuple[int, int], tmp_path: Path
) -> None:
    year, cell_id = cell
    plain = exchange.export_package(full_demo_db, year, cell_id, tmp_path / "mo.dgx")
    sealed = exchange.export_package(
        full_demo_db, year, cell_id, tmp_path / "kin.dgx", password=PASSWORD
    )
    assert sealed.members == plain.members and sealed.cell_code == plain.cell_code
    plain_bytes, sealed_bytes = plain.path.read_bytes(), sealed.path.read_bytes()
    names = _names(full_demo_db, year, cell_id)
    assert len(names) >= 3
    # The plain package does carry the names (so the check below can fail) ...
    assert all(name.encode() in plain_bytes for name in names)
    # ... the encrypted one, in no encoding or Unicode form.
    for name in names:
        for form in _forms(name):
            assert form not in sealed_bytes, name
    assert plain.cell_code.encode() not in sealed_bytes

    with pytest.raises(exchange.PackageNeedsPassword, match="được đặt mật khẩu"):
        exchange.read_package(sealed.path)
    with pytest.raises(WrongPassword, match="mật khẩu không đúng, hoặc tệp đã bị thay đổi"):
        exchange.read_package(sealed.path, "Mường Tè, tháng 11")
    with pytest.raises(WrongPassword):
        exchange.read_package(sealed.path, unicodedata.normalize("NFD", PASSWORD).upper())
    opened = exchange.read_package(sealed.path, unicodedata.normalize("NFD", PASSWORD))
    assert opened.checksum == sealed.checksum
    assert opened.data == exchange.read_package(plain.path).data
    # A plain package opens as before, a password given or not.
    assert exchange.read_package(plain.path, PASSWORD).checksum == plain.checksum


def test_an_encrypted_package_altered_by_one_byte_is_refused(
    full_demo_db: Database, cell: tuple[int, int], tmp_path: Path
) -> None:
    year, cell_id = cell
    info = exchange.export_package(
        full_demo_db, year, cell_id, tmp_path / "k.dgx", password=PASSWORD
    )
    data = bytearray(info.path.read_bytes())
    data[len(data) // 2] ^= 0x40
    altered = tmp_path / "sua.dgx"
    altered.write_bytes(bytes(data))
    with pytest.raises(WrongPassword):
        exchange.read_package(altered, PASSWORD)


def test_an_encrypted_package_imports_like_a_plain_one(
    full_demo_path: Location, copy_of: CopyOf, tmp_path: Path
) -> None:
    commune_path = copy_of(full_demo_path, "dang-uy")
    with Database.open(full_demo_path) as copy:
        year, cell_id = _voting_cell(copy)
        assert procedure_steps.advance(copy, year, cell_id, "Bí thư") is CellStep.SUBMITTED
        path = exchange.export_package(
            copy, year, cell_id, tmp_path / "g.dgx", password=PASSWORD
        ).path
    with Database.open(commune_path) as commune:
        plan = exchange.plan_import(commune, exchange.read_package(path, PASSWORD))
        assert not plan.blocked and len(plan.changes) == 1
        exchange.apply_package(commune, plan)
        assert procedure_view.cell_view(commune, year, cell_id).step is CellStep.SUBMITTED


# ---- backups ---------------------------------------------------------------------------------


def _member_count(path: Path) -> int:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        return int(connection.execute("SELECT count(*) FROM members").fetchone()[0])


@pytest.mark.sqlite_file  # a backup is a copy of the file (a server's are pg_dump's)
def test_an_encrypted_backup_restores_only_with_its_password(
    full_demo_db: Database, cell: tuple[int, int], tmp_path: Path
) -> None:
    year, cell_id = cell
    names = _names(full_demo_db, year, cell_id)
    assert len(names) >= 3
    source = full_demo_db.path
    usb = tmp_path / "usb"
    target = secure_backup.encrypt_backup(source, usb / "sao-luu.dgb", PASSWORD)
    data = target.read_bytes()
    assert data.startswith(b"DanhGia-MaHoa") and b"SQLite format 3" not in data
    for name in names:
        for form in _forms(name):
            assert form not in data, name
    # No plain copy was ever written beside it (a USB stick keeps what was deleted).
    assert [p.name for p in usb.iterdir()] == ["sao-luu.dgb"]

    out = tmp_path / "giai-ma.sqlite"
    with pytest.raises(WrongPassword):
        secure_backup.decrypt_backup(target, "mật khẩu khác hẳn", out)
    assert not out.exists()
    assert secure_backup.decrypt_backup(target, PASSWORD, out) == out
    assert _member_count(out) == _member_count(source) > 500

    # Restoring: an empty database becomes the demo again; without the password, nothing.
    restored = tmp_path / "moi.sqlite"
    with pytest.raises(secure_backup.BackupNeedsPassword, match="được đặt mật khẩu"):
        secure_backup.restore_database(restored, target)
    assert not restored.exists()
    secure_backup.restore_database(restored, target, PASSWORD)
    assert _member_count(restored) == _member_count(source)


@pytest.mark.sqlite_file
def test_a_backup_refuses_a_weak_password_and_its_own_database(
    full_demo_db: Database, tmp_path: Path
) -> None:
    with pytest.raises(WeakPassword):
        secure_backup.encrypt_backup(full_demo_db.path, tmp_path / "a.dgb", "123")
    with pytest.raises(StoreError, match="phải khác tệp cơ sở dữ liệu"):
        secure_backup.encrypt_backup(full_demo_db.path, full_demo_db.path, PASSWORD)
    assert not (tmp_path / "a.dgb").exists()
