"""``danhgia --self-test``: prove that an installed copy works, without touching the user's data.

Everything happens in a scratch folder that is removed afterwards: the bundled resources are
found, a new database is created and migrated, a PDF is rendered with the bundled fonts, and the
main window is built and drawn offscreen with Vietnamese text. While it runs, every socket
operation is refused and recorded; any attempt fails the self-test (the app never uses the
network). Each check prints one Vietnamese line; the exit code is 0 only when all passed.

The window check lives in ``app/ui/selftest_window.py`` and is imported only when it runs: this
module stays free of Qt, like everything outside ``app/ui``.
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
        self.active = False
        self._installed = False

    def _hook(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.active or not event.startswith("socket."):
            return
        self.attempts.append(f"{event}{_short(args)}")
        raise PermissionError(f"DanhGia không dùng mạng: đã chặn {event}")

    @contextmanager
    def watching(self) -> Iterator[NetworkGuard]:
        if not self._installed:
            sys.addaudithook(self._hook)
            self._installed = True
        self.attempts.clear()
        self.active = True
        try:
            yield self
        finally:
            self.active = False


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


@dataclass
class Context:
    scratch: Path
    screenshot: Path | None
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
    from app.services import maintenance
    from app.services import members as member_service
    from app.services import organizations as org_service
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


def check_pdf(ctx: Context) -> list[str]:
    import io

    from pypdf import PdfReader

    from app.documents.ballot import render_ballot
    from app.documents.data import BallotData, BallotEntry, Heading, LevelColumn

    data = BallotData(
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
    pdf = render_ballot(data)
    if not pdf.startswith(b"%PDF-"):
        raise CheckFailed("tệp tạo ra không phải PDF")
    (ctx.scratch / "phieu-danh-gia.pdf").write_bytes(pdf)
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


def check_window(ctx: Context) -> list[str]:
    if ctx.database is None:
        raise CheckFailed("không chạy được vì bước cơ sở dữ liệu đã lỗi")
    # Offscreen before the first QApplication: the check needs no screen and shows nothing.
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from app.ui.selftest_window import WindowProblem, check_main_window

    try:
        return check_main_window(
            ctx.database,
            ctx.scratch / "settings.json",
            ctx.values["cell_id"],
            COMMUNE,
            VIETNAMESE_SAMPLE,
            ctx.screenshot,
        )
    except WindowProblem as problem:
        raise CheckFailed(str(problem)) from problem


CHECKS: tuple[tuple[str, Callable[[Context], list[str]]], ...] = (
    ("Tài nguyên đi kèm", check_resources),
    ("Cơ sở dữ liệu", check_database),
    ("Văn bản PDF", check_pdf),
    ("Cửa sổ chính", check_window),
)


# ------------------------------------------------------------------------------------------
# Running


def run(screenshot: Path | None = None, say: Callable[[str], None] | None = None) -> int:
    """Run every check and print one line per check; 0 when all passed, 1 otherwise."""
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
        ctx = Context(root, screenshot.expanduser().resolve() if screenshot else None)
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
