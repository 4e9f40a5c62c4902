"""Pack the bundle for Linux: ``DanhGia-<version>-linux-<arch>.tar.xz``.

The archive holds one folder, ``DanhGia/``: the bundle (the program and ``_internal/``) plus
the desktop entry, the icon, ``cai-dat.sh`` (adds the entry to the user's application menu) and
``HUONG-DAN.txt``. Entries are sorted, owned by root, dated by the commit (SOURCE_DATE_EPOCH
when set), and the xz format records no time, so packing the same bundle twice gives the same
bytes. Prints the size of the bundle and of the archive.

xz rather than gzip: the same files take about a quarter less (LZMA finds repeats across a
whole shared library, gzip only within 32 KiB). It is an ordinary ``.tar.xz``: ``tar xf``
unpacks it, and so do the archive managers of every desktop; unpacking needs 65 MiB of memory.

    python packaging/linux/make_tarball.py dist/DanhGia dist/DanhGia-0.1.0-linux-x86_64.tar.xz
"""

from __future__ import annotations

import lzma
import os
import subprocess
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
EXTRAS = {
    "danhgia.desktop": HERE / "danhgia.desktop",
    "cai-dat.sh": HERE / "cai-dat.sh",
    "HUONG-DAN.txt": HERE / "HUONG-DAN.txt",
    "danhgia.png": ROOT / "resources" / "icons" / "danhgia.png",
}
# xz's strongest standard level: a 64 MiB window, so a repeat anywhere in a library is found.
PRESET = 9


def source_date() -> int:
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True
        )
        return int(out.stdout.strip())
    except (OSError, ValueError):
        return 0


def tree_size(folder: Path) -> int:
    """Bytes of the files under *folder* (links not followed): what unpacking takes."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def pack(bundle: Path, target: Path) -> None:
    mtime = source_date()

    def normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        info.mtime = mtime
        if info.isdir() or info.mode & 0o111:
            info.mode = 0o755
        elif not info.issym():
            info.mode = 0o644
        return info

    entries = [(path, Path("DanhGia") / path.relative_to(bundle)) for path in bundle.rglob("*")]
    entries += [(source, Path("DanhGia") / name) for name, source in EXTRAS.items()]
    entries.sort(key=lambda pair: pair[1].as_posix())
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with (
        open(partial, "wb") as raw,
        lzma.LZMAFile(raw, mode="wb", format=lzma.FORMAT_XZ, preset=PRESET) as packed,
        tarfile.open(fileobj=packed, mode="w", format=tarfile.GNU_FORMAT) as tar,
    ):
        tar.addfile(normalise(tar.gettarinfo(str(bundle), arcname="DanhGia")))
        for source, name in entries:
            info = normalise(tar.gettarinfo(str(source), arcname=name.as_posix()))
            if info.isfile():
                with open(source, "rb") as handle:
                    tar.addfile(info, handle)
            else:
                tar.addfile(info)
    partial.replace(target)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    bundle, target = Path(argv[0]), Path(argv[1])
    if not (bundle / "DanhGia").is_file():
        print(f"no bundle at {bundle}: run `make package`", file=sys.stderr)
        return 2
    pack(bundle, target)
    print(f"bundle {bundle}: {mib(tree_size(bundle))} unpacked")
    print(f"archive {target}: {mib(target.stat().st_size)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
