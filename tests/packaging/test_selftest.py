"""`danhgia --self-test` from the source checkout, its network guard, and portable mode as a
frozen program sees it. The same checks on the built bundle: test_bundle.py (make package-test).
"""

from __future__ import annotations

import contextlib
import socket
import sys
import textwrap
from pathlib import Path

import pytest

from app import cli, selftest
from tests.packaging.isolation import Isolated, bare_fontconfig, files_under, png_size, run

ROOT = Path(__file__).resolve().parents[2]


def test_the_self_test_passes_and_says_what_it_checked(tmp_path: Path) -> None:
    shot = tmp_path / "cua-so.png"
    place = Isolated.make(tmp_path / "user")
    # A user with no font cache yet: fontconfig has one to write (see bare_fontconfig).
    fonts = bare_fontconfig(tmp_path, ROOT / "resources" / "fonts")
    output = run(
        [sys.executable, "-m", "app", "--self-test", "--screenshot", str(shot)],
        place.env(PYTHONPATH=str(ROOT), FONTCONFIG_FILE=str(fonts)),
        cwd=tmp_path,
    )
    for line in (
        "[ĐẠT] Tài nguyên đi kèm",
        "[ĐẠT] Cơ sở dữ liệu: tạo mới, nâng cấp lược đồ",
        "[ĐẠT] Văn bản PDF",
        "[ĐẠT] Văn bản Word: bản Word của phiếu đánh giá",
        "[ĐẠT] Chữ ký số: ký bằng chứng thư thử nghiệm (PKCS#12) và kiểm tra lại: Hợp lệ",
        "[ĐẠT] Mã hóa và Excel: mã hóa và giải mã bản sao lưu (Argon2id, AES-GCM)",
        "[ĐẠT] Cửa sổ chính: nền tảng Qt: offscreen; phông giao diện: Liberation Sans",
        "sắp xếp tiếng Việt (QCollator): Anh < Ăn < Dung < Đức < Uyên < Ước",
        "xem trước văn bản PDF (QtPdf): 1 trang",
        "[ĐẠT] Không dùng mạng",
        "KẾT QUẢ: ĐẠT cả 8 mục.",
    ):
        assert line in output
    width, height = png_size(shot)
    assert width >= 1000 and height >= 600
    # Nothing left behind in the user's folders: the scratch folder is gone, the data untouched.
    assert files_under(*place.roots()) == set()


def test_a_network_attempt_fails_the_self_test(monkeypatch: pytest.MonkeyPatch) -> None:
    def phone_home(ctx: selftest.Context) -> list[str]:
        # A library that swallows the refusal still fails the self-test.
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", 9), timeout=0.1)
        return ["kết nối xong"]

    monkeypatch.setattr(selftest, "CHECKS", (("Gọi ra ngoài", phone_home),))
    lines: list[str] = []
    assert selftest.run(say=lines.append) == selftest.EXIT_FAILED
    text = "\n".join(lines)
    assert "[ĐẠT] Gọi ra ngoài" in text
    assert "[LỖI] Không dùng mạng: đã có 1 lần mở kết nối mạng (bị chặn):" in text
    assert "socket.getaddrinfo('127.0.0.1', 9" in text
    assert "KẾT QUẢ: KHÔNG ĐẠT — 1/2 mục lỗi: Không dùng mạng" in text


@pytest.mark.parametrize(
    "attempt",
    [
        lambda: socket.create_connection(("127.0.0.1", 9), timeout=0.1),
        lambda: socket.getaddrinfo("example.org", 443),
        lambda: socket.gethostbyname("example.org"),
        lambda: socket.socket(socket.AF_UNIX, socket.SOCK_STREAM),
    ],
    ids=["create_connection", "getaddrinfo", "gethostbyname", "unix socket"],
)
def test_the_guard_refuses_and_records_every_socket_operation(attempt) -> None:  # type: ignore[no-untyped-def]
    with (
        selftest.NETWORK_GUARD.watching() as guard,
        pytest.raises(PermissionError, match="không dùng mạng"),
    ):
        attempt()
    assert len(guard.attempts) == 1 and guard.attempts[0].startswith("socket.")
    # Switched off afterwards: the rest of the process is not affected.
    socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).close()


def test_the_guard_lets_through_only_asyncio_s_own_self_pipe() -> None:
    """pyHanko signs through asyncio.run; the event loop's socket pair inside the process is
    counted, not refused; a socket made anywhere else is still refused."""
    import asyncio

    with selftest.NETWORK_GUARD.watching() as guard:
        asyncio.run(asyncio.sleep(0))
        assert guard.attempts == [] and guard.self_pipes >= 1
        with pytest.raises(PermissionError, match="không dùng mạng"):
            socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    assert len(guard.attempts) == 1


def test_a_failing_check_gives_its_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(ctx: selftest.Context) -> list[str]:
        raise selftest.CheckFailed("thiếu tệp phông chữ LiberationSans-Regular.ttf")

    def crashing(ctx: selftest.Context) -> list[str]:
        raise ValueError("hỏng")

    monkeypatch.setattr(selftest, "CHECKS", (("Phông", broken), ("Khác", crashing)))
    lines: list[str] = []
    assert selftest.run(say=lines.append) == selftest.EXIT_FAILED
    assert "[LỖI] Phông: thiếu tệp phông chữ LiberationSans-Regular.ttf" in lines
    assert "[LỖI] Khác: ValueError: hỏng" in lines
    assert lines[-1] == "KẾT QUẢ: KHÔNG ĐẠT — 2/3 mục lỗi: Phông, Khác"


def test_the_command_line_option(capsys: pytest.CaptureFixture[str]) -> None:
    args = cli.parse(["--self-test", "--screenshot", "a.png"])
    assert args.command == "self-test" and args.screenshot == Path("a.png")
    for wrong in (["--self-test", "check"], ["--screenshot", "a.png"]):
        with pytest.raises(SystemExit) as exit_info:
            cli.parse(wrong)
        assert exit_info.value.code == 2
    assert "--screenshot chỉ dùng cùng --self-test" in capsys.readouterr().err


FROZEN = textwrap.dedent(
    """
    import sys
    # What PyInstaller's bootloader sets: a frozen program whose files are in _MEIPASS.
    sys.frozen = True
    sys._MEIPASS = {root!r}
    sys.executable = {executable!r}
    sys.argv = [sys.executable, *sys.argv[1:]]
    if sys.argv[1:] == ["first-start"]:
        # What the window writes on its first start: settings, the log, the database.
        from app import paths
        from app.settings import Settings
        from app.store.database import Database
        from app.ui.shell.application import setup_logging

        Settings().set("font_size", 12)
        setup_logging()
        with Database.open(paths.default_database(), create=True):
            pass
        sys.exit(0)
    from app.__main__ import main

    sys.exit(main(sys.argv[1:]))
    """
)


def test_portable_mode_writes_only_beside_the_program(tmp_path: Path) -> None:
    """A frozen program with portable.txt beside it (simulated here; make package-test runs the
    real bundle): every file written lands in DuLieu beside the program."""
    usb = tmp_path / "usb" / "DanhGia"
    usb.mkdir(parents=True)
    (usb / "portable.txt").write_text("di động\n", encoding="utf-8")
    script = usb / "frozen.py"
    script.write_text(
        FROZEN.format(root=str(ROOT), executable=str(usb / "DanhGia")), encoding="utf-8"
    )
    place = Isolated.make(tmp_path / "user")
    before = files_under(usb, *place.roots())
    # A strange PC whose user has no font cache yet: fontconfig has one to write.
    fonts = bare_fontconfig(tmp_path, ROOT / "resources" / "fonts")
    env = place.env(PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1", FONTCONFIG_FILE=str(fonts))
    for command in (["--self-test"], ["first-start"], ["check"]):
        run([sys.executable, str(script), *command], env, cwd=tmp_path)
    written = files_under(usb, *place.roots()) - before
    assert written, "nothing was written at all"
    outside = sorted(str(p) for p in written if usb / "DuLieu" not in (p, *p.parents))
    assert outside == []
    assert (usb / "DuLieu" / "settings.json").exists()
    assert (usb / "DuLieu" / "logs" / "danhgia.log").exists()
    assert (usb / "DuLieu" / "danhgia.sqlite").exists()
