"""The window's optional password: set, changed, removed and checked here.

What it is: access control for the window. The password is kept as an Argon2id hash
(argon2-cffi's PasswordHasher: RFC 9106's low-memory setting, 64 MiB, 3 passes, 4 lanes, a
random salt) in the database itself, so it travels with the file. What it is not: encryption.
The database file stays plain SQLite; the command line and any SQLite tool open it without the
password. It keeps a passer-by at the office PC out of the window, nothing more.

Passwords are compared in NFC, so "ế" typed composed or decomposed is the same password.
"""

from __future__ import annotations

import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.domain import clock
from app.domain.vocabulary import AuditAction
from app.services.common.errors import ServiceError
from app.services.roster.quick_read import has_password as has_password
from app.services.safekeeping import audit
from app.services.safekeeping.secure_file import check_new_password
from app.store.database import Database
from app.store.models import AccessControl

_ROW = 1
_hasher = PasswordHasher()


class WrongCurrentPassword(ServiceError):
    def __init__(self) -> None:
        super().__init__("Mật khẩu hiện tại không đúng; chưa thay đổi gì.")


def _text(password: str) -> str:
    return unicodedata.normalize("NFC", password)


def verify(db: Database, password: str) -> bool:
    """True when *password* is the one set (False when none is set: nothing to open)."""
    with db.session() as session:
        row = session.get(AccessControl, _ROW)
        if row is None:
            return False
        try:
            _hasher.verify(row.password_hash, _text(password))
        except (VerificationError, InvalidHashError):
            return False
        if _hasher.check_needs_rehash(row.password_hash):
            # Stronger parameters in a newer version: upgrade the stored hash on success.
            row.password_hash = _hasher.hash(_text(password))
        return True


def set_password(db: Database, new: str, *, current: str | None = None, actor: str = "") -> None:
    """Set the password, or change it (then *current* must be right)."""
    check_new_password(new)
    changing = has_password(db)
    if changing and (current is None or not verify(db, current)):
        raise WrongCurrentPassword()
    with db.session() as session:
        row = session.get(AccessControl, _ROW)
        now = clock.now().replace(microsecond=0)
        if row is None:
            row = AccessControl(id=_ROW, password_hash="", set_at=now)
            session.add(row)
        row.password_hash = _hasher.hash(_text(new))
        row.set_at, row.set_by = now, actor[:100]
        audit.record(
            session,
            actor=actor,
            action=AuditAction.CHANGE_PASSWORD if changing else AuditAction.SET_PASSWORD,
            entity="access_control",
            entity_id=_ROW,
            summary="Đổi mật khẩu mở chương trình" if changing else "Đặt mật khẩu mở chương trình",
        )


def remove_password(db: Database, current: str, *, actor: str = "") -> None:
    """Remove the password; *current* must be right."""
    if not verify(db, current):
        raise WrongCurrentPassword()
    _remove(db, actor, "Bỏ mật khẩu mở chương trình")


def reset_password(db: Database, *, actor: str = "") -> bool:
    """A forgotten password, removed from the command line (``danhgia password remove``). The
    password guards the window only (the file itself is plain SQLite), so this hides nothing;
    it is logged. False when there was no password."""
    if not has_password(db):
        return False
    _remove(db, actor, "Gỡ mật khẩu mở chương trình bằng dòng lệnh (quên mật khẩu)")
    return True


def _remove(db: Database, actor: str, summary: str) -> None:
    with db.session() as session:
        row = session.get(AccessControl, _ROW)
        if row is not None:
            session.delete(row)
        audit.record(
            session,
            actor=actor,
            action=AuditAction.REMOVE_PASSWORD,
            entity="access_control",
            entity_id=_ROW,
            summary=summary,
        )
