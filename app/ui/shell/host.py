"""What keeps the window and its database together: restoring a backup swaps both, and a
damaged database at start is put aside for the newest good backup when the user agrees."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from app import paths
from app.services.database import Database, DatabaseDamaged, StoreError, open_database
from app.settings import Settings
from app.ui.common import ask
from app.ui.common.tasks import SyncRunner, TaskRunner
from app.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)


class WindowHost:
    """Owns the open database and its main window."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        make_runner: Callable[[], TaskRunner | SyncRunner] = TaskRunner,
    ) -> None:
        self.db = db
        self.settings = settings
        self.make_runner = make_runner
        self.window = self._new_window()

    def _new_window(self) -> MainWindow:
        window = MainWindow(self.db, self.settings, self.make_runner())
        window.restore_requested = self.restore
        return window

    def restore(self, backup: Path) -> None:
        """Replace the database with *backup* (the current one is backed up first) and show it
        in a new window; on failure the current data stays and the user is told why."""
        old = self.window
        old.runner.wait()
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
            self.db = open_database(path)
            self.window = self._new_window()
            self.window.restoreGeometry(old.saveGeometry())
            self.window.show()
            old.leaving_for_restore = True
            old.close()
            old.deleteLater()
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
