"""packaging/linux/icu_data.py: which ICU data items the bundle keeps, the archive written back,
and (where PySide6 ships its ICU, on Linux) the trimmed library QtCore then loads."""

from __future__ import annotations

import importlib.util
import os
import shutil
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("icu_data", ROOT / "packaging/linux/icu_data.py")
assert _spec is not None and _spec.loader is not None
icu_data = importlib.util.module_from_spec(_spec)
sys.modules["icu_data"] = icu_data  # dataclasses look their module up there
_spec.loader.exec_module(icu_data)


def _data_header(data_format: bytes) -> bytes:
    """An ICU data header: headerSize, magic, then UDataInfo (little-endian, ASCII, 2-byte
    UChar, the format's four letters, version 1), padded to 32 bytes."""
    info = struct.pack("<HHBBBB4s4s4s", 20, 0, 0, 0, 2, 0, data_format, b"\1\0\0\0", b"\0" * 4)
    return struct.pack("<HBB", 32, 0xDA, 0x27) + info + bytes(32 - 4 - len(info))


def _converter(bytes_per_char: int) -> bytes:
    static = bytearray(100)
    struct.pack_into("<i", static, 0, 100)  # structSize
    static[71] = bytes_per_char  # maxBytesPerChar
    return _data_header(b"cnvt") + bytes(static)


ITEMS = {
    "icudt73l/vi.res": b"vi",
    "icudt73l/vi_VN.res": b"vi_VN",
    "icudt73l/en_GB.res": b"en_GB",
    "icudt73l/de.res": b"de",
    "icudt73l/sr_Latn_BA.res": b"sr",
    "icudt73l/root.res": b"root",
    "icudt73l/pool.res": b"pool",
    "icudt73l/res_index.res": b"index",
    "icudt73l/supplementalData.res": b"supplemental",
    "icudt73l/zoneinfo64.res": b"zones",
    "icudt73l/coll/ucadata.icu": b"uca",
    "icudt73l/coll/vi.res": b"coll vi",
    "icudt73l/coll/zh.res": b"coll zh",
    "icudt73l/zone/fr.res": b"zone fr",
    "icudt73l/brkitr/thaidict.dict": b"thai",
    "icudt73l/brkitr/line.brk": b"line",
    "icudt73l/translit/root.res": b"translit",
    "icudt73l/ibm-5354_P100-1998.cnv": _converter(1),  # Windows-1258, Vietnamese
    "icudt73l/gb18030.cnv": _converter(4),
    "icudt73l/cnvalias.icu": b"aliases",
}
KEPT = {
    "icudt73l/vi.res",
    "icudt73l/vi_VN.res",
    "icudt73l/en_GB.res",
    "icudt73l/root.res",
    "icudt73l/pool.res",
    "icudt73l/res_index.res",
    "icudt73l/supplementalData.res",
    "icudt73l/zoneinfo64.res",
    "icudt73l/coll/ucadata.icu",
    "icudt73l/coll/vi.res",
    "icudt73l/brkitr/line.brk",
    "icudt73l/ibm-5354_P100-1998.cnv",
    "icudt73l/cnvalias.icu",
}


def test_the_items_kept_are_root_english_vietnamese_and_everything_locale_free() -> None:
    kept = {name for name, data in ITEMS.items() if icu_data.keep(icu_data.Item(name, data))}
    assert kept == KEPT


def test_an_archive_written_back_reads_the_same_sorted_and_aligned() -> None:
    archive = icu_data.CommonData(
        _data_header(b"CmnD"),
        tuple(icu_data.Item(name, data) for name, data in reversed(ITEMS.items())),
    )
    blob = icu_data.build(archive)
    again = icu_data.parse(blob)
    assert again.header == archive.header
    assert [item.name for item in again.items] == sorted(ITEMS)
    assert {item.name: item.data[: len(ITEMS[item.name])] for item in again.items} == ITEMS
    header_size = len(archive.header)
    offsets = [
        struct.unpack_from("<II", blob, header_size + 4 + 8 * i)[1] for i in range(len(ITEMS))
    ]
    assert all((header_size + offset) % icu_data.ALIGNMENT == 0 for offset in offsets)


def test_what_is_not_icu_data_is_refused() -> None:
    with pytest.raises(ValueError, match="not an ICU common data archive"):
        icu_data.parse(b"\0" * 64)


def _qt_icu_data() -> Path | None:
    try:
        import PySide6
    except ImportError:
        return None
    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    return found[0] if found else None


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or _qt_icu_data() is None or not shutil.which("ld"),
    reason="PySide6's own ICU (Linux wheels) and binutils",
)
def test_the_trimmed_library_gives_qt_its_vietnamese_collation(tmp_path: Path) -> None:
    source = _qt_icu_data()
    assert source is not None
    target = tmp_path / source.name
    result = icu_data.trim_library(source, target)
    assert result.bytes_after < result.bytes_before / 4
    symbol, blob = icu_data._exported_data(target.read_bytes())
    assert symbol.startswith("icudt") and symbol.endswith("_dat")
    names = {item.name.split("/", 1)[1] for item in icu_data.parse(blob).items}
    assert {"coll/root.res", "coll/ucadata.icu", "coll/vi.res", "zone/vi.res", "vi.res"} <= names
    assert not names & {"coll/zh.res", "brkitr/cjdict.dict", "gb18030.cnv", "de.res"}
    # QtCore finds libicudata through libicuuc's RUNPATH; LD_LIBRARY_PATH comes first.
    script = textwrap.dedent(
        f"""
        import functools
        from PySide6.QtCore import QCollator, QLocale
        words = ["Ước", "Uyên", "Đức", "Dung", "Ăn", "Anh"]
        collator = QCollator(QLocale("vi_VN"))
        print(" ".join(sorted(words, key=functools.cmp_to_key(collator.compare))))
        maps = open("/proc/self/maps", encoding="utf-8").read()
        print({str(target)!r} in maps)
        """
    )
    env = {**os.environ, "LD_LIBRARY_PATH": str(tmp_path)}
    shown = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert shown[:2] == ["Anh Ăn Dung Đức Uyên Ước", "True"]
