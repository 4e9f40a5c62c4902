"""Step ③ of a cell's procedure: the meeting — when and where, who chaired and took the
minutes, attendance with reasons for absence, and the comments on each member."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTime
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain import clock
from app.domain.formatting import format_date
from app.domain.member_checks import FieldProblem
from app.services.common.errors import ValidationError
from app.services.procedure import steps as procedure_steps
from app.services.procedure.view import CellView, MeetingInfo, MemberLine
from app.ui.common import ask
from app.ui.common.grid import Column, Grid
from app.ui.common.widgets import DateField, mark_invalid
from app.ui.evaluation.cell.steps import StepPage

if TYPE_CHECKING:
    from app.ui.evaluation.cell.host import CellHost

Index = QModelIndex | QPersistentModelIndex
MEMBER_ID = Qt.ItemDataRole.UserRole
NO_ONE = "— chọn trong số người có mặt —"


class ElidedCombo(QComboBox):
    """A combo whose closed face ends in "…" when the choice is longer than the field, with
    the whole choice as its tooltip and a list wide enough to read every name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Long names must not widen the form past a 1366-pixel screen: the field keeps the
        # width the layout gives it and the text is elided instead.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(14)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.currentIndexChanged.connect(lambda _i: self.setToolTip(self.currentText()))

    def showPopup(self) -> None:
        view = self.view()
        view.setMinimumWidth(view.sizeHintForColumn(0) + 24)
        super().showPopup()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        option.currentText = self.fontMetrics().elidedText(
            option.currentText, Qt.TextElideMode.ElideRight, field.width()
        )
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


def place_line(placeholder: str) -> QLineEdit:
    """A line for a name or a place: its beginning shows when the text is longer than the
    field (not its end, as a line that was typed in would), and the whole text is its tooltip."""
    line = QLineEdit()
    line.setPlaceholderText(placeholder)
    line.textChanged.connect(lambda text: line.setToolTip(text))
    return line


def show_text(line: QLineEdit, text: str) -> None:
    line.setText(text)
    line.setCursorPosition(0)


@dataclass(frozen=True)
class MeetingForm:
    """What the meeting form holds, as typed: compared with what was last put in it to tell
    whether the user has changed something not saved yet."""

    held_on: str
    starts_at: dt.time
    ends_at: dt.time
    place: str
    chair_id: int | None
    secretary_id: int | None
    upper_attendee: str
    upper_attendee_post: str
    voting_method: str
    tally_committee: frozenset[int]

    @classmethod
    def of(cls, meeting: MeetingInfo | None) -> MeetingForm:
        if meeting is None:
            return cls("", dt.time(8), dt.time(11, 30), "", None, None, "", "", "bo_phieu_kin",
                       frozenset())  # fmt: skip
        return cls(
            held_on=format_date(meeting.held_on),
            starts_at=meeting.starts_at or dt.time(8),
            ends_at=meeting.ends_at or dt.time(11, 30),
            place=meeting.place,
            chair_id=meeting.chair_id,
            secretary_id=meeting.secretary_id,
            upper_attendee=meeting.upper_attendee,
            upper_attendee_post=meeting.upper_attendee_post,
            voting_method=meeting.voting_method,
            tally_committee=frozenset(meeting.tally_committee),
        )


# ---- ③ the meeting -----------------------------------------------------------------------


class MeetingPage(StepPage):
    def __init__(self, host: CellHost) -> None:
        super().__init__(host)
        self.held_on = DateField()
        self.starts = QTimeEdit()
        self.ends = QTimeEdit()
        for edit in (self.starts, self.ends):
            edit.setDisplayFormat("HH:mm")
        self.place = place_line("Ví dụ: Nhà văn hóa bản Na Tông 1")
        self.chair = ElidedCombo()
        self.secretary = ElidedCombo()
        self.upper = place_line("Họ tên đồng chí cấp ủy cấp trên dự")
        self.upper_post = place_line("Chức vụ, ví dụ: Đảng ủy viên, phụ trách chi bộ")
        self.method = QComboBox()
        self.method.addItem("Bỏ phiếu kín", "bo_phieu_kin")
        self.method.addItem("Biểu quyết giơ tay", "gio_tay")
        self.tally = QListWidget()
        self.tally.setMaximumHeight(90)
        # The form's fields by the key the services name them with (MEETING_LABELS).
        self.fields: dict[str, QWidget] = {
            "held_on": self.held_on, "starts_at": self.starts, "ends_at": self.ends,
            "place": self.place, "chair": self.chair, "secretary": self.secretary,
            "tally_committee": self.tally,
        }  # fmt: skip
        # The refusal of the last save, beside the form (the banner says it too).
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #8e0000;")
        self.problems.hide()
        save = QPushButton("Lưu thông tin hội nghị")
        save.clicked.connect(self._save_meeting)
        self.save_button = save
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Ngày họp", self.held_on)
        times = QHBoxLayout()
        times.addWidget(self.starts)
        times.addWidget(QLabel("đến"))
        times.addWidget(self.ends)
        times.addStretch(1)
        form.addRow("Thời gian", times)
        form.addRow("Địa điểm", self.place)
        form.addRow("Chủ trì", self.chair)
        form.addRow("Thư ký", self.secretary)
        form.addRow("Đại biểu cấp trên", self.upper)
        form.addRow("Chức vụ đại biểu", self.upper_post)
        form.addRow("Hình thức biểu quyết", self.method)
        form.addRow("Tổ kiểm phiếu", self.tally)
        form.addRow(self.problems)
        form.addRow(save)
        meeting_box = QGroupBox("Hội nghị chi bộ")
        meeting_box.setLayout(form)
        self.meeting_box = meeting_box
        # What the form was last filled with, and for which cell: a refresh after another
        # save (attendance, comments) or after a refusal keeps what the user has typed.
        self._filled: MeetingForm | None = None
        self._filled_cell: int | None = None

        self.quorum = QLabel()
        self.quorum.setWordWrap(True)
        self.attendance = Grid(
            [
                Column(
                    "Họ và tên", lambda m: m.full_name, width=170, tooltip=lambda m: m.full_name
                ),
                Column(
                    "Có mặt",
                    lambda m: m.present,
                    self._save_present,
                    kind="choice",
                    choices=[(None, "chưa điểm danh"), (True, "có mặt"), (False, "vắng")],
                    width=112,
                ),
                Column(
                    "Lý do vắng",
                    lambda m: m.absence_reason,
                    self._save_reason,
                    editable=lambda m: m.present is False,
                    tooltip=lambda m: m.absence_reason,
                    wrap=True,
                ),
            ]
        )
        # The comments follow the grid's current row however it moves (arrows, Tab, Enter, a
        # click, a refresh), so they always name and edit the member the cursor is on.
        self.attendance.selectionModel().currentRowChanged.connect(self._row_changed)
        self.comments = QPlainTextEdit()
        self.comments.setPlaceholderText("Ý kiến góp ý (mỗi ý kiến một dòng: Đ/c … : …)")
        self.response = QPlainTextEdit()
        self.response.setPlaceholderText("Ý kiến tiếp thu, giải trình của đảng viên")
        for edit in (self.comments, self.response):
            edit.setMaximumHeight(52)
            # Tab goes on to the next field, as everywhere in the form (a comment has no
            # use for a tab character), so the keyboard is never trapped in the box.
            edit.setTabChangesFocus(True)
        save_comments = QPushButton("Lưu ý kiến")
        save_comments.clicked.connect(self._save_comments)
        self.save_comments = save_comments
        self.comment_box = QGroupBox("Ý kiến về đảng viên đang chọn")
        comment_form = QVBoxLayout(self.comment_box)
        comment_form.addWidget(self.comments)
        comment_form.addWidget(self.response)
        comment_form.addWidget(save_comments)
        # The member whose comments the panel holds (None: no row chosen yet).
        self.comment_member: int | None = None

        right = QVBoxLayout()
        heading = QLabel("<b>Điểm danh</b> (chọn ô “Có mặt” rồi gõ, Enter xuống dòng)")
        heading.setWordWrap(True)
        right.addWidget(heading)
        right.addWidget(self.attendance, 1)
        right.addWidget(self.quorum)
        right.addWidget(self.comment_box)
        layout = QHBoxLayout(self)
        # Half and half: at 1366×768 the form's names and places need the room as much as the
        # attendance grid does.
        layout.addWidget(meeting_box, 1)
        layout.addLayout(right, 1)

    def show_view(self, view: CellView) -> None:
        super().show_view(view)
        typed = self._read_form()
        same_cell = self._filled_cell == view.cell_id
        if same_cell and self._filled is not None and typed != self._filled:
            self._fill_form(view, typed)  # the user's changes, not saved yet, stay
        else:
            self._fill_form(view, MeetingForm.of(view.meeting))
            # What was put in: a tally member no longer present has dropped out of the list.
            self._filled = self._read_form()
        self._filled_cell = view.cell_id
        if not same_cell:
            self._show_problems([])
        self.attendance.set_rows(list(view.members))
        self.meeting_box.setEnabled(view.editable)
        self.attendance.setEnabled(view.editable)
        rule = view.ruleset.quorum
        needed = "quá" if rule.strict else "ít nhất"
        self.quorum.setText(
            f"Đảng viên chính thức được biểu quyết có mặt: {view.voters_present}/{view.voters} "
            f"(cần {needed} {round(float(rule.share) * 100)}%)."
            + ("" if view.progress.quorum_met or not view.voters_present else " Chưa đủ số.")
        )
        meeting = view.meeting
        if meeting is not None and meeting.round > 1:
            self.meeting_box.setTitle(f"Hội nghị chi bộ (lần {meeting.round}, sau khi bị trả lại)")
        else:
            self.meeting_box.setTitle("Hội nghị chi bộ")
        if not same_cell:
            self.comment_member = None
        self._show_comments()

    # ---- the form ------------------------------------------------------------------------
    def _fill_form(self, view: CellView, form: MeetingForm) -> None:
        members = {m.member_id: m for m in view.members}
        present = [m for m in view.members if m.present]
        for combo, chosen in ((self.chair, form.chair_id), (self.secretary, form.secretary_id)):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(NO_ONE, None)
            for m in present:
                combo.addItem(
                    f"{m.full_name}" + (f" ({m.party_post})" if m.party_post else ""), m.member_id
                )
            if chosen is not None and combo.findData(chosen) < 0 and chosen in members:
                combo.addItem(f"{members[chosen].full_name} (vắng mặt)", chosen)
            combo.setCurrentIndex(max(combo.findData(chosen), 0))
            combo.blockSignals(False)
            combo.setToolTip(combo.currentText())
        self.tally.clear()
        for m in present:
            item = QListWidgetItem(m.full_name)
            item.setData(MEMBER_ID, m.member_id)
            item.setToolTip(m.full_name)
            item.setCheckState(
                Qt.CheckState.Checked
                if m.member_id in form.tally_committee
                else Qt.CheckState.Unchecked
            )
            self.tally.addItem(item)
        self.held_on.setText(form.held_on)
        self.starts.setTime(QTime(form.starts_at.hour, form.starts_at.minute))
        self.ends.setTime(QTime(form.ends_at.hour, form.ends_at.minute))
        show_text(self.place, form.place)
        show_text(self.upper, form.upper_attendee)
        show_text(self.upper_post, form.upper_attendee_post)
        self.method.setCurrentIndex(max(self.method.findData(form.voting_method), 0))

    def _read_form(self) -> MeetingForm:
        return MeetingForm(
            held_on=self.held_on.text().strip(),
            starts_at=self._time(self.starts),
            ends_at=self._time(self.ends),
            place=self.place.text().strip(),
            chair_id=self.chair.currentData(),
            secretary_id=self.secretary.currentData(),
            upper_attendee=self.upper.text().strip(),
            upper_attendee_post=self.upper_post.text().strip(),
            voting_method=self.method.currentData() or "bo_phieu_kin",
            tally_committee=frozenset(self._tally()),
        )

    def _tally(self) -> tuple[int, ...]:
        return tuple(
            self.tally.item(i).data(MEMBER_ID)
            for i in range(self.tally.count())
            if self.tally.item(i).checkState() == Qt.CheckState.Checked
        )

    def _time(self, edit: QTimeEdit) -> dt.time:
        value = edit.time()
        return dt.time(value.hour(), value.minute())

    def _show_problems(self, problems: list[FieldProblem]) -> None:
        """A red frame on each field the services refused, its message as the field's tooltip
        and beside the form."""
        bad = {p.field: p for p in problems}
        for key, widget in self.fields.items():
            mark_invalid(widget, key in bad)
            if key in bad:
                widget.setToolTip(f"{bad[key].label}: {bad[key].message}")
            elif isinstance(widget, QComboBox):
                widget.setToolTip(widget.currentText())
            elif isinstance(widget, QLineEdit) and not isinstance(widget, DateField):
                widget.setToolTip(widget.text())
            else:
                widget.setToolTip("")
        self.problems.setText("\n".join(f"• {p.label}: {p.message}" for p in problems))
        self.problems.setVisible(bool(problems))

    def _after_deadline_asks(self, held_on: dt.date | None) -> bool:
        """True to go on. A meeting dated after the cell's deadline may be right (a late
        meeting), so it is not refused, but the user confirms the day once."""
        view = self.view
        if held_on is None or view is None or view.deadline is None:
            return True
        saved = view.meeting.held_on if view.meeting else None
        # A day still to come is refused by the service whatever the deadline; and a day
        # already confirmed is not asked about again on every save.
        if held_on <= view.deadline or held_on > clock.today() or held_on == saved:
            return True
        return ask.confirm(
            self,
            "Ngày họp sau hạn nộp",
            f"Ngày họp {format_date(held_on)} sau hạn chi bộ nộp kết quả theo kế hoạch "
            f"({format_date(view.deadline)}). Hội nghị đã họp muộn vào ngày này?",
            "Ghi ngày họp này",
        )

    def _save_meeting(self) -> None:
        problem = self.held_on.problem()
        if problem:
            self._show_problems([FieldProblem("held_on", problem, "Ngày họp")])
            self.host.tell(f"Ngày họp: {problem}")
            return
        held_on = self.held_on.date()
        if not self._after_deadline_asks(held_on):
            return
        record = procedure_steps.MeetingInput(
            held_on=held_on,
            starts_at=self._time(self.starts),
            ends_at=self._time(self.ends),
            place=self.place.text().strip(),
            chair_id=self.chair.currentData(),
            secretary_id=self.secretary.currentData(),
            upper_attendee=self.upper.text().strip(),
            upper_attendee_post=self.upper_post.text().strip(),
            voting_method=self.method.currentData(),
            tally_committee=self._tally(),
        )

        def save() -> None:
            try:
                procedure_steps.save_meeting(
                    self.host.db, self.year, self.cell_id, record, self.host.actor()
                )
            except ValidationError as error:
                self._show_problems(error.problems)
                raise
            self._show_problems([])
            self._filled = None  # saved: the form shows what is stored again

        self.host.run(save)

    # ---- attendance ----------------------------------------------------------------------
    def _save_present(self, line: MemberLine, present: bool | None) -> None:
        if present is None:
            return
        self._save_attendance(line, present, line.absence_reason, "điểm danh")

    def _save_reason(self, line: MemberLine, reason: str) -> None:
        self._save_attendance(line, False, str(reason), "lý do vắng mặt")

    def _save_attendance(self, line: MemberLine, present: bool, reason: str, what: str) -> None:
        def saving(present: bool, reason: str) -> Callable[[], object]:
            return lambda: procedure_steps.save_attendance(
                self.host.db, self.year, self.cell_id, line.member_id, present, reason,
                self.host.actor(),
            )  # fmt: skip

        # A first roll call has no earlier state to go back to: nothing to undo then.
        before = line.present
        self.host.run(
            saving(present, reason),
            undo=None if before is None else saving(before, line.absence_reason),
            label=f"{what} của {line.full_name}",
        )

    # ---- comments on the current member --------------------------------------------------
    def _typed_comments(self) -> tuple[str, str]:
        return self.comments.toPlainText().strip(), self.response.toPlainText().strip()

    def _unsaved_comments(self) -> bool:
        """The panel holds comments typed for its member and not saved yet."""
        if self.comment_member is None or self.view is None or not self.view.editable:
            return False
        line = next((m for m in self.view.members if m.member_id == self.comment_member), None)
        return line is not None and self._typed_comments() != (
            line.comments.strip(),
            line.response.strip(),
        )

    def _row_changed(self, current: Index, previous: Index) -> None:
        if current.row() == previous.row():
            return
        if self._unsaved_comments():
            # Moving on keeps what was typed, for the member it was typed about.
            assert self.comment_member is not None
            self._save_comments_of(self.comment_member, *self._typed_comments())
        self._show_comments()

    def _show_comments(self) -> None:
        line = self.attendance.current_row()
        member = line if isinstance(line, MemberLine) else None
        self.comment_box.setEnabled(member is not None and bool(self.view and self.view.editable))
        if member is None:
            self.comment_member = None
            self.comment_box.setTitle("Ý kiến về đảng viên đang chọn")
            self.comments.clear()
            self.response.clear()
            return
        self.comment_box.setTitle(f"Ý kiến về đồng chí {member.full_name}")
        if member.member_id == self.comment_member and self._unsaved_comments():
            return  # a refresh after another save keeps what is being typed
        self.comment_member = member.member_id
        self.comments.setPlainText(member.comments)
        self.response.setPlainText(member.response)

    def _save_comments(self) -> None:
        if self.comment_member is None:
            return
        self._save_comments_of(self.comment_member, *self._typed_comments())

    def _save_comments_of(self, member_id: int, comments: str, response: str) -> None:
        save: Callable[[], object] = lambda: procedure_steps.save_comments(  # noqa: E731
            self.host.db, self.year, member_id, comments, response, self.host.actor()
        )
        self.host.run(save)
