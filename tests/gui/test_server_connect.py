"""Tệp → Kết nối máy chủ… (issue 23): the dialog says in words what the server answered, keeps
the password out of the settings (in the keyring when asked), and the window moves to the server
database, signing in when it has users; a failure leaves the window and its file as they were.
"Mở lại tệp trên máy này" goes back."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFormLayout, QLabel
from pytestqt.qtbot import QtBot

from app.services.access import users
from app.services.database import ServerTarget
from app.services.roster import quick_read
from app.settings import Settings
from app.store.database import Database
from app.ui.common.tasks import SyncRunner
from app.ui.files import server_connect
from app.ui.files.password_dialogs import AskPasswordDialog
from app.ui.files.server_connect import (
    FieldProblem,
    ServerConnectDialog,
    keep_password,
    target_from_fields,
    try_connection,
)
from app.ui.shell import application
from app.ui.shell.first_start import FirstStartDialog
from app.ui.shell.host import WindowHost
from app.ui.shell.main_window import MainWindow
from tests.memory_keyring import MemoryKeyring, memory_keyring_fixture  # noqa: F401
from tests.postgres import Cluster

from .fit import clipping_problems
from .keyboard import press

PgUrl = Callable[[str], str]
WRONG = "Sai-mat-khau-2026"
ADMIN_PASSWORD = "Quan-tri-tinh-2026"


@pytest.fixture
def host(qtbot: QtBot, demo_path: Path, settings: Settings) -> Iterator[WindowHost]:
    """The window on the commune's file, able to open a server database the way the start does
    (application.open_database: the first start for an empty one)."""
    made = WindowHost(
        Database.open(demo_path), settings, SyncRunner, opener=application.open_database
    )
    qtbot.addWidget(made.window)
    made.window.resize(1366, 768)
    made.window.show()
    yield made
    made.db.close()


def fill(dialog: ServerConnectDialog, url: str, password: str | None) -> None:
    """The fields as a clerk types them: the address the administrator gave, the password."""
    target = ServerTarget.parse(url)
    dialog.host_field.setText(target.host)
    dialog.port_field.setText(str(target.port))
    dialog.dbname_field.setText(target.dbname)
    dialog.user_field.setText(target.user)
    dialog.password_field.setText(password or "")


def menu_action(window: MainWindow, text: str):  # type: ignore[no-untyped-def]
    found = [a for a in window._menus["file"].actions() if a.text() == text]
    assert len(found) == 1, [a.text() for a in window._menus["file"].actions()]
    return found[0]


# ---- the steps ---------------------------------------------------------------------------------


def test_the_fields_make_a_target_or_say_what_is_missing() -> None:
    target = target_from_fields(" DB.Tinh.VN ", "5433", "danhgia", "canbo", "bí mật")
    assert target.display == "postgresql://canbo@db.tinh.vn:5433/danhgia"
    assert target.password == "bí mật" and "bí mật" not in str(target)
    assert target.keyring_user == ServerTarget.parse(target.display).keyring_user
    assert target_from_fields("h", "5432", "d", "u", "").password is None  # the saved one
    for fields, said_word in (
        (("", "5432", "d", "u"), "máy chủ"),
        (("may chu", "5432", "d", "u"), "dấu cách"),
        (("h", "cổng", "d", "u"), "Cổng là một số"),
        (("h", "70000", "d", "u"), "Cổng là một số"),
        (("h", "5432", " ", "u"), "tên cơ sở dữ liệu"),
        (("h", "5432", "d", ""), "tên người dùng"),
    ):
        with pytest.raises(FieldProblem, match=said_word):
            target_from_fields(*fields, "")


def test_the_password_is_kept_in_the_keyring_and_forgotten(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DANHGIA_DB_PASSWORD", raising=False)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    target = target_from_fields("10.0.0.5", "5432", "danhgia", "canbo", "Mat-khau-1")
    assert server_connect.keyring_usable()
    assert keep_password(target, True) == ""
    assert memory_keyring.kept == {("DanhGia PostgreSQL", "canbo@10.0.0.5:5432"): "Mat-khau-1"}
    # What the store looks up when the database is opened.
    assert target.with_password(None).resolved().password == "Mat-khau-1"
    assert keep_password(target.with_password(None), True) == ""  # nothing typed: kept as is
    assert memory_keyring.kept
    assert keep_password(target, False) == "" and memory_keyring.kept == {}
    assert keep_password(target, False) == ""  # nothing kept: no error


def test_without_a_keyring_the_dialog_says_so(settings: Settings) -> None:
    # The session's keyring is the null one (tests/conftest.py): none usable.
    dialog = ServerConnectDialog(settings)
    assert not server_connect.keyring_usable()
    assert not dialog.keep_box.isEnabled() and not dialog.keep_box.isChecked()
    assert "không có kho khóa" in dialog.keyring_note.text()
    assert not dialog.keyring_note.isHidden()
    assert (dialog.host_field.text(), dialog.port_field.text()) == ("localhost", "5432")
    assert dialog.dbname_field.hasFocus() or dialog.focusWidget() is dialog.dbname_field


def test_every_field_has_a_mnemonic_and_the_last_server_is_filled_in(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring
) -> None:
    settings.set(
        server_connect.LAST_SERVER, "postgresql://canbo@10.0.0.5:5433/tinh?sslmode=require"
    )
    dialog = ServerConnectDialog(settings)
    form = dialog.findChild(QFormLayout)
    assert isinstance(form, QFormLayout)
    for field in dialog._fields():
        label = form.labelForField(field)
        assert isinstance(label, QLabel) and "&" in label.text() and label.buddy() is field
    assert "&" in dialog.keep_box.text() and "&" in dialog.try_button.text()
    assert [f.text() for f in dialog._fields()] == ["10.0.0.5", "5433", "tinh", "canbo", ""]
    assert dialog.keep_box.isEnabled() and dialog.keep_box.isChecked()
    assert dialog.keyring_note.isHidden()
    assert dialog.connect_button.isDefault()
    assert dialog.focusWidget() is dialog.password_field
    # The address's options stay for the same host.
    assert dialog.fields_target().options == (("sslmode", "require"),)
    # Alt and the underlined letter go to the field.
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    for letter, field in (
        (Qt.Key.Key_T, dialog.dbname_field),
        (Qt.Key.Key_N, dialog.user_field),
        (Qt.Key.Key_K, dialog.password_field),
        (Qt.Key.Key_M, dialog.host_field),
    ):
        press(qtbot, letter, Qt.KeyboardModifier.AltModifier)
        assert QApplication.focusWidget() is field, letter


# ---- trying ------------------------------------------------------------------------------------


def test_trying_says_what_the_server_database_holds(
    qtbot: QtBot, settings: Settings, pg_url: PgUrl, postgres: Cluster
) -> None:
    dialog = ServerConnectDialog(settings)
    qtbot.addWidget(dialog)
    for kind, words in (
        ("demo", "đã có dữ liệu"),
        ("none", "còn trống: khi kết nối, chương trình sẽ hỏi"),
    ):
        fill(dialog, pg_url(kind), postgres.password)
        dialog.try_button.click()
        assert dialog.tried is not None and dialog.tried.ok
        assert dialog.answer.text().startswith("Kết nối được.") and words in dialog.answer.text()
        assert not dialog.answer.isHidden()
    dialog.dbname_field.setText("khong_co_csdl_nay")
    dialog.try_button.click()
    assert dialog.tried is not None and not dialog.tried.ok
    assert "máy chủ không có cơ sở dữ liệu “khong_co_csdl_nay”" in dialog.answer.text()


def test_a_wrong_password_is_said_in_words_and_the_dialog_stays(
    qtbot: QtBot, settings: Settings, pg_url: PgUrl
) -> None:
    dialog = ServerConnectDialog(settings)
    qtbot.addWidget(dialog)
    url = pg_url("demo")
    fill(dialog, url, WRONG)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog.password_field, Qt.Key.Key_Return)  # Enter = "Kết nối"
    text = dialog.answer.text()
    assert text.startswith(f"Máy chủ cơ sở dữ liệu “{url}” không cho người dùng “danhgia_test”")
    assert "sai mật khẩu" in text and WRONG not in text
    assert dialog.isVisible() and dialog.target is None  # to be corrected, not closed
    # A field changed: the old answer goes.
    dialog.password_field.setText("")
    dialog.password_field.textEdited.emit("")
    assert dialog.answer.isHidden() and dialog.tried is None
    qtbot.keyClick(dialog.password_field, Qt.Key.Key_Escape)  # Escape = "Hủy"
    assert dialog.result() == QDialog.DialogCode.Rejected and dialog.target is None


def test_the_dialog_fits_a_laptop_screen_with_its_longest_answer(
    qtbot: QtBot, settings: Settings, pg_url: PgUrl
) -> None:
    dialog = ServerConnectDialog(settings)
    qtbot.addWidget(dialog)
    fill(dialog, pg_url("demo"), WRONG)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.try_button.click()
    dialog.adjustSize()
    assert not dialog.answer.isHidden()
    assert clipping_problems(dialog, "ServerConnectDialog") == []
    frame = dialog.frameGeometry().size()
    assert frame.width() <= 1366 and frame.height() <= 768 - 40, frame  # the taskbar
    assert not dialog.keyring_note.isHidden()  # the note too (the session's null keyring)


def test_an_empty_password_uses_the_saved_one(pg_url: PgUrl) -> None:
    # The cluster's password is in DANHGIA_DB_PASSWORD (tests/conftest.py), as it could be in
    # the keyring.
    target = ServerTarget.parse(pg_url("demo")).with_password(None)
    tried = try_connection(target)
    assert tried.ok and not tried.empty


# ---- connecting from the window ----------------------------------------------------------------


def test_connecting_moves_the_window_to_the_server_database_and_back(
    host: WindowHost,
    qtbot: QtBot,
    pg_url: PgUrl,
    postgres: Cluster,
    settings: Settings,
    memory_keyring: MemoryKeyring,
    demo_path: Path,
    said: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    url = pg_url("demo")
    with Database.open(url) as shared:  # the province's office: the first user, an administrator
        users.add_user(shared, "quantri", "admin", full_name="Quản trị", password=ADMIN_PASSWORD)
    shown: list[QDialog] = []

    def run_dialog(dialog: QDialog) -> bool:
        shown.append(dialog)
        if isinstance(dialog, ServerConnectDialog):
            assert dialog.keep_box.isChecked()  # a keyring: kept unless unticked
            fill(dialog, url, postgres.password)
            dialog.connect_button.click()
        else:
            assert isinstance(dialog, AskPasswordDialog)  # the shared database's sign-in
            assert dialog.login_field is not None
            dialog.login_field.setText("quantri")
            dialog.field.setText(ADMIN_PASSWORD)
            dialog.accept()
        return dialog.result() == QDialog.DialogCode.Accepted

    old_window, old_db = host.window, host.db
    old_window.run_dialog = run_dialog  # type: ignore[method-assign]
    assert [a.text() for a in old_window._menus["file"].actions()].count("Kết nối máy chủ…") == 1
    assert "Mở lại tệp trên máy này" not in [a.text() for a in old_window._menus["file"].actions()]
    menu_action(old_window, "Kết nối máy chủ…").trigger()

    assert [type(d).__name__ for d in shown] == ["ServerConnectDialog", "AskPasswordDialog"]
    assert said == []
    assert host.window is not old_window and host.db is not old_db
    qtbot.addWidget(host.window)
    assert host.db.is_server and host.db.name == url
    dbname = ServerTarget.parse(url).dbname
    assert host.window.windowTitle() == (
        f"DanhGia — Đảng bộ xã Na Tông — máy chủ {dbname} @ 127.0.0.1 — quantri (quản trị tỉnh)"
    )
    assert host.window.actor() == "quantri"
    assert len(host.window.rows) == len(quick_read.list_members(host.db)) > 500
    # The old file is closed (its lock released): another program may open it now.
    with Database.open(demo_path):
        pass
    # The address is remembered, the password only in the keyring: not in the settings file, nor
    # in the log.
    kept = settings.path.read_text(encoding="utf-8")
    assert url in kept and postgres.password not in kept
    assert memory_keyring.kept == {
        ("DanhGia PostgreSQL", f"danhgia_test@127.0.0.1:{postgres.port}"): postgres.password
    }
    assert postgres.password not in caplog.text
    # The next start without --db opens this server database again (a clerk's every day).
    assert server_connect.start_target(settings) == ServerTarget.parse(url).with_password(None)

    # And back to the file on this computer.
    server_window = host.window
    menu_action(server_window, "Mở lại tệp trên máy này").trigger()
    assert host.window is not server_window and not host.db.is_server
    qtbot.addWidget(host.window)
    assert host.db.location == demo_path.resolve()
    assert "máy chủ" not in host.window.windowTitle()
    assert "Mở lại tệp trên máy này" not in [a.text() for a in host.window._menus["file"].actions()]
    assert said == []
    assert server_connect.start_target(settings) is None  # the next start: this file


def test_a_start_on_a_server_out_of_reach_opens_the_file_and_says_why(
    pg_url: PgUrl, demo_path: Path, said: list[str]
) -> None:
    from app.ui.shell import application

    target = ServerTarget.parse(pg_url("demo")).with_password(WRONG)
    db = application._open_last_server(target, demo_path)
    assert db is not None
    try:
        assert not db.is_server and db.location == demo_path.resolve()
    finally:
        db.close()
    assert len(said) == 1 and said[0].startswith("Chưa kết nối được máy chủ: ")
    assert "Tệp → Kết nối máy chủ…" in said[0] and WRONG not in said[0]


def test_a_failed_connection_keeps_the_window_and_its_file(
    host: WindowHost, pg_url: PgUrl, said: list[str]
) -> None:
    old_window, old_db = host.window, host.db
    target = ServerTarget.parse(pg_url("demo")).with_password(WRONG)
    assert not host.connect(target)
    assert host.window is old_window and host.db is old_db
    assert len(said) == 1 and said[0].startswith("Không mở được cơ sở dữ liệu: Máy chủ")
    assert WRONG not in said[0]
    assert len(quick_read.list_members(host.db)) > 500  # still open, still usable
    assert host.settings.get(server_connect.LAST_SERVER) is None


def test_an_empty_server_database_offers_the_first_start_and_quitting_it_changes_nothing(
    host: WindowHost, pg_url: PgUrl, postgres: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = pg_url("none")
    offered: list[str] = []

    def first(dialog: QDialog) -> bool:
        assert isinstance(dialog, FirstStartDialog)
        offered.append(dialog.where.text())
        dialog.reject()  # "Thoát"
        return False

    real = application.first_start
    monkeypatch.setattr(application, "first_start", lambda path: real(path, first))
    old_window, old_db = host.window, host.db
    assert not host.connect(ServerTarget.parse(url).with_password(postgres.password))
    assert offered and "Cơ sở dữ liệu trên máy chủ" in offered[0] and url in offered[0]
    assert host.window is old_window and host.db is old_db
    assert host.settings.get(server_connect.LAST_SERVER) is None


def test_giving_up_the_sign_in_keeps_the_window(
    host: WindowHost, pg_url: PgUrl, postgres: Cluster, said: list[str]
) -> None:
    url = pg_url("demo")
    with Database.open(url) as shared:
        users.add_user(shared, "quantri", "admin", password=ADMIN_PASSWORD)
    asked: list[QDialog] = []

    def run_dialog(dialog: QDialog) -> bool:
        asked.append(dialog)
        return False  # "Thoát" on the sign-in

    old_window = host.window
    old_window.run_dialog = run_dialog  # type: ignore[method-assign]
    assert not host.connect(ServerTarget.parse(url).with_password(postgres.password))
    assert [type(d) for d in asked] == [AskPasswordDialog]
    assert host.window is old_window and not host.db.is_server and said == []
