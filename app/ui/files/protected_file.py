"""Opening a file that may be password-protected (a cell's package, a commune's report): the
password is asked while the file is encrypted and the user goes on; a wrong one asks again,
saying so; any other problem is shown and nothing is read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from app.services.common.errors import ServiceError
from app.services.exchange.package import PackageNeedsPassword
from app.services.safekeeping.secure_file import WrongPassword
from app.ui.common.operations import Operations
from app.ui.files.password_dialogs import AskPasswordDialog

T = TypeVar("T")


def read_protected(
    ops: Operations,
    path: Path,
    read: Callable[[Path, str | None], T],
    title: str,
    prompt: str,
) -> T | None:
    """``read(path, password)``, the password asked (*title*, *prompt*) while it is needed;
    None when the user gives up or the file cannot be read (the user has been told why)."""
    password: str | None = None
    error = ""
    while True:
        try:
            return read(path, password)
        except PackageNeedsPassword:
            pass
        except WrongPassword as wrong:
            error = str(wrong)
        except ServiceError as problem:
            ops.failed(problem)
            return None
        form = AskPasswordDialog(title, prompt, error=error, parent=ops.parent)
        if not ops.ask(form):
            return None
        password = form.password()
