"""The command line's report commands: the commune reports its decided year to the province in
one file; the province previews a report, stores it only when told to, and sums them up.

    danhgia report export --year 2025 -o bao-cao-XNT-2025.dgr [--decision qd.pdf] [--password]
    danhgia report import bao-cao-XNT-2025.dgr              (preview: writes nothing)
    danhgia report import bao-cao-XNT-2025.dgr --yes        (store it)
    danhgia report import bao-cao-XNT-2025.dgr --yes --reason "Sửa mức của 2 đảng viên"
    danhgia report summary --year 2025 [--format text|xlsx] [-o FILE]

A report replacing the one stored for its commune and year needs ``--reason`` (logged).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from app.cli import password as cli_password
from app.cli.acting import actor_of
from app.services.common.atomic import write_bytes_atomically
from app.services.database import Database
from app.services.reports import export as report_export
from app.services.reports import importer, preview, province, province_output
from app.services.reports.file_format import EXTENSION

Opener = Callable[[argparse.Namespace], Database]
EXIT_OK, EXIT_BLOCKED = 0, 1


def add_commands(
    commands: argparse._SubParsersAction,
    common: argparse.ArgumentParser,
    opener: Opener,
) -> None:
    """Add ``report export``, ``report import`` and ``report summary``; *opener* opens the
    database the way the other commands do."""
    report = commands.add_parser(
        "report", parents=[common],
        help=f"báo cáo lên tỉnh ({EXTENSION}): đảng ủy xã xuất, tỉnh nhập và tổng hợp",
    )  # fmt: skip
    actions = report.add_subparsers(dest="action", metavar="VIỆC", required=True)
    exporter = actions.add_parser(
        "export", parents=[common], help="xuất kết quả năm đã quyết định ra một tệp báo cáo"
    )
    exporter.add_argument("--year", type=int, required=True, help="năm đánh giá (đã quyết định)")
    exporter.add_argument("-o", "--output", type=Path, required=True, metavar=f"TỆP{EXTENSION}")
    exporter.add_argument(
        "--decision", type=Path, metavar="TỆP.pdf", help="gửi kèm bản quyết định đã ký (PDF)"
    )
    cli_password.add_options(exporter, "đặt mật khẩu cho báo cáo (mã hóa)")
    exporter.set_defaults(run=lambda args: _export(args, opener))

    importer_cmd = actions.add_parser(
        "import", parents=[common],
        help="xem trước báo cáo của một đảng bộ; lưu thật khi có --yes",
    )  # fmt: skip
    importer_cmd.add_argument("file", type=Path, metavar=f"TỆP{EXTENSION}")
    importer_cmd.add_argument(
        "--yes", action="store_true", help="lưu báo cáo (không có: chỉ xem trước, không ghi gì)"
    )
    importer_cmd.add_argument(
        "--reason", default="", metavar="LÝ DO",
        help="lý do thay thế báo cáo đã nhập của cùng đảng bộ và năm (bắt buộc khi thay thế)",
    )  # fmt: skip
    cli_password.add_options(importer_cmd, "báo cáo có mật khẩu: hỏi mật khẩu")
    importer_cmd.set_defaults(run=lambda args: _import(args, opener))

    summary = actions.add_parser(
        "summary", parents=[common], help="tổng hợp báo cáo của các đảng bộ trong một năm"
    )
    summary.add_argument("--year", type=int, required=True, help="năm đánh giá")
    summary.add_argument(
        "--format", choices=("text", "xlsx"), default="text",
        help="text: in ra màn hình (hoặc ghi vào -o); xlsx: bảng tính Excel",
    )  # fmt: skip
    summary.add_argument(
        "-o", "--output", type=Path, metavar="TỆP",
        help="tệp kết quả (mặc định: văn bản in ra màn hình; xlsx ghi vào thư mục hiện tại)",
    )  # fmt: skip
    summary.set_defaults(run=lambda args: _summary(args, opener))


def _say(text: str) -> None:
    print(text, flush=True)


def _export(args: argparse.Namespace, opener: Opener) -> int:
    password = cli_password.for_new_file(args)
    with opener(args) as db:
        info = report_export.export_report(
            db, args.year, args.output, actor=actor_of(args), password=password,
            decision_pdf=args.decision,
        )  # fmt: skip
    _say(info.describe())
    if password:
        _say("Báo cáo đã được mã hóa: hãy báo mật khẩu cho Ban Tổ chức Tỉnh ủy riêng, không gửi "
             "kèm tệp.")  # fmt: skip
    _say(f"Mã kiểm tra của báo cáo: {info.checksum.removeprefix('sha256:')[:16]}…")
    return EXIT_OK


def _import(args: argparse.Namespace, opener: Opener) -> int:
    # The file is verified before the database is even opened: a bad report touches nothing.
    package = cli_password.read_protected(
        args, args.file, importer.read_report_file, importer.PackageNeedsPassword
    )
    with opener(args) as db:
        plan = preview.plan_import(db, package)
        for line in plan.lines():
            _say(line)
        if not plan.changes:
            return EXIT_OK
        if not args.yes:
            more = ' và --reason "lý do thay thế"' if plan.needs_reason else ""
            _say(f"Chưa ghi gì; thêm --yes{more} để lưu báo cáo.")
            return EXIT_OK
        if plan.needs_reason and not args.reason.strip():
            _say("Báo cáo này thay thế báo cáo đã nhập: cần --reason \"lý do thay thế\". "
                 "Chưa ghi gì.")  # fmt: skip
            return EXIT_BLOCKED
        result = importer.apply_import(db, plan, actor=actor_of(args), reason=args.reason)
    _say(result.describe())
    return EXIT_OK


def _summary(args: argparse.Namespace, opener: Opener) -> int:
    with opener(args) as db:
        found = province.province_summary(db, args.year)
    output: Path | None = args.output
    if args.format == "text":
        text = "\n".join(province_output.summary_lines(found)) + "\n"
        if output is None:
            sys.stdout.write(text)
            sys.stdout.flush()
            return EXIT_OK
        write_bytes_atomically(output, text.encode("utf-8"))
    else:
        output = output or Path(f"tong-hop-tinh-{args.year}.xlsx")
        province_output.write_workbook(found, output)
    _say(
        f"Đã ghi tổng hợp năm {args.year} từ báo cáo của {len(found.communes)} đảng bộ ra {output}."
    )
    return EXIT_OK
