"""What the acting user may write, checked inside the services, so that the window and the
command line go through the same check.

No users in the database: the single-user program, every check passes and *actor* is only a
name for the audit log, as it always was. With users, *actor* must be the login of an active
user: an administrator (quản trị tỉnh) may write everything; a clerk (chuyên viên) only the
records of his communes; an inspector (thanh tra) nothing.

Two checks, so that no write path can forget one. The audit log's ``record`` asks
:func:`check_logged_write` for the user each logged change names. And the window and the
command line declare who works on the database (:func:`act_as`): before every unit of work's
first write — logged or not, the roster's too — the store asks whether that user may write the
database's own records. A refused write rolls back with everything else of its unit of work.
The records of the database's own procedure belong to its commune (the code of the top of its
organisation tree); a province's stored reports name theirs, and are checked against it.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, selectinload

from app.services.common.errors import ServiceError
from app.store.database import Database
from app.store.models import Organization, User

ADMIN, CLERK, INSPECTOR = "admin", "clerk", "inspector"
ROLES = {ADMIN: "quản trị tỉnh", CLERK: "chuyên viên", INSPECTOR: "thanh tra (chỉ xem)"}
ENV_USER = "DANHGIA_USER"


class PermissionDenied(ServiceError):
    """The acting user may not do this; the message says who and why (nothing was written)."""


def has_users(session: Session) -> bool:
    """True when the database has users (then every write is checked)."""
    return bool(session.scalar(select(exists().where(User.id.is_not(None)))))


def acting_user(session: Session, login: str | None) -> User | None:
    """The active user *login* names; None in single-user mode (no users). With users, a
    missing, unknown or inactive login is refused."""
    if not has_users(session):
        return None
    login = (login or "").strip()
    if not login:
        raise PermissionDenied(
            "Cơ sở dữ liệu này có người dùng: phải cho biết ai đang làm việc (trên dòng lệnh: "
            f"--user TÊN_ĐĂNG_NHẬP hoặc biến môi trường {ENV_USER})."
        )
    user = session.scalar(
        select(User).where(User.login == login).options(selectinload(User.communes))
    )
    if user is None:
        raise PermissionDenied(f"Không có người dùng “{login}” trong cơ sở dữ liệu này.")
    if not user.active:
        raise PermissionDenied(f"Người dùng “{login}” đã bị khóa; không làm được gì nữa.")
    return user


def communes_of(user: User) -> list[str]:
    return [c.commune_code for c in user.communes]


def check_write(session: Session, actor: str | None, commune_code: str) -> None:
    """Refuse (PermissionDenied) unless *actor* may write the records of *commune_code*;
    inside the transaction that writes them."""
    user = acting_user(session, actor)
    if user is None or user.role == ADMIN:
        return
    if user.role == CLERK and commune_code.upper() in {c.upper() for c in communes_of(user)}:
        return
    if user.role == CLERK:
        mine = ", ".join(communes_of(user)) or "không có xã nào"
        raise PermissionDenied(
            f"Người dùng “{user.login}” là chuyên viên phụ trách {mine}: không được ghi dữ "
            f"liệu của đảng bộ mã {commune_code}. Chưa ghi gì."
        )
    raise PermissionDenied(
        f"Người dùng “{user.login}” là {ROLES.get(user.role, user.role)}: chỉ được xem, không "
        "được ghi. Chưa ghi gì."
    )


# Records that belong to no commune: the users themselves (their own rules, in users.py).
_NOT_A_COMMUNES = frozenset({"user"})
_CHECKED = "access_checked"  # session.info: the (actor, commune) pairs already allowed


def own_commune(session: Session) -> str:
    """The code of the commune whose procedure this database holds: the top of its
    organisation tree ("" when it holds none, as a province's database of reports)."""
    code = session.scalar(
        select(Organization.code)
        .where(Organization.parent_id.is_(None))
        .order_by(Organization.position, Organization.id)
        .limit(1)
    )
    return code or ""


def check_logged_write(
    session: Session, actor: str | None, entity: str, commune: str | None = None
) -> None:
    """Refuse a write the audit log is about to record unless *actor* may make it: the
    records of *commune* (None: the database's own commune). Without users, nothing to check;
    an allowed pair is remembered for the rest of the unit of work."""
    if entity in _NOT_A_COMMUNES:
        return
    checked: set[tuple[str, str | None]] = session.info.setdefault(_CHECKED, set())
    if (actor or "", commune) in checked:
        return
    if has_users(session):
        check_write(session, actor, own_commune(session) if commune is None else commune)
    checked.add((actor or "", commune))


# Tables whose rows are checked elsewhere: the reports by the commune they name (the importer,
# and record()), the users by their own rules, the audit entries by record().
_CHECKED_ELSEWHERE = frozenset(
    {"commune_reports", "reported_organizations", "reported_members", "users", "user_communes",
     "audit_log", ""}
)  # fmt: skip
_WRITING_CHECKED = "access_writing_checked"  # session.info: the transaction checked already


def act_as(db: Database, login: str | None) -> str | None:
    """Declare who works on *db* from now on (the window after signing in, the command line's
    ``--user``): checked as :func:`require_user`, then every unit of work that writes the
    database's own records asks first whether he may. Returns the checked login."""
    checked = require_user(db, login)

    def before_writing(session: Session, tables: frozenset[str]) -> None:
        transaction = session.get_transaction()
        if tables <= _CHECKED_ELSEWHERE or session.info.get(_WRITING_CHECKED) is transaction:
            return
        with session.no_autoflush:
            if has_users(session):
                check_write(session, checked, own_commune(session))
        session.info[_WRITING_CHECKED] = transaction

    db.write_checks.append(before_writing)
    return checked


def read_only_reason(db: Database, login: str | None) -> str:
    """Why *login* may not write this database's own records (the window says it at once, in
    its status bar); empty when he may (or the database has no users)."""
    try:
        with db.session() as session:
            check_write(session, login, own_commune(session))
    except PermissionDenied as refused:
        return str(refused).removesuffix(" Chưa ghi gì.")
    return ""


def check_admin(session: Session, actor: str | None, doing: str) -> None:
    """Refuse unless *actor* is an administrator (or there are no users)."""
    user = acting_user(session, actor)
    if user is not None and user.role != ADMIN:
        raise PermissionDenied(
            f"Chỉ người quản trị mới được {doing}; “{user.login}” là "
            f"{ROLES.get(user.role, user.role)}."
        )


def require_write(db: Database, actor: str | None, commune_code: str) -> None:
    """:func:`check_write` in a session of its own (for a caller about to write)."""
    with db.session() as session:
        check_write(session, actor, commune_code)


def require_user(db: Database, login: str | None) -> str | None:
    """The login the command line acts as, checked: None in single-user mode without one
    given; with users, a PermissionDenied for a missing, unknown or inactive login."""
    with db.session() as session:
        user = acting_user(session, login)
    if user is None:
        return (login or "").strip() or None
    return user.login
