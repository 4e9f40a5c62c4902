"""Where data and resources live: overrides, the source checkout, a frozen bundle, portable."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app import paths


@pytest.fixture(autouse=True)
def no_override():  # type: ignore[no-untyped-def]
    paths.set_data_dir(None)
    yield
    paths.set_data_dir(None)


def test_option_beats_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "env"))
    assert paths.data_dir() == tmp_path / "env"
    paths.set_data_dir(tmp_path / "option")
    assert paths.data_dir() == tmp_path / "option"
    assert paths.default_database() == tmp_path / "option" / "danhgia.sqlite"
    assert paths.backups_dir() == tmp_path / "option" / "backups"
    assert (tmp_path / "option" / "backups").is_dir()


def test_user_data_folder_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert paths.data_dir() == tmp_path / "xdg" / "DanhGia"


def test_resources_from_the_checkout() -> None:
    assert (paths.fonts_dir() / "LiberationSerif-Regular.ttf").exists()
    assert (paths.migrations_dir() / "env.py").exists()


def test_a_frozen_bundle_reads_resources_from_the_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "_internal"), raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "DanhGia.exe"))
    assert paths.resources_dir() == tmp_path / "_internal" / "resources"
    assert paths.migrations_dir() == tmp_path / "_internal" / "db"


def test_portable_copy_keeps_its_data_beside_the_executable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "DanhGia.exe"))
    assert not paths.is_portable()
    (tmp_path / "portable.txt").write_text("portable", encoding="utf-8")
    assert paths.is_portable()
    assert paths.data_dir() == tmp_path / "DuLieu"
    assert paths.default_database().parent == tmp_path / "DuLieu"
