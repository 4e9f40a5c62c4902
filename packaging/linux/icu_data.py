"""Qt's ICU data, cut down to what the app can reach (used by packaging/danhgia.spec, Linux).

PySide6 brings ICU 73 for QtCore: ``libicudata.so.73`` is 30.5 MiB, the largest file of the
bundle. It holds a single exported symbol, ``icudt73_dat``: an ICU "common data" archive, a
table of contents and 3,921 items (locale data for 800 locales, collation tailorings, legacy
code-page tables, dictionaries for line breaking in Thai or Chinese, transliteration rules …).

QtCore is the only library in the bundle that links ICU, and it calls only collation
(``ucol_*``: QCollator, which Qt's own file dialog and localeAwareCompare use), case mapping
(``u_strToUpper``/``u_strToLower``: QLocale::toUpper), time zones (``ucal_*``: QTimeZone names)
and code-page converters (``ucnv_*``: QStringConverter for encodings other than UTF-8/16/32 and
Latin-1) — see ``objdump -T libQt6Core.so.6 | grep _73``. The archive is rewritten with
:func:`keep` deciding item by item:

* every item that belongs to no locale stays: the root collation (``coll/ucadata.icu``),
  normalisation, Unicode properties, time-zone rules and metazones, converter aliases …;
* locale items stay for ``root``, ``en*`` and ``vi*`` in every tree; those of other locales go.
  ICU falls back along the locale's parents to ``root`` (CLDR's defaults), so a machine set to
  another language still gets working collation and time-zone names, in root's form;
* the multi-byte code-page tables go (Chinese, Japanese, Korean, EBCDIC double-byte, X11
  compound text: 4.5 MiB); the 139 single-byte ones stay (Windows-1258 among them, 0.4 MiB);
* the break-iteration dictionaries (``*.dict``: Chinese/Japanese, Thai, Lao, Khmer, Burmese)
  and the transliteration rules (``translit/``) go: Qt never calls ICU's break iterators or
  transliterators (it finds text boundaries with its own tables).

The new archive is assembled into a shared library exporting the same symbol, with the same
soname, by ``as`` and ``ld`` from binutils (which PyInstaller needs anyway); libicuuc loads it
as before. About 4.7 of the 30.5 MiB stay. ``danhgia --self-test`` sorts Vietnamese names
with QCollator to show that the collation data is still there (app/ui/shell/selftest_window.py).

    python packaging/linux/icu_data.py PySide6/Qt/lib/libicudata.so.73 build/libicudata.so.73
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Locale items are named after their locale ("vi.res", "en_GB.res", "sr_Latn_BA.res"); the
# other items have longer names ("supplementalData.res", "zoneinfo64.res") or are listed here.
LOCALE_NAME = re.compile(r"(?:root|[a-z]{2,3})(?:_[A-Za-z0-9]*)*")
NOT_LOCALES = {"res_index", "pool"}  # each tree's list of locales and its shared strings
KEPT_LOCALES = re.compile(r"(?:root|en|vi)(?:_[A-Za-z0-9]*)*")
DROPPED_TREES = {"translit"}
ALIGNMENT = 16  # what ICU's own packager (icupkg) uses for every item


@dataclass(frozen=True)
class Item:
    name: str  # "icudt73l/coll/vi.res"
    data: bytes


@dataclass(frozen=True)
class CommonData:
    header: bytes  # the archive's own data header (magic, "CmnD", format version)
    items: tuple[Item, ...]


def parse(blob: bytes) -> CommonData:
    """Read an ICU common data archive (little-endian, "CmnD" format 1)."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    if (magic1, magic2) != (0xDA, 0x27) or blob[12:16] != b"CmnD":
        raise ValueError("not an ICU common data archive")
    if blob[8] != 0:
        raise ValueError("a big-endian ICU archive")
    (count,) = struct.unpack_from("<I", blob, header_size)
    entries = [struct.unpack_from("<II", blob, header_size + 4 + 8 * i) for i in range(count)]
    body = blob[header_size:]
    items = []
    for index, (name_offset, data_offset) in enumerate(entries):
        name = body[name_offset : body.index(b"\0", name_offset)].decode("ascii")
        end = entries[index + 1][1] if index + 1 < count else len(body)
        items.append(Item(name, body[data_offset:end]))
    return CommonData(blob[:header_size], tuple(items))


def build(archive: CommonData) -> bytes:
    """Write *archive* back: the table of contents sorted by name (ICU searches it by bisection),
    then the names, then each item on a 16-byte boundary."""
    items = sorted(archive.items, key=lambda item: item.name.encode("ascii"))
    table_size = 4 + 8 * len(items)
    names = b""
    name_offsets = []
    for item in items:
        name_offsets.append(table_size + len(names))
        names += item.name.encode("ascii") + b"\0"
    header_size = len(archive.header)
    body = bytearray(table_size) + names
    data_offsets = []
    for item in items:
        body += bytes(-(header_size + len(body)) % ALIGNMENT)
        data_offsets.append(len(body))
        body += item.data
    struct.pack_into("<I", body, 0, len(items))
    for index, offsets in enumerate(zip(name_offsets, data_offsets, strict=True)):
        struct.pack_into("<II", body, 4 + 8 * index, *offsets)
    return archive.header + bytes(body)


def _single_byte_converter(data: bytes) -> bool:
    """True for a code-page table whose characters are all one byte (UConverterStaticData's
    maxBytesPerChar, after the item's data header)."""
    (header_size,) = struct.unpack_from("<H", data, 0)
    # structSize (4), name (60), codepage (4), platform, conversionType, minBytesPerChar (1 each)
    return data[header_size + 71] == 1


def keep(item: Item) -> bool:
    """Whether the bundle needs *item* (see the module's docstring)."""
    path = item.name.split("/")[1:]  # drop the package name, "icudt73l"
    tree = path[0] if len(path) > 1 else ""
    stem, _, kind = path[-1].rpartition(".")
    if tree in DROPPED_TREES or kind == "dict":
        return False
    if kind == "cnv":
        return _single_byte_converter(item.data)
    if kind == "res" and stem not in NOT_LOCALES and LOCALE_NAME.fullmatch(stem):
        return bool(KEPT_LOCALES.fullmatch(stem))
    return True


# ------------------------------------------------------------------------------------------
# The shared library: where the archive is inside it, and a new one around a smaller archive.


def _exported_data(library: bytes) -> tuple[str, bytes]:
    """The name and bytes of the ``icudtNN_dat`` symbol of a 64-bit little-endian ELF library
    (the dynamic symbol table survives stripping)."""
    if library[:4] != b"\x7fELF" or library[4] != 2 or library[5] != 1:
        raise ValueError("not a 64-bit little-endian ELF file")
    (section_offset,) = struct.unpack_from("<Q", library, 0x28)
    entry_size, count = struct.unpack_from("<HH", library, 0x3A)
    sections = [
        struct.unpack_from("<IIQQQQIIQQ", library, section_offset + i * entry_size)
        for i in range(count)
    ]
    # (name, type, flags, addr, offset, size, link, info, addralign, entsize)
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        strings_offset = sections[link][4]
        for position in range(offset, offset + size, entsize):
            name_at, _info, _other, index, value, length = struct.unpack_from(
                "<IBBHQQ", library, position
            )
            start = strings_offset + name_at
            name = library[start : library.index(b"\0", start)].decode("ascii")
            if re.fullmatch(r"icudt\d+_dat", name):
                home = sections[index]
                at = value - home[3] + home[4]
                return name, library[at : at + length]
    raise ValueError("no icudtNN_dat symbol: not an ICU data library")


def soname(library: Path) -> str:
    dump = subprocess.run(
        ["objdump", "-p", str(library)], capture_output=True, text=True, check=True
    )
    for line in dump.stdout.splitlines():
        if line.split()[:1] == ["SONAME"]:
            return line.split()[1]
    return library.name


def write_library(symbol: str, archive: bytes, target: Path, library_soname: str) -> None:
    """Assemble *archive* into a shared library exporting it as *symbol*."""
    with tempfile.TemporaryDirectory(prefix="icu-data-") as scratch:
        work = Path(scratch)
        (work / "data.dat").write_bytes(archive)
        # The note section marks the stack non-executable: without it ld would ask for an
        # executable stack, which recent glibc refuses to load.
        (work / "data.s").write_text(
            "\n".join(
                (
                    '\t.section .note.GNU-stack,"",%progbits',
                    "\t.section .rodata",
                    f"\t.globl {symbol}",
                    f"\t.type {symbol}, %object",
                    f"\t.balign {ALIGNMENT}",
                    f"{symbol}:",
                    '\t.incbin "data.dat"',
                    f"\t.size {symbol}, . - {symbol}",
                    "",
                )
            ),
            encoding="ascii",
        )
        subprocess.run(["as", "-o", "data.o", "data.s"], cwd=work, check=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["ld", "-shared", "-z", "noexecstack", "-soname", library_soname,
             "-o", str(target.resolve()), "data.o"],
            cwd=work,
            check=True,
        )  # fmt: skip


@dataclass(frozen=True)
class Result:
    items_before: int
    items_after: int
    bytes_before: int
    bytes_after: int

    def summary(self) -> str:
        return (
            f"ICU data {self.bytes_before / 2**20:.1f} MiB → {self.bytes_after / 2**20:.1f} MiB "
            f"({self.items_after} of {self.items_before} items kept)"
        )


def trim_library(source: Path, target: Path) -> Result:
    """Write to *target* the ICU data library *source* with only the items :func:`keep` keeps."""
    symbol, blob = _exported_data(source.read_bytes())
    archive = parse(blob)
    kept = CommonData(archive.header, tuple(item for item in archive.items if keep(item)))
    smaller = build(kept)
    write_library(symbol, smaller, target, soname(source))
    return Result(len(archive.items), len(kept.items), len(blob), len(smaller))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    print(trim_library(Path(sys.argv[1]), Path(sys.argv[2])).summary())
