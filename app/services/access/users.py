"""The users of a shared database: added, listed and deactivated by an administrator.

The first user must be an administrator (added by whoever holds the database, before anyone
is checked); after that only an administrator adds, lists or deactivates users. A user is
never deleted, only deactivated, so the audit log's names keep meaning someone; the last
active administrator cannot be deactivated. An optional password is kept as an Argon2id hash,
as the window's password is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.domain import clock
from app.domain.text import clean
from app.domain.vocabulary import AuditAction
from app.services.access.permissions import (
    ADMIN,
    CLERK,
    ROLES,
    PermissionDenied,
    check_admin,
    communes_of,
    has_users,
)
from app.services.common.errors import ServiceError
from app.services.safekeeping import audit
from app.services.safekeeping.secure_file import check_new_password
from app.store.database import Database
from app.store.models import User, UserCommune

_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,59}$")
_hasher = PasswordHasher()


@dataclass(frozen=True)
class UserInfo:
    login: str
    full_name: str
    role: str
    active: bool
    communes: tuple[str, ...]
    has_password: bool

    def describe(self) -> str:
        text = f"{self.login}"
        if self.full_name:
            text += f" ({self.full_name})"
        text += f": {ROLES.get(self.role, self.role)}"
        if self.role == CLERK:
            text += f", phụ trách {', '.join(self.communes)}"
        if not self.active:
            text += " — đã khóa"
        return text


def _info(user: User) -> UserInfo:
    return UserInfo(user.login, user.full_name, user.role, user.active,
                    tuple(communes_of(user)), user.password_hash is not None)  # fmt: skip


def _find(session: Session, login: str) -> User | None:
    """The user *login* (any state), with his communes."""
    return session.scalar(
        select(User).where(User.login == login).options(selectinload(User.communes))
    )


def _nfc(password: str) -> str:
    return unicodedata.normalize("NFC", password)


def add_user(
    db: Database,
    login: str,
    role: str,
    *,
    full_name: str = "",
    communes: Iterable[str] = (),
    password: str | None = None,
    actor: str = "",
) -> UserInfo:
    """Add a user; *actor* is who adds him (an administrator, or anyone for the first user,
    who must be an administrator). A clerk needs at least one commune; the others none."""
    login = clean(login).lower()
    if not _LOGIN.match(login):
        raise ServiceError(
            f"Tên đăng nhập “{login}” không hợp lệ: dùng chữ thường không dấu, số, dấu chấm, "
            "gạch ngang hoặc gạch dưới (tối đa 60 ký tự)."
        )
    if role not in ROLES:
        raise ServiceError(f"Vai trò “{role}” không có; chọn một trong: {', '.join(ROLES)}.")
    codes = sorted({clean(c).upper() for c in communes if clean(c)})
    if role == CLERK and not codes:
        raise ServiceError("Chuyên viên phải phụ trách ít nhất một xã (--commune MÃ).")
    if role != CLERK and codes:
        raise ServiceError(f"Chỉ chuyên viên mới phụ trách xã; {ROLES[role]} thì không.")
    if password is not None:
        check_new_password(password)
    with db.session() as session:
        first = not has_users(session)
        if first and role != ADMIN:
            raise PermissionDenied(
                "Người dùng đầu tiên phải là người quản trị (--role admin): người ấy thêm những "
                "người khác."
            )
        if not first:
            check_admin(session, actor, "thêm người dùng")
        if session.scalar(select(User.id).where(User.login == login)) is not None:
            raise ServiceError(f"Đã có người dùng “{login}”.")
        user = User(
            login=login,
            full_name=clean(full_name),
            role=role,
            active=True,
            password_hash=_hasher.hash(_nfc(password)) if password else None,
            created_at=clock.now().replace(microsecond=0),
            created_by=actor or login,
        )
        user.communes = [UserCommune(commune_code=code) for code in codes]
        session.add(user)
        session.flush()
        info = _info(user)
        audit.record(
            session,
            actor=actor or login,
            action=AuditAction.ADD_USER,
            entity="user",
            entity_id=user.id,
            summary=f"Thêm người dùng {info.describe()}",
            after={"login": login, "role": role, "communes": codes},
        )
    return info


def list_users(db: Database, *, actor: str = "") -> list[UserInfo]:
    """Every user, by login; only an administrator may list them (none: an empty list)."""
    with db.session() as session:
        check_admin(session, actor, "xem danh sách người dùng")
        users = session.scalars(
            select(User).options(selectinload(User.communes)).order_by(User.login)
        ).all()
        return [_info(u) for u in users]


def deactivate_user(db: Database, login: str, *, actor: str = "") -> UserInfo:
    """Deactivate *login* (an administrator only); the last active administrator stays."""
    login = clean(login).lower()
    with db.session() as session:
        check_admin(session, actor, "khóa người dùng")
        user = _find(session, login)
        if user is None:
            raise ServiceError(f"Không có người dùng “{login}”.")
        if not user.active:
            return _info(user)
        if user.role == ADMIN:
            admins = session.scalar(
                select(func.count()).where(User.role == ADMIN, User.active.is_(True))
            )
            if (admins or 0) <= 1:
                raise ServiceError(
                    f"“{login}” là người quản trị cuối cùng còn hoạt động: thêm người quản trị "
                    "khác trước khi khóa."
                )
        user.active = False
        audit.record(
            session,
            actor=actor,
            action=AuditAction.DEACTIVATE_USER,
            entity="user",
            entity_id=user.id,
            summary=f"Khóa người dùng {login}",
            before={"active": True},
            after={"active": False},
        )
        return _info(user)


def set_password(db: Database, login: str, password: str, *, actor: str = "") -> UserInfo:
    """Set (or change) *login*'s sign-in password: an administrator for anyone, a user for
    himself. Logged without the password, of course."""
    check_new_password(password)
    login = clean(login).lower()
    with db.session() as session:
        if clean(actor).lower() != login:
            check_admin(session, actor, "đặt mật khẩu cho người khác")
        user = _find(session, login)
        if user is None:
            raise ServiceError(f"Không có người dùng “{login}”.")
        user.password_hash = _hasher.hash(_nfc(password))
        audit.record(
            session,
            actor=actor or login,
            action=AuditAction.SET_USER_PASSWORD,
            entity="user",
            entity_id=user.id,
            summary=f"Đặt mật khẩu đăng nhập cho {login}",
        )
        return _info(user)


def sign_in(db: Database, login: str, password: str) -> UserInfo:
    """The active user *login* when *password* is his (the window's sign-in); otherwise a
    PermissionDenied saying what to do. An unknown login and a wrong password get the same
    answer, so that the sign-in does not tell who has an account."""
    login = clean(login).lower()
    with db.session() as session:
        user = _find(session, login)
        if user is not None and user.active and user.password_hash is None:
            raise PermissionDenied(
                f"Người dùng “{login}” chưa có mật khẩu đăng nhập: nhờ người quản trị đặt "
                f"(lệnh: danhgia user password {login} --user TÊN_QUẢN_TRỊ)."
            )
        if user is not None and not user.active:
            raise PermissionDenied(f"Người dùng “{login}” đã bị khóa; không đăng nhập được.")
        if user is None or not _password_matches(user, password):
            raise PermissionDenied("Tên đăng nhập hoặc mật khẩu không đúng.")
        return _info(user)


def _password_matches(user: User, password: str) -> bool:
    if user.password_hash is None:
        return False
    try:
        return bool(_hasher.verify(user.password_hash, _nfc(password)))
    except (VerificationError, InvalidHashError):
        return False


def verify_password(db: Database, login: str, password: str) -> bool:
    """True when *login* is an active user whose password is *password*."""
    with db.session() as session:
        user = session.scalar(select(User).where(User.login == clean(login).lower()))
        return user is not None and user.active and _password_matches(user, password)
