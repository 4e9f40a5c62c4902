"""The commune's appraisal: every proposal in one tree grouped by cell, the quota meter, the
findings, and the actions: accept, change with a reason, return a cell, decide and lock."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import format_int
from app.domain.procedure import CellStep, PeriodState
from app.domain.rules import Subject
from app.domain.rules.low_reasons import reason_label
from app.services.common.errors import ServiceError
from app.services.database import Database, StoreError
from app.services.procedure import appraisal, low_reason_choice, quota_simulator, stages
from app.services.procedure.appraisal import AppraisalRow, AppraisalView
from app.services.procedure.commune_review import Kind
from app.services.procedure.conflicts import ConflictError
from app.services.procedure.low_reason_choice import ReasonQuestion
from app.services.procedure.stages import StageRow
from app.ui.common import ask
from app.ui.common.column_widths import (
    CONTENT_CAP_CHARS,
    FLOOR_CHARS,
    WrappingDelegate,
    share,
)
from app.ui.evaluation.commune_review import review_commune
from app.ui.evaluation.level_dialog import LevelDialog
from app.ui.evaluation.low_reason_dialog import reason_tooltip
from app.ui.evaluation.stage_actions import (
    commune_item,
    open_history,
    record_province,
    vote_text,
)
from app.ui.roster.own_record import guarded

COLUMNS = [
    "Chi bộ / đảng viên",
    "Tự nhận",
    "Biểu quyết",
    "Chi bộ đề xuất",
    "Gợi ý theo quy tắc",
    "Đảng ủy quyết định",
    "Lý do",  # the words of the rule set's reason for a low level; code and basis on hover
    "Tỉnh ủy quyết định",  # the province's decision, for the commune's own level
    "Phát hiện",
]
# The headers as shown: the long ones on two lines, so that a column of six-letter level
# codes is not made wide by its title alone (COLUMNS stay the names code looks them up by).
HEADERS = [
    "Chi bộ / đảng viên",
    "Tự nhận",
    "Biểu quyết\n(số phiếu)",
    "Chi bộ\nđề xuất",
    "Gợi ý theo\nquy tắc",
    "Đảng ủy\nquyết định",
    "Lý do\nmức thấp",
    "Tỉnh ủy\nquyết định",
    "Phát hiện",
]
FINDINGS = COLUMNS.index("Phát hiện")
REASON = COLUMNS.index("Lý do")
VOTE = COLUMNS.index("Biểu quyết")
LEVEL_COLUMNS = tuple(
    COLUMNS.index(c)
    for c in ("Tự nhận", "Chi bộ đề xuất", "Gợi ý theo quy tắc", "Đảng ủy quyết định",
              "Tỉnh ủy quyết định")
)  # fmt: skip
# The name column shows a name this long whole (a typical Vietnamese name with its post, some
# 28 characters); a longer one is elided, whole on hover.
NAME_SAMPLE = "Nguyễn Thị Phương Thảo Hương"
# Sentences: they wrap, and their rows grow to show them whole.
WRAPS = (REASON, FINDINGS)
# What gives up width when the columns do not fit the tree: the vote (elided, whole on hover)
# and the sentences (wrapped). The names and the levels keep theirs.
SHRINKS = (VOTE, *WRAPS)
SUBJECT_ROLE = Qt.ItemDataRole.UserRole
CELL_ROLE = Qt.ItemDataRole.UserRole + 1


class AppraisalPage(QWidget):
    changed = Signal()
    back = Signal()

    def __init__(
        self,
        db: Database,
        actor: Callable[[], str],
        run_dialog: Callable[[QDialog], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.run_dialog = run_dialog
        self.year: int | None = None
        self.view: AppraisalView | None = None
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.quota_text = QLabel()
        self.quota_bar = QProgressBar()
        self.quota_bar.setTextVisible(True)
        self.quota_bar.setMaximumWidth(200)
        self.only_findings = QCheckBox("Chỉ hiện dòng có phát hiện")
        self.only_findings.toggled.connect(lambda _on: self._fill())
        self.accept_button = QPushButton("Chấp nhận đề xuất của các chi bộ đã chọn")
        self.change_button = QPushButton("Sửa mức quyết định…")
        self.return_button = QPushButton("Trả lại chi bộ…")
        self.decide_button = QPushButton("Quyết định và khóa…")
        self.back_button = QPushButton("◂ Về bảng theo dõi")
        self.simulate_button = QPushButton("Mô phỏng tỷ lệ…")  # the quota simulator
        self.simulate_button.clicked.connect(self.simulate)
        # Issue 10: a member's stages over the years; the superior's decision on the commune.
        self.history_button = QPushButton("Các bước đánh giá…")
        self.history_button.clicked.connect(self.show_history)
        self.province_button = QPushButton("Ghi quyết định của cấp trên…")
        self.province_button.clicked.connect(self.record_province)
        # The commune's own review: the đảng bộ and its standing committee (issue 16).
        self.commune_button = QPushButton("Đảng bộ tự đánh giá…")
        self.commune_button.clicked.connect(self.review_commune)
        self.stages: dict[Subject, StageRow] = {}
        self.accept_button.clicked.connect(self.accept_selected)
        self.change_button.clicked.connect(self.change_selected)
        self.return_button.clicked.connect(self.return_selected)
        self.decide_button.clicked.connect(self.decide)
        self.back_button.clicked.connect(self.back)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(HEADERS)
        self.tree.setSelectionMode(QTreeWidget.SelectionMode.ExtendedSelection)
        self.tree.setAlternatingRowColors(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.itemDoubleClicked.connect(lambda _item, _col: self.change_selected())
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.currentItemChanged.connect(lambda _now, _before: self._show_detail())
        self.wrapping = WrappingDelegate(self.tree, WRAPS)
        self.tree.setItemDelegate(self.wrapping)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(48)
        # The columns are measured when the page is opened and when the font changes, not at
        # every refresh: a width the user dragged stays while the page is open.
        self._natural: list[int] | None = None  # each column's width for its content
        self._heads: list[int] = []  # each column's width for its title
        self._floor = 0  # the narrowest a column that gives up width becomes
        self._dragged: dict[int, int] = {}  # the widths the user gave columns by dragging
        self._sizing = False  # the page sets the widths: not the user's
        header.sectionResized.connect(self._section_resized)
        self.tree.installEventFilter(self)
        head = self.tree.headerItem()
        explained = {
            REASON: "lý do xếp mức thấp theo bộ quy tắc của kỳ đánh giá; di chuột lên ô để "
            "xem mã và căn cứ",
            VOTE: "mức được biểu quyết, số phiếu và tỷ lệ phiếu",
        }
        for column, title in enumerate(HEADERS):  # each title whole, on one line, on hover
            words = " ".join(title.split())
            head.setToolTip(column, f"{words}: {explained[column]}" if column in explained
                            else words)  # fmt: skip
        # The current row's findings and reason in full, wrapped: a column can only show
        # the beginning of a sentence.
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setStyleSheet("background: #f4f6f8; padding: 4px;")
        self.detail.hide()
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fdecea; color: #8e0000; padding: 6px;")
        self.banner.hide()

        self.title.setWordWrap(True)
        self.quota_text.setWordWrap(True)
        # Four short rows rather than two long ones: at 1366×768 beside the tree of cells
        # a row of seven buttons ran off the right edge.
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title, 1)
        quota_row = QHBoxLayout()
        quota_row.addWidget(self.quota_text, 1)
        quota_row.addWidget(self.quota_bar)
        quota_row.addWidget(self.simulate_button)
        actions = QHBoxLayout()
        for widget in (self.accept_button, self.change_button, self.return_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        actions.addWidget(self.decide_button)
        tools = QHBoxLayout()
        for widget in (self.history_button, self.commune_button, self.province_button):
            tools.addWidget(widget)
        tools.addStretch(1)
        tools.addWidget(self.only_findings)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(quota_row)
        layout.addLayout(actions)
        layout.addLayout(tools)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.banner)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tree and self.view is not None:
            if event.type() == QEvent.Type.FontChange:  # zoom: measured again for the new size
                self._forget_widths()
                self._fit_columns()
            elif event.type() == QEvent.Type.Resize:  # the room changed, not the content
                self._share_width()
        return super().eventFilter(watched, event)

    def open(self, year: int) -> None:
        """The page for *year*: shown anew (another year, or coming from another page of the
        period) it measures its columns again; a refresh of the page in view keeps them."""
        if year != self.year or self.isHidden():
            self._forget_widths()
        self.year = year
        self.refresh()

    def refresh(self) -> None:
        if self.year is None:
            return
        self.view = appraisal.appraisal_view(self.db, self.year)
        self.stages = {r.subject: r for r in stages.stage_rows(self.db, self.year)}
        view = self.view
        self.title.setText(
            f"Thẩm định kết quả năm {view.year} — {view.commune_name} · "
            f"{format_int(view.submitted)}/{format_int(view.cells)} chi bộ đã nộp · "
            f"{view.state.label}"
        )
        quota = view.quota
        if quota is not None and quota.allowed is not None:
            self.quota_text.setText(
                f"Tỷ lệ {quota.level} toàn đảng bộ: {format_int(quota.used)} / "
                f"{format_int(quota.allowed)} được phép ({quota.basis})"
                + (f" — vượt {format_int(quota.over)}" if quota.over else "")
            )
            self.quota_bar.setMaximum(max(quota.allowed, quota.used, 1))
            self.quota_bar.setValue(quota.used)
            self.quota_bar.setFormat(f"{quota.used}/{quota.allowed}")
            colour = "#c62828" if quota.over else "#2e7d32"
            self.quota_bar.setStyleSheet(f"QProgressBar::chunk {{ background: {colour}; }}")
            self.quota_text.setToolTip(f"{quota.sentence}\nCăn cứ: {quota.citation}")
        else:
            self.quota_text.setText("Không giới hạn tỷ lệ HTXSNV trong bộ quy tắc này")
            self.quota_bar.hide()
        locked = view.state in (PeriodState.DECIDED, PeriodState.REPORTED)
        for button in (
            self.accept_button,
            self.change_button,
            self.return_button,
            self.decide_button,
        ):
            button.setEnabled(not locked)
        self._fill()

    def _fill(self) -> None:
        assert self.view is not None
        view = self.view
        expanded = {
            self.tree.topLevelItem(i).data(0, CELL_ROLE)
            for i in range(self.tree.topLevelItemCount())
            if self.tree.topLevelItem(i).isExpanded()
        }
        self.tree.clear()
        self._commune_item(view)
        cells: dict[int, QTreeWidgetItem] = {}
        only = self.only_findings.isChecked()
        for row in view.rows:
            findings = view.findings_for(row.subject)
            if only and not findings and row.subject.kind == "member":
                continue
            parent = cells.get(row.cell_id)
            staged = self.stages.get(row.subject)
            vote = staged.stage("vote") if staged else None
            low = staged.low_reason if staged else ""
            values = [
                row.name + (f" ({row.post})" if row.post else ""),
                row.self_level or "",
                vote_text(vote.level, vote.detail) if vote else "",
                row.proposed_level or "",
                (row.suggested_level or "") if row.proposed_level else "",
                (row.decided_level or "") + (" ✎" if row.changed else ""),
                reason_label(view.ruleset, low) if low else "",  # words; the code on hover
                "",  # the province decides only the commune's own level
                "; ".join(f.message for f in findings),
            ]
            if parent is None:
                values[0] = f"{row.cell_name} — {row.step.label}"
                item = QTreeWidgetItem(values)
                item.setData(0, CELL_ROLE, row.cell_id)
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
                self.tree.addTopLevelItem(item)
                cells[row.cell_id] = item
                first_time = not expanded and row.step is CellStep.SUBMITTED
                item.setExpanded(row.cell_id in expanded or first_time)
            else:
                item = QTreeWidgetItem(parent, values)
            item.setData(0, SUBJECT_ROLE, row.subject)
            item.setData(0, CELL_ROLE, row.cell_id)
            item.setToolTip(0, values[0])  # elided in a narrow column: whole on hover
            if vote is not None and vote.level:
                item.setToolTip(VOTE, f"{self._level_name(row.subject, vote.level)}: "
                                      f"{vote.detail}")  # fmt: skip
            self._level_tips(item, row.subject)
            item.setToolTip(
                FINDINGS, "\n".join(f"{f.message}\nCăn cứ: {f.citation}" for f in findings)
            )
            if low:
                item.setToolTip(REASON, reason_tooltip(view.ruleset, low))
            if any(f.blocking for f in findings):
                item.setForeground(FINDINGS, QColor("#b71c1c"))
            if (
                row.suggested_level
                and row.proposed_level
                and row.suggested_level != row.proposed_level
            ):
                item.setForeground(4, QColor("#8a4b00"))
        if self._natural is None:
            self._fit_columns()
        self._show_detail()
        commune_findings = [
            f for f in view.findings if f.subject.kind == "org" and f.subject.id == view.commune_id
        ]
        if commune_findings:
            self.banner.setText(
                "\n".join(
                    f"⛔ {f.message}" if f.blocking else f"⚠ {f.message}" for f in commune_findings
                )
            )
            self.banner.show()
        else:
            self.banner.hide()

    def _level_name(self, subject: Subject, code: str) -> str:
        """ "Hoàn thành tốt nhiệm vụ" for "HTTNV": the words behind a level code."""
        assert self.view is not None
        scale = self.view.ruleset.scale(subject.kind)
        return scale.get(code).name if code in scale else code

    def _level_tips(self, item: QTreeWidgetItem, subject: Subject) -> None:
        """Each level code of the row spelled out on hover."""
        for column in LEVEL_COLUMNS:
            code = item.text(column).replace("✎", "").strip()
            if code:
                tip = self._level_name(subject, code)
                if item.text(column).endswith("✎"):
                    tip += " (đảng ủy đã sửa mức chi bộ đề xuất)"
                note = item.toolTip(column)  # the province's note stays under the words
                item.setToolTip(column, f"{tip}\n{note}" if note else tip)

    def _forget_widths(self) -> None:
        self._natural = None
        self._dragged.clear()

    def _section_resized(self, column: int, _old: int, new: int) -> None:
        last = column == len(COLUMNS) - 1  # stretched to the edge by the header itself
        if not self._sizing and not last and new > 0:
            self._dragged[column] = new

    def _fit_columns(self) -> None:
        """Each column measured for its widest text (all rows, folded ones too) and its
        header, the names up to ``NAME_SAMPLE`` and the others up to ``CONTENT_CAP_CHARS``;
        then fitted to the tree (``_share_width``)."""
        metrics = self.tree.fontMetrics()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        style = self.tree.style()
        # Qt's own margins around an item's text and a header's title, and a little air.
        padding = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1) + 6
        head_padding = 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin) + 6
        heads = self.tree.header().fontMetrics()
        self._heads = [heads.size(0, title).width() + head_padding for title in HEADERS]
        widest = list(self._heads)
        indent = self.tree.indentation()
        stack = [(self.tree.topLevelItem(i), 1) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item, depth = stack.pop()
            for column in range(len(COLUMNS)):
                text = item.text(column)
                if not text:
                    continue
                font = bold_metrics if item.font(column).bold() else metrics
                width = font.horizontalAdvance(text) + padding
                if column == 0:
                    width += depth * indent
                widest[column] = max(widest[column], width)
            stack += [(item.child(j), depth + 1) for j in range(item.childCount())]
        # A member's name is two levels in.
        name_cap = metrics.horizontalAdvance(NAME_SAMPLE) + padding + 2 * indent
        cap = metrics.averageCharWidth() * CONTENT_CAP_CHARS + padding
        self._natural = [
            max(self._heads[column], min(width, name_cap if column == 0 else cap))
            for column, width in enumerate(widest)
        ]
        self._floor = metrics.averageCharWidth() * FLOOR_CHARS + padding
        self._share_width()

    def _share_width(self) -> None:
        """The measured widths, narrowed to end inside the tree when they do not fit there:
        the vote and the sentences give up width (column_widths.share); a dragged width stays
        as the user left it, and the findings take what remains."""
        if self._natural is None:
            return
        tree = self.tree
        # Room for the vertical scroll bar whether it shows or not: rows that grow and bring
        # it in do not change the widths.
        available = tree.maximumViewportSize().width() - tree.verticalScrollBar().sizeHint().width()
        natural, floors = [], []
        for column, width in enumerate(self._natural):
            width = self._dragged.get(column, width)
            natural.append(width)
            shrinks = column in SHRINKS and column not in self._dragged
            floors.append(max(self._floor, self._heads[column]) if shrinks else width)
        self._sizing = True
        try:
            for column, width in enumerate(share(natural, floors, available)):
                if tree.columnWidth(column) != width:
                    tree.setColumnWidth(column, width)
        finally:
            self._sizing = False
        self.wrapping.relayout()  # the wrapped rows' heights for the new widths

    def _show_detail(self) -> None:
        """The current row's findings (with their basis) and reason, in full sentences."""
        item = self.tree.currentItem()
        subject = item.data(0, SUBJECT_ROLE) if item is not None else None
        if self.view is None or subject is None:
            self.detail.hide()
            return
        lines = [
            f"{'⛔' if f.blocking else '⚠'} {f.message} (căn cứ: {f.citation})"
            for f in self.view.findings_for(subject)
        ]
        staged = self.stages.get(subject)
        if staged is not None and staged.low_reason:
            lines.append(f"Lý do mức thấp: {reason_label(self.view.ruleset, staged.low_reason)}")
        heading = f"<b>{html.escape(item.text(0))}</b>"
        self.detail.setText("<br>".join([heading, *map(html.escape, lines)]) if lines else "")
        self.detail.setVisible(bool(lines))

    def _commune_item(self, view: AppraisalView) -> None:
        """The commune's own organisation and its standing committee on top: their levels are
        the province's to decide."""
        if view.commune_id is None:
            return
        for kind, name in (("org", view.commune_name), ("collective", view.committee_title)):
            staged = self.stages.get(Subject(kind, view.commune_id))
            if staged is not None:
                item = commune_item(name, staged, COLUMNS)
                self._level_tips(item, staged.subject)
                item.setData(0, SUBJECT_ROLE, staged.subject)
                item.setData(0, CELL_ROLE, None)  # not a cell: accepting, returning leave it be
                self.tree.addTopLevelItem(item)

    def _selected_rows(self) -> list[AppraisalRow]:
        assert self.view is not None
        wanted = {item.data(0, SUBJECT_ROLE) for item in self.tree.selectedItems()}
        return [r for r in self.view.rows if r.subject in wanted]

    def _selected_cells(self) -> list[int]:
        cells = {item.data(0, CELL_ROLE) for item in self.tree.selectedItems()}
        return sorted(c for c in cells if c is not None)

    def _run(
        self, action: Callable[[], object], overwrite: Callable[[], object] | None = None
    ) -> bool:
        """Do one change; a refusal is said in a message. *overwrite*: the same change without
        comparing versions, offered when someone else changed the row since it was read."""
        try:
            action()
        except ConflictError as conflict:
            if overwrite is not None and ask.keep_mine(self, str(conflict), "mức quyết định"):
                return self._run(overwrite)
            ask.inform(self, "Đã tải lại bản mới", f"{conflict}")
            self.refresh()
            return False
        except (ServiceError, StoreError) as error:
            ask.warn(self, "Chưa thực hiện được", str(error))
            return False
        self.refresh()
        self.changed.emit()
        return True

    def accept_selected(self) -> None:
        assert self.year is not None
        cells = self._selected_cells()
        if not cells:
            ask.inform(self, "Chưa chọn chi bộ", "Hãy chọn các chi bộ (hoặc đảng viên) trước.")
            return
        year = self.year
        self._run(lambda: appraisal.accept_proposals(self.db, year, cells, self.actor()))

    def change_selected(self) -> None:
        assert self.view is not None and self.year is not None
        rows = self._selected_rows()
        if len(rows) != 1:
            return
        row = rows[0]
        scale = self.view.ruleset.scale(row.subject.kind)
        year = self.year
        staged = self.stages.get(row.subject)
        dialog = LevelDialog(
            row,
            [(lvl.code, lvl.name) for lvl in scale.levels],
            self,
            reasons=lambda level: self._reason_question(row.subject, level),
            current_reason=staged.low_reason if staged else "",
        )
        if not self.run_dialog(dialog):
            return
        level, reason = dialog.level.currentData(), dialog.reason.text()
        low = dialog.low_reason.chosen() or None

        def deciding(version: int | None) -> Callable[[], object]:
            save: Callable[[], object] = lambda: appraisal.change_level(  # noqa: E731
                self.db, year, row.subject, level, reason, self.actor(), low_reason=low,
                expected_version=version,
            )  # fmt: skip
            if row.subject.kind == "member":  # the operator's own record asks first
                save = guarded(self, year, row.subject.id, "mức quyết định", save)
            return save

        # Compared with the version read: a level decided meanwhile by someone else asks first.
        self._run(deciding(row.version), overwrite=deciding(None))

    def _reason_question(self, subject: Subject, level: str) -> ReasonQuestion | None:
        assert self.year is not None
        try:
            return low_reason_choice.question(self.db, self.year, subject, level)
        except ServiceError:
            return None

    def _context_menu(self, position: QPoint) -> None:
        item = self.tree.itemAt(position)
        subject = item.data(0, SUBJECT_ROLE) if item is not None else None
        if subject is None:
            return
        self.tree.setCurrentItem(item)
        menu = QMenu(self)
        if subject.kind == "member":
            menu.addAction("Sửa mức quyết định…", self.change_selected)
            menu.addAction("Các bước đánh giá qua các năm…", self.show_history)
        elif self.view is not None and subject.id == self.view.commune_id:
            menu.addAction("Tự đánh giá, biểu quyết, đề nghị…", self.review_commune)
            menu.addAction("Ghi quyết định của cấp trên…", self.record_province)
        else:
            menu.addAction("Sửa mức quyết định…", self.change_selected)
        menu.exec(self.tree.viewport().mapToGlobal(position))

    def show_history(self) -> None:
        """Every stage of the selected member, year by year."""
        rows = [r for r in self._selected_rows() if r.subject.kind == "member"]
        if len(rows) != 1:
            ask.inform(self, "Chọn một đảng viên", "Hãy chọn đúng một đảng viên trong bảng.")
            return
        open_history(self.run_dialog, self, self.db, rows[0].subject.id, rows[0].name)

    def _commune_kind(self) -> Kind:
        """The commune subject the user picked: its standing committee's line, else the đảng
        bộ's own."""
        item = self.tree.currentItem()
        subject = item.data(0, SUBJECT_ROLE) if item is not None else None
        commune = self.view.commune_id if self.view is not None else None
        if subject is not None and subject.id == commune and subject.kind == "collective":
            return "collective"
        return "org"

    def review_commune(self) -> None:
        """The commune's own review: self-assessment, the đảng ủy's vote, the proposal."""
        assert self.view is not None and self.year is not None
        if self.view.commune_id is None:
            return
        rs = self.view.ruleset
        levels = [(lvl.code, lvl.name) for lvl in rs.scale("org").levels]
        scored = rs.score is not None and rs.score.enabled and "org" in rs.score.applies_to
        if review_commune(
            self.run_dialog, self, self.db, self.year, self._commune_kind(), levels, scored,
            self.actor(),
        ):  # fmt: skip
            self.refresh()
            self.changed.emit()

    def record_province(self) -> None:
        """The superior's decision on the commune's own level (the regulation's step 6), or
        on its standing committee's."""
        assert self.view is not None and self.year is not None
        if self.view.commune_id is None:
            return
        kind = self._commune_kind()
        name = self.view.commune_name if kind == "org" else self.view.committee_title
        levels = [(lvl.code, lvl.name) for lvl in self.view.ruleset.scale("org").levels]
        if record_province(
            self.run_dialog, self, self.db, self.year, self.view.commune_id, name, levels,
            self.actor(), kind=kind,
        ):  # fmt: skip
            self.refresh()
            self.changed.emit()

    def return_selected(self) -> None:
        assert self.year is not None
        cells = self._selected_cells()
        if len(cells) != 1:
            ask.inform(self, "Chọn một chi bộ", "Hãy chọn đúng một chi bộ để trả lại.")
            return
        reason = ask.text(self, "Trả lại chi bộ", "Lý do trả lại (chi bộ sẽ thấy lý do này):")
        if not reason:
            return
        year = self.year
        self._run(lambda: appraisal.return_cell(self.db, year, cells[0], reason, self.actor()))

    def decide(self) -> None:
        assert self.year is not None and self.view is not None
        cells = self._selected_cells()
        submitted = [r.cell_id for r in self.view.rows if r.step is CellStep.SUBMITTED]
        targets = cells or sorted(set(submitted))
        if not targets:
            ask.inform(self, "Chưa có chi bộ chờ quyết định", "Chưa chi bộ nào nộp kết quả.")
            return
        if not ask.confirm(
            self,
            "Quyết định và khóa",
            f"Quyết định kết quả của {len(targets)} chi bộ và khóa lại? Sau khi khóa, muốn "
            "sửa phải mở khóa và ghi lý do. Dữ liệu được sao lưu trước khi khóa.",
            "Quyết định và khóa",
        ):
            return
        year = self.year
        self._run(lambda: appraisal.decide_and_lock(self.db, year, targets, self.actor()))

    def simulate(self) -> None:
        assert self.year is not None
        from app.ui.evaluation.quota_dialog import open_quota_dialog

        source = quota_simulator.commune_input(self.db, self.year)
        open_quota_dialog(source, self.view.commune_name if self.view else "", self)

    def subjects(self) -> list[Subject]:
        return [r.subject for r in self.view.rows] if self.view else []
