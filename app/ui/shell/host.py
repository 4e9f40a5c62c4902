"""What keeps the window and its database together: restoring a backup swaps both, so does
connecting to a server database (Tệp → Kết nối máy chủ…) and going back to the file on this
computer; and a damaged database at start is put aside for the newest good backup when the
user agrees."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from app import paths
from app.services.database import (
    Database,
    DatabaseDamaged,
    Location,
    ServerTarget,
    StoreError,
    location_of,
    open_database,
)
from app.settings import Settings
from app.ui.common import ask
from app.ui.common.tasks import SyncRunner, TaskRunner
from app.ui.files.server_connect import remember_target
from app.ui.shell.idle_lock import unlock_at_start
from app.ui.shell.main_window import MainWindow
from app.ui.shell.sign_in import SignedIn, sign_in

log = logging.getLogger(__name__)

# Opens the database at a location for the window, or says why not and gives None: the start's
# ``application.open_database`` (with the first start for an empty one), handed in by
# ``run_window``; this module cannot import it (application imports this module).
Opener = Callable[[Location], Database | None]


class WindowHost:
    """Owns the open database and its main window."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        make_runner: Callable[[], TaskRunner | SyncRunner] = TaskRunner,
        signed_in: SignedIn | None = None,
        opener: Opener | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.make_runner = make_runner
        self.signed_in = signed_in
        self.opener: Opener = opener or self._open_as_it_is
        # The file on this computer, to go back to from a server database: the one the window
        # started with, else the usual one (a start on a server: ``--db postgresql://…``).
        self.home: Location = location_of(paths.default_database()) if db.is_server else db.location
        self.window = self._new_window()

    def _new_window(self) -> MainWindow:
        window = MainWindow(self.db, self.settings, self.make_runner(), signed_in=self.signed_in)
        window.restore_requested = self.restore
        window.connect_requested = self.connect
        return window

    def _replace(self, db: Database, signed_in: SignedIn | None, *, old_closed: bool) -> None:
        """Show *db* in a new window where the current one is; the old window closes, and its
        database with it (unless *old_closed*: then it is closed already and gets no daily
        backup)."""
        old, old_db = self.window, self.db
        self.db, self.signed_in = db, signed_in
        self.window = self._new_window()
        self.window.restoreGeometry(old.saveGeometry())
        self.window.show()
        old.leaving_for_restore = old_closed
        old.close()  # waits for its background work; its daily backup when still open
        old.deleteLater()
        if not old_closed:
            old_db.close()

    def connect(self, target: ServerTarget | None) -> bool:
        """Work on the server database *target* (None: the file on this computer) in a new
        window: opened (an empty server database gets the first start's choice), its window
        password and its users' sign-in asked as at start. True when the window now shows it;
        otherwise the current database and window stay, and the user has been told why (or
        gave up)."""
        location: Location = target if target is not None else self.home
        db = self.opener(location)
        if db is None:
            return False
        run_dialog = self.window.run_dialog  # looked up now: tests fill the forms through it
        try:
            if not unlock_at_start(db, run_dialog, self.window):
                db.close()
                return False
            signed_in = sign_in(db, self.settings, run_dialog, self.window)
        except StoreError as error:  # the connection dropped while asking
            db.close()
            ask.warn(self.window, "Chưa kết nối được", str(error))
            return False
        except BaseException:
            db.close()
            raise
        if signed_in is None:
            db.close()
            return False
        remember_target(self.settings, target)  # its address, never its password; or home
        log.info("the window now works on %s", db.name)
        self._replace(db, signed_in, old_closed=False)
        return True

    def _open_as_it_is(self, location: Location) -> Database | None:
        """The database at *location* without the first start (no opener handed in): an
        empty server database is refused with its message."""
        try:
            return open_database(location)
        except StoreError as error:
            ask.warn(self.window, "Không mở được cơ sở dữ liệu", str(error))
            return None

    def restore(self, backup: Path) -> None:
        """Replace the database with *backup* (the current one is backed up first) and show it
        in a new window; on failure the current data stays and the user is told why."""
        self.window.runner.wait()
        path = self.db.path
        self.db.close()
        saved: Path | None = None
        error: StoreError | OSError | None = None
        try:
            from app.services.safekeeping import maintenance

            saved = maintenance.restore_database(path, backup)
        except (StoreError, OSError) as problem:
            error = problem
        finally:
            # Whatever happened, the file at *path* is whole (the restore is atomic): reopen it.
            self._replace(open_database(path), self.signed_in, old_closed=True)
        if error is not None:
            ask.warn(self.window, "Chưa khôi phục được", str(error))
            return
        kept = f"\n\nDữ liệu trước khi khôi phục được giữ trong “{saved}”." if saved else ""
        ask.inform(self.window, "Đã khôi phục", f"Đã khôi phục dữ liệu từ “{backup}”.{kept}")


def offer_recovery(path: Path, error: DatabaseDamaged, parent: QWidget | None = None) -> bool:
    """The database is damaged: say so plainly and offer the newest good backup. True when the
    backup is now in place (the caller opens the database again)."""
    from app.services.safekeeping import anchors, backups

    good = backups.latest_good(path)
    if good is None:
        ask.warn(
            parent,
            "Cơ sở dữ liệu bị hỏng",
            f"{error}\n\nKhông tìm thấy bản sao lưu tự động nào còn tốt trong "
            f"“{paths.backups_dir()}”. Nếu có bản sao lưu ở nơi khác (USB…), hãy dùng "
            "lệnh “danhgia restore” hoặc nhờ cán bộ kỹ thuật.",
        )
        return False
    question = (
        f"Tệp cơ sở dữ liệu “{path}” bị hỏng ({error.detail}).\n\n"
        "Bản sao lưu tốt gần nhất:\n"
        + "\n".join(f"  {line}" for line in good.lines())
        + "\n\nKhôi phục từ bản này? Tệp bị hỏng không bị xóa: nó được đổi tên và giữ lại "
        "cùng thư mục. Những gì nhập sau thời điểm sao lưu sẽ phải nhập lại."
    )
    if not ask.confirm(parent, "Cơ sở dữ liệu bị hỏng", question, "Khôi phục"):
        return False
    try:
        aside = backups.recover(path, good.info.path)
        # The chain is the backup's now: backups newer than it are of the damaged file.
        anchors.write_baseline(path, f"thay tệp hỏng bằng “{good.info.path.name}”")
    except (StoreError, OSError) as problem:
        ask.warn(parent, "Chưa khôi phục được", str(problem))
        return False
    log.warning("damaged database %s put aside as %s; restored %s", path, aside, good.info.path)
    ask.inform(
        parent,
        "Đã khôi phục",
        f"Đã khôi phục từ bản sao lưu {good.info.label}.\nTệp bị hỏng được giữ lại: “{aside}”.",
    )
    return True
