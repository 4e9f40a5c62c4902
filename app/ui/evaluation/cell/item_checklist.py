"""Scoring item by item (issue 24): a subject's sheet of the period's criteria set as a
checklist (``item_grid``), grouped, with the group sums and the 30 / 70 / 100 totals updated as
the user types; Ctrl+Enter saves it whole through ``item_scores.enter_item_scores``, Escape
closes, asking first when something was typed.

The sums shown while typing come from the criteria domain's own scoring of what is on screen;
what is saved is checked again by the service, whose refusal (naming the item) stays in the
dialog with nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.domain.criteria import (
    CONFIDENCE_LABELS,
    PART_LABELS,
    CriteriaSet,
    Item,
    ItemEntry,
    ItemScore,
    SheetScore,
    explain,
    points_text,
    score_entries,
)
from app.domain.rules import Subject
from app.services.common.errors import ServiceError, ValidationError
from app.services.database import Database
from app.services.periods import criteria_sets
from app.services.procedure import item_scores
from app.services.procedure.item_scores import ItemSheet
from app.ui.common import ask
from app.ui.common.form_dialog import DISCARD_ACTION, DISCARD_TITLE
from app.ui.common.grid import Column
from app.ui.common.widgets import fit_to_screen
from app.ui.evaluation.cell.item_grid import (
    MET_WORDS,
    ChecklistGrid,
    EntryDelegate,
    Line,
    Value,
    how_scored,
    how_scored_long,
    parse_points,
)

SaveGuard = Callable[[Callable[[], object]], Callable[[], object]]

SAVE_KEYS = ("Ctrl+Return", "Ctrl+Enter")
STAGE_NAMES = {"self": "tự chấm", "chi_uy": "chi ủy chấm"}


def stage_choices(subject: Subject, has_chi_uy: bool) -> list[tuple[str, str]]:
    """The stages a subject is scored at, as the dialog offers them."""
    if subject.kind != "member":
        return [("self", "Tự chấm")]
    choices = [("self", "Đảng viên tự chấm")]
    if has_chi_uy:
        choices.append(("chi_uy", "Chi ủy chấm"))
    return choices


class ItemChecklistDialog(QDialog):
    """A subject's criteria, item by item, at a stage (chosen at the top for a member: the
    self-review, or the chi ủy's assessment). ``saved`` holds the sheet as stored once the
    user saved; ``before`` the entries the saved stage had when the dialog opened (what
    Ctrl+Z on the page puts back)."""

    def __init__(
        self,
        db: Database,
        year: int,
        subject: Subject,
        name: str,
        actor: Callable[[], str],
        *,
        stages: list[tuple[str, str]] | None = None,
        stage: str = "self",
        editable: bool = True,
        guard: SaveGuard | None = None,
        parent: QWidget | None = None,
    ) -> None:
        # Read first: a refusal (no criteria set, no sheet for this subject) leaves no dialog.
        kept = criteria_sets.period_criteria(db, year)
        if kept is None:
            raise ServiceError(f"Kỳ đánh giá năm {year} chưa chọn bộ tiêu chí chấm điểm.")
        first = item_scores.item_sheet(db, year, subject, stage)
        super().__init__(parent)
        self.db, self.year, self.subject, self.name = db, year, subject, name
        self.actor = actor
        self.editable = editable
        self.guard: SaveGuard = guard or (lambda save: save)
        self.saved: ItemSheet | None = None
        self.saved_stage: str | None = None
        self.before: dict[str, ItemEntry] = {}
        self.setWindowTitle(f"Chấm từng mục — {name}")
        self.cset: CriteriaSet = kept.criteria
        self.stage = stage
        self.sheet: ItemSheet | None = None
        self.lines: list[Line] = []
        self.values: dict[str, Value] = {}
        self.notes: dict[str, str] = {}
        self.wrong: dict[str, str] = {}  # what was typed where a number was wanted
        self.reference: dict[str, Fraction | None] = {}  # the self-review's points (chi ủy)
        self.score: SheetScore | None = None
        self.preview: tuple[str, str] | None = None  # an item being typed, not saved yet
        self.dirty = False

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.stage_box = QComboBox()
        for value, label in stages or stage_choices(subject, False):
            self.stage_box.addItem(label, value)
        self.stage_box.setCurrentIndex(max(self.stage_box.findData(stage), 0))
        self.stage_box.currentIndexChanged.connect(self._stage_chosen)
        stage_label = QLabel("Lượt chấm:")
        stage_label.setBuddy(self.stage_box)
        stage_row = QHBoxLayout()
        stage_row.addWidget(stage_label)
        stage_row.addWidget(self.stage_box)
        stage_row.addStretch(1)
        self.stage_part = QWidget()
        self.stage_part.setLayout(stage_row)
        stage_row.setContentsMargins(0, 0, 0, 0)
        self.stage_part.setVisible(self.stage_box.count() > 1)

        self.grid = ChecklistGrid([], self.value_of)
        self.entry_delegate = EntryDelegate(self.grid, self._typing)
        self.entry_delegate.closeEditor.connect(lambda *_args: self._end_typing())
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        font = self.totals.font()
        font.setBold(True)
        self.totals.setFont(font)
        self.explanation = QPlainTextEdit()
        self.explanation.setReadOnly(True)
        self.explanation.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.explanation.setMaximumHeight(96)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b71c1c;")
        self.problem.hide()
        hint = QLabel(
            "Gõ điểm rồi Tab sang ô ghi chú và mục kế tiếp, Enter xuống mục dưới; mục đạt / "
            "không đạt: phím cách (Space). Ctrl+Enter: lưu."
        )
        hint.setWordWrap(True)
        self.clear_button = QPushButton("Xóa điểm từng mục…")
        self.clear_button.setToolTip(
            "Xóa điểm của mọi mục ở lượt chấm này; điểm lại được nhập dưới dạng hai tổng điểm"
        )
        self.clear_button.clicked.connect(self.clear)
        self.save_button = QPushButton("Lưu")
        self.save_button.setToolTip("Lưu điểm từng mục và đóng (Ctrl+Enter)")
        self.save_button.clicked.connect(self.save)
        close = QPushButton("Đóng")
        close.clicked.connect(self.reject)
        for button in (self.clear_button, self.save_button, close):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.stage_part)
        layout.addWidget(hint)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.totals)
        layout.addWidget(self.explanation)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        for key in SAVE_KEYS:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(self.save)
        self.load(stage, first)
        self.resize(1120, 660)
        fit_to_screen(self)
        self.grid.setFocus()

    # ---- reading -----------------------------------------------------------------------
    def load(self, stage: str, sheet: ItemSheet | None = None) -> None:
        """Show *subject*'s sheet at *stage* as stored (*sheet*, when read already)."""
        if sheet is None:
            sheet = item_scores.item_sheet(self.db, self.year, self.subject, stage)
        self.stage, self.sheet = stage, sheet
        domain_sheet = self.cset.sheet(sheet.sheet_key)
        assert domain_sheet is not None
        self.domain_sheet = domain_sheet
        self.values = {line.key: line.value for line in sheet.lines}
        self.notes = {line.key: line.note for line in sheet.lines}
        self.wrong.clear()
        self.before = {
            line.key: ItemEntry(line.value, line.note)
            for line in sheet.lines
            if line.value is not None
        }
        self.reference = {}
        if stage != "self":
            own = item_scores.item_sheet(self.db, self.year, self.subject, "self")
            self.reference = {line.key: line.points for line in own.lines}
        self.lines = []
        for group in domain_sheet.groups:
            part = PART_LABELS.get(group.part, group.part)
            self.lines.append(
                Line(
                    group.key,
                    group.title,
                    group.points,
                    tip=f"Nhóm {group.key} «{group.title}» ({part}, {points_text(group.points)}"
                    f" điểm). Căn cứ: {group.citation or domain_sheet.citation}",
                )
            )
            for item in group.items:
                self.lines.append(
                    Line(
                        item.key,
                        item.text,
                        item.points,
                        item,
                        group.key,
                        _item_tip(item, group.citation),
                    )
                )
        confidence = CONFIDENCE_LABELS[self.cset.confidence]
        self.heading.setText(
            f"<b>{_escape(self.name)}</b> · {STAGE_NAMES.get(stage, stage)} theo bộ tiêu chí "
            f"“{_escape(self.cset.name)}” (độ tin cậy: {confidence}) · bảng "
            f"«{_escape(sheet.sheet_title)}»"
        )
        self.heading.setToolTip(self.cset.citation)
        columns = self._columns()
        for number in range(max(len(columns), len(self.grid.grid_model.columns))):
            self.grid.setItemDelegateForColumn(number, None)  # type: ignore[arg-type]
        entry = next(n for n, c in enumerate(columns) if c.title == "Chấm")
        self.grid.setItemDelegateForColumn(entry, self.entry_delegate)
        tick = self.grid.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth)
        self.grid.extra = {entry: tick + 8} if any(line.met for line in self.lines) else {}
        self.grid.widen = 1  # "Nội dung"
        model = self.grid.grid_model
        model.beginResetModel()
        model.columns = columns
        model.rows = []
        model.endResetModel()
        self._rescore()
        self.grid.set_rows(self.lines)
        first = next(self.grid.editable_cells(), None)
        if first is not None:
            self.grid.setCurrentIndex(first)
        self.dirty = False
        self.problem.hide()
        stored = [f"{line.key}: {line.problem}" for line in sheet.lines if line.problem]
        if stored:
            self._tell("Điểm đã lưu không còn khớp bộ tiêu chí: " + "; ".join(stored))
        self.clear_button.setEnabled(self.editable and bool(self.before))
        self.save_button.setEnabled(self.editable)

    def _columns(self) -> list[Column[Line]]:
        editable = self.editable
        columns: list[Column[Line]] = [
            Column("Mục", lambda r: r.key),
            Column("Nội dung", lambda r: r.text, wrap=True, tooltip=lambda r: r.tip),
            Column("Tối đa", lambda r: points_text(r.maximum)),
            Column(
                "Cách chấm",
                lambda r: how_scored(r.item) if r.item else "",
                tooltip=lambda r: how_scored_long(r.item) if r.item else "",
            ),
        ]
        if self.stage != "self":
            columns.append(
                Column(
                    "Tự chấm",
                    lambda r: self._reference_text(r),
                    tooltip=lambda _r: "Điểm đảng viên tự chấm mục này",
                )
            )
        columns += [
            Column(
                "Chấm",
                self._entry_text,
                self._enter,
                editable=lambda r: editable and not r.is_group,
                tooltip=lambda r: how_scored_long(r.item) if r.item else "",
            ),
            Column("Điểm", self._points_text, tooltip=self._points_tip),
            Column(
                "Độ tin cậy",
                lambda r: self._confidence(r),
                tooltip=lambda r: r.tip if self._confidence(r) else "",
            ),
            Column(
                "Ghi chú",
                lambda r: self.notes.get(r.key, "") if r.item else "",
                self._note,
                wrap=True,
                editable=lambda r: editable and not r.is_group,
            ),
        ]
        return columns

    def entry_column(self) -> int:
        return next(i for i, c in enumerate(self.grid.grid_model.columns) if c.title == "Chấm")

    def note_column(self) -> int:
        return next(i for i, c in enumerate(self.grid.grid_model.columns) if c.title == "Ghi chú")

    def value_of(self, key: str) -> Value:
        return self.values.get(key)

    def _entry_text(self, line: Line) -> str:
        if line.is_group:
            return ""
        if line.key in self.wrong:
            return self.wrong[line.key]
        value = self.values.get(line.key)
        if value is None:
            return "chưa chấm" if line.met else ""
        if isinstance(value, bool):
            return MET_WORDS[value]
        return points_text(value)

    def _reference_text(self, line: Line) -> str:
        if line.is_group:
            points = [self.reference.get(i.key) for i in self._group_items(line.key)]
            known = [p for p in points if p is not None]
            return points_text(sum(known, Fraction(0))) if known else ""
        value = self.reference.get(line.key)
        return points_text(value) if value is not None else ""

    def _confidence(self, line: Line) -> str:
        if line.item is None or line.item.confidence != "unsure":
            return ""
        return CONFIDENCE_LABELS["unsure"]

    def _group_items(self, group_key: str) -> list[Item]:
        group = next(g for g in self.domain_sheet.groups if g.key == group_key)
        return list(group.items)

    # ---- the score ---------------------------------------------------------------------
    def _entries(self, typed: tuple[str, str] | None = None) -> dict[str, ItemEntry]:
        values = dict(self.values)
        if typed is not None:
            key, text = typed
            try:
                values[key] = parse_points(text)
            except ValueError:
                values[key] = None
        return {
            key: ItemEntry(value, self.notes.get(key, ""))
            for key, value in values.items()
            if value is not None and key not in self.wrong
        }

    def _rescore(self) -> None:
        """The sums, the totals and the explanation for what is on screen (an item being
        typed counted as typed so far)."""
        code = self.domain_sheet.applies_to[0]
        self.score = score_entries(self.cset, code, self._entries(self.preview))
        model = self.grid.grid_model
        if model.rows:
            # The points and the group sums change; not the entries and notes, whose open
            # editor Qt would fill again with the value saved (losing what is being typed).
            first, last = self.entry_column() + 1, self.note_column() - 1
            bottom = model.index(model.rowCount() - 1, last)
            model.dataChanged.emit(model.index(0, first), bottom)
            self.grid.viewport().update()
        self.totals.setText(self._totals_text(self.score))
        lines = explain(self.score)[1:]  # the headline is the line of totals above
        lines += [
            f"{self._label(key)}: “{text}” không phải là số." for key, text in self.wrong.items()
        ]
        self.explanation.setPlainText("\n".join(lines))

    def _totals_text(self, score: SheetScore) -> str:
        parts = []
        maxima = self.domain_sheet.parts()
        for name, label in PART_LABELS.items():
            if name not in maxima:
                continue
            groups = [g for g in score.groups if g.group.part == name]
            scored = sum((g.points for g in groups), Fraction(0))
            value = score.part(name)
            shown = f"{points_text(scored)}/{points_text(maxima[name])}"
            if value is None:
                unscored = [item.key for g in groups for item in g.unscored]
                wrong = sum(1 for key in unscored if self._problem_of(key))
                left = (
                    [f"còn {len(unscored) - wrong} mục chưa chấm"] if len(unscored) > wrong else []
                )
                left += [f"{wrong} mục chấm sai"] if wrong else []
                shown += f" ({', '.join(left)})"
            parts.append(f"{label[:1].upper()}{label[1:]}: {shown}")
        total = score.total
        top = points_text(score.maximum)
        parts.append(
            f"Tổng: {points_text(total)}/{top}"
            if total is not None
            else f"Tổng: chưa đủ ({points_text(score.scored)}/{top})"
        )
        return " · ".join(parts)

    def _item_score(self, key: str) -> ItemScore | None:
        return self.score.item(key) if self.score is not None else None

    def _problem_of(self, key: str) -> str:
        if key in self.wrong:
            return f"“{self.wrong[key]}” không phải là số."
        if self.score is None:
            return ""
        return next((p.message for p in self.score.problems if p.item_key == key), "")

    def _points_text(self, line: Line) -> str:
        if self.score is None:
            return ""
        if line.is_group:
            group = next(g for g in self.score.groups if g.group.key == line.key)
            return points_text(group.points) if group.items else ""
        if self._problem_of(line.key):
            return "sai"
        scored = self._item_score(line.key)
        return points_text(scored.points) if scored is not None else ""

    def _points_tip(self, line: Line) -> str:
        if self.score is None:
            return ""
        if line.is_group:
            group = next(g for g in self.score.groups if g.group.key == line.key)
            done = len(group.items)
            count = done + len(group.unscored)
            return f"Đã chấm {done}/{count} mục của nhóm {line.key}"
        problem = self._problem_of(line.key)
        if problem:
            return problem
        scored = self._item_score(line.key)
        if scored is not None and scored.clipped:
            return f"Tính tối đa {points_text(line.maximum)} điểm"
        return ""

    def _label(self, key: str) -> str:
        item = self.domain_sheet.item(key)
        return item.label if item is not None else f"Mục {key}"

    # ---- typing ------------------------------------------------------------------------
    def _enter(self, line: Line, value: object) -> None:
        """A value for an item: True / False / None from the tick, text from the line."""
        key = line.key
        before = (self.values.get(key), self.wrong.get(key))
        self.wrong.pop(key, None)
        if isinstance(value, bool) or value is None:
            self.values[key] = value
        else:
            try:
                self.values[key] = parse_points(str(value))
            except ValueError:
                self.values[key] = None
                self.wrong[key] = str(value).strip()
        self.preview = None
        if (self.values.get(key), self.wrong.get(key)) != before:
            self.dirty = True
        self._rescore()

    def _note(self, line: Line, value: object) -> None:
        note = "" if value is None else str(value).strip()
        if note != self.notes.get(line.key, ""):
            self.dirty = True
        self.notes[line.key] = note
        self._rescore()
        self.grid.resizeRowsToContents()

    def _typing(self, key: str, text: str) -> None:
        self.preview = (key, text)
        self._rescore()

    def _end_typing(self) -> None:
        if self.preview is not None:
            self.preview = None
            self._rescore()

    # ---- saving ------------------------------------------------------------------------
    def _tell(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.setVisible(bool(message))

    def _go_to(self, key: str) -> None:
        row = next((n for n, line in enumerate(self.lines) if line.key == key and line.item), None)
        if row is not None:
            self.grid.setCurrentIndex(self.grid.grid_model.index(row, self.entry_column()))
            self.grid.setFocus()

    def save(self) -> None:
        """Ctrl+Enter: every item's entry saved (the service checks them again); the dialog
        closes, or stays open with the refusal, naming the item, and nothing written."""
        if not self.editable:
            return
        self.grid.commit_edit()
        if self.wrong:
            key = next(iter(self.wrong))
            self._tell(
                "Chưa lưu: "
                + "; ".join(
                    f"{self._label(k)}: “{t}” không phải là số" for k, t in self.wrong.items()
                )
            )
            self._go_to(key)
            return
        entries = self._entries()
        stored: list[ItemSheet] = []

        def write() -> None:
            stored.append(
                item_scores.enter_item_scores(
                    self.db, self.year, self.subject, self.stage, entries, self.actor()
                )
            )

        try:
            self.guard(write)()
        except ValidationError as error:
            self._tell(f"Chưa lưu: {error}")
            if error.problems:
                self._go_to(error.problems[0].field)
            return
        except ServiceError as error:
            self._tell(f"Chưa lưu: {error}")
            return
        self.saved = stored[0] if stored else None
        self.saved_stage = self.stage
        self.dirty = False
        self.accept()

    def clear(self) -> None:
        """Every item of this stage emptied (after asking): the totals are typed again."""
        stage = STAGE_NAMES.get(self.stage, self.stage)
        if not ask.confirm(
            self,
            "Xóa điểm từng mục",
            f"Xóa điểm {stage} của mọi mục cho {self.name}? Điểm tiêu chí chung và điểm kết "
            "quả thực hiện nhiệm vụ sẽ lại được nhập dưới dạng hai tổng điểm.",
            "Xóa",
        ):
            return
        self.values = dict.fromkeys(self.values)
        self.wrong.clear()
        self.dirty = True
        self.save()

    # ---- leaving -----------------------------------------------------------------------
    def _stage_chosen(self) -> None:
        stage = self.stage_box.currentData()
        if stage == self.stage:
            return
        if self.dirty and not self._discard():
            self.stage_box.blockSignals(True)
            self.stage_box.setCurrentIndex(self.stage_box.findData(self.stage))
            self.stage_box.blockSignals(False)
            return
        self.load(stage)

    def _discard(self) -> bool:
        return ask.confirm(
            self,
            DISCARD_TITLE,
            f"Điểm vừa chấm cho {self.name} chưa được lưu.\n\nBấm “{DISCARD_ACTION}” để bỏ "
            "đi; bấm “Hủy” để quay lại và chấm tiếp.",
            DISCARD_ACTION,
        )

    def reject(self) -> None:
        self.grid.drop_editor()
        if self.dirty and not self._discard():
            return
        super().reject()


def _item_tip(item: Item, group_citation: str) -> str:
    parts = [f"{item.label}, tối đa {points_text(item.points)} điểm."]
    if item.guide:
        parts.append(f"Cách chấm: {item.guide}")
    citation = item.citation or group_citation
    if citation:
        parts.append(f"Căn cứ: {citation}")
    parts.append(f"Độ tin cậy: {CONFIDENCE_LABELS[item.confidence]}.")
    return "\n".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
