"""The command line's user commands: who works on a shared database, and in what role.

    danhgia user add admin1 --role admin --name "Nguyễn Văn A"   (the first user: an admin)
    danhgia user add clerk1 --role clerk --commune XNT --commune XMP --user admin1
    danhgia user list --user admin1
    danhgia user deactivate clerk1 --user admin1
    danhgia user password clerk1 --user admin1   (the window signs in with it)

Once a database has users, every command names who runs it (``--user`` or DANHGIA_USER).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from app.cli import password as cli_password
from app.services.access import users
from app.services.access.permissions import ROLES
from app.services.database import Database

Opener = Callable[[argparse.Namespace], Database]
EXIT_OK = 0


def add_commands(
    commands: argparse._SubParsersAction,
    common: argparse.ArgumentParser,
    opener: Opener,
) -> None:
    """Add ``user add``, ``user list``, ``user deactivate`` and ``user password``."""
    user = commands.add_parser(
        "user", parents=[common], help="người dùng và quyền (cơ sở dữ liệu dùng chung ở tỉnh)"
    )
    actions = user.add_subparsers(dest="action", metavar="VIỆC", required=True)
    add = actions.add_parser(
        "add", parents=[common], help="thêm người dùng (người đầu tiên phải là quản trị)"
    )
    add.add_argument("login", metavar="TÊN_ĐĂNG_NHẬP")
    add.add_argument(
        "--role", required=True, choices=tuple(ROLES),
        help="admin: quản trị tỉnh; clerk: chuyên viên phụ trách một số xã; inspector: thanh "
        "tra, chỉ xem",
    )  # fmt: skip
    add.add_argument(
        "--commune", action="append", default=[], metavar="MÃ",
        help="mã đảng bộ xã chuyên viên phụ trách (nhắc lại cho mỗi xã)",
    )  # fmt: skip
    add.add_argument("--name", default="", metavar="HỌ TÊN", help="họ và tên")
    cli_password.add_options(add, "đặt mật khẩu đăng nhập cho người dùng")
    add.set_defaults(run=lambda args: _add(args, opener))

    listing = actions.add_parser("list", parents=[common], help="liệt kê người dùng")
    listing.set_defaults(run=lambda args: _list(args, opener))

    deactivate = actions.add_parser(
        "deactivate", parents=[common], help="khóa một người dùng (không xóa: nhật ký vẫn ghi tên)"
    )
    deactivate.add_argument("login", metavar="TÊN_ĐĂNG_NHẬP")
    deactivate.set_defaults(run=lambda args: _deactivate(args, opener))

    password = actions.add_parser(
        "password", parents=[common],
        help="đặt mật khẩu đăng nhập (người quản trị cho mọi người; mỗi người cho mình)",
    )  # fmt: skip
    password.add_argument("login", metavar="TÊN_ĐĂNG_NHẬP")
    cli_password.add_options(password, "mật khẩu đăng nhập mới")
    password.set_defaults(run=lambda args: _set_password(args, opener))


def _actor(args: argparse.Namespace) -> str:
    return getattr(args, "acting_user", None) or ""


SIGN_IN_PROMPT = "Mật khẩu đăng nhập: "


def _add(args: argparse.Namespace, opener: Opener) -> int:
    password = cli_password.for_new_file(args, SIGN_IN_PROMPT)
    with opener(args) as db:
        info = users.add_user(
            db, args.login, args.role, full_name=args.name, communes=args.commune,
            password=password, actor=_actor(args),
        )  # fmt: skip
    print(f"Đã thêm người dùng {info.describe()}.", flush=True)
    return EXIT_OK


def _list(args: argparse.Namespace, opener: Opener) -> int:
    with opener(args) as db:
        found = users.list_users(db, actor=_actor(args))
    if not found:
        print("Cơ sở dữ liệu này chưa có người dùng: chương trình chạy cho một người, không "
              "kiểm tra quyền.", flush=True)  # fmt: skip
    for info in found:
        print(info.describe(), flush=True)
    return EXIT_OK


def _deactivate(args: argparse.Namespace, opener: Opener) -> int:
    with opener(args) as db:
        info = users.deactivate_user(db, args.login, actor=_actor(args))
    print(f"Đã khóa người dùng {info.login}.", flush=True)
    return EXIT_OK


def _set_password(args: argparse.Namespace, opener: Opener) -> int:
    password = cli_password.for_new_file(args, SIGN_IN_PROMPT, required=True)
    assert password is not None  # required: asked when not given
    with opener(args) as db:
        info = users.set_password(db, args.login, password, actor=_actor(args))
    print(f"Đã đặt mật khẩu đăng nhập cho {info.login}.", flush=True)
    return EXIT_OK
