"""The command line's exchange-package commands: a cell exports its period to
one file, the commune previews it and imports it only when told to.

    danhgia package export --year 2026 --unit CB18 -o chi-bo-CB18-2026.dgx
    danhgia package import chi-bo-CB18-2026.dgx          (preview: writes nothing)
    danhgia package import chi-bo-CB18-2026.dgx --yes    (import)

``export --password`` encrypts the package (the password is typed at a hidden prompt); an
encrypted package asks for its password on import.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from app.cli import password as cli_password
from app.cli.acting import actor_of
from app.domain.vocabulary import OrgKind
from app.services.common.errors import ServiceError
from app.services.database import Database
from app.services.exchange import package as exchange
from app.services.roster import organizations

Opener = Callable[[argparse.Namespace], Database]
EXIT_OK, EXIT_BLOCKED = 0, 1


def add_commands(
    commands: argparse._SubParsersAction,
    common: argparse.ArgumentParser,
    opener: Opener,
) -> None:
    """Add ``package export`` and ``package import``; *opener* opens the database the way the
    other commands do."""
    package = commands.add_parser(
        "package", parents=[common],
        help=f"gói dữ liệu ({exchange.EXTENSION}) chi bộ gửi đảng ủy: xuất, xem trước và nhập",
    )  # fmt: skip
    actions = package.add_subparsers(dest="action", metavar="VIỆC", required=True)
    exporter = actions.add_parser(
        "export", parents=[common], help="xuất kết quả một năm của một chi bộ ra một tệp"
    )
    exporter.add_argument("--year", type=int, required=True, help="năm đánh giá")
    exporter.add_argument("--unit", required=True, help="mã chi bộ")
    exporter.add_argument(
        "-o", "--output", type=Path, required=True, metavar=f"TỆP{exchange.EXTENSION}"
    )
    cli_password.add_options(exporter, "đặt mật khẩu cho gói (mã hóa)")
    exporter.set_defaults(run=lambda args: _export(args, opener))

    importer = actions.add_parser(
        "import", parents=[common],
        help="xem trước những gì gói sẽ thay đổi; nhập thật khi có --yes",
    )  # fmt: skip
    importer.add_argument("file", type=Path, metavar=f"TỆP{exchange.EXTENSION}")
    importer.add_argument(
        "--yes", action="store_true", help="nhập gói (không có: chỉ xem trước, không ghi gì)"
    )
    cli_password.add_options(importer, "gói có mật khẩu: hỏi mật khẩu")
    importer.set_defaults(run=lambda args: _import(args, opener))


def _say(text: str) -> None:
    print(text, flush=True)


def _export(args: argparse.Namespace, opener: Opener) -> int:
    password = cli_password.for_new_file(args)
    with opener(args) as db:
        unit = organizations.find_by_code(db, args.unit)
        if unit.kind != OrgKind.CELL:
            raise ServiceError(f"{unit.name} (mã {unit.code}) không phải chi bộ")
        cell_id = unit.id
        info = exchange.export_package(db, args.year, cell_id, args.output, password=password)
    _say(info.describe())
    if password:
        _say("Gói đã được mã hóa: hãy báo mật khẩu cho người nhận riêng, không gửi kèm tệp.")
    _say(f"Mã kiểm tra của gói: {info.checksum.removeprefix('sha256:')[:16]}…")
    return EXIT_OK


def _import(args: argparse.Namespace, opener: Opener) -> int:
    # The file is verified before the database is even opened: a bad package touches nothing.
    package = cli_password.read_protected(
        args, args.file, exchange.read_package, exchange.PackageNeedsPassword
    )
    with opener(args) as db:
        plan = exchange.plan_import(db, package)
        for line in plan.lines():
            _say(line)
        if plan.blocked:
            _say("Không nhập gì.")
            return EXIT_BLOCKED
        if not plan.changes:
            return EXIT_OK
        if not args.yes:
            _say("Chưa ghi gì; thêm --yes để nhập.")
            return EXIT_OK
        result = exchange.apply_package(db, plan, actor=actor_of(args))
    _say(result.describe())
    return EXIT_OK
