"""The exchange package in the window: a cell exports its period from its own copy (with a
password), the commune opens it, sees the changes and the conflict, and imports it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.domain.procedure import CellStep
from app.services.periods import lifecycle as periods
from app.services.procedure import board as procedure_board
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.services.safekeeping.secure_file import is_encrypted
from app.settings import Settings
from app.store.database import Database
from app.ui.common import ask
from app.ui.common.tasks import SyncRunner
from app.ui.files.exchange import ImportPreview
from app.ui.files.password_dialogs import AskPasswordDialog, NewPasswordDialog
from app.ui.shell.main_window import MainWindow

from .conftest import TODAY

PASSWORD = "Chi bộ bản Na Sang"
SHOTS = os.environ.get("DANHGIA_SHOTS")  # a folder: screenshots to look at, when set


def _window(qtbot: QtBot, db: Database, settings: Settings) -> MainWindow:
    window = MainWindow(db, settings, SyncRunner(), today=lambda: TODAY)
    qtbot.addWidget(window)
    window.resize(1280, 760)
    return window


def _shot(widget: QDialog, name: str) -> None:
    """Offscreen screenshots for a person to look at (not compared)."""
    if SHOTS:
        widget.resize(widget.sizeHint().expandedTo(widget.size()))
        widget.grab().save(os.path.join(SHOTS, name))


@pytest.fixture
def copies(full_demo_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    """(commune, the cell's copy of it)."""
    copy = tmp_path / "ban-sao-chi-bo.sqlite"
    shutil.copy(full_demo_path, copy)
    return full_demo_path, copy


def _answer(window: MainWindow, *answers: Callable[[QDialog], bool]) -> list[QDialog]:
    """Answer the window's next dialogs in order; the dialogs are kept for the test to read."""
    shown: list[QDialog] = []
    pending = list(answers)

    def run(dialog: QDialog) -> bool:
        shown.append(dialog)
        assert pending, f"unexpected dialog {type(dialog).__name__}"
        return pending.pop(0)(dialog)

    window.run_dialog = run  # type: ignore[method-assign]
    return shown


def _new_password(text: str, again: str | None = None) -> Callable[[QDialog], bool]:
    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, NewPasswordDialog)
        dialog.first.setText(text)
        dialog.second.setText(text if again is None else again)
        if not dialog.accept_button.isEnabled():
            return False
        dialog.accept_button.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    return fill


def _password(text: str) -> Callable[[QDialog], bool]:
    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, AskPasswordDialog)
        dialog.field.setText(text)
        return True

    return fill


def test_export_with_a_password_then_preview_and_import_at_the_commune(
    qtbot: QtBot, copies: tuple[Path, Path], settings: Settings, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, said: list[str],
) -> None:  # fmt: skip
    commune_path, copy_path = copies
    package = tmp_path / "usb" / "goi-chi-bo"
    with Database.open(copy_path) as copy:
        year = periods.list_periods(copy)[-1].year
        assert year == TODAY.year
        cell = next(
            r.cell_id for r in procedure_board.board(copy, year) if r.step is CellStep.VOTING
        )
        a, b = [m for m in procedure_view.cell_view(copy, year, cell).members if m.evaluated][:2]
        # Both sides write a comment on member a after the copy was made: a conflict.
        procedure_steps.save_comments(copy, year, a.member_id, "Bản của chi bộ", "")
        procedure_steps.save_comments(copy, year, b.member_id, "Chi bộ bổ sung", "")
        assert procedure_steps.advance(copy, year, cell, "Bí thư") is CellStep.SUBMITTED

        # ---- the cell exports from its window ----
        window = _window(qtbot, copy, settings)
        monkeypatch.setattr(ask, "save_file", lambda *_a: package)
        window.export_package()  # nothing selected: the user is told to pick a cell
        assert said[-1].startswith("Chưa chọn chi bộ")
        window.tree.select_node(cell)
        shown = _answer(window, _new_password(PASSWORD, PASSWORD + "x"))
        window.export_package()  # the two fields differ: cannot go on, nothing written
        assert not shown[0].accept_button.isEnabled()  # type: ignore[attr-defined]
        assert "chưa khớp" in shown[0].problem.text()  # type: ignore[attr-defined]
        assert not package.with_suffix(".dgx").exists()
        shown = _answer(window, _new_password(PASSWORD))
        window.export_package()
        _shot(shown[0], "dat-mat-khau-goi.png")
        written = package.with_name("goi-chi-bo.dgx")
        assert written.exists() and is_encrypted(written)
        assert said[-1].startswith("Đã xuất gói dữ liệu: Đã xuất gói dữ liệu năm")
        assert "đặt mật khẩu" in said[-1]
        window.close()

    with Database.open(commune_path) as commune:
        procedure_steps.save_comments(commune, year, a.member_id, "Bản của đảng ủy", "")
        window = _window(qtbot, commune, settings)
        submitted_before = window.counts_label.text()
        monkeypatch.setattr(ask, "open_file", lambda *_a: written)

        # ---- a wrong password, then cancelling: nothing happens ----
        shown = _answer(window, _password("không phải mật khẩu"), lambda _d: False)
        window.import_package()
        assert len(shown) == 2 and isinstance(shown[1], AskPasswordDialog)
        assert "mật khẩu không đúng, hoặc tệp đã bị thay đổi" in shown[1].error.text()
        assert not shown[1].error.isHidden()

        # ---- the right password: the preview, declined ----
        def look(dialog: QDialog) -> bool:
            assert isinstance(dialog, ImportPreview)
            return False

        shown = _answer(window, _password(PASSWORD), look)
        window.import_package()
        preview = shown[1]
        assert isinstance(preview, ImportPreview)
        _shot(preview, "xem-truoc-goi.png")
        assert preview.import_button.isEnabled() and preview.reject_button.text() == "Không nhập"
        assert "1 xung đột" in preview.summary.text()
        page = preview.text.toHtml()
        assert "Bản của chi bộ" in page and "Chi bộ bổ sung" in page
        assert "#b71c1c" in page  # the conflict in red
        assert "Cần lưu ý" in preview.text.toPlainText()
        assert "Xung đột" in preview.text.toPlainText()
        view = procedure_view.cell_view(commune, year, cell)
        assert view.step is CellStep.VOTING  # declined: nothing written
        assert view.member(a.member_id).comments == "Bản của đảng ủy"

        # ---- accepted: imported, and the window shows it ----
        shown = _answer(window, _password(PASSWORD), lambda _d: True)
        window.import_package()
        assert said[-1].startswith("Đã nhập gói dữ liệu: Đã nhập gói của")
        view = procedure_view.cell_view(commune, year, cell)
        assert view.step is CellStep.SUBMITTED
        assert view.member(a.member_id).comments == "Bản của chi bộ"
        assert window.counts_label.text() != submitted_before  # reloaded: one more submitted
        window.close()


def test_a_blocked_package_cannot_be_imported(
    qtbot: QtBot, full_demo_db: Database, demo_db: Database, settings: Settings,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, said: list[str],
) -> None:  # fmt: skip
    year = periods.list_periods(full_demo_db)[-1].year
    cell = next(
        r.cell_id for r in procedure_board.board(full_demo_db, year) if r.step is CellStep.VOTING
    )
    source = _window(qtbot, full_demo_db, settings)
    source.tree.select_node(cell)
    plain = tmp_path / "goi.dgx"
    monkeypatch.setattr(ask, "save_file", lambda *_a: plain)
    shown = _answer(source, lambda dialog: dialog.skip_button.click() or True)  # type: ignore[attr-defined]
    source.export_package()
    assert isinstance(shown[0], NewPasswordDialog) and shown[0].skipped
    assert plain.exists() and not is_encrypted(plain)

    # The demo without periods has no year for it: the preview says why, "Nhập" is disabled.
    target = _window(qtbot, demo_db, settings)
    monkeypatch.setattr(ask, "open_file", lambda *_a: plain)
    shown = _answer(target, lambda _d: False)
    target.import_package()
    [preview] = shown
    assert isinstance(preview, ImportPreview)
    _shot(preview, "goi-bi-chan.png")
    assert not preview.import_button.isEnabled()
    assert "Không nhập được" in preview.summary.text()
    assert "KHÔNG NHẬP ĐƯỢC" in preview.text.toPlainText()
    assert f"chưa có kỳ đánh giá năm {year}" in preview.text.toPlainText()
