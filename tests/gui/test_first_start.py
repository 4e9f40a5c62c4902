"""The first start: no database yet, the user picks the demo commune or an empty one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog

from app.services.roster.members import list_members
from app.services.roster.organizations import list_organizations
from app.ui.roster.org_dialog import CommuneDialog
from app.ui.shell.application import first_start
from app.ui.shell.first_start import FirstStartDialog

from .keyboard import type_text


def test_choosing_the_demo_creates_the_demo_commune(tmp_path: Path) -> None:
    path = tmp_path / "danhgia.sqlite"
    shown: list[str] = []

    def answer(dialog: QDialog) -> bool:
        shown.append(dialog.windowTitle())
        assert isinstance(dialog, FirstStartDialog)
        assert str(path) in " ".join(
            w.text() for w in dialog.findChildren(type(dialog.children()[1])) if hasattr(w, "text")
        )
        dialog.demo_button.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    db = first_start(path, answer)
    assert db is not None
    try:
        assert shown == ["Chào mừng đến với DanhGia"]
        assert list_organizations(db).nodes[0].name == "Đảng bộ xã Na Tông"
        assert len(list_members(db)) > 500
    finally:
        db.close()


def test_choosing_empty_asks_for_the_commune(tmp_path: Path) -> None:
    path = tmp_path / "danhgia.sqlite"
    refused: list[str] = []

    def answer(dialog: QDialog) -> bool:
        if isinstance(dialog, FirstStartDialog):
            dialog.empty_button.click()
        else:
            assert isinstance(dialog, CommuneDialog)
            dialog._check()  # nothing typed yet: refused, says what is missing
            refused.append(dialog.errors.text())
            type_text(dialog.name, "Đảng bộ xã Mường Phăng")
            type_text(dialog.superior, "Đảng bộ tỉnh Điện Biên")
            type_text(dialog.place, "Mường Phăng")
            dialog._check()
        return dialog.result() == QDialog.DialogCode.Accepted

    db = first_start(path, answer)
    assert db is not None
    try:
        assert refused == ["Chưa nhập tên đảng bộ và địa danh."]
        [root] = list_organizations(db).nodes
        assert (root.name, root.superior_line, root.place_name) == (
            "Đảng bộ xã Mường Phăng", "Đảng bộ tỉnh Điện Biên", "Mường Phăng"
        )  # fmt: skip
    finally:
        db.close()


def test_quitting_the_first_start_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "danhgia.sqlite"
    assert first_start(path, lambda dialog: False) is None
    assert not path.exists()
