"""Saving over a file another program holds open: Windows refuses the rename while a PDF
viewer or Excel keeps the file; the user gets a Vietnamese message and the old file stays.
(The Windows behaviour itself is checked under Wine by `make package-windows-test`.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services.common import atomic


def test_a_file_held_open_on_windows_is_refused_and_left_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "bien-ban.pdf"
    target.write_bytes(b"old")
    attempts: list[Path] = []

    def held_open(self: Path, destination: Path) -> Path:
        attempts.append(destination)
        raise PermissionError(13, "Access is denied")

    monkeypatch.setattr(atomic, "WINDOWS", True)
    monkeypatch.setattr(atomic, "REPLACE_PAUSE", 0)
    monkeypatch.setattr(Path, "replace", held_open)
    with pytest.raises(atomic.FileInUse, match="tệp đang mở trong một chương trình khác"):
        atomic.write_bytes_atomically(target, b"new")
    assert len(attempts) == atomic.REPLACE_ATTEMPTS  # a scanner's brief hold is waited out
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["bien-ban.pdf"]  # no partial file left


def test_a_brief_hold_is_waited_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "bien-ban.pdf"
    target.write_bytes(b"old")
    real_replace = Path.replace
    refusals = [PermissionError(13, "Access is denied")]

    def briefly_held(self: Path, destination: Path) -> Path:
        if refusals:
            raise refusals.pop()
        return real_replace(self, destination)

    monkeypatch.setattr(atomic, "WINDOWS", True)
    monkeypatch.setattr(atomic, "REPLACE_PAUSE", 0)
    monkeypatch.setattr(Path, "replace", briefly_held)
    atomic.write_bytes_atomically(target, b"new")
    assert target.read_bytes() == b"new"
