"""``danhgia --self-test``: prove that an installed copy works, without touching the user's data.

Everything happens in a scratch folder that is removed afterwards: the bundled resources are
found, a new database is created and migrated, a PDF is rendered with the bundled fonts, signed
with a throwaway certificate and verified, a file is encrypted and decrypted, the members are
written to an Excel workbook and read back, and the main window is built and drawn offscreen
with Vietnamese text, Vietnamese collation, and the PDF previewed and printed to a file. These
reach every library the bundle carries, so a build that left out something needed fails here.
While it runs, every socket operation is refused and recorded; any attempt fails the self-test
(the app never uses the network). Each check prints one Vietnamese line; the exit code is 0
only when all passed.

The window check lives in ``app/ui/shell/selftest_window.py``; ``app/__main__.py`` hands it to
``run``, so this module stays free of Qt, like everything outside ``app/ui``.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app import __version__, paths
from app.domain import clock

EXIT_OK, EXIT_FAILED = 0, 1

# Letters a Vietnamese screen cannot do without: every tone mark on a, e, o, u, y, plus đ/Đ,
# ơ, ư and the stacked marks (ầ, ễ, ộ …) that fallback fonts most often get wrong.
VIETNAMESE_SAMPLE = "ĐẢNG ỦY XÃ Nà Tông đảng viên ạ ằ ẵ ầ ẫ ẹ ễ ệ ị ọ ồ ỗ ộ ớ ờ ỡ ợ ụ ừ ữ ự ỳ ỷ ỹ ỵ"
COMMUNE = "Đảng bộ xã Nà Tông"
CELL = "Chi bộ bản Huổi Lếch"
MEMBERS = ("Lò Văn Pọm", "Giàng A Páo", "Nguyễn Thị Ánh", "Quàng Thị Ửng")
POSTS = ("Bí thư chi bộ", "Phó Bí thư chi bộ", "", "")
# The throwaway certificate's and the encrypted file's password (at least 8 characters).
PASSWORD = "tự kiểm tra 2025"


class CheckFailed(Exception):
    """A check found something wrong; the message says what, in Vietnamese."""


# ------------------------------------------------------------------------------------------
# The network guard


class NetworkGuard:
    """Refuses and records every socket operation while switched on.

    It is a Python audit hook (PEP 578) on the ``socket.*`` events: creating a socket,
    ``connect``/``connect_ex`` (and so ``create_connection``), ``getaddrinfo``,
    ``gethostbyname``, ``bind``, ``sendto`` … This sees every socket that Python code opens, in
    the app or in any library, without this module importing the networking modules that
    ``tests/unit/test_architecture.py`` keeps out of ``app``. An audit hook cannot be removed,
    so one hook per process is installed and switched on and off.
    """

    def __init__(self) -> None:
        self.attempts: list[str] = []
        self.self_pipes = 0
        self.active = False
        self._installed = False

    def _hook(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.active or not event.startswith("socket."):
            return
        if _inside_asyncio_self_pipe():
            self.self_pipes += 1
            return
        self.attempts.append(f"{event}{_short(args)}")
        raise PermissionError(f"DanhGia không dùng mạng: đã chặn {event}")

    @contextmanager
    def watching(self) -> Iterator[NetworkGuard]:
        if not self._installed:
            sys.addaudithook(self._hook)
            self._installed = True
        self.attempts.clear()
        self.self_pipes = 0
        self.active = True
        try:
            yield self
        finally:
            self.active = False


def _inside_asyncio_self_pipe() -> bool:
    """True while asyncio makes an event loop's self-pipe, which is no network use.

    pyHanko signs and verifies through ``asyncio.run``, and every new event loop makes a pair
    of sockets connected to each other inside this process, to wake itself up by writing a
    byte to one end (``_make_self_pipe``): ``socket.socketpair()``, an AF_UNIX pair on Linux
    and macOS, and on Windows a pair joined through a listening socket on 127.0.0.1 that is
    closed as soon as it has accepted the other end. The audit hook sees those operations like
    any other; they are let through only when asyncio's own ``_make_self_pipe`` is on the call
    stack, and counted."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "_make_self_pipe" and str(
            frame.f_globals.get("__name__", "")
        ).startswith("asyncio."):
            return True
        frame = frame.f_back
    return False


def _short(args: tuple[Any, ...]) -> str:
    text = repr(args)
    return text if len(text) <= 120 else text[:117] + "…"


NETWORK_GUARD = NetworkGuard()


# ------------------------------------------------------------------------------------------
# The checks


@dataclass
class Outcome:
    name: str
    ok: bool
    details: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class WindowCheckInput:
    """What the window check gets: the scratch database with its demo cell, and what to look for."""

    database: Path
    settings_file: Path
    cell_id: int
    title_part: str
    sample: str
    screenshot: Path | None
    pdf: bytes | None
    scratch: Path


# Builds the main window offscreen and says what it checked; raises CheckFailed when it fails.
WindowCheck = Callable[[WindowCheckInput], list[str]]


@dataclass
class Context:
    scratch: Path
    screenshot: Path | None
    window: WindowCheck | None = None
    database: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)


def check_resources(ctx: Context) -> list[str]:
    from app.domain.rules import discover_rulesets
    from app.store import migrations

    fonts = sorted(p.name for p in paths.fonts_dir().glob("*.ttf"))
    if not fonts:
        raise CheckFailed(f"không có phông chữ trong {paths.fonts_dir()}")
    licences = sorted(p.name for p in paths.fonts_dir().glob("*.txt"))
    if not licences:
        raise CheckFailed(f"thiếu giấy phép phông chữ trong {paths.fonts_dir()}")
    found, errors = discover_rulesets(paths.rulesets_dir())
    if errors or not found:
        problems = "; ".join(str(e) for e in errors) or "không có tệp nào"
        raise CheckFailed(f"bộ quy tắc trong {paths.rulesets_dir()}: {problems}")
    head = migrations.head_revision()
    ctx.values["head"] = head
    return [
        f"thư mục tài nguyên: {paths.resources_dir()}",
        f"{len(fonts)} tệp phông chữ và {len(licences)} tệp giấy phép",
        f"{len(found)} bộ quy tắc: {', '.join(sorted(found))}",
        f"lược đồ mới nhất: {head} ({paths.migrations_dir()})",
    ]


def check_database(ctx: Context) -> list[str]:
    from app.domain.member_checks import MemberFields
    from app.domain.vocabulary import Gender, OrgKind
    from app.services.roster import members as member_service
    from app.services.roster import organizations as org_service
    from app.services.safekeeping import maintenance
    from app.store.database import Database

    path = ctx.scratch / "tu-kiem-tra.sqlite"
    today = clock.today()
    with Database.open(path, create=True, backups=ctx.scratch / "backups") as db:
        commune = org_service.add_organization(
            db,
            org_service.OrgFields(
                "DBXA", COMMUNE, OrgKind.COMMITTEE, None, "Nà Tông", "Đảng bộ tỉnh Điện Biên"
            ),
        )
        cell = org_service.add_organization(
            db, org_service.OrgFields("CB01", CELL, OrgKind.CELL, commune.id)
        )
        for index, (name, post) in enumerate(zip(MEMBERS, POSTS, strict=True), start=1):
            fields = MemberFields(
                code=f"DV{index:03d}",
                full_name=name,
                gender=Gender.FEMALE if " Thị " in name else Gender.MALE,
                party_post=post,
                birth_date=dt.date(1970 + 3 * index, index, 10 + index),
                admitted_on=dt.date(2000 + index, 5, 19),
                official_on=dt.date(2001 + index, 5, 19),
            )
            member_service.add_member(db, fields, cell.id, today)
        names = [row.full_name for row in member_service.list_members(db, today)]
    if sorted(names) != sorted(MEMBERS):
        raise CheckFailed(f"đọc lại danh sách đảng viên không khớp: {names}")
    report = maintenance.check_database(path)
    if not report.ok:
        raise CheckFailed("; ".join(report.problems))
    ctx.database = path
    ctx.values["cell_id"] = cell.id
    return [
        "tạo mới, nâng cấp lược đồ, ghi và đọc lại "
        f"{len(MEMBERS)} đảng viên có tên tiếng Việt: tốt",
        *[line for line in report.lines if not line.startswith("Cơ sở dữ liệu:")],
    ]


def _ballot() -> Any:
    """A ballot of the Vietnamese names: what the PDF and the Word checks print."""
    from app.documents.data import BallotData, BallotEntry, Heading, LevelColumn

    return BallotData(
        heading=Heading(COMMUNE, CELL, "", "Nà Tông", dt.date(2025, 12, 15)),
        year=2025,
        members=tuple(BallotEntry(name) for name in MEMBERS),
        member_levels=(
            LevelColumn("HTXSNV", "HTXSNV", "Hoàn thành xuất sắc nhiệm vụ"),
            LevelColumn("HTTNV", "HTTNV", "Hoàn thành tốt nhiệm vụ"),
            LevelColumn("HTNV", "HTNV", "Hoàn thành nhiệm vụ"),
            LevelColumn("KHTNV", "KHTNV", "Không hoàn thành nhiệm vụ"),
        ),
        collective=CELL,
    )


def check_pdf(ctx: Context) -> list[str]:
    import io

    from pypdf import PdfReader

    from app.documents.ballot import render_ballot

    data = _ballot()
    pdf = render_ballot(data)
    if not pdf.startswith(b"%PDF-"):
        raise CheckFailed("tệp tạo ra không phải PDF")
    (ctx.scratch / "phieu-danh-gia.pdf").write_bytes(pdf)
    ctx.values["pdf"] = pdf
    reader = PdfReader(io.BytesIO(pdf))
    text = unicodedata.normalize("NFC", " ".join(p.extract_text() or "" for p in reader.pages))
    missing = [name for name in MEMBERS if name not in text]
    if missing:
        raise CheckFailed(f"không đọc lại được chữ tiếng Việt trong PDF: {', '.join(missing)}")
    fonts = _pdf_fonts(reader)
    unembedded = sorted(name for name, embedded in fonts.items() if not embedded)
    if unembedded:
        raise CheckFailed(f"phông chữ không được nhúng vào PDF: {', '.join(unembedded)}")
    return [
        f"phiếu đánh giá: {len(reader.pages)} trang, {len(pdf) // 1024} KB",
        f"phông chữ nhúng: {', '.join(sorted(fonts))}",
    ]


def _pdf_fonts(reader: Any) -> dict[str, bool]:
    """Every font the pages use, and whether its program is embedded in the file."""
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        resources = page.get("/Resources")
        table = resources.get_object().get("/Font") if resources is not None else None
        for ref in (table.get_object() if table is not None else {}).values():
            font = ref.get_object()
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            descriptor = font.get("/FontDescriptor")
            descendants = font.get("/DescendantFonts")
            if descriptor is None and descendants is not None:
                descriptor = descendants.get_object()[0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[name.split("+")[-1]] = embedded
    return fonts


def check_signing(ctx: Context) -> list[str]:
    """A PAdES signature with a new self-signed PKCS#12 certificate, verified offline against
    that certificate; and the PKCS#11 (USB token) libraries load."""
    import importlib

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    from app.services.signing import sign as signing

    pdf = ctx.values.get("pdf")
    if pdf is None:
        raise CheckFailed("không chạy được vì bước văn bản PDF đã lỗi")
    p12 = signing.make_test_certificate(MEMBERS[0], ctx.scratch / "thu-nghiem.p12", PASSWORD)
    signed = signing.sign_pdf(
        pdf, signing.Pkcs12File(p12, PASSWORD), reason="Tự kiểm tra", location="Nà Tông"
    )
    (ctx.scratch / "phieu-da-ky.pdf").write_bytes(signed)
    _key, certificate, _others = pkcs12.load_key_and_certificates(
        p12.read_bytes(), PASSWORD.encode("utf-8")
    )
    if certificate is None:
        raise CheckFailed("tệp chứng thư thử nghiệm không có chứng thư")
    pem = certificate.public_bytes(serialization.Encoding.PEM)
    report = signing.verify_pdf(signed, [pem], use_trusted_folder=False)
    if report.verdict is not signing.Verdict.VALID:
        label = signing.verdict_label(report.verdict)
        raise CheckFailed(f"kiểm tra chữ ký vừa ký: {label} — {report.message}")
    # A USB token is reached through python-pkcs11's compiled module and pyHanko's PKCS#11
    # signer; both load here (the app imports them only when a token is used).
    modules = ("pkcs11._pkcs11", "pyhanko.sign.pkcs11")
    for name in modules:
        importlib.import_module(name)
    return [
        "ký bằng chứng thư thử nghiệm (PKCS#12) và kiểm tra lại: "
        f"{signing.verdict_label(report.verdict)}, người ký {report.signer_name}",
        f"thư viện USB token (PKCS#11) nạp được: {', '.join(modules)}",
    ]


def check_files(ctx: Context) -> list[str]:
    """Encryption (Argon2id and AES-GCM) and Excel (openpyxl): a round trip of each."""
    from app.services.roster.workbook import export_members, plan_import
    from app.services.safekeeping import secure_file
    from app.store.database import Database

    if ctx.database is None:
        raise CheckFailed("không chạy được vì bước cơ sở dữ liệu đã lỗi")
    plain = ctx.database.read_bytes()
    sealed = secure_file.encrypt_bytes(plain, PASSWORD, secure_file.Kind.BACKUP)
    if sealed[: len(secure_file.MAGIC)] != secure_file.MAGIC or plain in sealed:
        raise CheckFailed("tệp mã hóa không đúng dạng")
    if secure_file.decrypt_bytes(sealed, PASSWORD, secure_file.Kind.BACKUP) != plain:
        raise CheckFailed("giải mã không ra đúng dữ liệu ban đầu")
    workbook = ctx.scratch / "dang-vien.xlsx"
    with Database.open(ctx.database) as db:
        written = export_members(db, workbook)
        plan = plan_import(db, workbook)
    if written != len(MEMBERS) or plan.members_existing != len(MEMBERS):
        raise CheckFailed(
            f"tệp Excel: ghi {written}, đọc lại {plan.members_existing} đảng viên"
            f" (cần {len(MEMBERS)})"
        )
    return [
        f"mã hóa và giải mã bản sao lưu (Argon2id, AES-GCM): {len(plain) // 1024} KB, tốt",
        f"ghi tệp Excel và đọc lại: {written} đảng viên, {len(plan.organizations)} tổ chức",
    ]


def check_window(ctx: Context) -> list[str]:
    if ctx.window is None:
        raise CheckFailed("không có phần giao diện để kiểm tra")
    if ctx.database is None:
        raise CheckFailed("không chạy được vì bước cơ sở dữ liệu đã lỗi")
    # Offscreen before the first QApplication: the check needs no screen and shows nothing.
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return ctx.window(
        WindowCheckInput(
            ctx.database,
            ctx.scratch / "settings.json",
            ctx.values["cell_id"],
            COMMUNE,
            VIETNAMESE_SAMPLE,
            ctx.screenshot,
            ctx.values.get("pdf"),
            ctx.scratch,
        )
    )


def check_docx(ctx: Context) -> list[str]:
    """The Word copy (python-docx and its template travel in the bundle): it opens again and
    holds every name."""
    import io

    import docx

    from app.documents.ballot import ballot_document
    from app.documents.render_docx import iter_text, render_docx

    content = render_docx(ballot_document(_ballot()))
    (ctx.scratch / "phieu-danh-gia.docx").write_bytes(content)
    text = unicodedata.normalize("NFC", " ".join(iter_text(docx.Document(io.BytesIO(content)))))
    missing = [name for name in MEMBERS if name not in text]
    if missing:
        raise CheckFailed(f"không đọc lại được chữ tiếng Việt trong tệp Word: {', '.join(missing)}")
    return [f"bản Word của phiếu đánh giá: {len(content) // 1024} KB"]


CHECKS: tuple[tuple[str, Callable[[Context], list[str]]], ...] = (
    ("Tài nguyên đi kèm", check_resources),
    ("Cơ sở dữ liệu", check_database),
    ("Văn bản PDF", check_pdf),
    ("Văn bản Word", check_docx),
    ("Chữ ký số", check_signing),
    ("Mã hóa và Excel", check_files),
    ("Cửa sổ chính", check_window),
)


# ------------------------------------------------------------------------------------------
# Running


def run(
    screenshot: Path | None = None,
    say: Callable[[str], None] | None = None,
    window: WindowCheck | None = None,
) -> int:
    """Run every check and print one line per check; 0 when all passed, 1 otherwise. The
    window check is given by the caller (the only one that may import the window)."""
    out = say or _print
    kind = "bản đóng gói" if paths.is_frozen() else "mã nguồn"
    out(f"DanhGia {__version__} — tự kiểm tra ({kind}, Python {sys.version.split()[0]}, "
        f"{sys.platform})")  # fmt: skip
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="danhgia-tu-kiem-tra-") as scratch:
        root = Path(scratch)
        # Settings, backups, logs and the libraries' caches (fontconfig's) of this run stay in
        # the scratch folder, never the user's.
        paths.set_data_dir(root / "data")
        environment = paths.contain_caches(root / "cache")
        ctx = Context(root, screenshot.expanduser().resolve() if screenshot else None, window)
        try:
            with NETWORK_GUARD.watching() as guard:
                for name, check in CHECKS:
                    outcome = _run_check(name, check, ctx)
                    outcomes.append(outcome)
                    _report(outcome, out)
        finally:
            paths.set_data_dir(None)
            paths.restore_environment(environment)
        network = Outcome("Không dùng mạng", not guard.attempts)
        if guard.attempts:
            network.details = [f"đã có {len(guard.attempts)} lần mở kết nối mạng (bị chặn):"]
            network.details += guard.attempts[:10]
        elif guard.self_pipes:
            network.details = [
                "không có kết nối mạng hay tra tên miền nào; chỉ có "
                f"{guard.self_pipes} thao tác socket nội bộ của asyncio (tự đánh thức vòng sự "
                "kiện khi ký số), không ra mạng"
            ]
        else:
            network.details = ["không có lần mở socket hay tra tên miền nào"]
        outcomes.append(network)
        _report(network, out)
    failed = [o for o in outcomes if not o.ok]
    if failed:
        out(f"KẾT QUẢ: KHÔNG ĐẠT — {len(failed)}/{len(outcomes)} mục lỗi: "
            + ", ".join(o.name for o in failed))  # fmt: skip
        return EXIT_FAILED
    out(f"KẾT QUẢ: ĐẠT cả {len(outcomes)} mục.")
    return EXIT_OK


def _run_check(name: str, check: Callable[[Context], list[str]], ctx: Context) -> Outcome:
    try:
        return Outcome(name, True, check(ctx))
    except CheckFailed as failure:
        return Outcome(name, False, [str(failure)])
    except Exception as error:  # any failure is a result here, reported with its kind
        return Outcome(name, False, [f"{type(error).__name__}: {error}"])


def _report(outcome: Outcome, out: Callable[[str], None]) -> None:
    mark = "[ĐẠT]" if outcome.ok else "[LỖI]"
    first, *rest = outcome.details or [""]
    out(f"{mark} {outcome.name}: {first}")
    for line in rest:
        out(f"       {line}")


def _print(text: str) -> None:
    print(text, flush=True)
