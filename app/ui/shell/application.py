"""Starting the window: fonts, Vietnamese Qt words, error handling, first start, the database."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtGui import QFont, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog, QWidget

from app import __version__, paths
from app.services import database
from app.services.common.errors import describe_os_error
from app.services.common.logfile import log_to_file
from app.services.common.progress import Cancelled, Progress
from app.services.database import (
    Database,
    DatabaseDamaged,
    Location,
    ServerTarget,
    StoreError,
)
from app.settings import Settings
from app.ui.common import ask
from app.ui.common.tasks import SyncRunner, TaskRunner
from app.ui.shell.first_start import Choice, FirstStartDialog
from app.ui.shell.fonts import SYMBOL_FAMILY, MissingFontError, register_fonts
from app.ui.shell.host import WindowHost, offer_recovery
from app.ui.shell.idle_lock import unlock_at_start
from app.ui.shell.main_window import BASE_FONT_SIZE
from app.ui.shell.qt_fixes import fit_windows_to_screen, select_numbers_on_focus
from app.ui.shell.qt_vi import VietnameseQtTranslator
from app.ui.shell.sign_in import sign_in

log = logging.getLogger(__name__)


def setup_logging() -> Path | None:
    return log_to_file()


def error_report(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> str:
    return (
        f"DanhGia {__version__}, Python {sys.version.split()[0]}, {sys.platform}\n"
        f"Thư mục dữ liệu: {paths.data_dir()}\n\n"
        + "".join(traceback.format_exception(kind, error, tb))
    )


def show_unexpected_error(
    kind: type[BaseException], error: BaseException, tb: TracebackType | None
) -> None:
    """Any error nobody caught: logged, and shown with a way to copy the details."""
    report = error_report(kind, error, tb)
    log.error("unexpected error\n%s", report)
    if isinstance(error, StoreError):
        # A full disk or a vanished file: the message says what happened and what to do.
        ask.warn(None, "Chưa lưu được", str(error), report)
        return
    if isinstance(error, OSError):
        # A file that cannot be read or written: said in words, the English in the details.
        ask.warn(None, "Không thực hiện được", describe_os_error(error), report)
        return
    box = QMessageBox(QMessageBox.Icon.Critical, "DanhGia gặp lỗi", "")
    box.setText(
        "Chương trình gặp một lỗi không lường trước. Dữ liệu đã lưu trước đó không bị ảnh hưởng."
        f"\n\nThư mục dữ liệu (có nhật ký lỗi): {paths.data_dir()}"
    )
    box.setDetailedText(report)
    copy = box.addButton("Sao chép thông tin lỗi", QMessageBox.ButtonRole.ActionRole)
    box.addButton("Đóng", QMessageBox.ButtonRole.AcceptRole)
    box.exec()
    if box.clickedButton() is copy:
        QGuiApplication.clipboard().setText(report)


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with the bundled fonts, Vietnamese Qt words and a readable base size."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv or [sys.argv[0]])
    if app.property("danhgia_ready"):
        return app
    app.setApplicationName("DanhGia")
    app.setWindowIcon(QIcon(str(paths.resources_dir() / "icons" / "danhgia.png")))
    family = register_fonts()
    translator = VietnameseQtTranslator(app)
    app.installTranslator(translator)
    fit_windows_to_screen(app)  # no dialog larger than the screen
    select_numbers_on_focus(app)  # a figure typed replaces the one shown
    app.setProperty("danhgia_ready", True)
    settings = Settings()
    settings.apply()
    font = QFont(family)
    font.setFamilies([family, SYMBOL_FAMILY])
    font.setPointSize(int(settings.get("font_size", BASE_FONT_SIZE)))
    app.setFont(font)
    return app


def _exec(dialog: QDialog) -> bool:
    return bool(dialog.exec())


def first_start(
    path: Location, run_dialog: Callable[[QDialog], bool] = _exec, parent: QWidget | None = None
) -> Database | None:
    """No database yet: offer the demo commune or an empty one; None if the user quits.

    *run_dialog* shows a dialog modally; tests pass one that fills it in instead."""
    dialog = FirstStartDialog(path, parent)
    if not run_dialog(dialog):
        return None
    if dialog.choice is Choice.EMPTY:
        from app.ui.roster.org_dialog import CommuneDialog

        commune = CommuneDialog(parent)
        if not run_dialog(commune):
            return None
        db = database.open_database(path, create=True)
        from app.services.roster import organizations

        organizations.add_organization(db, commune.fields())
        return db
    return _create_demo(path, parent)


def _create_demo(path: Location, parent: QWidget | None) -> Database | None:
    """The demo commune, with a progress dialog; a cancel leaves no half-made file behind."""
    dialog = QProgressDialog("Đang tạo dữ liệu mẫu…", "Hủy", 0, 100, parent)
    dialog.setWindowTitle("DanhGia")
    dialog.setMinimumDuration(0)

    def report(done: int, total: int, text: str) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))
        dialog.setLabelText(text)
        QApplication.processEvents()

    from app.services.demo import commune as demo_service  # only at a first start

    try:
        # Built beside *path* and moved into place when complete: a cancel (or a kill)
        # leaves no database at *path*.
        db, _orgs, _members = demo_service.create_demo_database(
            path, "commune", progress=Progress(report, dialog.wasCanceled)
        )
    except Cancelled:
        return None
    finally:
        dialog.close()
    return db


def open_database(path: Location) -> Database | None:
    """The database at *path* (a file, or a server database), or the first start's choice
    when there is none yet (no file, or an empty server database); None when the user gives
    up or it cannot be opened (they have been told why)."""
    try:
        if not database.database_exists(path):
            return first_start(path)
        try:
            return database.open_database(path)
        except DatabaseDamaged as damaged:
            if not offer_recovery(path, damaged):
                return None
            return database.open_database(path)
    except StoreError as error:
        ask.warn(None, "Không mở được cơ sở dữ liệu", str(error))
        return None


def _open_last_server(target: ServerTarget, home: Location) -> Database | None:
    """The server database the window was working on when it last closed; when it cannot be
    reached now (the office's network down), said so, and the file on this computer instead."""
    try:
        return database.open_database(target)
    except StoreError as error:
        ask.warn(
            None,
            "Chưa kết nối được máy chủ",
            f"{error}\n\nChương trình mở tệp trên máy này; khi mạng có lại, chọn Tệp → Kết nối "
            "máy chủ… để làm việc tiếp trên máy chủ.",
        )
    return open_database(home)


def run_window(db_path: Path | str | None = None, *, synchronous: bool = False) -> int:
    setup_logging()
    try:
        app = make_application()
    except MissingFontError as error:
        print(error, file=sys.stderr)
        return 2
    sys.excepthook = show_unexpected_error
    settings = Settings()
    try:
        path = database.location_of(db_path or paths.default_database())
    except StoreError as error:  # a server address that cannot be read
        ask.warn(None, "Không mở được cơ sở dữ liệu", str(error))
        return 1
    from app.ui.files.server_connect import start_target

    last_server = None if db_path else start_target(settings)
    db = _open_last_server(last_server, path) if last_server else open_database(path)
    if db is None:
        return 1
    if not unlock_at_start(db):  # the window's optional password; three wrong tries: closed
        db.close()
        return 1
    signed_in = sign_in(db, settings)  # a shared database with users: who works here
    if signed_in is None:
        db.close()
        return 1
    runner = SyncRunner if synchronous else TaskRunner
    # open_database: a server database opened from the menu offers the first start when empty.
    host = WindowHost(db, settings, runner, signed_in, opener=open_database)
    host.window.show()
    try:
        return app.exec()
    finally:
        host.db.close()
