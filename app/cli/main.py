"""The command line. Every command prints Vietnamese and exits non-zero with a
clear message on bad input: 2 for an error, 1 for "ran, but found problems"."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from app import paths
from app.cli import criteria as cli_criteria
from app.cli import documents as cli_documents
from app.cli import exchange as cli_exchange
from app.cli import password as cli_password
from app.cli import reports as cli_reports
from app.cli import users as cli_users
from app.cli.acting import actor_of
from app.services.access import permissions
from app.services.common.atomic import write_bytes_atomically
from app.services.common.errors import ServiceError, describe_os_error
from app.services.common.logfile import log_to_file
from app.services.common.progress import Progress
from app.services.database import (
    Database,
    Location,
    StoreError,
    database_exists,
    location_of,
    open_database,
    refuse_server_backup,
)
from app.services.demo import commune as demo_service
from app.services.periods import validation, validation_text
from app.services.printing import read_back
from app.services.results import workbook as results_workbook
from app.services.roster import organizations
from app.services.roster import workbook as members_workbook
from app.services.safekeeping import maintenance, secure_backup
from app.services.safekeeping import window_password as access
from app.services.summary import export as summary_export
from app.services.summary import report as summary
from app.services.summary import text as summary_text
from app.settings import Settings

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

# argparse builds its own messages in English through gettext; these are the ones a user meets.
_ARGPARSE_VI = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "không hiểu tham số: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "lựa chọn không hợp lệ: %(value)r (chọn một trong: %(choices)s)"
    ),
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ: %(value)r",
    "expected one argument": "cần một giá trị",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tùy chọn mơ hồ: %(option)s có thể là %(matches)s"
    ),
}


def _translate_argparse() -> None:
    argparse._ = lambda text: _ARGPARSE_VI.get(text, text)


def build_parser() -> argparse.ArgumentParser:
    _translate_argparse()
    parser = argparse.ArgumentParser(
        prog="danhgia",
        description="DanhGia — kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng "
        "viên. Không có tham số: mở cửa sổ chương trình.",
    )
    _add_common_options(parser, None)
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="tự kiểm tra bản cài đặt (cơ sở dữ liệu tạm, PDF, cửa sổ ẩn, không dùng mạng)",
    )
    parser.add_argument(
        "--screenshot", type=Path, metavar="TỆP.png", help="khi tự kiểm tra: lưu ảnh cửa sổ chính"
    )
    # The same options are accepted after the command too: "danhgia check --db X".
    common = argparse.ArgumentParser(add_help=False)
    _add_common_options(common, argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="LỆNH")
    # In this order in the help: making data, Excel, reports, documents, packages, reports to
    # the province, safekeeping.
    _add_demo(commands, common)
    _add_workbooks(commands, common)
    _add_reports(commands, common)
    cli_documents.add_commands(commands, common, _open)
    cli_exchange.add_commands(commands, common, _open)
    cli_reports.add_commands(commands, common, _open)
    cli_criteria.add_commands(commands, common, _open)
    cli_users.add_commands(commands, common, _open)
    _add_safekeeping(commands, common)
    return parser


Commands = argparse._SubParsersAction


def _add_demo(commands: Commands, common: argparse.ArgumentParser) -> None:
    demo = commands.add_parser("demo", parents=[common], help="tạo cơ sở dữ liệu mẫu")
    demo.add_argument(
        "--size",
        choices=demo_service.SIZES,
        default="commune",
        help="commune: một xã (~600 đảng viên); district: một huyện (6.185)",
    )
    demo.add_argument("--year", type=int, help="năm hiện tại của dữ liệu mẫu")
    demo.add_argument("--seed", type=int, default=2025, help="hạt giống ngẫu nhiên")
    demo.set_defaults(run=_demo)


def _add_workbooks(commands: Commands, common: argparse.ArgumentParser) -> None:
    """import / export: the members workbook and the results workbook."""
    importer = commands.add_parser("import", parents=[common], help="nhập từ tệp Excel")
    import_kinds = importer.add_subparsers(dest="kind", metavar="LOẠI", required=True)
    import_members = import_kinds.add_parser(
        "members", parents=[common], help="tổ chức và đảng viên"
    )
    import_members.add_argument("file", type=Path, metavar="TỆP.xlsx")
    import_members.set_defaults(run=_import_members)
    import_results = import_kinds.add_parser(
        "results", parents=[common], help="kết quả xếp loại các năm trước"
    )
    import_results.add_argument("file", type=Path, metavar="TỆP.xlsx")
    import_results.add_argument(
        "--replace",
        action="store_true",
        help="ghi đè kết quả đã quyết định khác với tệp (mặc định: không nhập gì và liệt kê)",
    )
    import_results.add_argument(
        "--accept-names",
        action="store_true",
        help="ghi kết quả cho người mang mã dù tệp ghi họ tên khác danh sách (mặc định: không "
        "nhập gì và liệt kê các dòng đó)",
    )
    import_results.add_argument(
        "--reopen",
        default="",
        metavar="LÝ DO",
        help="mở khóa năm đã quyết định mà tệp thay đổi, với lý do ghi vào nhật ký; nhập xong "
        "năm ấy được khóa lại (mặc định: không nhập gì)",
    )
    import_results.set_defaults(run=_import_results)

    exporter = commands.add_parser("export", parents=[common], help="xuất ra tệp Excel")
    export_kinds = exporter.add_subparsers(dest="kind", metavar="LOẠI", required=True)
    export_members = export_kinds.add_parser(
        "members", parents=[common], help="tổ chức và đảng viên"
    )
    export_members.add_argument("file", type=Path, metavar="TỆP.xlsx")
    export_members.set_defaults(run=_export_members)
    export_results = export_kinds.add_parser(
        "results", parents=[common], help="kết quả xếp loại đã quyết định"
    )
    export_results.add_argument("file", type=Path, metavar="TỆP.xlsx")
    export_results.add_argument("--year", type=int, help="năm đánh giá (mặc định: mọi năm)")
    export_results.set_defaults(run=_export_results)


def _add_reports(commands: Commands, common: argparse.ArgumentParser) -> None:
    """validate and summary: what a year's levels say, read from the database."""
    validate = commands.add_parser(
        "validate", parents=[common], help="kiểm tra kết quả xếp loại theo bộ quy tắc của năm"
    )
    validate.add_argument("--year", type=int, required=True, help="năm đánh giá")
    validate.add_argument("--unit", help="mã tổ chức (mặc định: toàn bộ)")
    validate.add_argument("--full", action="store_true", help="in đủ mọi lưu ý, không gộp")
    validate.set_defaults(run=_validate)

    summary_cmd = commands.add_parser(
        "summary", parents=[common], help="biểu tổng hợp kết quả xếp loại của một năm"
    )
    summary_cmd.add_argument("--year", type=int, required=True, help="năm đánh giá")
    summary_cmd.add_argument("--unit", help="mã tổ chức (mặc định: tổ chức cao nhất)")
    summary_cmd.add_argument(
        "--format",
        choices=("text", "pdf", "xlsx"),
        default="text",
        help="text: in ra màn hình; pdf: biểu để in; xlsx: bảng tính Excel",
    )
    summary_cmd.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="TỆP",
        help="tệp kết quả (mặc định: văn bản in ra màn hình; pdf, xlsx ghi vào thư mục hiện tại)",
    )
    summary_cmd.set_defaults(run=_summary)


def _add_safekeeping(commands: Commands, common: argparse.ArgumentParser) -> None:
    """check, password, backup and restore."""
    check = commands.add_parser(
        "check", parents=[common], help="kiểm tra tính toàn vẹn của cơ sở dữ liệu"
    )
    check.add_argument(
        "--documents", action="store_true",
        help="đọc lại mọi văn bản của năm (--year) và đối chiếu chúng với nhau và với hồ sơ",
    )  # fmt: skip
    check.add_argument("--year", type=int, help="năm đánh giá (với --documents)")
    check.add_argument("--unit", help="mã chi bộ: chỉ đọc văn bản của chi bộ này (với --documents)")
    check.set_defaults(run=_check)

    password = commands.add_parser(
        "password", parents=[common], help="mật khẩu mở cửa sổ: gỡ khi quên"
    )
    password.add_argument("action", choices=["remove"], help="remove: gỡ mật khẩu (có ghi nhật ký)")
    password.set_defaults(run=_remove_password)

    backup = commands.add_parser(
        "backup", parents=[common], help="sao lưu cơ sở dữ liệu ra một tệp"
    )
    backup.add_argument("file", type=Path, metavar="TỆP")
    cli_password.add_options(backup, f"đặt mật khẩu: bản sao lưu mã hóa ({secure_backup.SUFFIX})")
    backup.set_defaults(run=_backup)

    restore = commands.add_parser(
        "restore", parents=[common], help="khôi phục cơ sở dữ liệu từ một bản sao lưu"
    )
    restore.add_argument("file", type=Path, metavar="TỆP")
    cli_password.add_options(restore, "bản sao lưu có mật khẩu: hỏi mật khẩu")
    restore.set_defaults(run=_restore)


def _add_common_options(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--db",
        default=default,
        metavar="TỆP|URL",
        help="tệp cơ sở dữ liệu (mặc định: trong thư mục dữ liệu), hoặc cơ sở dữ liệu trên máy "
        "chủ PostgreSQL: postgresql://người_dùng@máy_chủ:cổng/tên (mật khẩu lấy từ kho mật "
        "khẩu của hệ điều hành hoặc biến môi trường DANHGIA_DB_PASSWORD)",
    )
    parser.add_argument(
        "--data-dir", type=Path, default=default, help="thư mục dữ liệu (sao lưu, nhật ký, cài đặt)"
    )
    parser.add_argument(
        "--user",
        default=default,
        metavar="TÊN",
        help="làm việc với tư cách người dùng này (cơ sở dữ liệu có người dùng thì bắt buộc; "
        f"mặc định: biến môi trường {permissions.ENV_USER}); mọi thay đổi ghi tên người này",
    )


def _database_path(args: argparse.Namespace) -> Location:
    """The database ``--db`` names: a file (made absolute), or a server database's URL."""
    return location_of(args.db or paths.default_database())


def _open(args: argparse.Namespace, *, create: bool = False) -> Database:
    """The database, and who works on it: with users in it, ``--user`` (or DANHGIA_USER) must
    name an active one, kept in ``args.acting_user`` for the audit log; without, the single-user
    program as before."""
    db = open_database(_database_path(args), create=create)
    try:
        given = getattr(args, "user", None) or os.environ.get(permissions.ENV_USER)
        args.acting_user = permissions.act_as(db, given)
    except BaseException:
        db.close()
        raise
    return db


def _say(text: str) -> None:
    print(text, flush=True)


def _progress() -> Progress:
    return Progress()


def _demo(args: argparse.Namespace) -> int:
    # Built beside the file and moved into place when complete: a demo killed part-way
    # leaves no half-built database behind.
    db, orgs, members = demo_service.create_demo_database(
        _database_path(args), args.size, args.year, args.seed
    )
    db.close()
    _say(f"Đã tạo dữ liệu mẫu trong {_database_path(args)}: {orgs} tổ chức, {members} đảng viên.")
    return EXIT_OK


def _import_members(args: argparse.Namespace) -> int:
    with _open(args, create=True) as db:
        plan = members_workbook.plan_import(db, args.file)
        _say(f"Tệp hợp lệ: {plan.describe()}.")
        result = members_workbook.apply_import(db, plan)
    _say(result.describe())
    return EXIT_OK


def _export_members(args: argparse.Namespace) -> int:
    if not database_exists(_database_path(args)):
        members_workbook.write_template(args.file)
        _say(f"Chưa có cơ sở dữ liệu: đã ghi tệp mẫu trống {args.file}.")
        return EXIT_OK
    with _open(args) as db:
        count = members_workbook.export_members(db, args.file)
    if count:
        _say(f"Đã xuất {count} đảng viên ra {args.file}.")
    else:
        _say(f"Cơ sở dữ liệu chưa có đảng viên: đã ghi tệp mẫu trống {args.file}.")
    return EXIT_OK


def _import_results(args: argparse.Namespace) -> int:
    with _open(args) as db:
        plan = results_workbook.plan_import(db, args.file)
        _say(f"Tệp hợp lệ:\n{plan.describe()}")
        changes = plan.changes if args.replace else [c for c in plan.changes if not c.conflict]
        for change in changes[:20]:
            _say(f"  {change}")
        if len(changes) > 20:
            _say(f"  … và {len(changes) - 20} thay đổi khác")
        if args.accept_names:
            for mismatch in plan.name_mismatches:
                _say(f"  {mismatch} — ghi cho người mang mã theo xác nhận")
        result = results_workbook.apply_import(
            db,
            plan,
            replace=args.replace,
            accept_names=args.accept_names,
            reopen=args.reopen,
            actor=actor_of(args),
        )
    _say(result.describe())
    return EXIT_OK


def _export_results(args: argparse.Namespace) -> int:
    if not database_exists(_database_path(args)):
        results_workbook.write_template(args.file)
        _say(f"Chưa có cơ sở dữ liệu: đã ghi tệp mẫu trống {args.file}.")
        return EXIT_OK
    with _open(args) as db:
        result = results_workbook.export_results(db, args.file, args.year)
    _say(result.describe(args.file))
    return EXIT_OK


def _summary(args: argparse.Namespace) -> int:
    with _open(args) as db:
        report = summary.report(db, args.year, args.unit)
    output: Path | None = args.output
    if args.format == "text":
        text = "\n".join(summary_text.summary_lines(report)) + "\n"
        if output is None:
            sys.stdout.write(text)
            sys.stdout.flush()
            return EXIT_OK
        write_bytes_atomically(output, text.encode("utf-8"))
    else:
        if output is None:
            output = Path(f"tong-hop-{args.year}-{report.summary.unit.code}.{args.format}")
        if args.format == "pdf":
            write_bytes_atomically(output, summary_export.render_pdf(report))
        else:
            summary_export.write_workbook(report, output)
    _say(f"Đã ghi biểu tổng hợp năm {args.year} của {report.summary.unit.name} ra {output}.")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    with _open(args) as db:
        report = validation.validate_period(db, args.year, args.unit)
    for line in validation_text.report_lines(report, full=args.full):
        _say(line)
    return EXIT_FINDINGS if report.blocking else EXIT_OK


def _remove_password(args: argparse.Namespace) -> int:
    with _open(args) as db:
        removed = access.reset_password(db, actor=actor_of(args))
    if removed:
        _say("Đã gỡ mật khẩu mở cửa sổ; việc này được ghi vào nhật ký thay đổi.")
    else:
        _say("Cơ sở dữ liệu này không đặt mật khẩu.")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    if args.documents:
        return _check_documents(args)
    report = maintenance.check_database(_database_path(args))
    for line in report.lines:
        _say(line)
    for problem in report.problems:
        _say(f"LỖI: {problem}")
    _say("Kết quả: tốt." if report.ok else "Kết quả: có lỗi, xem các dòng LỖI ở trên.")
    return EXIT_OK if report.ok else EXIT_FINDINGS


def _check_documents(args: argparse.Namespace) -> int:
    if args.year is None:
        raise ServiceError("Cần cho biết năm cần đối chiếu văn bản: --year NĂM")
    with _open(args) as db:
        only = organizations.find_by_code(db, args.unit).id if args.unit else None
        reading = read_back.read_year(db, args.year, only=only)
    if not reading.cells:
        _say(
            f"Năm {reading.year} chưa có chi bộ nào họp và kiểm phiếu trong chương trình (kết "
            "quả nhập từ tệp không có biên bản): không có văn bản nào để đọc lại."
        )
        return EXIT_OK
    _say(
        f"Đã đọc lại {reading.documents} văn bản của {reading.cells} chi bộ đã họp, "
        f"năm {reading.year}."
    )
    for disagreement in reading.disagreements:
        _say(f"KHÔNG KHỚP: {disagreement}")
    if reading.disagreements:
        _say(f"Kết quả: {len(reading.disagreements)} chỗ không khớp, xem các dòng ở trên.")
        return EXIT_FINDINGS
    _say("Kết quả: các văn bản khớp nhau và khớp với hồ sơ.")
    return EXIT_OK


def _backup(args: argparse.Namespace) -> int:
    refuse_server_backup(_database_path(args))  # before asking for a password
    password = cli_password.for_new_file(args)
    if password:
        target = secure_backup.encrypt_backup(_database_path(args), args.file, password)
        _say(f"Đã sao lưu và mã hóa ra {target}; không có mật khẩu thì không mở được.")
        return EXIT_OK
    target = maintenance.backup_database(_database_path(args), args.file)
    _say(f"Đã sao lưu ra {target}.")
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    refuse_server_backup(_database_path(args))
    password = None
    if secure_backup.is_encrypted(args.file):
        password = cli_password.for_encrypted_file(args, args.file.name)
    saved = secure_backup.restore_database(_database_path(args), args.file, password)
    if saved:
        _say(f"Dữ liệu cũ đã được sao lưu vào {saved}.")
    _say(f"Đã khôi phục {_database_path(args)} từ {args.file}.")
    return EXIT_OK


def _use_utf8_output() -> None:
    # A Windows console may default to a code page without Vietnamese letters.
    for stream in (sys.stdout, sys.stderr):
        reconfigure: Callable[..., None] | None = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """Parse the arguments; ``command`` is None when the window should open."""
    _use_utf8_output()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data_dir:
        paths.set_data_dir(args.data_dir)
    if args.self_test:
        if args.command is not None:
            parser.error("--self-test không đi cùng một lệnh")
        args.command = "self-test"  # run by app/__main__.py, which may reach the window
        return args  # the self-test leaves the user's data folder untouched, settings too
    if args.screenshot is not None:
        parser.error("--screenshot chỉ dùng cùng --self-test")
    Settings().apply()  # figures print as the options say, in the window or not
    return args


def run(args: argparse.Namespace) -> int:
    """Run the command in *args* and return the exit code."""
    # Library warnings (in English) go to the log file, not before the Vietnamese message.
    log_to_file()
    try:
        return args.run(args)
    except (StoreError, ServiceError) as error:
        print(f"Lỗi: {error}", file=sys.stderr, flush=True)
        return EXIT_ERROR
    except OSError as error:
        print(f"Lỗi: {describe_os_error(error)}", file=sys.stderr, flush=True)
        return EXIT_ERROR
