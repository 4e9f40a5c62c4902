"""`make package-windows-test`: the Windows bundle and installer, run under Wine in a fresh
prefix, each check printed with its result. Run `make package-windows` first.

What runs: the bundle's self-test (the window drawn offscreen); the command line on the demo
commune — demo, print all, summary, check, an encrypted backup and its restore, an exchange
package out and in, the members workbook out and in — with Vietnamese read back from its
output and the data written under %LOCALAPPDATA%\\DanhGia; a second program refused while the
window holds the database; a file replaced while another process holds it open; the installer
and uninstaller run silently, the installed program's self-test, the data kept afterwards;
portable mode from a copied folder with portable.txt. docs/building.md says what is left to a
real Windows PC.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import wine_env as w

PREFIX = w.BUILD / "test-prefix"
PASSWORD = "Mật khẩu thử 2026"
YEAR = dt.date.today().year - 1  # the demo's last decided year (its years follow today)


class Wine:
    def __init__(self) -> None:
        self.env = w.new_prefix(PREFIX)
        self.env["QT_QPA_PLATFORM"] = "offscreen"  # Qt draws offscreen; the self-test says so
        # Inno Setup builds its (hidden) wizard even when silent: Wine needs an X display.
        screen = ["Xvfb", "-displayfd", "1", "-screen", "0", "1366x768x24"]
        self.screen = subprocess.Popen(screen, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert self.screen.stdout is not None
        self.env["DISPLAY"] = ":" + self.screen.stdout.readline().decode().strip()
        self.c = PREFIX / "drive_c"
        users = self.c / "users"
        self.home = next(p for p in users.iterdir() if p.name not in ("Public", "public"))
        self.local_appdata = self.home / "AppData" / "Local"
        self.start()

    def start(self) -> None:
        """Keep one Wine session up for all the checks. A program that starts Wine's services
        (explorer, rpcss …) hands them its output pipe, which then never closes: started here,
        with no pipe, they cannot hold one of a check's."""
        subprocess.run(["wineserver", "-p"], env=self.env, check=True, stdin=subprocess.DEVNULL)
        subprocess.run(["wine", "wineboot"], env=self.env, check=True, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip

    def stop(self) -> None:
        subprocess.run(["wineserver", "-k"], env=self.env, check=False)

    def close(self) -> None:
        self.stop()
        self.screen.kill()

    def windows_program(self, program: Path, *args: str) -> None:
        subprocess.run(["wine", str(program), *args], env=self.env, check=True, timeout=900,
                       stdin=subprocess.DEVNULL, capture_output=True)  # fmt: skip

    def cli(self, *args: str, program: Path | None = None, check: bool = True) -> str:
        """Run danhgia-cli.exe; its output must be UTF-8 (read strictly) whatever the code page."""
        exe = program or w.BUNDLE / "danhgia-cli.exe"
        done = subprocess.run(["wine", str(exe), *args], env=self.env, capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=1800)  # fmt: skip
        out = done.stdout.decode("utf-8") + done.stderr.decode("utf-8")
        if check and done.returncode != 0:
            raise AssertionError(f"{' '.join(args)} → mã {done.returncode}:\n{out[-2000:]}")
        return out

    def path(self, *parts: str) -> Path:
        return self.c.joinpath(*parts)

    @staticmethod
    def win(path: Path) -> str:
        return w.windows_path(path)


def self_test(box: Wine) -> str:
    out = box.cli("--self-test")
    assert "KẾT QUẢ: ĐẠT cả 8 mục." in out, out[-1500:]
    return "ĐẠT cả 8 mục (cửa sổ vẽ ngoài màn hình, QtPdf, bản Word, ký số, Argon2, Excel)"


def demo_in_localappdata(box: Wine) -> str:
    out = box.cli("demo")
    database = box.local_appdata / "DanhGia" / "danhgia.sqlite"
    assert database.exists(), f"không có {database}"
    assert "Đã tạo dữ liệu mẫu" in out, out
    return f"{out.strip()} — tệp ở %LOCALAPPDATA%\\DanhGia ({database.stat().st_size // 1024} KB)"


def print_all(box: Wine) -> str:
    folder = box.path("van-ban")
    out = box.cli("print", "all", "--year", str(YEAR), "--unit", "CB01", "-o", box.win(folder))
    pdfs = list(folder.rglob("*.pdf"))
    assert pdfs and all(p.read_bytes().startswith(b"%PDF-") for p in pdfs), out
    return f"{len(pdfs)} văn bản PDF của chi bộ CB01 năm {YEAR}"


def summary(box: Wine) -> str:
    out = box.cli("summary", "--year", str(YEAR))
    assert "Hoàn thành tốt nhiệm vụ" in out, out[-1500:]
    return out.strip().splitlines()[0]


def check(box: Wine) -> str:
    out = box.cli("check")
    assert "Nhật ký thay đổi (chuỗi mã băm): nguyên vẹn" in out, out
    return "toàn vẹn, tham chiếu, lược đồ, chuỗi nhật ký: tốt"


def backup_and_restore(box: Wine) -> str:
    secret = box.path("mat-khau.txt")
    secret.write_text(PASSWORD, encoding="utf-8")
    copy = box.path("sao-luu.dgb")
    box.cli("backup", "--password-file", box.win(secret), box.win(copy))
    assert copy.exists() and b"SQLite" not in copy.read_bytes()[:4096]
    out = box.cli("restore", "--password-file", box.win(secret), box.win(copy))
    return f"sao lưu mã hóa {copy.stat().st_size // 1024} KB; {out.strip().splitlines()[-1]}"


def exchange_package(box: Wine) -> str:
    package = box.path("goi-chi-bo.dgx")
    year = str(dt.date.today().year)
    box.cli("package", "export", "--year", year, "--unit", "CB01", "-o", box.win(package))
    out = box.cli("package", "import", "--yes", box.win(package))
    size = package.stat().st_size // 1024
    return f"xuất và nhập lại gói {size} KB; {out.strip().splitlines()[-1]}"


def members_workbook(box: Wine) -> str:
    workbook = box.path("Danh sách đảng viên.xlsx")  # a Vietnamese file name on purpose
    box.cli("export", "members", box.win(workbook))
    out = box.cli("import", "members", box.win(workbook))
    return out.strip().splitlines()[-1]


def second_program_refused(box: Wine) -> str:
    # Its output goes to a pipe nobody reads (it writes none): Windows' CPython under Wine
    # cannot start with its standard streams on /dev/null or a file ("Invalid handle").
    # Without the X display: given one, Qt asks Wine 8 for the screen's colour profile
    # (mscms.WcsCreateIccProfile, not implemented) and the program aborts.
    window_env = {k: v for k, v in box.env.items() if k != "DISPLAY"}
    window = subprocess.Popen(["wine", str(w.BUNDLE / "DanhGia.exe")], env=window_env,
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)  # fmt: skip
    try:
        refused = "đang được mở bởi một chương trình DanhGia khác"
        if wait_for(lambda: refused in box.cli("summary", "--year", str(YEAR), check=False), 120):
            return "cửa sổ đang mở cơ sở dữ liệu: dòng lệnh bị từ chối, không ghi gì"
        raise AssertionError("dòng lệnh không bị từ chối khi cửa sổ đang mở")
    finally:
        window.kill()
        box.stop()  # ends the window's Windows process too
        box.start()


REPLACE_WHILE_OPEN = r"""
from pathlib import Path
from app.services.common.atomic import FileInUse, write_bytes_atomically
target = Path(r"C:\bien-ban.pdf")
target.write_bytes(b"old")
held = open(target, "rb")
try:
    write_bytes_atomically(target, b"new")
    print("replaced while open")
except FileInUse as refused:
    assert target.read_bytes() == b"old"
    assert not Path(r"C:\.bien-ban.pdf.partial").exists()
    print("refused:", refused)
held.close()
write_bytes_atomically(target, b"new")
assert target.read_bytes() == b"new"
print("replaced once closed")
"""


def replace_while_open(box: Wine) -> str:
    env = dict(box.env, PYTHONIOENCODING="utf-8")
    done = subprocess.run(["wine", str(w.PYTHON_DIR / "python.exe"), "-c", REPLACE_WHILE_OPEN],
                          env=env, capture_output=True, check=True, timeout=600,
                          stdin=subprocess.DEVNULL)  # fmt: skip
    out = done.stdout.decode("utf-8")
    assert "replaced once closed" in out, out
    return "tệp đang mở ở chương trình khác: " + out.splitlines()[0][:160]


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    """Whether *condition* came true within *seconds*, asked every second or so."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OSError:
            pass  # a log not written yet
        time.sleep(1)
    return False


def installer(box: Wine) -> str:
    (setup,) = (w.ROOT / "dist").glob("DanhGia-*-cai-dat.exe")
    log = box.path("cai-dat.log")
    # Wine 8 has no per-user Programs folder (FOLDERID_UserProgramFiles): install for all users.
    box.windows_program(setup, "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART", "/ALLUSERS",
                        f"/LOG={box.win(log)}")  # fmt: skip
    wait_for(lambda: "Log closed." in log.read_text("utf-8-sig", errors="replace"), 300)
    installed = box.path("Program Files", "DanhGia")
    assert (installed / "danhgia-cli.exe").exists(), log.read_text("utf-8-sig")[-1500:]
    shortcut = box.path("ProgramData", "Microsoft", "Windows", "Start Menu", "Programs",
                        "DanhGia.lnk")  # fmt: skip
    assert shortcut.exists(), "không có lối tắt trong menu Start"
    out = box.cli("--self-test", program=installed / "danhgia-cli.exe")
    assert "KẾT QUẢ: ĐẠT cả 8 mục." in out, out[-1500:]
    box.windows_program(installed / "unins000.exe", "/VERYSILENT", "/SUPPRESSMSGBOXES")
    # The uninstaller finishes from a copy of itself, after this returns.
    wait_for(lambda: not (installed / "danhgia-cli.exe").exists(), 120)
    assert not (installed / "danhgia-cli.exe").exists(), "gỡ cài đặt không xóa chương trình"
    assert not shortcut.exists(), "gỡ cài đặt không xóa lối tắt"
    data = box.local_appdata / "DanhGia" / "danhgia.sqlite"
    assert data.exists(), "gỡ cài đặt đã xóa dữ liệu"
    return "cài im lặng, lối tắt, tự kiểm tra bản đã cài: ĐẠT; gỡ im lặng; dữ liệu vẫn còn"


def portable(box: Wine) -> str:
    stick = box.path("Ổ USB của Bí thư", "DanhGia")  # Vietnamese letters in every path
    shutil.rmtree(stick, ignore_errors=True)
    shutil.copytree(w.BUNDLE, stick)
    (stick / "portable.txt").write_text("", encoding="utf-8")
    before = sorted(os.listdir(box.local_appdata / "DanhGia"))
    out = box.cli("demo", program=stick / "danhgia-cli.exe")
    assert (stick / "DuLieu" / "danhgia.sqlite").exists(), out
    assert sorted(os.listdir(box.local_appdata / "DanhGia")) == before
    where = "C:\\" + str(stick.relative_to(box.c) / "DuLieu").replace("/", "\\")
    return f"dữ liệu ghi vào {where}, %LOCALAPPDATA% không đổi"


CHECKS: list[tuple[str, Callable[[Wine], str]]] = [
    ("Tự kiểm tra (danhgia-cli.exe --self-test)", self_test),
    ("Dữ liệu mẫu trong %LOCALAPPDATA%", demo_in_localappdata),
    ("In tất cả văn bản của một chi bộ", print_all),
    ("Biểu tổng hợp", summary),
    ("Kiểm tra cơ sở dữ liệu", check),
    ("Sao lưu có mật khẩu và khôi phục", backup_and_restore),
    ("Gói dữ liệu chi bộ: xuất và nhập", exchange_package),
    ("Danh sách Excel: xuất và nhập", members_workbook),
    ("Chương trình thứ hai bị từ chối", second_program_refused),
    ("Ghi đè tệp đang mở", replace_while_open),
    ("Bộ cài đặt và gỡ cài đặt", installer),
    ("Chế độ mang theo (portable.txt)", portable),
]


def main() -> int:
    w.need_tools()
    if not (w.BUNDLE / "danhgia-cli.exe").exists():
        sys.exit("Chưa có bản Windows: chạy make package-windows trước.")
    w.windows_python()  # the replace check runs Windows' Python on the checkout
    box = Wine()
    failed = []
    for name, check_one in CHECKS:
        started = time.monotonic()
        try:
            detail = check_one(box)
        except (AssertionError, subprocess.SubprocessError, OSError) as error:
            failed.append(name)
            w.say(f"[LỖI] {name}: {error}")
        else:
            w.say(f"[ĐẠT] {name} ({time.monotonic() - started:.0f} s): {detail}")
    box.close()
    if failed:
        w.say(f"KẾT QUẢ: {len(failed)}/{len(CHECKS)} mục lỗi: {', '.join(failed)}")
        return 1
    w.say(f"KẾT QUẢ: ĐẠT cả {len(CHECKS)} mục dưới Wine.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
