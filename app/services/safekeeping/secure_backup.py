"""Password-encrypted backups, for a copy that leaves the machine (a USB stick, e-mail).

An encrypted backup is the same SQLite copy the plain backup makes (online backup API,
checked), encrypted with ``secure_file`` into a ``.dgb`` file. The plain copy is made in the
database's private scratch folder (``scratch``: beside the database, never the system's
temporary folder) and deleted at once, even on failure: it never touches the target's drive,
which may be the USB stick the encrypted file is for. Restoring decrypts into the same kind of
folder. Automatic backups in the data folder stay plain ``.sqlite`` files: they live beside the
database, which is itself not encrypted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.services.common.errors import ServiceError
from app.services.safekeeping import maintenance, scratch
from app.services.safekeeping.secure_file import (
    Kind,
    check_new_password,
    decrypt_file,
    encrypt_file,
)
from app.services.safekeeping.secure_file import is_encrypted as is_encrypted
from app.store.backup import quick_check
from app.store.database import server_backups_refused
from app.store.errors import DatabaseMissing, StoreError
from app.store.server import ServerTarget

SUFFIX = ".dgb"


class BackupNeedsPassword(ServiceError):
    """The backup is encrypted and no password was given."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"Bản sao lưu “{Path(path).name}” được đặt mật khẩu: hãy nhập mật khẩu.")


def encrypt_backup(database: Path | ServerTarget, target: Path, password: str) -> Path:
    """Back up *database* (safe while it is open) into the encrypted file *target*. A server
    database: ServerKeepsItsOwnBackups."""
    if isinstance(database, ServerTarget):
        raise server_backups_refused(database)
    database, target = Path(database), Path(target)
    check_new_password(password)
    if not database.exists():
        raise DatabaseMissing(database)
    if target.resolve() == database.resolve():
        raise StoreError("Tệp sao lưu phải khác tệp cơ sở dữ liệu")
    with scratch.private_folder(database, "sao-luu-") as folder:
        plain = maintenance.backup_database(database, folder / "sao-luu.sqlite")
        return encrypt_file(plain, target, password, Kind.BACKUP)


def decrypt_backup(path: Path, password: str, dest: Path) -> Path:
    """Decrypt the backup at *path* into *dest* (a plain SQLite file) and check it.

    A wrong password or a changed file raises secure_file.WrongPassword and leaves no *dest*."""
    path, dest = Path(path), Path(dest)
    if not path.exists():
        raise DatabaseMissing(path)
    decrypt_file(path, dest, password, Kind.BACKUP)
    problem = quick_check(dest)
    if problem != "ok":
        dest.unlink(missing_ok=True)
        raise StoreError(f"Bản sao lưu “{path.name}” giải mã được nhưng không dùng được: {problem}")
    return dest


@contextmanager
def plain_copy(path: Path, password: str | None, *, database: Path) -> Iterator[Path]:
    """*path* itself when it is a plain backup; else its decrypted copy in the private scratch
    folder of *database* (the one it is restored into), deleted when the block ends."""
    path = Path(path)
    if not is_encrypted(path):
        yield path
        return
    if not password:
        raise BackupNeedsPassword(path)
    with scratch.private_folder(database, "khoi-phuc-") as folder:
        yield decrypt_backup(path, password, folder / f"{path.stem}.sqlite")


def restore_database(
    database: Path | ServerTarget, backup: Path, password: str | None = None
) -> Path | None:
    """Restore *database* from a plain or encrypted *backup* (maintenance.restore_database).
    A server database: ServerKeepsItsOwnBackups, before any password is asked or used."""
    if isinstance(database, ServerTarget):
        raise server_backups_refused(database)
    with plain_copy(backup, password, database=database) as plain:
        return maintenance.restore_database(database, plain)
