"""Step ③ of a cell's procedure: the meeting — when and where, who chaired and took the
minutes, attendance with reasons for absence, and the comments on each member."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QTime
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
    QTimeEdit,
    QVBoxLayout,
)

from app.services.procedure import steps as procedure_steps
from app.services.procedure.view import CellView, MemberLine
from app.ui.common.grid import Column, Grid
from app.ui.common.widgets import DateField
from app.ui.evaluation.cell.steps import StepPage

if TYPE_CHECKING:
    from app.ui.evaluation.cell.host import CellHost


# ---- ③ the meeting -----------------------------------------------------------------------


class MeetingPage(StepPage):
    def __init__(self, host: CellHost) -> None:
        super().__init__(host)
        self.held_on = DateField()
        self.starts = QTimeEdit()
        self.ends = QTimeEdit()
        for edit in (self.starts, self.ends):
            edit.setDisplayFormat("HH:mm")
        self.place = QLineEdit()
        self.place.setPlaceholderText("Ví dụ: Nhà văn hóa bản Na Tông 1")
        self.chair = QComboBox()
        self.secretary = QComboBox()
        self.upper = QLineEdit()
        self.upper.setPlaceholderText("Họ tên đồng chí cấp ủy cấp trên dự")
        self.upper_post = QLineEdit()
        self.upper_post.setPlaceholderText("Chức vụ, ví dụ: Đảng ủy viên, phụ trách chi bộ")
        self.method = QComboBox()
        self.method.addItem("Bỏ phiếu kín", "bo_phieu_kin")
        self.method.addItem("Biểu quyết giơ tay", "gio_tay")
        self.tally = QListWidget()
        self.tally.setMaximumHeight(90)
        save = QPushButton("Lưu thông tin hội nghị")
        save.clicked.connect(self._save_meeting)
        form = QFormLayout()
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
        form.addRow(save)
        meeting_box = QGroupBox("Hội nghị chi bộ")
        meeting_box.setLayout(form)
        self.meeting_box = meeting_box

        self.quorum = QLabel()
        self.quorum.setWordWrap(True)
        self.attendance = Grid(
            [
                Column("Họ và tên", lambda m: m.full_name, width=210),
                Column(
                    "Có mặt",
                    lambda m: m.present,
                    self._save_present,
                    kind="choice",
                    choices=[(None, "chưa điểm danh"), (True, "có mặt"), (False, "vắng")],
                    width=120,
                ),
                Column(
                    "Lý do vắng",
                    lambda m: m.absence_reason,
                    self._save_reason,
                    editable=lambda m: m.present is False,
                ),
            ]
        )
        self.attendance.clicked.connect(lambda _i: self._show_comments())
        self.comments = QPlainTextEdit()
        self.comments.setPlaceholderText("Ý kiến góp ý (mỗi ý kiến một dòng: Đ/c … : …)")
        self.response = QPlainTextEdit()
        self.response.setPlaceholderText("Ý kiến tiếp thu, giải trình của đảng viên")
        for edit in (self.comments, self.response):
            edit.setMaximumHeight(52)
        save_comments = QPushButton("Lưu ý kiến")
        save_comments.clicked.connect(self._save_comments)
        self.comment_box = QGroupBox("Ý kiến về đảng viên đang chọn")
        comment_form = QVBoxLayout(self.comment_box)
        comment_form.addWidget(self.comments)
        comment_form.addWidget(self.response)
        comment_form.addWidget(save_comments)

        right = QVBoxLayout()
        right.addWidget(QLabel("<b>Điểm danh</b> (chọn ô “Có mặt” rồi gõ, Enter xuống dòng)"))
        right.addWidget(self.attendance, 1)
        right.addWidget(self.quorum)
        right.addWidget(self.comment_box)
        layout = QHBoxLayout(self)
        layout.addWidget(meeting_box, 2)
        layout.addLayout(right, 3)

    def show_view(self, view: CellView) -> None:
        super().show_view(view)
        members = {m.member_id: m for m in view.members}
        present = [m for m in view.members if m.present]
        meeting = view.meeting
        for combo, chosen in (
            (self.chair, meeting.chair_id if meeting else None),
            (self.secretary, meeting.secretary_id if meeting else None),
        ):
            combo.clear()
            combo.addItem("— chọn trong số người có mặt —", None)
            for m in present:
                combo.addItem(
                    f"{m.full_name}" + (f" ({m.party_post})" if m.party_post else ""), m.member_id
                )
            if chosen is not None and combo.findData(chosen) < 0 and chosen in members:
                combo.addItem(f"{members[chosen].full_name} (vắng mặt)", chosen)
            combo.setCurrentIndex(max(combo.findData(chosen), 0))
        self.tally.clear()
        chosen_tally = set(meeting.tally_committee) if meeting else set()
        for m in present:
            item = QListWidgetItem(m.full_name)
            item.setData(256, m.member_id)
            item.setCheckState(
                item.checkState().Checked
                if m.member_id in chosen_tally
                else item.checkState().Unchecked
            )
            self.tally.addItem(item)
        self.held_on.setDate(meeting.held_on if meeting else None)
        if meeting and meeting.starts_at:
            self.starts.setTime(QTime(meeting.starts_at.hour, meeting.starts_at.minute))
        else:
            self.starts.setTime(QTime(8, 0))
        if meeting and meeting.ends_at:
            self.ends.setTime(QTime(meeting.ends_at.hour, meeting.ends_at.minute))
        else:
            self.ends.setTime(QTime(11, 30))
        self.place.setText(meeting.place if meeting else "")
        self.upper.setText(meeting.upper_attendee if meeting else "")
        self.upper_post.setText(meeting.upper_attendee_post if meeting else "")
        self.method.setCurrentIndex(
            max(self.method.findData(meeting.voting_method), 0) if meeting else 0
        )
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
        if meeting is not None and meeting.round > 1:
            self.meeting_box.setTitle(f"Hội nghị chi bộ (lần {meeting.round}, sau khi bị trả lại)")
        else:
            self.meeting_box.setTitle("Hội nghị chi bộ")
        self._show_comments()

    def _time(self, edit: QTimeEdit) -> dt.time:
        value = edit.time()
        return dt.time(value.hour(), value.minute())

    def _save_meeting(self) -> None:
        problem = self.held_on.problem()
        if problem:
            self.host.tell(f"Ngày họp: {problem}")
            return
        tally = tuple(
            self.tally.item(i).data(256)
            for i in range(self.tally.count())
            if self.tally.item(i).checkState() == self.tally.item(i).checkState().Checked
        )
        record = procedure_steps.MeetingInput(
            held_on=self.held_on.date(),
            starts_at=self._time(self.starts),
            ends_at=self._time(self.ends),
            place=self.place.text().strip(),
            chair_id=self.chair.currentData(),
            secretary_id=self.secretary.currentData(),
            upper_attendee=self.upper.text().strip(),
            upper_attendee_post=self.upper_post.text().strip(),
            voting_method=self.method.currentData(),
            tally_committee=tally,
        )
        self.host.run(
            lambda: procedure_steps.save_meeting(
                self.host.db, self.year, self.cell_id, record, self.host.actor()
            )
        )

    def _save_present(self, line: MemberLine, present: bool | None) -> None:
        if present is None:
            return
        self.host.run(
            lambda: procedure_steps.save_attendance(
                self.host.db,
                self.year,
                self.cell_id,
                line.member_id,
                present,
                line.absence_reason,
                self.host.actor(),
            )
        )

    def _save_reason(self, line: MemberLine, reason: str) -> None:
        self.host.run(
            lambda: procedure_steps.save_attendance(
                self.host.db,
                self.year,
                self.cell_id,
                line.member_id,
                False,
                str(reason),
                self.host.actor(),
            )
        )

    def _show_comments(self) -> None:
        line = self.attendance.current_row()
        self.comment_box.setEnabled(
            isinstance(line, MemberLine) and bool(self.view and self.view.editable)
        )
        if isinstance(line, MemberLine):
            self.comment_box.setTitle(f"Ý kiến về đồng chí {line.full_name}")
            self.comments.setPlainText(line.comments)
            self.response.setPlainText(line.response)

    def _save_comments(self) -> None:
        line = self.attendance.current_row()
        if not isinstance(line, MemberLine):
            return
        comments, response = self.comments.toPlainText(), self.response.toPlainText()
        self.host.run(
            lambda: procedure_steps.save_comments(
                self.host.db, self.year, line.member_id, comments, response, self.host.actor()
            )
        )
