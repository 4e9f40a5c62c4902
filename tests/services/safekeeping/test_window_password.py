"""The window's password: an Argon2id hash in the database, set, changed and removed only by
whoever knows it, and travelling with the file."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import update

from app.services.safekeeping import audit
from app.services.safekeeping import window_password as access
from app.services.safekeeping.secure_file import WeakPassword
from app.store.database import Database
from app.store.models import AccessControl

PASSWORD = "Văn phòng Đảng ủy"


def _stored(db: Database) -> list[tuple[str, ...]]:
    return db.read("SELECT password_hash, set_by FROM access_control")


def test_no_password_by_default(db: Database) -> None:
    assert not access.has_password(db)
    assert not access.verify(db, "")
    assert not access.verify(db, PASSWORD)


def test_the_password_is_kept_as_an_argon2id_hash_and_checked(db: Database) -> None:
    access.set_password(db, PASSWORD, actor="Chánh văn phòng")
    assert access.has_password(db)
    [(stored, by)] = _stored(db)
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$") and by == "Chánh văn phòng"
    assert PASSWORD not in stored
    assert access.verify(db, PASSWORD)
    assert access.verify(db, unicodedata.normalize("NFD", PASSWORD))  # typed decomposed
    assert not access.verify(db, PASSWORD.lower())
    assert not access.verify(db, PASSWORD + " ")
    assert not access.verify(db, "")
    assert [e.action for e in audit.entries(db)][-1] == "dat_mat_khau"


def test_changing_or_removing_needs_the_current_password(db: Database) -> None:
    access.set_password(db, PASSWORD)
    with pytest.raises(access.WrongCurrentPassword, match="Mật khẩu hiện tại không đúng"):
        access.set_password(db, "mật khẩu mới hơn")
    with pytest.raises(access.WrongCurrentPassword):
        access.set_password(db, "mật khẩu mới hơn", current="đoán thử đi")
    with pytest.raises(access.WrongCurrentPassword):
        access.remove_password(db, "đoán thử đi")
    assert access.verify(db, PASSWORD)

    access.set_password(db, "mật khẩu mới hơn", current=PASSWORD)
    assert access.verify(db, "mật khẩu mới hơn") and not access.verify(db, PASSWORD)
    access.remove_password(db, "mật khẩu mới hơn", actor="x")
    assert not access.has_password(db) and _stored(db) == []
    actions = [e.action for e in audit.entries(db)][-2:]
    assert actions == ["doi_mat_khau", "bo_mat_khau"]
    assert audit.verify_chain(db) == []


def test_a_short_password_is_refused(db: Database) -> None:
    with pytest.raises(WeakPassword, match="ít nhất 8 ký tự"):
        access.set_password(db, "1234")
    assert not access.has_password(db)


@pytest.mark.sqlite_file
def test_the_password_travels_with_the_file(db: Database, tmp_path: Path) -> None:
    access.set_password(db, PASSWORD)
    assert PASSWORD.encode() not in db.path.read_bytes()
    copy = tmp_path / "ban-sao.sqlite"
    db.backup_to(copy)
    with Database.open(copy) as other:
        assert access.has_password(other) and access.verify(other, PASSWORD)


def test_a_damaged_hash_opens_nothing(db: Database) -> None:
    access.set_password(db, PASSWORD)
    with db.session() as session:
        session.execute(update(AccessControl).values(password_hash="khong-phai-argon2"))
    assert access.has_password(db)
    assert not access.verify(db, PASSWORD)
