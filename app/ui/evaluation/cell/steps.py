"""The pages of a cell's procedure: the shared StepPage, ① preparation and ② self-review (③ is
in ``meeting``, ④ and ⑤ in ``votes``). Each page shows the cell's view and saves through its
host (CellProcedure.run), which shows refusals and refreshes everything after a save."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import format_date, format_decimal, format_int
from app.domain.procedure import CellStep
from app.services.periods import lifecycle as periods
from app.services.procedure import steps as procedure_steps
from app.services.procedure.view import CellView, MemberLine
from app.ui.common.grid import Column, Grid
from app.ui.common.widgets import set_tri_state, tri_state_value
from app.ui.evaluation.cell.item_scoring import FROM_ITEMS_TIP, ItemScoring
from app.ui.evaluation.cell.quarterly import QuarterlyLine
from app.ui.evaluation.cell.remedy_box import RemedyBox
from app.ui.evaluation.org_facts import OrgFactsDialog
from app.ui.roster.own_record import guarded

if TYPE_CHECKING:
    from app.ui.evaluation.cell.host import CellHost

NO_LEVEL = (None, "—")


def level_choices(view: CellView, kind: str) -> list[tuple[Any, str]]:
    scale = view.ruleset.scale(kind)
    return [NO_LEVEL, *[(level.code, level.short) for level in scale.levels]]


class StepPage(QWidget):
    def __init__(self, host: CellHost) -> None:
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

    def parts(self) -> list[QWidget]:
        """The page's parts in the order Ctrl+Tab visits them (the procedure adds its side
        list and footer after them). By default its grids and boxes, in Tab order."""
        found = [w for w in self.findChildren(QWidget) if isinstance(w, Grid | QGroupBox)]
        outer = [w for w in found if not any(o is not w and o.isAncestorOf(w) for o in found)]
        order = {id(w): n for n, w in enumerate(focus_chain(self))}
        return sorted(outer, key=lambda w: order.get(id(first_tab_stop(w)), len(order)))


class SideScroll(QScrollArea):
    """A side box that scrolls down when the window is short, and is never narrower than
    its fields: the side of a splitter is otherwise squeezed until the labels are cut."""

    def __init__(self, box: QWidget) -> None:
        super().__init__()
        self.setWidget(box)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a Tab stop that showed nothing

    def minimumSizeHint(self) -> QSize:
        box = self.widget()
        extra = 2 * self.frameWidth() + self.verticalScrollBar().sizeHint().width()
        width = (box.minimumSizeHint().width() if box is not None else 0) + extra
        return QSize(width, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(self.minimumSizeHint().width(), super().sizeHint().height())


def is_tab_stop(widget: QWidget) -> bool:
    return (
        widget.isVisible()
        and widget.isEnabled()
        and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
    )


def focus_chain(part: QWidget) -> list[QWidget]:
    """The widgets inside *part* in the order Tab visits them."""
    chain: list[QWidget] = []
    widget = part.nextInFocusChain()
    for _ in range(10_000):  # the chain is a ring through the whole window
        if widget is None or widget is part:
            break
        if part.isAncestorOf(widget):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def first_tab_stop(part: QWidget) -> QWidget | None:
    """Where the focus goes when *part* is entered: the part itself if it takes the focus,
    else its first child that Tab stops at; None when nothing in it can take the focus."""
    if is_tab_stop(part):
        return part
    return next((w for w in focus_chain(part) if is_tab_stop(w)), None)


# ---- ① preparation ---------------------------------------------------------------------


class PreparationPage(StepPage):
    def __init__(self, host: CellHost) -> None:
        super().__init__(host)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.grid = Grid(
            [
                Column("Họ và tên", lambda m: m.full_name),
                Column("Chức vụ Đảng", lambda m: m.party_post),
                Column("Chính thức / dự bị", lambda m: "Dự bị" if m.probationary else "Chính thức"),
                Column("Được xếp loại", lambda m: "có" if m.evaluated else "không"),
                Column("Biểu quyết", lambda m: "có" if m.votes else "không"),
                Column("Lý do không xếp loại", lambda m: m.reason_label or "", wrap=True),
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

    def parts(self) -> list[QWidget]:
        return [self.grid, self.refreeze]

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
    def __init__(self, host: CellHost) -> None:
        super().__init__(host)
        self.grid = Grid([])
        # The side box follows the current row however it moved (keys, mouse, a refresh):
        # flags and notes must never go to another member than the row being edited.
        self.grid.current_row_changed.connect(lambda _row: self._show_member())
        self.member_box = QGroupBox("Đảng viên đang chọn")
        self.degradation = QCheckBox("Đã có kết luận suy thoái")
        self.degradation.setToolTip("suy thoái về tư tưởng chính trị, đạo đức, lối sống")
        self.below_half = QCheckBox("Hoàn thành dưới 50% nhiệm vụ")
        self.below_half.setToolTip("Hoàn thành dưới 50% nhiệm vụ được giao trong năm")
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
        self.note.returnPressed.connect(self._save_member)  # Enter saves, as the button
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("Tóm tắt bản tự kiểm điểm (không bắt buộc)")
        self.text.setMaximumHeight(70)
        self.shortcomings = QPlainTextEdit()
        self.shortcomings.setPlaceholderText(
            "Hạn chế, khuyết điểm cần khắc phục (để đối chiếu năm sau)"
        )
        self.shortcomings.setMaximumHeight(60)
        for edit in (self.text, self.shortcomings):
            edit.setTabChangesFocus(True)  # Tab moves on; it typed a tab character before
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
        # The year drawn from the quarterly ratings, and their form (Alt+Q), where the period's
        # rule set rates by quarter (issue 24): saved on its own, below the box's save button.
        self.quarterly = QuarterlyLine(host, self)
        form.addRow(self.quarterly)
        # Scoring item by item, where the period has a criteria set (issue 24): a row above
        # the grid, a button in the cell's box, Ctrl+M.
        self.items = ItemScoring(host, self, self._selected)

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
        self.cell_text.returnPressed.connect(self._save_cell)  # Enter saves, as the button
        self.save_cell_button = QPushButton("&Lưu")
        self.save_cell_button.setToolTip(
            "Lưu tự đánh giá của chi bộ (Alt+L, hoặc Enter ở ô tóm tắt)"
        )
        self.save_cell_button.clicked.connect(self._save_cell)
        # The facts the rules read of the cell's year (disunity, tasks late …), with grounds.
        # No mnemonic: Alt+C opens the "Tổ chức" menu.
        self.facts_button = QPushButton("Căn cứ…")
        self.facts_button.setToolTip("Những điều các quy tắc đọc khi xếp loại chi bộ")
        self.facts_button.clicked.connect(self._edit_facts)
        cell_layout = QVBoxLayout(self.cell_box)
        # Two rows (levels and scores; the summary and its buttons): one row did not fit
        # 1366 pixels at the larger zoom steps. Tab follows the rows.
        cell_row = QHBoxLayout()
        for label, field in (
            ("Mức tự xếp loại", self.cell_level),
            ("Điểm chung", self.cell_general),
            ("Điểm nhiệm vụ", self.cell_tasks),
        ):
            buddy = QLabel(label)
            buddy.setBuddy(field)
            cell_row.addWidget(buddy)
            cell_row.addWidget(field)
        cell_row.addStretch(1)
        cell_layout.addLayout(cell_row)
        text_row = QHBoxLayout()
        text_row.addWidget(self.cell_text, 1)
        text_row.addWidget(self.items.cell_button)
        text_row.addWidget(self.facts_button)
        text_row.addWidget(self.save_cell_button)
        cell_layout.addLayout(text_row)
        # The cell's chi ủy reviews itself too, where the cell has one (QĐ 366 Điều 3).
        self.collective_part = QWidget()
        self.collective_level = QComboBox()
        self.collective_text = QLineEdit()
        self.collective_text.setPlaceholderText("Tóm tắt kiểm điểm của tập thể chi ủy")
        self.collective_text.returnPressed.connect(self._save_collective)
        self.save_collective = QPushButton("Lưu c&hi ủy")  # Alt+C opens the "Tổ chức" menu
        self.save_collective.setToolTip(
            "Lưu tự đánh giá của chi ủy (Alt+H, hoặc Enter ở ô tóm tắt)"
        )
        self.save_collective.clicked.connect(self._save_collective)
        collective_row = QHBoxLayout(self.collective_part)
        collective_row.setContentsMargins(0, 0, 0, 0)
        label = QLabel("Chi ủy tự xếp loại")
        label.setBuddy(self.collective_level)
        collective_row.addWidget(label)
        collective_row.addWidget(self.collective_level)
        collective_row.addWidget(self.collective_text, 1)
        collective_row.addWidget(self.save_collective)
        cell_layout.addWidget(self.collective_part)

        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.setChildrenCollapsible(False)
        upper.addWidget(self.grid)
        # Scrolls rather than squeezes its fields when the window is short or the font large.
        member_scroll = SideScroll(self.member_box)
        upper.addWidget(member_scroll)
        upper.setStretchFactor(0, 3)
        upper.setStretchFactor(1, 0)
        upper.setSizes([560, member_scroll.minimumSizeHint().width()])
        layout = QVBoxLayout(self)
        help_text = QLabel(
            "Nhập mức tự xếp loại (và điểm tự chấm nếu bộ quy tắc chấm điểm) cho từng đảng viên: "
            "gõ rồi bấm Tab sang ô kế tiếp, Enter xuống dòng. Mỗi ô được lưu ngay. "
            "Ctrl+Tab chuyển sang phần kế tiếp của trang."
        )
        help_text.setWordWrap(True)
        layout.addWidget(help_text)
        layout.addWidget(self.items)
        layout.addWidget(upper, 1)
        layout.addWidget(self.cell_box)

    def _columns(self, view: CellView) -> list[Column[MemberLine]]:
        save = self._save_field
        columns: list[Column[MemberLine]] = [
            Column("Họ và tên", lambda m: m.full_name),
            Column(
                "Tự xếp loại",
                lambda m: m.self_level,
                lambda m, v: save(m, level=v),
                kind="choice",
                choices=level_choices(view, "member"),
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
                    lambda m: self.items.shown(m, m.self_score_general),
                    lambda m, v: save(m, score_general=None if v is None else float(v)),
                    kind="int",
                    maximum=general,
                    editable=self.items.typed,
                    tooltip=self.items.tip,
                ),
                Column(
                    f"Điểm nhiệm vụ /{tasks}",
                    lambda m: self.items.shown(m, m.self_score_tasks),
                    lambda m, v: save(m, score_tasks=None if v is None else float(v)),
                    kind="int",
                    maximum=tasks,
                    editable=self.items.typed,
                    tooltip=self.items.tip,
                ),
                Column("Tổng", lambda m: _total(m)),
            ]
        columns.append(Column("Ghi chú", lambda m: _member_note(m), wrap=True))
        return columns

    def show_view(self, view: CellView) -> None:
        first = self.view is None or self.view.ruleset.id != view.ruleset.id
        super().show_view(view)
        if first or self.grid.grid_model.columnCount() == 0:
            columns = self._columns(view)
            self.grid.grid_model.columns = columns
            self.grid.grid_model.beginResetModel()  # the grid sizes the new columns
            self.grid.grid_model.endResetModel()
            self.state_level.clear()
            for value, label in level_choices(view, "member"):
                self.state_level.addItem("chưa có" if value is None else label, value)
            for combo in (self.cell_level, self.collective_level):
                combo.clear()
                for value, label in level_choices(view, "org"):
                    combo.addItem(label, value)
        self.grid.grid_model.greyed = lambda m: not m.evaluated
        self.items.read(view)
        self.grid.set_rows(list(view.members))
        cell = view.cell
        self.cell_level.setCurrentIndex(max(self.cell_level.findData(cell.self_level), 0))
        self.cell_general.setValue(cell.score_general if cell.score_general is not None else -1)
        self.cell_tasks.setValue(cell.score_tasks if cell.score_tasks is not None else -1)
        cell_scored = self.items.by_items(cell.subject)
        for spin in (self.cell_general, self.cell_tasks):
            spin.setReadOnly(cell_scored)  # the items' sums
            spin.setToolTip(FROM_ITEMS_TIP if cell_scored else "")
        self.cell_text.setText(cell.self_assessment)
        self.cell_box.setEnabled(view.editable and cell.evaluated)
        collective = view.collective if view.collective and view.collective.evaluated else None
        self.collective_part.setVisible(collective is not None)
        if collective is not None:
            self.collective_level.setCurrentIndex(
                max(self.collective_level.findData(collective.self_level), 0)
            )
            self.collective_text.setText(collective.self_assessment)
        self._show_member()

    def parts(self) -> list[QWidget]:
        return [self.grid, self.member_box, self.cell_box, self.collective_part]

    def _selected(self) -> MemberLine | None:
        line = self.grid.current_row()
        return line if isinstance(line, MemberLine) else None

    def _show_member(self) -> None:
        line = self._selected()
        assert self.view is not None
        self.member_box.setEnabled(line is not None and line.evaluated and self.view.editable)
        self.items.show_member(line)
        self.quarterly.show_member(self.view, line)
        if line is None:
            self.member_box.setTitle("Đảng viên đang chọn: (chọn một dòng trong bảng)")
            return
        self.member_box.setTitle(f"Đảng viên đang chọn: {line.full_name}")
        self.degradation.setChecked(line.degradation)
        self.below_half.setChecked(line.tasks_below_half)
        set_tri_state(self.on_time, line.all_tasks_on_time)
        set_tri_state(self.remedied, line.shortcomings_remedied)
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
        def saving(
            review: procedure_steps.SelfReview, version: int | None = None
        ) -> Callable[[], object]:
            save: Callable[[], object] = lambda: procedure_steps.save_self_review(  # noqa: E731
                self.host.db, self.year, line.member_id, review, self.host.actor(),
                expected_version=version,
            )  # fmt: skip
            # The operator's own record asks first.
            return guarded(self.host, self.year, line.member_id, "bản tự kiểm điểm", save)

        # *line* is the review as saved before this edit, at the version read with it: a save
        # over someone else's newer one asks first. Undo saves it back whole.
        edited = self._review_of(line, **changes)
        self.host.run(
            saving(edited, line.version),
            undo=saving(self._review_of(line)),
            label=f"bản tự kiểm điểm của {line.full_name}",
            overwrite=saving(edited),
        )

    def _save_member(self) -> None:
        line = self._selected()
        if line is None:
            return
        share = self.exceeded.value()
        self._save_field(
            line,
            degradation=self.degradation.isChecked(),
            tasks_below_half=self.below_half.isChecked(),
            all_tasks_on_time=tri_state_value(self.on_time),
            shortcomings_remedied=tri_state_value(self.remedied),
            tasks_exceeded_share=None if share < 0 else share / 100,
            state_level=self.state_level.currentData(),
            facts_note=self.note.text().strip(),
            text=self.text.toPlainText().strip(),
            shortcomings=self.shortcomings.toPlainText().strip(),
            remedy=self.carry.value(),
        )

    def _cell_assessment(self, **changes: Any) -> procedure_steps.CellSelfAssessment:
        """The cell's assessment as saved, with *changes*: a field the page does not show is
        kept, never reset."""
        assert self.view is not None
        cell = self.view.cell
        values = {
            name: getattr(cell, name)
            for name in (
                "score_general", "score_tasks", "disunity", "tasks_below_half",
                "all_tasks_on_time", "tasks_exceeded_share", "shortcomings_remedied",
                "facts_note", "member_degradation_disciplined", "tasks_late_share",
            )
        }  # fmt: skip
        values.update(level=cell.self_level, text=cell.self_assessment)
        values.update(changes)
        return procedure_steps.CellSelfAssessment(**values)

    def _save_assessment(self, assessment: procedure_steps.CellSelfAssessment) -> None:
        self.host.run(
            lambda: procedure_steps.save_cell_self_assessment(
                self.host.db, self.year, self.cell_id, assessment, self.host.actor()
            )
        )

    def _save_cell(self) -> None:
        general, tasks = self.cell_general.value(), self.cell_tasks.value()
        if self.view is not None and self.items.by_items(self.view.cell.subject):
            general = tasks = -1  # scored item by item: the items' sums stay
        self._save_assessment(
            self._cell_assessment(
                level=self.cell_level.currentData(),
                text=self.cell_text.text().strip(),
                score_general=None if general < 0 else general,
                score_tasks=None if tasks < 0 else tasks,
            )
        )

    def _edit_facts(self) -> None:
        assert self.view is not None
        dialog = OrgFactsDialog(self.view.cell.name, self.view.cell, self)
        if self.host.run_dialog(dialog):
            self._save_assessment(self._cell_assessment(**dialog.facts.values()))

    def _save_collective(self) -> None:
        assessment = procedure_steps.CellSelfAssessment(
            level=self.collective_level.currentData(), text=self.collective_text.text().strip()
        )
        self.host.run(
            lambda: procedure_steps.save_cell_self_assessment(
                self.host.db, self.year, self.cell_id, assessment, self.host.actor(),
                kind="collective",
            )
        )  # fmt: skip


def _total(line: MemberLine) -> str:
    if line.self_score_general is None or line.self_score_tasks is None:
        return ""
    # With a comma, as the items' sums beside it show (87,5).
    return format_decimal(line.self_score_general + line.self_score_tasks, 2)


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
    if line.quarterly_level:
        notes.append(f"theo quý: {line.quarterly_level}")
    if line.previous_shortcomings and not line.remedy:
        notes.append("chưa ghi khắc phục hạn chế năm trước")
    return "; ".join(notes)
