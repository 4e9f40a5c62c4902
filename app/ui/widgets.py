"""Small widgets shared by the dialogs."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLineEdit, QWidget

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
