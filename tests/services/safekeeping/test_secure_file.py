"""The encrypted file format: what it refuses (a wrong password, any changed, cut, moved or added
byte) and what it accepts (the same password typed composed or decomposed)."""

from __future__ import annotations

import io
import os
import unicodedata
from pathlib import Path

import pytest

from app.services.safekeeping import secure_file
from app.services.safekeeping.secure_file import Kind, SecureFileError, WrongPassword

PASSWORD = "Chi bộ bản Mường Tè 2026"


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> int:
    """Cheap key derivation and the smallest chunk, so a test can try many altered files and
    cross many chunk boundaries; the parameters are read back from each file's header."""
    monkeypatch.setattr(secure_file, "MEMORY_KIB", 256)
    monkeypatch.setattr(secure_file, "TIME_COST", 1)
    monkeypatch.setattr(secure_file, "LANES", 1)
    monkeypatch.setattr(secure_file, "CHUNK", 1024)
    return 1024


def test_the_real_parameters_are_written_in_the_header_and_the_file_opens() -> None:
    data = os.urandom(3000)
    sealed = secure_file.encrypt_bytes(data, PASSWORD, Kind.BACKUP)
    header = secure_file.read_header(io.BytesIO(sealed))
    assert (header.memory_kib, header.time_cost, header.lanes) == (64 * 1024, 3, 4)
    assert header.kind is Kind.BACKUP and header.chunk == 256 * 1024
    assert secure_file.decrypt_bytes(sealed, PASSWORD, Kind.BACKUP) == data


@pytest.mark.parametrize("size", [0, 1, 1023, 1024, 1025, 2048, 5000])
def test_any_length_comes_back_whole(small: int, size: int) -> None:
    data = os.urandom(size)
    sealed = secure_file.encrypt_bytes(data, PASSWORD, Kind.PACKAGE)
    chunks = max(1, -(-size // small))  # a tag per chunk; an empty file is one empty chunk
    assert len(sealed) == secure_file.HEADER_SIZE + size + 16 * chunks
    assert secure_file.decrypt_bytes(sealed, PASSWORD, Kind.PACKAGE) == data


def test_the_same_password_typed_decomposed_opens_the_file(small: int) -> None:
    sealed = secure_file.encrypt_bytes(b"du lieu", unicodedata.normalize("NFC", PASSWORD),
                                       Kind.PACKAGE)  # fmt: skip
    nfd = unicodedata.normalize("NFD", PASSWORD)
    assert nfd != PASSWORD
    assert secure_file.decrypt_bytes(sealed, nfd, Kind.PACKAGE) == b"du lieu"


def test_a_wrong_password_fails_clearly(small: int) -> None:
    sealed = secure_file.encrypt_bytes(b"noi dung", PASSWORD, Kind.PACKAGE)
    with pytest.raises(WrongPassword) as caught:
        secure_file.decrypt_bytes(sealed, PASSWORD + "x", Kind.PACKAGE, "goi.dgx")
    message = str(caught.value)
    assert "“goi.dgx”" in message
    assert "mật khẩu không đúng, hoặc tệp đã bị thay đổi" in message
    assert "không phân biệt được" in message  # honest: AEAD cannot tell the two apart
    with pytest.raises(WrongPassword):
        secure_file.decrypt_bytes(sealed, PASSWORD.lower(), Kind.PACKAGE)


def test_two_encryptions_of_the_same_data_share_nothing(small: int) -> None:
    one = secure_file.encrypt_bytes(b"a" * 3000, PASSWORD, Kind.PACKAGE)
    two = secure_file.encrypt_bytes(b"a" * 3000, PASSWORD, Kind.PACKAGE)
    body = secure_file.HEADER_SIZE
    assert one[:13] == two[:13] and one[body:] != two[body:]
    assert b"a" * 16 not in one


def _changed(sealed: bytes, small: int) -> dict[str, bytes]:
    h, step = secure_file.HEADER_SIZE, small + 16
    first, second = sealed[h : h + step], sealed[h + step : h + 2 * step]
    flipped = {
        f"bit {position}": sealed[:position]
        + bytes([sealed[position] ^ 1])
        + sealed[position + 1 :]
        for position in [*range(13, h), h, h + 5, h + step - 1, h + step, len(sealed) - 1]
    }
    return {
        **flipped,
        "cut after a whole chunk": sealed[: h + step],
        "cut after two chunks": sealed[: h + 2 * step],
        "last byte cut": sealed[:-1],
        "header only": sealed[:h],
        "header cut": sealed[: h - 3],
        "chunks swapped": sealed[:h] + second + first + sealed[h + 2 * step :],
        "chunk repeated": sealed[: h + step] + first + sealed[h + step :],
        "a byte added": sealed + b"\0",
        "a chunk added": sealed + first,
    }


def test_any_change_to_the_file_is_refused_and_leaves_nothing(small: int, tmp_path: Path) -> None:
    data = os.urandom(3 * small + 100)
    source = tmp_path / "du-lieu.bin"
    source.write_bytes(data)
    sealed_path = secure_file.encrypt_file(source, tmp_path / "du-lieu.dgb", PASSWORD, Kind.BACKUP)
    sealed = sealed_path.read_bytes()
    target = tmp_path / "ra.bin"
    assert secure_file.decrypt_file(sealed_path, target, PASSWORD, Kind.BACKUP).read_bytes() == data
    target.unlink()
    for what, changed in _changed(sealed, small).items():
        altered = tmp_path / "sua.dgb"
        altered.write_bytes(changed)
        try:
            secure_file.decrypt_file(altered, target, PASSWORD, Kind.BACKUP)
        except SecureFileError:
            pass
        else:
            pytest.fail(f"accepted: {what}")
        assert not target.exists(), what
        assert not list(tmp_path.glob(".*partial")), what


def test_a_package_is_not_taken_for_a_backup(small: int) -> None:
    sealed = secure_file.encrypt_bytes(b"goi", PASSWORD, Kind.PACKAGE)
    with pytest.raises(SecureFileError, match="là gói dữ liệu được mã hóa, không phải bản sao lưu"):
        secure_file.decrypt_bytes(sealed, PASSWORD, Kind.BACKUP, "x.dgb")


def test_a_crafted_header_asking_for_huge_memory_is_refused_before_deriving() -> None:
    sealed = bytearray(secure_file.encrypt_bytes(b"x", PASSWORD, Kind.PACKAGE))
    sealed[16:20] = (8 * 1024 * 1024).to_bytes(4, "big")  # 8 GiB
    with pytest.raises(SecureFileError, match="phần đầu không hợp lệ"):
        secure_file.decrypt_bytes(bytes(sealed), PASSWORD, Kind.PACKAGE)


def test_is_encrypted_reads_the_magic(small: int, tmp_path: Path) -> None:
    plain = tmp_path / "a.sqlite"
    plain.write_bytes(b"SQLite format 3\0" + b"\0" * 100)
    sealed = secure_file.encrypt_file(plain, tmp_path / "a.dgb", PASSWORD, Kind.BACKUP)
    assert secure_file.is_encrypted(sealed)
    assert not secure_file.is_encrypted(plain)
    assert not secure_file.is_encrypted(tmp_path / "khong-co.dgb")
    with pytest.raises(SecureFileError, match="không phải tệp được mã hóa"):
        secure_file.decrypt_file(plain, tmp_path / "b", PASSWORD, Kind.BACKUP)


def test_a_short_password_is_refused(tmp_path: Path) -> None:
    with pytest.raises(secure_file.WeakPassword, match="ít nhất 8 ký tự"):
        secure_file.encrypt_bytes(b"x", "1234567", Kind.PACKAGE)
    source = tmp_path / "a"
    source.write_bytes(b"x")
    with pytest.raises(secure_file.WeakPassword):
        secure_file.encrypt_file(source, tmp_path / "b", "ngắn", Kind.BACKUP)
    assert not (tmp_path / "b").exists()
