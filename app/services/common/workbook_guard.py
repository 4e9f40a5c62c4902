"""Checks on an .xlsx file before openpyxl reads it: too large, a zip bomb, a zip that lies.

An .xlsx is a zip of XML parts, and openpyxl reads several parts whole into memory. A part
that inflates to gigabytes from a few hundred kilobytes (a "zip bomb") would exhaust the
office PC's memory before any check of ours ran; and a part whose header understates its size
gets past a check of the headers alone, since Python's zipfile inflates a whole part before
cutting it to the declared size. So every part is inflated here first, a megabyte at a time,
counting: the file is refused when it is too large, when its parts (as declared, then as really
inflated) exceed a cap, when a part is packed at a ratio no real workbook has (their XML packs
15 to 20 times), or when a part inflates to anything but what its header says.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from app.domain.formatting import format_int

MAX_FILE_BYTES = 50 * 1024 * 1024  # a whole province's results are a few MB packed
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_FROM = 1024 * 1024  # small parts (styles, themes) may pack as well as they like
MAX_PARTS = 10_000
_CHUNK = 1024 * 1024
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, …, name length, extra field length
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls, or an .xlsx with a password

NOT_XLSX = "không đọc được: đây không phải tệp Excel .xlsx hợp lệ, hoặc tệp đã bị hỏng"
TOO_LARGE = (
    f"khi giải nén, tệp lớn hơn giới hạn {MAX_UNPACKED_BYTES // (1024 * 1024)} MB: tệp có thể bị "
    "hỏng hoặc được tạo ra để làm treo máy"
)
DAMAGED = "tệp Excel bị hỏng (có thể chép chưa xong): hãy mở bằng Excel, lưu lại rồi nhập lại"


class _Refused(Exception):
    """The file is refused; the message says why, in Vietnamese."""


def _megabytes(size: int) -> str:
    return f"{format_int(max(1, round(size / (1024 * 1024))))} MB"


def check_archive(path: Path) -> str | None:
    """Why the .xlsx at *path* must not be opened (Vietnamese), or None when it may be."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return (
                f"tệp nặng {_megabytes(size)}, quá giới hạn {_megabytes(MAX_FILE_BYTES)} của "
                "một tệp Excel nhập vào: hãy chia thành nhiều tệp nhỏ hơn"
            )
        with path.open("rb") as raw:
            if raw.read(len(_OLE)) == _OLE:
                return (
                    "đây là tệp Excel cũ (.xls) hoặc tệp có đặt mật khẩu: hãy mở bằng Excel, "
                    "bỏ mật khẩu nếu có, rồi lưu lại dạng .xlsx"
                )
            with zipfile.ZipFile(raw) as archive:
                parts = archive.infolist()
            _check_declared(parts)
            budget = MAX_UNPACKED_BYTES
            for part in parts:
                budget -= _inflate(raw, part, budget)
    except _Refused as refused:
        return str(refused)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, struct.error):
        return NOT_XLSX
    except (OSError, ValueError, NotImplementedError, OverflowError):
        return NOT_XLSX
    return None


def _check_declared(parts: list[zipfile.ZipInfo]) -> None:
    """What the zip's own headers say: refused before inflating a single byte."""
    if len(parts) > MAX_PARTS:
        raise _Refused(
            f"tệp gồm {format_int(len(parts))} phần, không phải một tệp Excel bình thường"
        )
    total = sum(part.file_size for part in parts)
    if total > MAX_UNPACKED_BYTES:
        raise _Refused(TOO_LARGE)
    for part in parts:
        if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * max(1, part.compress_size):
            raise _Refused(
                f"phần “{part.filename[:80]}” của tệp nén chặt bất thường "
                f"({format_int(part.file_size // max(1, part.compress_size))} lần): tệp có thể "
                "được tạo ra để làm treo máy, không mở"
            )


def _inflate(raw: BinaryIO, part: zipfile.ZipInfo, budget: int) -> int:
    """Inflate one part a megabyte at a time; its size as really inflated."""
    if part.flag_bits & 0x1:
        raise _Refused("tệp có đặt mật khẩu: hãy mở bằng Excel, bỏ mật khẩu rồi lưu lại")
    if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _Refused(NOT_XLSX)
    raw.seek(part.header_offset)
    signature, name_length, extra_length = _LOCAL_HEADER.unpack(raw.read(_LOCAL_HEADER.size))
    if signature != b"PK\x03\x04":
        raise _Refused(DAMAGED)
    raw.seek(name_length + extra_length, 1)
    limit = min(part.file_size, budget)
    inflater = zlib.decompressobj(-15) if part.compress_type == zipfile.ZIP_DEFLATED else None
    left, size, crc = part.compress_size, 0, 0
    while left > 0 or (inflater is not None and inflater.unconsumed_tail):
        packed = b""
        if inflater is None or not inflater.unconsumed_tail:
            packed = raw.read(min(_CHUNK, left))
            if not packed:
                raise _Refused(DAMAGED)  # the file ends inside the part: truncated
            left -= len(packed)
        if inflater is None:
            out = packed
        else:
            out = inflater.decompress(inflater.unconsumed_tail + packed, _CHUNK)
        size += len(out)
        if size > limit:
            raise _Refused(TOO_LARGE if size > budget else DAMAGED)
        crc = zlib.crc32(out, crc)
    if inflater is not None and not inflater.eof:
        raise _Refused(DAMAGED)
    if size != part.file_size or crc != part.CRC:
        raise _Refused(DAMAGED)
    return size
