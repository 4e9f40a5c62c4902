"""The five pages of a cell's procedure. Each shows the cell's view and saves through its
host (CellProcedure.run), which shows refusals and refreshes everything after a save."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import format_date, format_int
from app.domain.procedure import CellStep
from app.domain.rules import Subject
from app.services import periods, procedure_steps
from app.services.procedure_view import CellView, MemberLine, OrgLine, vote_ceiling
from app.ui.grid import Column, Grid
from app.ui.low_reason_dialog import ask_reason, reason_tooltip
from app.ui.own_record import guarded
from app.ui.remedy_box import RemedyBox
from app.ui.widgets import DateField

if TYPE_CHECKING:
    from app.ui.cell_procedure import CellProcedure

NO_LEVEL = (None, "—")


def level_choices(view: CellView, kind: str) -> list[tuple[Any, str]]:
    scale = view.ruleset.scale(kind)
    return [NO_LEVEL, *[(level.code, level.short) for level in scale.levels]]


def _tri_state(box: QCheckBox, value: bool | None) -> None:
    box.setTristate(True)
    box.setCheckState(
        {True: box.checkState().Checked, False: box.checkState().Unchecked}.get(
            value,  # type: ignore[arg-type]
            box.checkState().PartiallyChecked,
        )
    )


def _tri_value(box: QCheckBox) -> bool | None:
    state = box.checkState()
    if state == state.PartiallyChecked:
        return None
    return state == state.Checked


class StepPage(QWidget):
    def __init__(self, host: CellProcedure) -> None:
        super().__init__()
        self.host = host
        self.view: CellView | None = None

    @property
    def year(self) -> int:
        assert self.host.year is not None
        return self.host.year

    @property
    def cell_id(self) -> int:
        assert self.host.cell_id is not None
        return self.host.cell_id

    def show_view(self, view: CellView) -> None:
        self.view = view


# ---- ① preparation ---------------------------------------------------------------------


class PreparationPage(StepPage):
    def __init__(self, host: CellProcedure) -> None:
        super().__init__(host)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.grid = Grid(
            [
                Column("Họ và tên", lambda m: m.full_name, width=230),
                Column("Chức vụ Đảng", lambda m: m.party_post, width=150),
                Column(
                    "Chính thức / dự bị",
                    lambda m: "Dự bị" if m.probationary else "Chính thức",
                    width=130,
                ),
                Column("Được xếp loại", lambda m: "có" if m.evaluated else "không", width=110),
                Column("Biểu quyết", lambda m: "có" if m.votes else "không", width=90),
                Column("Lý do không xếp loại", lambda m: m.reason_label or ""),
            ]
        )
        self.grid.grid_model.greyed = lambda m: not m.evaluated
        self.refreeze = QPushButton("Chốt lại danh sách theo ngày chốt")
        self.refreeze.clicked.connect(self._refreeze)
        hint = QLabel(
            "Danh sách được chốt theo ngày chốt của kỳ đánh giá. Nếu vừa sửa hồ sơ đảng viên "
            "(chuyển sinh hoạt, miễn sinh hoạt…), bấm “Chốt lại danh sách”. Phiếu đánh giá và "
            "bản kiểm điểm in sẵn: thẻ “Văn bản”."
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.grid, 1)
        row = QHBoxLayout()
        row.addWidget(hint, 1)
        row.addWidget(self.refreeze)
        layout.addLayout(row)

    def show_view(self, view: CellView) -> None:
        super().show_view(view)
        self.grid.set_rows(list(view.members))
        evaluated = sum(1 for m in view.members if m.evaluated)
        self.summary.setText(
            f"Chốt ngày {format_date(view.reference_date)}: {format_int(len(view.members))} đảng "
            f"viên, {format_int(evaluated)} được xếp loại, {format_int(view.voters)} đảng viên "
            "chính thức được biểu quyết."
        )
        self.refreeze.setEnabled(view.editable and view.step is CellStep.PREPARATION)

    def _refreeze(self) -> None:
        self.host.run(
            lambda: periods.refreeze_cell(self.host.db, self.year, self.cell_id, self.host.actor())
        )


# ---- ② self-review ---------------------------------------------------------------------


class SelfReviewPage(StepPage):
    def __init__(self, host: CellProcedure) -> None:
        super().__init__(host)
        self.grid = Grid([])
        self.grid.clicked.connect(lambda _i: self._show_member())
        self.grid.selectionModel()
        self.member_box = QGroupBox("Đảng viên đang chọn")
        self.degradation = QCheckBox("Đã có kết luận suy thoái")
        self.degradation.setToolTip("suy thoái về tư tưởng chính trị, đạo đức, lối sống")
        self.below_half = QCheckBox("Hoàn thành dưới 50% nhiệm vụ được giao")
        self.on_time = QCheckBox("100% nhiệm vụ đúng tiến độ")
        self.remedied = QCheckBox("Đã khắc phục hạn chế đã chỉ ra")
        for box in (self.on_time, self.remedied):
            box.setToolTip("Ô có gạch ngang: chưa rõ (không tính là có, không tính là không)")
        self.exceeded = QSpinBox()
        self.exceeded.setRange(-1, 100)
        self.exceeded.setSpecialValueText("chưa rõ")
        self.exceeded.setSuffix(" %")
        self.state_level = QComboBox()
        self.note = QLineEdit()
        self.note.setPlaceholderText("Căn cứ của các ô trên (ví dụ: Kết luận số … của UBKT)")
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("Tóm tắt bản tự kiểm điểm (không bắt buộc)")
        self.text.setMaximumHeight(70)
        self.shortcomings = QPlainTextEdit()
        self.shortcomings.setPlaceholderText(
            "Hạn chế, khuyết điểm cần khắc phục (để đối chiếu năm sau)"
        )
        self.shortcomings.setMaximumHeight(60)
        save_member = QPushButton("Lưu thông tin đảng viên")
        save_member.clicked.connect(self._save_member)
        form = QFormLayout(self.member_box)
        form.addRow(self.degradation)
        form.addRow(self.below_half)
        form.addRow(self.on_time)
        form.addRow("Nhiệm vụ vượt yêu cầu", self.exceeded)
        form.addRow(self.remedied)
        form.addRow("Xếp loại công chức", self.state_level)
        form.addRow("Căn cứ", self.note)
        form.addRow(self.text)
        form.addRow(self.shortcomings)
        self.carry = RemedyBox()  # last year's shortcomings: how were they remedied?
        form.addRow(self.carry)
        form.addRow(save_member)

        self.cell_box = QGroupBox("Chi bộ tự đánh giá tập thể")
        self.cell_level = QComboBox()
        self.cell_general = QDoubleSpinBox()
        self.cell_tasks = QDoubleSpinBox()
        for spin in (self.cell_general, self.cell_tasks):
            spin.setRange(-1, 100)
            spin.setDecimals(1)
            spin.setSpecialValueText("chưa chấm")
        self.cell_text = QLineEdit()
        self.cell_text.setPlaceholderText("Tóm tắt báo cáo kiểm điểm tập thể (Mẫu 01)")
        save_cell = QPushButton("Lưu")
        save_cell.clicked.connect(self._save_cell)
        cell_layout = QVBoxLayout(self.cell_box)
        cell_row = QHBoxLayout()
        cell_row.addWidget(QLabel("Mức tự xếp loại"))
        cell_row.addWidget(self.cell_level)
        cell_row.addWidget(QLabel("Điểm chung"))
        cell_row.addWidget(self.cell_general)
        cell_row.addWidget(QLabel("Điểm nhiệm vụ"))
        cell_row.addWidget(self.cell_tasks)
        cell_row.addStretch(1)
        cell_row.addWidget(save_cell)
        cell_layout.addLayout(cell_row)
        cell_layout.addWidget(self.cell_text)

        self.member_box.setMaximumWidth(330)
        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(self.grid)
        # Scrolls rather than squeezes its fields when the window is short or the font large.
        member_scroll = QScrollArea()
        member_scroll.setWidget(self.member_box)
        member_scroll.setWidgetResizable(True)
        member_scroll.setMaximumWidth(360)
        member_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        upper.addWidget(member_scroll)
        upper.setStretchFactor(0, 3)
        upper.setStretchFactor(1, 2)
        upper.setSizes([560, 380])
        layout = QVBoxLayout(self)
        help_text = QLabel(
            "Nhập mức tự xếp loại (và điểm tự chấm nếu bộ quy tắc chấm điểm) cho từng đảng viên: "
            "gõ rồi bấm Tab sang cột bên, Enter xuống dòng. Mỗi ô được lưu ngay."
        )
        help_text.setWordWrap(True)
        layout.addWidget(help_text)
        layout.addWidget(upper, 1)
        layout.addWidget(self.cell_box)

    def _columns(self, view: CellView) -> list[Column[MemberLine]]:
        save = self._save_field
        columns: list[Column[MemberLine]] = [
            Column("Họ và tên", lambda m: m.full_name, width=180),
            Column(
                "Tự xếp loại",
                lambda m: m.self_level,
                lambda m, v: save(m, level=v),
                kind="choice",
                choices=level_choices(view, "member"),
                width=92,
                editable=lambda m: m.evaluated,
            ),
        ]
        model = view.ruleset.score
        if model is not None and model.enabled and "member" in model.applies_to:
            general = int(model.general_max or 100)
            tasks = int(model.tasks_max or 100)
            columns += [
                Column(
                    f"Điểm chung /{general}",
                    lambda m: (
                        int(m.self_score_general) if m.self_score_general is not None else None
                    ),
                    lambda m, v: save(m, score_general=float(v)),
                    kind="int",
                    width=105,
                    maximum=general,
                    editable=lambda m: m.evaluated,
                ),
                Column(
                    f"Điểm nhiệm vụ /{tasks}",
                    lambda m: int(m.self_score_tasks) if m.self_score_tasks is not None else None,
                    lambda m, v: save(m, score_tasks=float(v)),
                    kind="int",
                    width=120,
                    maximum=tasks,
                    editable=lambda m: m.evaluated,
                ),
                Column("Tổng", lambda m: _total(m), width=60),
            ]
        columns.append(Column("Ghi chú", lambda m: _member_note(m)))
        return columns

    def show_view(self, view: CellView) -> None:
        first = self.view is None or self.view.ruleset.id != view.ruleset.id
        super().show_view(view)
        if first or self.grid.grid_model.columnCount() == 0:
            columns = self._columns(view)
            self.grid.grid_model.columns = columns
            self.grid.grid_model.beginResetModel()
            self.grid.grid_model.endResetModel()
            for number, column in enumerate(columns):
                if column.width:
                    self.grid.setColumnWidth(number, column.width)
            self.state_level.clear()
            for value, label in level_choices(view, "member"):
                self.state_level.addItem("chưa có" if value is None else label, value)
            self.cell_level.clear()
            for value, label in level_choices(view, "org"):
                self.cell_level.addItem(label, value)
        self.grid.grid_model.greyed = lambda m: not m.evaluated
        self.grid.set_rows(list(view.members))
        cell = view.cell
        self.cell_level.setCurrentIndex(max(self.cell_level.findData(cell.self_level), 0))
        self.cell_general.setValue(cell.score_general if cell.score_general is not None else -1)
        self.cell_tasks.setValue(cell.score_tasks if cell.score_tasks is not None else -1)
        self.cell_text.setText(cell.self_assessment)
        self.cell_box.setEnabled(view.editable and cell.evaluated)
        self._show_member()

    def _selected(self) -> MemberLine | None:
        line = self.grid.current_row()
        return line if isinstance(line, MemberLine) else None

    def _show_member(self) -> None:
        line = self._selected()
        assert self.view is not None
        self.member_box.setEnabled(line is not None and line.evaluated and self.view.editable)
        if line is None:
            self.member_box.setTitle("Đảng viên đang chọn: (chọn một dòng trong bảng)")
            return
        self.member_box.setTitle(f"Đảng viên đang chọn: {line.full_name}")
        self.degradation.setChecked(line.degradation)
        self.below_half.setChecked(line.tasks_below_half)
        _tri_state(self.on_time, line.all_tasks_on_time)
        _tri_state(self.remedied, line.shortcomings_remedied)
        share = line.tasks_exceeded_share
        self.exceeded.setValue(-1 if share is None else round(share * 100))
        self.state_level.setCurrentIndex(max(self.state_level.findData(line.state_level), 0))
        self.state_level.setEnabled(line.is_civil_servant)
        self.note.setText(line.facts_note)
        self.text.setPlainText(line.self_review)
        self.shortcomings.setPlainText(line.shortcomings)
        self.carry.show_line(line, self.view.year)

    def _review_of(self, line: MemberLine, **changes: Any) -> procedure_steps.SelfReview:
        values: dict[str, Any] = {
            "level": line.self_level,
            "score_general": line.self_score_general,
            "score_tasks": line.self_score_tasks,
            "degradation": line.degradation,
            "tasks_below_half": line.tasks_below_half,
            "state_level": line.state_level,
            "all_tasks_on_time": line.all_tasks_on_time,
            "tasks_exceeded_share": line.tasks_exceeded_share,
            "shortcomings_remedied": line.shortcomings_remedied,
            "facts_note": line.facts_note,
            "text": line.self_review,
            "shortcomings": line.shortcomings,
            "remedy": line.remedy,
        }
        values.update(changes)
        return procedure_steps.SelfReview(**values)

    def _save_field(self, line: MemberLine, **changes: Any) -> None:
        review = self._review_of(line, **changes)
        save: Callable[[], object] = lambda: procedure_steps.save_self_review(  # noqa: E731
            self.host.db, self.year, line.member_id, review, self.host.actor()
        )
        # The operator's own record asks first (issue 10).
        self.host.run(guarded(self.host, self.year, line.member_id, "bản tự kiểm điểm", save))

    def _save_member(self) -> None:
        line = self._selected()
        if line is None:
            return
        share = self.exceeded.value()
        self._save_field(
            line,
            degradation=self.degradation.isChecked(),
            tasks_below_half=self.below_half.isChecked(),
            all_tasks_on_time=_tri_value(self.on_time),
            shortcomings_remedied=_tri_value(self.remedied),
            tasks_exceeded_share=None if share < 0 else share / 100,
            state_level=self.state_level.currentData(),
            facts_note=self.note.text().strip(),
            text=self.text.toPlainText().strip(),
            shortcomings=self.shortcomings.toPlainText().strip(),
            remedy=self.carry.value(),
        )

    def _save_cell(self) -> None:
        general, tasks = self.cell_general.value(), self.cell_tasks.value()
        assessment = procedure_steps.CellSelfAssessment(
            level=self.cell_level.currentData(),
            text=self.cell_text.text().strip(),
            score_general=None if general < 0 else general,
            score_tasks=None if tasks < 0 else tasks,
        )
        self.host.run(
            lambda: procedure_steps.save_cell_self_assessment(
                self.host.db, self.year, self.cell_id, assessment, self.host.actor()
            )
        )


def _total(line: MemberLine) -> str:
    if line.self_score_general is None or line.self_score_tasks is None:
        return ""
    return f"{line.self_score_general + line.self_score_tasks:g}"


def _member_note(line: MemberLine) -> str:
    if not line.evaluated:
        return f"Không xếp loại: {line.reason_label}"
    notes = []
    if line.probationary:
        notes.append("dự bị")
    if line.degradation:
        notes.append("có kết luận suy thoái")
    if line.tasks_below_half:
        notes.append("dưới 50% nhiệm vụ")
    if line.is_civil_servant:
        notes.append("công chức" + (f": {line.state_level}" if line.state_level else ""))
    if line.previous_shortcomings and not line.remedy:
        notes.append("chưa ghi khắc phục hạn chế năm trước")
    return "; ".join(notes)


# ---- ③ the meeting -----------------------------------------------------------------------


class MeetingPage(StepPage):
    def __init__(self, host: CellProcedure) -> None:
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
            self.host.banner.setText(f"Ngày họp: {problem}")
            self.host.banner.show()
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


# ---- ④ votes ----------------------------------------------------------------------------

VoteRow = MemberLine | OrgLine


class VotingPage(StepPage):
    def __init__(self, host: CellProcedure) -> None:
        super().__init__(host)
        self.issued = QSpinBox()
        self.returned = QSpinBox()
        self.valid = QSpinBox()
        for spin in (self.issued, self.returned, self.valid):
            spin.setRange(0, 999)
        save_ballots = QPushButton("Lưu số phiếu")
        save_ballots.clicked.connect(self._save_ballots)
        self.ballots_box = QGroupBox("Số phiếu (bỏ phiếu kín)")
        ballots = QHBoxLayout(self.ballots_box)
        for label, spin in (
            ("Phát ra", self.issued),
            ("Thu về", self.returned),
            ("Hợp lệ", self.valid),
        ):
            ballots.addWidget(QLabel(label))
            ballots.addWidget(spin)
        ballots.addWidget(save_ballots)
        ballots.addStretch(1)
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.grid = Grid([])
        self.grid.clicked.connect(lambda _i: self._explain())
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet("background: #eef4fb; padding: 6px;")
        self.take_all = QPushButton("Lấy mức theo kết quả biểu quyết cho các dòng chưa đề xuất")
        self.take_all.clicked.connect(self._take_suggestions)
        layout = QVBoxLayout(self)
        layout.addWidget(self.ballots_box)
        layout.addWidget(self.header)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.explanation)
        row = QHBoxLayout()
        # Issue 10: the tally entered by two tellers, and the quota simulator.
        self.two_tellers = QPushButton("Hai người nhập kiểm phiếu…")
        self.two_tellers.clicked.connect(self._two_tellers)
        self.simulate = QPushButton("Mô phỏng tỷ lệ xuất sắc…")
        self.simulate.clicked.connect(self._simulate)
        row.addWidget(self.two_tellers)
        row.addWidget(self.simulate)
        row.addStretch(1)
        row.addWidget(self.take_all)
        layout.addLayout(row)

    def _two_tellers(self) -> None:
        from app.ui.tally_entry import open_tally_entry

        open_tally_entry(self.host, self.year, self.cell_id)

    def _simulate(self) -> None:
        from app.services import quota_simulator
        from app.ui.quota_dialog import open_quota_dialog

        source = quota_simulator.cell_input(self.host.db, self.year, self.cell_id)
        open_quota_dialog(source, self.view.cell_name if self.view else "", self)

    def _columns(self, view: CellView) -> list[Column[VoteRow]]:
        member_scale = view.ruleset.member_levels
        columns: list[Column[VoteRow]] = [
            Column(
                "Họ và tên / tổ chức",
                lambda r: r.full_name if isinstance(r, MemberLine) else r.name,
                width=210,
            ),
        ]
        for level in member_scale.levels:
            code = level.code
            columns.append(
                Column(
                    level.short,
                    lambda r, c=code: r.vote_counts.get(c, 0) or None,
                    lambda r, v, c=code: self._save_vote(r, c, v),
                    kind="int",
                    width=64,
                    editable=lambda r: _votable(r),
                )
            )
        columns += [
            Column(
                "Kết quả",
                lambda r: r.suggested_level or "",
                width=90,
                tooltip=lambda r: r.vote_explanation,
            ),
            Column(
                "Đề xuất",
                lambda r: r.proposed_level,
                lambda r, v: self._save_proposal(r, v),
                kind="choice",
                choices=level_choices(view, "member"),
                width=100,
                editable=lambda r: _votable(r),
            ),
            # The reason recorded with a low level (issue 10): the code, its text on hover.
            Column(
                "Lý do",
                lambda r: r.low_reason,
                width=60,
                tooltip=lambda r: reason_tooltip(view.ruleset, r.low_reason),
            ),
            Column(
                "Ghi chú",
                lambda r: r.proposal_note if _votable(r) else f"Không xếp loại: {r.reason_label}",
            ),
        ]
        return columns

    def _rows(self, view: CellView) -> list[VoteRow]:
        rows: list[VoteRow] = [view.cell]
        if view.collective is not None:
            rows.append(view.collective)
        rows += [m for m in view.members if m.evaluated]
        return rows

    def show_view(self, view: CellView) -> None:
        first = self.view is None or self.grid.grid_model.columnCount() == 0
        super().show_view(view)
        if first:
            columns = self._columns(view)
            self.grid.grid_model.columns = columns
            self.grid.grid_model.beginResetModel()
            self.grid.grid_model.endResetModel()
            for number, column in enumerate(columns):
                if column.width:
                    self.grid.setColumnWidth(number, column.width)
        self.grid.set_rows(self._rows(view))
        meeting = view.meeting
        secret = meeting is None or meeting.secret_ballot
        self.ballots_box.setVisible(secret)
        if meeting is not None:
            self.issued.setValue(meeting.ballots_issued or 0)
            self.returned.setValue(meeting.ballots_returned or 0)
            self.valid.setValue(meeting.ballots_valid or 0)
        ceiling, label = vote_ceiling(meeting, view.voters_present)
        self.header.setText(
            f"{format_int(view.voters)} đảng viên chính thức được biểu quyết, "
            f"{format_int(view.voters_present)} có mặt. Mỗi dòng tối đa {format_int(ceiling)} "
            f"phiếu ({label}). Tỷ lệ tính trên {format_int(view.voters)} đảng viên chính thức."
        )
        self.ballots_box.setEnabled(view.editable)
        self.take_all.setEnabled(view.editable)
        self._explain()

    def _explain(self) -> None:
        row = self.grid.current_row()
        if row is None:
            self.explanation.setText("Chọn một dòng để xem kết quả được tính thế nào.")
            return
        parts = [p for p in (row.vote_explanation, row.suggestion_reason) if p]
        self.explanation.setText(" ".join(dict.fromkeys(parts)) or "Chưa nhập số phiếu.")

    def _save_ballots(self) -> None:
        values = (
            self.issued.value() or None,
            self.returned.value() or None,
            self.valid.value() or None,
        )
        self.host.run(
            lambda: procedure_steps.save_ballots(
                self.host.db, self.year, self.cell_id, *values, self.host.actor()
            )
        )

    def _save_vote(self, row: VoteRow, code: str, value: object) -> None:
        counts = dict(row.vote_counts)
        counts[code] = int(value or 0)
        save: Callable[[], object] = lambda: procedure_steps.save_votes(  # noqa: E731
            self.host.db, self.year, row.subject, counts, self.host.actor()
        )
        if row.subject.kind == "member":  # the votes on the operator's own record ask too
            save = guarded(self.host, self.year, row.subject.id, "kết quả biểu quyết", save)
        self.host.run(save)

    def _reason_for(self, row: VoteRow, level: str | None) -> str | None:
        """Ask the reason for a low level the engine cannot explain; None: cancelled."""
        name = row.full_name if isinstance(row, MemberLine) else row.name
        return ask_reason(
            self.host.run_dialog, self, self.host.db, self.year, row.subject, level, name
        )

    def _save_proposal(self, row: VoteRow, level: object) -> None:
        chosen = level if isinstance(level, str) else None
        reason = self._reason_for(row, chosen)
        if reason is None:  # cancelled: nothing saved, the grid shows the old level again
            self.host.refresh()
            return
        save: Callable[[], object] = lambda: procedure_steps.set_proposal(  # noqa: E731
            self.host.db,
            self.year,
            row.subject,
            chosen,
            actor=self.host.actor(),
            reason=reason or None,
        )
        if row.subject.kind == "member":  # the operator's own record asks first (issue 10)
            save = guarded(self.host, self.year, row.subject.id, "mức đề xuất", save)
        self.host.run(save)

    def _take_suggestions(self) -> None:
        assert self.view is not None
        pending = [
            r
            for r in self._rows(self.view)
            if r.proposed_level is None and r.suggested_level is not None
        ]

        reasons: dict[Subject, str] = {}
        for r in pending:  # a low level the engine cannot explain asks its reason first
            reason = self._reason_for(r, r.suggested_level)
            if reason is None:
                return
            reasons[r.subject] = reason

        def propose(r: VoteRow) -> Callable[[], object]:
            return lambda: procedure_steps.set_proposal(
                self.host.db, self.year, r.subject, r.suggested_level,
                actor=self.host.actor(), reason=reasons[r.subject] or None,
            )  # fmt: skip

        def mine(r: VoteRow) -> bool:
            return r.subject.kind == "member" and r.subject.id == own

        def take() -> None:
            # The operator's own record goes last and asks first (declining it keeps the rest).
            for r in sorted(pending, key=mine):
                if r.subject.kind == "member":
                    guarded(self.host, self.year, r.subject.id, "mức đề xuất", propose(r))()
                else:
                    propose(r)()

        guard = getattr(self.host, "own_guard", None)
        own = guard.member_id() if guard is not None else None
        self.host.run(take)


def _votable(row: VoteRow) -> bool:
    return row.evaluated


# ---- ⑤ minutes and submission -----------------------------------------------------------


class SubmitPage(StepPage):
    def __init__(self, host: CellProcedure) -> None:
        super().__init__(host)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.grid = Grid(
            [
                Column(
                    "Họ và tên / tổ chức",
                    lambda r: r.full_name if isinstance(r, MemberLine) else r.name,
                    width=240,
                ),
                Column("Tự xếp loại", lambda r: r.self_level or "", width=100),
                Column(
                    "Biểu quyết",
                    lambda r: r.suggested_level or "",
                    width=100,
                    tooltip=lambda r: r.vote_explanation,
                ),
                Column("Chi bộ đề xuất", lambda r: r.proposed_level or "", width=120),
                Column("Đảng ủy quyết định", lambda r: r.decided_level or "", width=140),
                Column(
                    "Lý do mức thấp",
                    lambda r: r.low_reason,
                    width=110,
                    tooltip=lambda r: (
                        reason_tooltip(self.view.ruleset, r.low_reason) if self.view else ""
                    ),
                ),
                Column("Lý do thay đổi", lambda r: r.decision_reason),
            ]
        )
        self.submit_button = QPushButton("Nộp kết quả lên đảng ủy")
        self.submit_button.clicked.connect(self.host_advance)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.grid, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.submit_button)
        layout.addLayout(row)

    def host_advance(self) -> None:
        self.host.advance()

    def show_view(self, view: CellView) -> None:
        super().show_view(view)
        rows: list[VoteRow] = [view.cell]
        if view.collective is not None:
            rows.append(view.collective)
        rows += [m for m in view.members if m.evaluated]
        self.grid.set_rows(rows)
        counts: dict[str, int] = {}
        for m in view.members:
            if m.evaluated and m.proposed_level:
                counts[m.proposed_level] = counts.get(m.proposed_level, 0) + 1
        listing = ", ".join(f"{format_int(n)} {code}" for code, n in counts.items()) or "chưa có"
        if view.step is CellStep.DECIDED:
            state = "Đảng ủy đã quyết định và khóa kết quả."
        elif view.step is CellStep.SUBMITTED:
            state = "Đã nộp; đang chờ đảng ủy thẩm định."
        else:
            state = (
                "Khi đủ kết quả biểu quyết và mức đề xuất, bấm “Nộp kết quả lên đảng ủy”. "
                "Sau khi nộp, chi bộ không sửa được nữa trừ khi đảng ủy trả lại."
            )
        self.summary.setText(f"Đề xuất của chi bộ: {listing}. {state}")
        self.submit_button.setEnabled(view.step is CellStep.VOTING and view.editable)


def subject_of(row: VoteRow) -> Subject:
    return row.subject
