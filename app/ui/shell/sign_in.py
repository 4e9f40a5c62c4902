"""Signing in to a shared database: once it has users, the window works as one of them.

A commune's own file has no users and opens as it always did (the single-user program). A
database with users (the province's office server) asks for a login and that user's password
before the window opens; every save is then checked and logged under that login, as the
command line's ``--user``. Three wrong tries close the program, as the window's password does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QWidget

from app.services.database import Database
from app.settings import Settings
from app.ui.files.password_dialogs import AskPasswordDialog

MAX_TRIES = 3
LAST_LOGIN = "last_login"  # settings: the login typed last time on this computer

if TYPE_CHECKING:
    from app.services.access.users import UserInfo

RunDialog = Callable[[QDialog], bool]


@dataclass(frozen=True)
class SignedIn:
    """Who the window works as; ``user`` None: the database has no users."""

    user: UserInfo | None

    @property
    def login(self) -> str:
        return self.user.login if self.user is not None else ""

    def describe(self) -> str:
        """For the window's title: "clerk1 (chuyên viên)"."""
        if self.user is None:
            return ""
        from app.services.access.permissions import ROLES

        return f"{self.login} ({ROLES.get(self.user.role, self.user.role)})"


def _exec(dialog: QDialog) -> bool:
    return bool(dialog.exec())


def sign_in(
    db: Database,
    settings: Settings | None = None,
    run_dialog: RunDialog = _exec,
    parent: QWidget | None = None,
) -> SignedIn | None:
    """Who works on *db*: nobody to ask when it has no users; otherwise the login and password
    typed (up to three tries). None when the user gives up or the tries are used up (told)."""
    from app.services.access import permissions, users
    from app.services.common.errors import ServiceError

    with db.session() as session:
        if not permissions.has_users(session):
            return SignedIn(None)
    remembered = str(settings.get(LAST_LOGIN) or "") if settings is not None else ""
    error = ""
    for tries in range(1, MAX_TRIES + 1):
        dialog = AskPasswordDialog(
            "DanhGia — đăng nhập",
            f"Cơ sở dữ liệu “{db.short_name}” dùng chung cho nhiều người: hãy đăng nhập. Mọi "
            "thay đổi sẽ ghi tên người đăng nhập.",
            accept_text="Đăng nhập",
            cancel_text="Thoát",
            error=error,
            login=remembered,
            parent=parent,
        )
        if not run_dialog(dialog):
            return None
        remembered = dialog.login().strip()
        try:
            user = users.sign_in(db, remembered, dialog.password())
        except ServiceError as refused:
            left = MAX_TRIES - tries
            error = f"{refused} Còn {left} lần thử." if left else str(refused)
            continue
        if settings is not None:
            settings.set(LAST_LOGIN, user.login)
        permissions.act_as(db, user.login)  # every write from now on checks his rights
        return SignedIn(user)
    from app.ui.common import ask

    ask.warn(
        parent,
        "Không đăng nhập được",
        f"{error}\n\nĐã thử {MAX_TRIES} lần mà chưa đăng nhập được. Dữ liệu không bị ảnh hưởng.",
    )
    return None
