"""A crafted encrypted file costs nothing to refuse: the header's Argon2 parameters are checked
against what the app itself writes before any key is derived. A 300-byte file asking for a
gigabyte of memory and ten passes used to cost 1,1 GB and seconds before it was refused."""

from __future__ import annotations

import io
import struct
import tracemalloc
from pathlib import Path

import pytest

from app.services.safekeeping import secure_file
from app.services.safekeeping.secure_file import SecureFileError

PASSWORD = "mật khẩu đủ dài của văn phòng 2026"


def _crafted(memory_kib: int, passes: int, lanes: int) -> bytes:
    """A file written by the app, with its header's cost parameters raised."""
    plain = io.BytesIO(b"x" * 100)
    out = io.BytesIO()
    secure_file.encrypt_stream(plain, out, PASSWORD, secure_file.Kind.PACKAGE)
    data = bytearray(out.getvalue())
    # magic 13, version 1, kind 1, kdf 1, then memory (4), time (1), lanes (1)
    struct.pack_into(">IBB", data, 16, memory_kib, passes, lanes)
    return bytes(data)


@pytest.mark.parametrize(
    ("memory_kib", "passes", "lanes"),
    [
        (1024 * 1024, 10, 4),  # a gigabyte, ten passes
        (64 * 1024 + 1, 3, 4),  # a kibibyte more than the app writes
        (64 * 1024, 4, 4),  # one pass more
        (64 * 1024, 3, 5),  # one lane more
    ],
)
def test_costs_above_what_the_app_writes_are_refused_before_any_work(
    tmp_path: Path, memory_kib: int, passes: int, lanes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "goi.dgx"
    path.write_bytes(_crafted(memory_kib, passes, lanes))
    derived: list[int] = []
    real = secure_file.hash_secret_raw

    def counting(*args: object, **kwargs: object) -> bytes:
        derived.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(secure_file, "hash_secret_raw", counting)
    tracemalloc.start()
    with pytest.raises(SecureFileError, match="không hợp lệ"):
        secure_file.decrypt_file(path, tmp_path / "ra.bin", PASSWORD, secure_file.Kind.PACKAGE)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert derived == [], "a key was derived from a hostile header"
    assert peak < 8 * 1024 * 1024
    assert not (tmp_path / "ra.bin").exists()


def test_the_app_s_own_parameters_still_open(tmp_path: Path) -> None:
    path = tmp_path / "goi.dgx"
    path.write_bytes(_crafted(64 * 1024, 3, 4))
    secure_file.decrypt_file(path, tmp_path / "ra.bin", PASSWORD, secure_file.Kind.PACKAGE)
    assert (tmp_path / "ra.bin").read_bytes() == b"x" * 100
