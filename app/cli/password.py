"""Passwords on the command line: typed at a hidden prompt, never written as an argument (a
command line is visible to every user of the machine and kept in the shell's history).

For scripts: ``--password-file FILE`` (its first line) or the DANHGIA_PASSWORD environment
variable, which replaces the prompt.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from app.services.common.errors import ServiceError, describe_os_error
from app.services.safekeeping.secure_file import check_new_password

ENV = "DANHGIA_PASSWORD"


def add_options(parser: argparse.ArgumentParser, text: str) -> None:
    parser.add_argument("--password", action="store_true", help=f"{text} (gõ ở dấu nhắc, ẩn)")
    parser.add_argument(
        "--password-file",
        type=Path,
        metavar="TỆP",
        help=f"mật khẩu ở dòng đầu của TỆP (cho tập lệnh; biến môi trường {ENV} thay dấu nhắc)",
    )


def for_new_file(
    args: argparse.Namespace, prompt: str = "Mật khẩu cho tệp: ", *, required: bool = False
) -> str | None:
    """The new password (to encrypt a file with, or a user's sign-in), or None when the user
    asked for none; *required*: asked even without ``--password``."""
    if args.password_file is None and not args.password and not required:
        return None
    given = _given(args)
    if given is None:
        given = _prompt(prompt)
        if _prompt("Nhập lại mật khẩu: ") != given:
            raise ServiceError("Hai lần nhập mật khẩu không khớp; chưa ghi gì.")
    check_new_password(given)
    return given


def for_encrypted_file(args: argparse.Namespace, name: str) -> str:
    """The password of an encrypted file being read: from a file, the environment, or asked."""
    given = _given(args)
    if given is not None:
        return given
    if args.password or sys.stdin.isatty():
        return _prompt(f"Mật khẩu của tệp “{name}”: ")
    raise ServiceError(
        f"Tệp “{name}” được đặt mật khẩu: chạy lại với --password (hoặc --password-file TỆP)."
    )


def _given(args: argparse.Namespace) -> str | None:
    if args.password_file is not None:
        try:
            text = Path(args.password_file).read_text(encoding="utf-8-sig")
        except OSError as error:
            raise ServiceError(describe_os_error(error, args.password_file, "đọc")) from None
        lines = text.splitlines()
        if not lines or not lines[0]:
            raise ServiceError(f"Tệp mật khẩu “{args.password_file}” trống.")
        return lines[0]
    return os.environ.get(ENV) or None


def _prompt(label: str) -> str:
    try:
        return getpass.getpass(label)
    except (EOFError, KeyboardInterrupt):
        raise ServiceError("Chưa nhập mật khẩu; không làm gì.") from None


Read = TypeVar("Read")


def read_protected(
    args: argparse.Namespace,
    path: Path,
    read: Callable[..., Read],
    needs_password: type[Exception],
) -> Read:
    """*read*(path) — and when the file turns out to be encrypted (*needs_password*), the
    password asked as for any encrypted file and *read*(path, password). The file is read and
    verified before any database is opened: a bad file touches nothing."""
    try:
        return read(path)
    except needs_password:
        return read(path, for_encrypted_file(args, path.name))
