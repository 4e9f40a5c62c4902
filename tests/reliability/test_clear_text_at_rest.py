"""No clear text outside the data folder (issue 18, item 4).

The plain copy an encrypted backup is made from, and the decrypted copy an encrypted backup is
restored through, are the whole database in clear. They live only in a private scratch folder
beside the database (the data folder for the usual database), never in the system's temporary
folder; they are deleted on success and on failure, and a crash's leftovers go at the next
open. On POSIX the data folder is 0700 and the database and its backups 0600.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import paths
from app.services import database as database_service
from app.services.safekeeping import backups, maintenance, secure_backup
from app.store.backup import quick_check

PASSWORD = "Mường Tè, tháng 12"
POSIX_ONLY = pytest.mark.skipif(
    os.name == "nt", reason="Windows: the user profile's access list protects the data folder"
)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _empty_or_missing(folder: Path) -> bool:
    return not folder.exists() or not any(folder.iterdir())


@pytest.fixture
def system_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system's temporary folder, pointed at an empty folder of the test's own."""
    folder = tmp_path / "he-thong-tam"
    folder.mkdir()
    for name in ("TMPDIR", "TEMP", "TMP"):
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    assert tempfile.gettempdir() == str(folder)
    return folder


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The umask most Linux desktops run with (others may read): what the app must not rely on."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def data_database(demo_template: Path) -> Path:
    """The demo as the usual database, in the data folder."""
    path = paths.default_database()
    shutil.copyfile(demo_template, path)
    return path


def test_encrypted_backup_and_restore_write_nothing_to_the_system_temp_folder(
    data_database: Path, system_temp: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # While each plain copy exists: where it is, and what the system's temporary folder holds
    # (a folder that is empty afterwards proves nothing: a crash would have left it full).
    seen: list[tuple[Path, list[Path]]] = []
    encrypt_file = secure_backup.encrypt_file
    restore = maintenance.restore_database

    def encrypting(plain: Path, *args: object) -> Path:
        seen.append((plain, list(system_temp.iterdir())))
        return encrypt_file(plain, *args)  # type: ignore[arg-type]

    def restoring(database: Path, plain: Path) -> Path | None:
        seen.append((plain, list(system_temp.iterdir())))
        return restore(database, plain)

    monkeypatch.setattr(secure_backup, "encrypt_file", encrypting)
    monkeypatch.setattr(maintenance, "restore_database", restoring)

    target = secure_backup.encrypt_backup(data_database, tmp_path / "usb" / "sao-luu.dgb", PASSWORD)
    secure_backup.restore_database(data_database, target, PASSWORD)
    assert quick_check(data_database) == "ok"
    assert [during for _plain, during in seen] == [[], []]
    assert list(system_temp.iterdir()) == []

    # Both plain copies were made in the data folder's scratch folder, and are gone.
    scratch = paths.scratch_dir(data_database)
    assert scratch.parent == paths.data_dir()
    for plain, _during in seen:
        assert plain.is_relative_to(scratch)
        assert not plain.exists()
    assert _empty_or_missing(scratch)


def test_a_database_elsewhere_gets_its_scratch_folder_beside_it(
    demo_path: Path, system_temp: Path, tmp_path: Path
) -> None:
    """A database named on the command line (--db) outside the data folder: its plain copies
    stay in its own folder, which already holds the same data in clear."""
    scratch = paths.scratch_dir(demo_path)
    assert scratch == demo_path.parent / paths.SCRATCH_NAME
    target = secure_backup.encrypt_backup(demo_path, tmp_path / "usb" / "sao-luu.dgb", PASSWORD)
    restored = tmp_path / "khac" / "moi.sqlite"
    restored.parent.mkdir()
    secure_backup.restore_database(restored, target, PASSWORD)
    assert quick_check(restored) == "ok"
    assert list(system_temp.iterdir()) == []
    assert _empty_or_missing(scratch)
    assert _empty_or_missing(paths.scratch_dir(restored))


def test_a_failed_encrypted_backup_leaves_no_plain_copy(
    data_database: Path, system_temp: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[Path] = []

    def failing(plain: Path, *_args: object) -> Path:
        assert plain.exists() and quick_check(plain) == "ok"
        assert list(system_temp.iterdir()) == []
        made.append(plain)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(secure_backup, "encrypt_file", failing)
    target = tmp_path / "usb" / "sao-luu.dgb"
    with pytest.raises(OSError, match="No space left"):
        secure_backup.encrypt_backup(data_database, target, PASSWORD)
    assert made and not made[0].exists()
    assert _empty_or_missing(paths.scratch_dir(data_database))
    assert list(system_temp.iterdir()) == []
    assert not target.exists()


def test_a_failed_encrypted_restore_leaves_no_plain_copy(
    data_database: Path, system_temp: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = secure_backup.encrypt_backup(data_database, tmp_path / "sao-luu.dgb", PASSWORD)
    made: list[Path] = []

    def failing(_database: Path, plain: Path) -> Path | None:
        assert plain.exists() and quick_check(plain) == "ok"
        assert list(system_temp.iterdir()) == []
        made.append(plain)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(maintenance, "restore_database", failing)
    with pytest.raises(OSError, match="No space left"):
        secure_backup.restore_database(data_database, target, PASSWORD)
    assert made and not made[0].exists()
    assert _empty_or_missing(paths.scratch_dir(data_database))
    assert list(system_temp.iterdir()) == []


def test_what_a_crash_left_in_the_scratch_folder_goes_at_the_next_open(
    data_database: Path,
) -> None:
    """A killed process cannot clean up: the next open through the app's one door does."""
    scratch = paths.scratch_dir(data_database)
    leftover = scratch / "sao-luu-abc123" / "sao-luu.sqlite"
    leftover.parent.mkdir(parents=True)
    shutil.copyfile(data_database, leftover)
    (scratch / "sao-luu-abc123" / "sao-luu.sqlite-journal").write_bytes(b"x")
    with database_service.open_database(data_database) as db:
        assert db.path == data_database.resolve()
        assert not leftover.exists()
        assert _empty_or_missing(scratch)


def test_a_scratch_folder_that_cannot_be_swept_does_not_stop_the_open(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = paths.scratch_dir(demo_path)
    scratch.mkdir()

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(shutil, "rmtree", refuse)
    with database_service.open_database(demo_path) as db:
        assert db.path == demo_path.resolve()


@POSIX_ONLY
def test_the_plain_copy_is_private_while_it_exists(
    data_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, usual_umask: None
) -> None:
    modes: list[tuple[int, int, int]] = []
    encrypt_file = secure_backup.encrypt_file

    def encrypting(plain: Path, *args: object) -> Path:
        modes.append((_mode(plain.parent.parent), _mode(plain.parent), _mode(plain)))
        return encrypt_file(plain, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(secure_backup, "encrypt_file", encrypting)
    secure_backup.encrypt_backup(data_database, tmp_path / "sao-luu.dgb", PASSWORD)
    assert modes == [(0o700, 0o700, 0o600)]


@POSIX_ONLY
def test_the_data_folder_the_database_and_its_backups_are_private(
    tmp_path: Path, own_data_dir: Path, usual_umask: None
) -> None:
    # A data folder an older version left open to everyone is tightened.
    own_data_dir.mkdir(mode=0o755)
    own_data_dir.chmod(0o755)
    assert paths.data_dir() == own_data_dir
    assert _mode(own_data_dir) == 0o700
    assert _mode(paths.backups_dir()) == 0o700

    database = paths.default_database()
    with database_service.open_database(database, create=True) as db:
        assert _mode(database) == 0o600
        automatic = backups.make_backup(db, "thu-cong")
        assert _mode(automatic) == 0o600
        encrypted = secure_backup.encrypt_backup(database, tmp_path / "sao-luu.dgb", PASSWORD)
        assert _mode(encrypted) == 0o600
        plain = maintenance.backup_database(database, tmp_path / "sao-luu.sqlite")
        assert _mode(plain) == 0o600
    decrypted = secure_backup.decrypt_backup(encrypted, PASSWORD, tmp_path / "giai-ma.sqlite")
    assert _mode(decrypted) == 0o600


@POSIX_ONLY
def test_an_existing_database_open_to_everyone_is_tightened_when_opened(
    data_database: Path, usual_umask: None
) -> None:
    data_database.chmod(0o644)
    with database_service.open_database(data_database):
        assert _mode(data_database) == 0o600
