"""Small widgets shared by the dialogs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QCheckBox, QLineEdit, QVBoxLayout, QWidget

from app.domain.formatting import DateFormatError, format_date, parse_date


class DateField(QLineEdit):
    """A date typed as dd/mm/yyyy (the way users write dates), or left empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("ngày/tháng/năm")
        self.setMaxLength(10)

    def date(self) -> dt.date | None:
        """The date typed, or None when empty; raises DateFormatError for anything else."""
        text = self.text().strip()
        return parse_date(text) if text else None

    def setDate(self, value: dt.date | None) -> None:
        self.setText(format_date(value))

    def problem(self) -> str | None:
        try:
            self.date()
        except DateFormatError as error:
            return str(error)
        return None


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """A red frame on a field with a problem; the message is shown beside the form."""
    widget.setStyleSheet("border: 2px solid #c62828;" if invalid else "")


class LazyTab(QWidget):
    """A tab page whose content is built the first time it is shown or asked for, so that a
    window with several heavy tabs starts with only the one in front."""

    def __init__(self, build: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build = build
        self._content: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> bool:
        return self._content is not None

    @property
    def content(self) -> QWidget:
        if self._content is None:
            self._content = self._build()
            self.layout().addWidget(self._content)
            self._content.show()  # a child added to a page already on screen stays hidden
        return self._content

    def showEvent(self, event: QShowEvent) -> None:
        self.content  # noqa: B018 (built on first show)
        super().showEvent(event)


def set_tri_state(box: QCheckBox, value: bool | None) -> None:
    """A yes/no fact that may be unknown: checked, unchecked, or half-checked for "chưa rõ"."""
    box.setTristate(True)
    states = {True: box.checkState().Checked, False: box.checkState().Unchecked}
    box.setCheckState(states.get(value, box.checkState().PartiallyChecked))


def tri_state_value(box: QCheckBox) -> bool | None:
    state = box.checkState()
    if state == state.PartiallyChecked:
        return None
    return state == state.Checked
