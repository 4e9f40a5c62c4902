"""The operator's own record: "Tôi là đảng viên…" in the settings, and a
warning before the operator edits their own evaluation, whose save is then logged apart.

The pages of the procedure and the appraisal ask :func:`guarded` for the save they are about
to run; it returns the save unchanged for anybody else's record, and for the operator's own
a save that first asks to confirm and then writes the change and the log entry together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.services.common.errors import ServiceError
from app.services.database import Database
from app.services.roster.quick_read import MemberRow
from app.settings import Settings
from app.ui.common import ask

SETTING = "operator_member_id"
NOBODY = "(Tôi không phải là đảng viên trong danh sách)"


class OwnEditDeclined(ServiceError):
    """The operator chose not to change their own record; nothing was saved."""


class OwnRecordGuard:
    """Knows which member the operator is (from the settings) and guards their record."""

    def __init__(
        self, db: Database, settings: Settings, parent: QWidget, actor: Callable[[], str]
    ) -> None:
        self.db = db
        self.settings = settings
        self.parent = parent
        self.actor = actor

    def member_id(self) -> int | None:
        value = self.settings.get(SETTING)
        return value if isinstance(value, int) else None

    def wrap(
        self, year: int, member_id: int, what: str, save: Callable[[], object]
    ) -> Callable[[], object]:
        if member_id != self.member_id():
            return save

        def confirmed() -> None:
            from app.services.roster import own_record

            name = own_record.member_name(self.db, member_id) or "đồng chí"
            if not ask.confirm(
                self.parent,
                "Hồ sơ đánh giá của chính bạn",
                f"Bạn đã khai mình là đảng viên {name}. Bạn sắp sửa {what} trong hồ sơ đánh "
                f"giá năm {year} của chính mình.\n\nViệc tự sửa hồ sơ của mình sẽ được ghi "
                "riêng vào nhật ký thay đổi. Vẫn sửa?",
                "Vẫn sửa",
            ):
                raise OwnEditDeclined(
                    f"Chưa lưu: bạn đã chọn không sửa {what} trong hồ sơ của chính mình."
                )
            own_record.save_own(self.db, year, member_id, what, save, self.actor())

        return confirmed


def guarded(
    host: object, year: int, member_id: int, what: str, save: Callable[[], object]
) -> Callable[[], object]:
    """*save*, guarded when *host* (a page's host) carries an ``own_guard``."""
    guard = getattr(host, "own_guard", None)
    return guard.wrap(year, member_id, what, save) if guard is not None else save


class OperatorDialog(QDialog):
    """ "Tôi là đảng viên…": pick oneself from the roster, or say one is not on it."""

    def __init__(
        self, rows: Sequence[MemberRow], current: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tôi là đảng viên…")
        self.chosen: int | None = current
        text = QLabel(
            "Nếu người dùng máy này cũng là một đảng viên được đánh giá, hãy chọn tên mình. "
            "Khi sửa bản tự kiểm điểm, mức đề xuất hay mức quyết định của chính mình, chương "
            "trình sẽ hỏi lại và ghi riêng vào nhật ký thay đổi."
        )
        text.setWordWrap(True)
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.addItem(NOBODY, None)
        for row in rows:
            self.combo.addItem(f"{row.full_name} — {row.cell_name}", row.id)
        completer = self.combo.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.combo.setCurrentIndex(max(self.combo.findData(current), 0))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.combo)
        layout.addWidget(buttons)
        self.resize(520, 160)

    def _accept(self) -> None:
        index = self.combo.findText(self.combo.currentText())
        if index < 0:
            index = self.combo.currentIndex()
        self.chosen = self.combo.itemData(index)
        self.accept()
