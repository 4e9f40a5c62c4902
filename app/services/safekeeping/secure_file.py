"""Password-encrypted files for what leaves the machine: exchange packages, reports to the
province and backups.

Layout (integers big-endian)::

    magic      13 bytes  b"DanhGia-MaHoa"
    version     1 byte   1
    kind        1 byte   1 = exchange package, 2 = database backup, 3 = report to the province
    kdf         1 byte   1 = Argon2id
    memory      4 bytes  KiB                      (65 536: 64 MiB)
    time        1 byte   passes                   (3)
    lanes       1 byte   parallelism              (4)
    salt       16 bytes  random
    nonce      7 bytes   random prefix of every chunk's nonce
    chunk      4 bytes   plaintext bytes per chunk (262 144)
    then the chunks: AES-256-GCM ciphertext + 16-byte tag each

The key is Argon2id(password in NFC, salt) with the parameters above (RFC 9106's second
recommended setting; about 0.15 s on an office PC, and each guess costs an attacker as much).
NFC because Vietnamese keyboards may type "ế" composed or decomposed: the same password must
open the file whichever way it was typed.

Why chunks: a backup can be tens of megabytes; each chunk is sealed on its own (the STREAM
construction of Hoang, Reyhanitabar, Rogaway and Vizár), so neither side ever holds the whole
file in memory, and what is decrypted is written only once its chunk is authenticated. A
chunk's nonce is the random prefix, the chunk's number (4 bytes) and a flag byte that is 1 on
the last chunk only: chunks cannot be reordered, dropped or repeated, and a file cut short
fails (its new last chunk was sealed as "not last"). The whole header is the associated data of
every chunk, so changing a parameter, the kind or a single bit anywhere fails too.

AEAD cannot tell a wrong password from an altered file: both fail the same tag check, and the
message says so plainly rather than guessing.
"""

from __future__ import annotations

import io
import os
import struct
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import BinaryIO

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app import paths
from app.domain.passwords import weakness
from app.services.common.errors import ServiceError

MAGIC = b"DanhGia-MaHoa"
VERSION = 1
KDF_ARGON2ID = 1
MEMORY_KIB, TIME_COST, LANES = 64 * 1024, 3, 4
CHUNK = 256 * 1024
TAG = 16
# A header is read before anything is verified, and the key derivation runs before the first
# tag can be checked: a crafted header asking Argon2 for a gigabyte and ten passes would cost
# that much just to be refused. So nothing above what this app itself writes is accepted (a
# future app that writes more will raise these with a new file version).
_MAX_MEMORY_KIB, _MAX_TIME, _MAX_LANES = MEMORY_KIB, TIME_COST, LANES
_MIN_CHUNK, _MAX_CHUNK = 1024, 16 * 1024 * 1024
_HEADER = struct.Struct(">13sBBBIBB16s7sI")
HEADER_SIZE = _HEADER.size


class Kind(IntEnum):
    PACKAGE = 1
    BACKUP = 2
    REPORT = 3

    @property
    def label(self) -> str:
        return {
            Kind.PACKAGE: "gói dữ liệu",
            Kind.BACKUP: "bản sao lưu",
            Kind.REPORT: "báo cáo lên tỉnh",
        }[self]


class SecureFileError(ServiceError):
    """An encrypted file that cannot be opened; the message says why, in Vietnamese."""


class WrongPassword(SecureFileError):
    """The password is wrong or the file was changed: encryption cannot tell which."""

    def __init__(self, name: str = "") -> None:
        where = f" “{name}”" if name else ""
        super().__init__(
            f"Không mở được tệp{where}: mật khẩu không đúng, hoặc tệp đã bị thay đổi hay hỏng "
            "sau khi ghi (chương trình không phân biệt được hai trường hợp này)."
        )


class WeakPassword(SecureFileError):
    pass


@dataclass(frozen=True)
class Header:
    kind: Kind
    memory_kib: int
    time_cost: int
    lanes: int
    salt: bytes
    nonce_prefix: bytes
    chunk: int
    raw: bytes


def _file(name: str) -> str:
    return f"Tệp “{name}”" if name else "Tệp"


def normalize(password: str) -> bytes:
    return unicodedata.normalize("NFC", password).encode("utf-8")


def check_new_password(password: str) -> None:
    """A password chosen for a file or the database: long enough to resist guessing."""
    problem = weakness(password)
    if problem:
        raise WeakPassword(problem)


def is_encrypted(path: Path) -> bool:
    try:
        with Path(path).open("rb") as file:
            return file.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def is_encrypted_bytes(data: bytes) -> bool:
    return data.startswith(MAGIC)


def read_header(source: BinaryIO, name: str = "") -> Header:
    raw = source.read(HEADER_SIZE)
    if not raw.startswith(MAGIC):
        raise SecureFileError(f"{_file(name)} không phải tệp được mã hóa bằng DanhGia.")
    if len(raw) < HEADER_SIZE:
        raise SecureFileError(f"{_file(name)} bị cắt cụt: thiếu phần đầu.")
    _magic, version, kind, kdf, memory, time, lanes, salt, prefix, chunk = _HEADER.unpack(raw)
    if version != VERSION or kdf != KDF_ARGON2ID:
        raise SecureFileError(
            f"{_file(name)} được mã hóa theo cách mà phiên bản này chưa biết; hãy cài bản mới."
        )
    if kind not in Kind._value2member_map_:
        raise SecureFileError(
            f"{_file(name)} không phải gói dữ liệu, báo cáo hay bản sao lưu DanhGia."
        )
    if not (
        8 * lanes <= memory <= _MAX_MEMORY_KIB
        and 1 <= time <= _MAX_TIME
        and 1 <= lanes <= _MAX_LANES
        and _MIN_CHUNK <= chunk <= _MAX_CHUNK
    ):
        raise SecureFileError(f"{_file(name)} có phần đầu không hợp lệ (tệp đã bị thay đổi).")
    return Header(Kind(kind), memory, time, lanes, salt, prefix, chunk, raw)


def _key(password: str, header: Header) -> AESGCM:
    key = hash_secret_raw(
        normalize(password),
        header.salt,
        time_cost=header.time_cost,
        memory_cost=header.memory_kib,
        parallelism=header.lanes,
        hash_len=32,
        type=Type.ID,
    )
    return AESGCM(key)


def _nonce(header: Header, index: int, last: bool) -> bytes:
    return header.nonce_prefix + struct.pack(">IB", index, 1 if last else 0)


def _chunks(source: BinaryIO, size: int) -> Iterator[tuple[bytes, bool]]:
    """(chunk, is_last) with one chunk read ahead; an empty stream is one empty last chunk."""
    current = source.read(size)
    while True:
        following = source.read(size)
        if not following:
            yield current, True
            return
        yield current, False
        current = following


def encrypt_stream(source: BinaryIO, target: BinaryIO, password: str, kind: Kind) -> None:
    check_new_password(password)
    salt, prefix = os.urandom(16), os.urandom(7)
    raw = _HEADER.pack(
        MAGIC, VERSION, kind, KDF_ARGON2ID, MEMORY_KIB, TIME_COST, LANES, salt, prefix, CHUNK
    )
    header = Header(kind, MEMORY_KIB, TIME_COST, LANES, salt, prefix, CHUNK, raw)
    aead = _key(password, header)
    target.write(raw)
    for index, (chunk, last) in enumerate(_chunks(source, CHUNK)):
        target.write(aead.encrypt(_nonce(header, index, last), chunk, raw))


def decrypt_stream(
    source: BinaryIO, target: BinaryIO, password: str, kind: Kind, name: str = ""
) -> None:
    """Decrypt into *target*, chunk by chunk; each chunk is written only once authenticated,
    but a caller must still discard *target* when this raises (earlier chunks were good)."""
    header = read_header(source, name)
    if header.kind is not kind:
        raise SecureFileError(
            f"{_file(name)} là {header.kind.label} được mã hóa, không phải {kind.label}."
        )
    aead = _key(password, header)
    for index, (chunk, last) in enumerate(_chunks(source, header.chunk + TAG)):
        try:
            target.write(aead.decrypt(_nonce(header, index, last), chunk, header.raw))
        except InvalidTag:
            raise WrongPassword(name) from None


def encrypt_bytes(data: bytes, password: str, kind: Kind) -> bytes:
    out = io.BytesIO()
    encrypt_stream(io.BytesIO(data), out, password, kind)
    return out.getvalue()


def decrypt_bytes(data: bytes, password: str, kind: Kind, name: str = "") -> bytes:
    out = io.BytesIO()
    decrypt_stream(io.BytesIO(data), out, password, kind, name)
    return out.getvalue()


def encrypt_file(source: Path, target: Path, password: str, kind: Kind) -> Path:
    """Encrypt *source* into *target*, through a temporary name (never half a file)."""
    check_new_password(password)
    return _through_partial(
        Path(target), lambda out: _with_input(source, out, password, kind, encrypt=True)
    )


def decrypt_file(source: Path, target: Path, password: str, kind: Kind) -> Path:
    """Decrypt *source* into *target*; *target* exists only if every chunk verified."""
    return _through_partial(
        Path(target), lambda out: _with_input(source, out, password, kind, encrypt=False)
    )


def _with_input(source: Path, out: BinaryIO, password: str, kind: Kind, *, encrypt: bool) -> None:
    source = Path(source)
    try:
        file = source.open("rb")
    except FileNotFoundError:
        raise SecureFileError(f"Không tìm thấy tệp “{source}”.") from None
    with file:
        if encrypt:
            encrypt_stream(file, out, password, kind)
        else:
            decrypt_stream(file, out, password, kind, source.name)


def _through_partial(target: Path, write: Callable[[BinaryIO], None]) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        # 0600 before the first byte (POSIX): an encrypted file tells others nothing, but a
        # decrypted backup is the whole database in clear.
        paths.create_private_file(partial)
        with partial.open("wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target
