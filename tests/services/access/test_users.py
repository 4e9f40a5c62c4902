"""Users and roles: single-user mode unchanged, the first user an administrator, only an
administrator manages users, and the acting user is refused when missing, unknown or locked."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.services.access import permissions, users
from app.services.access.permissions import PermissionDenied
from app.services.common.errors import ServiceError
from app.store.database import Database
from app.store.models import AuditEntry


def _office(db: Database) -> None:
    users.add_user(db, "admin1", "admin", full_name="Nguyễn Văn An")
    users.add_user(db, "clerk1", "clerk", communes=["xnt"], actor="admin1")
    users.add_user(db, "thanhtra", "inspector", actor="admin1")


def test_without_users_nothing_is_checked(province_db: Database) -> None:
    assert permissions.require_user(province_db, None) is None
    assert permissions.require_user(province_db, "ai-do") == "ai-do"  # only a name for the log
    permissions.require_write(province_db, "", "XMP")
    permissions.require_write(province_db, None, "XNT")
    assert users.list_users(province_db) == []


def test_the_first_user_must_be_an_administrator(province_db: Database) -> None:
    with pytest.raises(PermissionDenied, match="Người dùng đầu tiên phải là người quản trị"):
        users.add_user(province_db, "clerk1", "clerk", communes=["XNT"])
    assert users.list_users(province_db) == []
    info = users.add_user(province_db, "admin1", "admin", password="mật khẩu dài đủ")
    assert info.role == "admin" and info.has_password
    assert users.verify_password(province_db, "admin1", "mật khẩu dài đủ")
    assert not users.verify_password(province_db, "admin1", "sai mật khẩu")


def test_only_an_administrator_manages_users(province_db: Database) -> None:
    _office(province_db)
    with pytest.raises(PermissionDenied, match="Chỉ người quản trị mới được thêm người dùng"):
        users.add_user(province_db, "clerk2", "clerk", communes=["XMP"], actor="clerk1")
    with pytest.raises(PermissionDenied, match="xem danh sách người dùng"):
        users.list_users(province_db, actor="thanhtra")
    with pytest.raises(PermissionDenied, match="phải cho biết ai đang làm việc"):
        users.list_users(province_db)
    listed = users.list_users(province_db, actor="admin1")
    assert [u.describe() for u in listed] == [
        "admin1 (Nguyễn Văn An): quản trị tỉnh",
        "clerk1: chuyên viên, phụ trách XNT",
        "thanhtra: thanh tra (chỉ xem)",
    ]
    with pytest.raises(ServiceError, match="phải phụ trách ít nhất một xã"):
        users.add_user(province_db, "clerk2", "clerk", actor="admin1")
    with pytest.raises(ServiceError, match="Đã có người dùng “clerk1”"):
        users.add_user(province_db, "Clerk1", "clerk", communes=["XMP"], actor="admin1")
    with pytest.raises(ServiceError, match="người quản trị cuối cùng"):
        users.deactivate_user(province_db, "admin1", actor="admin1")
    with province_db.session() as session:
        actors = session.execute(
            select(AuditEntry.actor, AuditEntry.summary).where(AuditEntry.entity == "user")
        ).all()
    assert actors == [
        ("admin1", "Thêm người dùng admin1 (Nguyễn Văn An): quản trị tỉnh"),
        ("admin1", "Thêm người dùng clerk1: chuyên viên, phụ trách XNT"),
        ("admin1", "Thêm người dùng thanhtra: thanh tra (chỉ xem)"),
    ]


def test_a_missing_unknown_or_locked_user_is_refused(province_db: Database) -> None:
    _office(province_db)
    with pytest.raises(PermissionDenied, match="--user"):
        permissions.require_user(province_db, None)
    with pytest.raises(PermissionDenied, match="Không có người dùng “ai-do”"):
        permissions.require_user(province_db, "ai-do")
    assert permissions.require_user(province_db, "clerk1") == "clerk1"
    users.deactivate_user(province_db, "clerk1", actor="admin1")
    with pytest.raises(PermissionDenied, match="đã bị khóa"):
        permissions.require_user(province_db, "clerk1")


def test_who_may_write_which_commune(province_db: Database) -> None:
    _office(province_db)
    permissions.require_write(province_db, "admin1", "XMP")
    permissions.require_write(province_db, "clerk1", "XNT")
    with pytest.raises(PermissionDenied, match=r"chuyên viên phụ trách XNT: không được ghi .*XMP"):
        permissions.require_write(province_db, "clerk1", "XMP")
    with pytest.raises(PermissionDenied, match="chỉ được xem"):
        permissions.require_write(province_db, "thanhtra", "XNT")
