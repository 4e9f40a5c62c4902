"""Damage done to the bytes of a saved workbook or package for the fuzz tests: truncation,
flipped or overwritten bytes, zip parts replaced, zip bombs, zip headers that lie."""

from __future__ import annotations

import io
import zipfile

from hypothesis import strategies as st


def damaged_bytes(data: bytes, draw: st.DataObject) -> tuple[bytes, str]:
    """*data* truncated, with bytes flipped or overwritten, or replaced altogether."""
    how = draw.draw(
        st.sampled_from(["truncate", "flip", "overwrite", "random", "prefix", "empty"]),
        label="damage",
    )
    if how == "truncate":
        end = draw.draw(st.integers(0, len(data) - 1), label="end")
        return data[:end], f"truncated at {end}"
    if how == "flip":
        out = bytearray(data)
        places = draw.draw(
            st.lists(st.integers(0, len(data) - 1), min_size=1, max_size=8, unique=True)
        )
        for place in places:
            out[place] ^= draw.draw(st.integers(1, 255), label="mask")
        return bytes(out), f"flipped at {places}"
    if how == "overwrite":
        start = draw.draw(st.integers(0, len(data) - 1), label="start")
        junk = draw.draw(st.binary(min_size=1, max_size=200), label="junk")
        return data[:start] + junk + data[start + len(junk) :], f"overwritten at {start}"
    if how == "random":
        return draw.draw(st.binary(max_size=4000), label="random"), "random bytes"
    if how == "prefix":
        junk = draw.draw(st.binary(min_size=1, max_size=64), label="prefix")
        return junk + data, "junk before the zip"
    return b"", "empty"


def rezip(data: bytes, replace: dict[str, bytes | None]) -> bytes:
    """The same zip with members replaced (None: removed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = replace.get(info.filename, source.read(info.filename))
            if content is not None:
                target.writestr(info.filename, content, zipfile.ZIP_DEFLATED)
        for name, content in replace.items():
            if name not in source.namelist() and content is not None:
                target.writestr(name, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def sheet_paths(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))


def bomb(base: bytes, sheet: str, megabytes: int) -> bytes:
    """*base* with *sheet* replaced by well-formed XML of *megabytes* MB of rows: a few hundred
    KB once packed. Streamed through zipfile a megabyte at a time, so memory stays small."""
    chunk = (b"<row>" + b"<c><v>0</v></c>" * 60 + b"</row>").ljust(1024, b" ")
    megabyte = chunk * 1024
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != sheet:
                target.writestr(info.filename, source.read(info.filename), zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo(sheet, date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with target.open(info, "w") as member:
            member.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>"
            )
            for _ in range(megabytes):
                member.write(megabyte)
            member.write(b"</sheetData></worksheet>")
    return out.getvalue()


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """The zip *data* with *name*'s uncompressed size in its headers set to *size*: a file
    whose headers lie about what it inflates to."""
    out = bytearray(data)
    encoded = name.encode()
    at = out.find(b"PK\x01\x02")
    while at != -1:
        name_length = int.from_bytes(out[at + 28 : at + 30], "little")
        if out[at + 46 : at + 46 + name_length] == encoded:
            out[at + 24 : at + 28] = size.to_bytes(4, "little")
            local = int.from_bytes(out[at + 42 : at + 46], "little")
            out[local + 22 : local + 26] = size.to_bytes(4, "little")
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)
