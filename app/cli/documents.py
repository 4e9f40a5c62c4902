"""The command line's document commands: print, sign and verify."""

from __future__ import annotations

import argparse
import getpass
from collections.abc import Callable
from pathlib import Path

from app.services.common.errors import ServiceError
from app.services.database import Database
from app.services.printing import documents as printing
from app.services.roster import organizations
from app.services.signing import sign as signing

KINDS = (*printing.CELL_KINDS, *printing.QUARTER_KINDS, *printing.COMMUNE_KINDS, "all")


Opener = Callable[[argparse.Namespace], Database]


def add_commands(
    commands: argparse._SubParsersAction,
    common: argparse.ArgumentParser,
    opener: Opener,
) -> None:
    """Add print, sign and verify; *opener* opens the database the way the other commands do."""
    printer = commands.add_parser(
        "print",
        parents=[common],
        help="in văn bản ra tệp PDF hoặc Word (một loại, hoặc all: tất cả)",
    )
    printer.add_argument(
        "kind", choices=KINDS, metavar="LOẠI",
        help="; ".join(f"{k}: {printing.title_of(k)}" for k in KINDS[:-1])
        + "; all: mọi văn bản vào một thư mục",
    )  # fmt: skip
    printer.add_argument("--year", type=int, required=True, help="năm đánh giá")
    printer.add_argument("--unit", help="mã chi bộ (hoặc mã đảng bộ với all, decision)")
    printer.add_argument(
        "--quarter", type=int, choices=(1, 2, 3, 4), metavar="1-4",
        help="quý (chỉ với " + ", ".join(printing.QUARTER_KINDS) + "); mặc định: quý hiện tại "
        "của năm đang đánh giá, quý IV của năm đã qua (kèm kết quả năm tính từ các quý)",
    )  # fmt: skip
    printer.add_argument("-o", "--output", type=Path, required=True, metavar="TỆP/THƯ MỤC")
    printer.add_argument(
        "--format", choices=printing.FORMATS, default=printing.PDF, metavar="pdf|docx",
        help="pdf (mặc định): bản lưu chính thức, ký số được; docx: bản Word để sửa chữ "
        "(theo mẫu của tỉnh trong thư mục dữ liệu, templates/LOẠI.docx, nếu có)",
    )  # fmt: skip
    printer.set_defaults(run=lambda args: _print(args, opener))

    signer = commands.add_parser("sign", parents=[common], help="ký số một tệp PDF")
    signer.add_argument("file", type=Path, metavar="TỆP.pdf")
    signer.add_argument("-o", "--output", type=Path, metavar="TỆP", help="tệp đã ký")
    signer.add_argument("--p12", type=Path, metavar="TỆP.p12", help="chứng thư số dạng tệp")
    signer.add_argument("--module", type=Path, metavar="DLL", help="trình điều khiển USB token")
    signer.add_argument("--token", help="tên token (nếu cắm nhiều token)")
    signer.add_argument("--key", help="tên khóa trên token (nếu có nhiều khóa)")
    signer.add_argument("--reason", default="Xác nhận nội dung văn bản", help="lý do ký")
    signer.add_argument("--location", default="", help="nơi ký")
    signer.set_defaults(run=_sign)

    verifier = commands.add_parser("verify", parents=[common], help="kiểm tra chữ ký số của PDF")
    verifier.add_argument("file", type=Path, metavar="TỆP.pdf")
    verifier.add_argument(
        "--trust", type=Path, action="append", default=[], metavar="TỆP.pem",
        help="chứng thư số tin cậy thêm (ngoài thư mục chung-thu trong thư mục dữ liệu)",
    )  # fmt: skip
    verifier.set_defaults(run=_verify)


def _say(text: str) -> None:
    print(text, flush=True)


def _unit_id(db: Database, unit: str | None) -> int | None:
    if unit is None:
        return None
    return organizations.find_by_code(db, unit).id


def _print(args: argparse.Namespace, opener: Opener) -> int:
    with opener(args) as db:
        return _print_with(args, db)


def _print_with(args: argparse.Namespace, db: Database) -> int:
    unit = _unit_id(db, args.unit)
    if args.quarter is not None and args.kind not in printing.QUARTER_KINDS:
        raise ServiceError(
            "--quarter chỉ dùng với "
            + ", ".join(printing.QUARTER_KINDS)
            + f", không với {args.kind}"
        )
    if args.kind == "all":
        report = printing.print_all(db, args.year, args.output, unit, format=args.format)
        _say(f"Đã ghi {len(report.written)} văn bản vào {args.output}.")
        for note in report.skipped:
            _say(f"Chưa in: {note}")
        return 0
    if unit is None:
        if args.kind in (*printing.CELL_KINDS, *printing.QUARTER_KINDS):
            raise ServiceError("Cần --unit: mã chi bộ của văn bản này")
        unit = printing.commune_of(db)
        if unit is None:
            raise ServiceError("Cơ sở dữ liệu chưa có tổ chức nào")
    output = Path(args.output)
    _check_ending(output, args.format)
    rendered = printing.render_document(
        db, args.year, args.kind, unit, issue=True, format=args.format, quarter=args.quarter
    )
    if output.is_dir():
        output = output / rendered.file_name
    printing.write_document(output, rendered.content)
    number = f" ({rendered.number})" if rendered.number else ""
    _say(f"Đã ghi {rendered.title}{number} vào {output}; mã đối chiếu {rendered.fingerprint}.")
    return 0


def _check_ending(output: Path, format: str) -> None:
    """A file named .pdf gets a PDF, one named .docx a Word copy: never the other."""
    ending = output.suffix.lower().lstrip(".")
    if ending in printing.FORMATS and ending != format and not output.is_dir():
        raise ServiceError(
            f"Tệp “{output.name}” có đuôi .{ending} nhưng định dạng in là {format}: "
            f"đặt tên tệp đuôi .{format}, hoặc dùng --format {ending}"
        )


def _refuse_word(path: Path) -> None:
    """Signing is for the PDF, the record; a Word copy (.docx, a zip inside) is refused."""
    word = path.suffix.lower() in (".docx", ".doc")
    if not word and path.is_file():
        with path.open("rb") as file:
            word = file.read(4) == b"PK\x03\x04"
    if word:
        raise ServiceError(
            f"Không ký số được “{path.name}”: chỉ ký số bản PDF, bản lưu chính thức. Bản Word "
            "chỉ để sửa chữ và in thêm. Hãy in văn bản ra PDF (danhgia print … --format pdf) "
            "rồi ký tệp PDF đó."
        )


def _sign(args: argparse.Namespace) -> int:
    _refuse_word(args.file)
    if args.p12 is not None:
        password = getpass.getpass("Mật khẩu chứng thư số: ")
        source: signing.SignerSource = signing.Pkcs12File(args.p12, password)
    elif args.module is not None:
        pin = getpass.getpass("Mã PIN của USB token: ")
        source = signing.Pkcs11Token(args.module, pin, token_label=args.token, key_label=args.key)
    else:
        raise ServiceError("Cần --p12 TỆP (chứng thư số dạng tệp) hoặc --module DLL (USB token)")
    signed = signing.sign_pdf(
        args.file.read_bytes(), source, reason=args.reason, location=args.location
    )
    output = args.output or args.file.with_name(args.file.stem + "-da-ky.pdf")
    printing.write_pdf(output, signed)
    _say(f"Đã ký số và ghi vào {output}.")
    return 0


def _verify(args: argparse.Namespace) -> int:
    trusted = [path.read_bytes() for path in args.trust]
    report = signing.verify_pdf(args.file.read_bytes(), trusted)
    for line in signing.verification_lines(report):
        _say(line)
    return 0 if report.valid else 1
