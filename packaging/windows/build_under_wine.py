"""`make package-windows`: DanhGia's Windows bundle and installer, built on Linux under Wine.

1. Windows' CPython 3.11 with the pinned Windows wheels (see wine_env.py).
2. PyInstaller, run by that Python under Wine, from packaging/danhgia.spec: the one-folder
   bundle dist/windows/DanhGia (DanhGia.exe windowed, danhgia-cli.exe console).
3. Inno Setup's compiler under Wine, from packaging/windows/danhgia.iss:
   dist/DanhGia-<version>-cai-dat.exe.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import wine_env as w


def main() -> int:
    w.need_tools()
    python = w.windows_python()
    w.windows_libraries()
    env = w.new_prefix(w.BUILD / "prefix")
    shutil.rmtree(w.BUNDLE, ignore_errors=True)
    w.run(
        ["wine", str(python), "-m", "PyInstaller", "--noconfirm", "--clean",
         "--log-level", "ERROR",
         "--distpath", w.windows_path(w.BUNDLE.parent),
         "--workpath", w.windows_path(w.BUILD / "pyinstaller"),
         w.windows_path(w.ROOT / "packaging" / "danhgia.spec")],
        env=env, cwd=w.ROOT,
    )  # fmt: skip
    for program in ("DanhGia.exe", "danhgia-cli.exe"):
        if not (w.BUNDLE / program).exists():
            sys.exit(f"PyInstaller did not write {w.BUNDLE / program}")
    output = w.ROOT / "dist"
    for old in output.glob("DanhGia-*-cai-dat.exe"):
        old.unlink()
    w.run(
        ["wine", str(w.inno_setup()), "/Q",
         f"/DBundle={w.windows_path(w.BUNDLE)}", f"/DOutput={w.windows_path(output)}",
         w.windows_path(w.ROOT / "packaging" / "windows" / "danhgia.iss")],
        env=env,
    )  # fmt: skip
    subprocess.run(["wineserver", "-k"], env=env, check=False)
    (installer,) = output.glob("DanhGia-*-cai-dat.exe")
    size = sum(p.stat().st_size for p in w.BUNDLE.rglob("*") if p.is_file())
    w.say(f"Bundle: {w.BUNDLE} ({size / 2**20:.0f} MiB)")
    w.say(f"Installer: {installer} ({installer.stat().st_size / 2**20:.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
