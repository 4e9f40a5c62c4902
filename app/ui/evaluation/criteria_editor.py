"""Making and editing a province's copy of a criteria set in the window (issue 24), as rule
sets are adjusted (``rule_sets.AdjustDialog``).

One sheet of the set at a time (chosen at the top: the sheets are the subjects' annexes), its
groups as bold headings and their items below, in an entry grid: type to change the cell, Tab
to the next cell that takes a value, Enter down the column. An item's text, points, how it is
scored (met / a scale, with its steps / a count, with the points per unit and the unit),
confidence, citation and scoring guide can be changed; items can be added to a group and
removed. A group's heading shows its items' sum against its points as the user types
("28/30"), and the line under the grid says which group does not add up yet.

Ctrl+Enter saves through ``criteria_sets.save_copy``, which writes the set, loads it back and
only then replaces the file: a refusal (naming the sheet, the group or the item) stays in the
dialog with the cursor on the item, nothing written. Escape asks before typed changes are
thrown away. Periods that chose the set keep the text they stored until it is chosen again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fractions import Fraction

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.criteria import (
    CONFIDENCE_LABELS,
    SUBJECTS,
    CountScoring,
    CriteriaSet,
    Group,
    Item,
    MetScoring,
    ScaleScoring,
    Scoring,
    Sheet,
    points_text,
)
from app.domain.criteria.writer import decimal_text
from app.domain.text import clean
from app.services.common.errors import ServiceError
from app.services.periods import criteria_sets
from app.ui.common.form_dialog import GuardedDialog
from app.ui.common.grid import Column
from app.ui.common.widgets import fit_to_screen
from app.ui.evaluation.cell.item_grid import ChecklistDelegate, ChecklistGrid, parse_points

Index = QModelIndex | QPersistentModelIndex

SAVE_KEYS = ("Ctrl+Return", "Ctrl+Enter")
WRONG = QColor("#b71c1c")
SCORING_SHORT = {"met": "đạt / không đạt", "scale": "thang điểm", "count": "đếm số lần"}
PARAMETER_TIP = (
    "Thang điểm: các mức được chấm, cách nhau bằng dấu chấm phẩy (ví dụ 0; 5; 10; mức cao "
    "nhất bằng điểm của mục); để trống là chấm từ 0 đến điểm của mục. Đếm số lần: số điểm "
    "mỗi lần (ví dụ 1 hoặc 0,5)."
)
OK_STYLE = "padding: 4px;"
WARN_STYLE = "background: #fff4ce; color: #7a4b00; padding: 4px;"


def parse_number(text: str, what: str) -> Fraction:
    """A number the file can hold exactly ("7,5", "0.25", "10"); ValueError saying *what*
    was wanted otherwise."""
    if not text.strip():
        raise ValueError(f"chưa nhập {what}")
    try:
        value = parse_points(text)
    except ValueError:
        value = None
    if value is None or value < 0 or decimal_text(value) is None:
        raise ValueError(f"“{text.strip()}” không phải {what} (ví dụ 10 hoặc 7,5)")
    return value


def parse_steps(text: str) -> tuple[Fraction, ...]:
    """ "0; 4; 6; 8" → the steps; "" → none (any number up to the item's points)."""
    parts = [part for chunk in text.split(";") for part in chunk.split()]
    return tuple(parse_number(part, "mức điểm") for part in parts)


# The set being edited: mutable drafts of the frozen model ----------------------------------


@dataclass(eq=False)
class ItemDraft:
    key: str
    text: str
    points: Fraction
    kind: str  # "met", "scale", "count"
    steps: tuple[Fraction, ...] = ()
    per_unit: Fraction = Fraction(1)
    unit: str = "lần"
    confidence: str = "sure"
    citation: str = ""
    guide: str = ""

    @classmethod
    def of(cls, item: Item) -> ItemDraft:
        scoring = item.scoring
        draft = cls(
            key=item.key, text=item.text, points=item.points, kind=scoring.kind,
            confidence=item.confidence, citation=item.citation, guide=item.guide,
        )  # fmt: skip
        if isinstance(scoring, ScaleScoring):
            draft.steps = scoring.steps
        elif isinstance(scoring, CountScoring):
            draft.per_unit, draft.unit = scoring.per_unit, scoring.unit
        return draft

    def scoring(self) -> Scoring:
        if self.kind == "met":
            return MetScoring()
        if self.kind == "count":
            return CountScoring(self.per_unit, self.unit)
        return ScaleScoring(self.steps)

    def build(self) -> Item:
        return Item(
            key=self.key, text=self.text, points=self.points, scoring=self.scoring(),
            confidence=self.confidence,  # type: ignore[arg-type]
            citation=self.citation, guide=self.guide,
        )  # fmt: skip

    def parameters(self) -> str:
        """The scoring's parameters as the grid shows them."""
        if self.kind == "count":
            return points_text(self.per_unit)
        if self.kind == "scale":
            return "; ".join(points_text(step) for step in self.steps)
        return ""


@dataclass(eq=False)
class GroupDraft:
    group: Group  # key, part, points and confidence stay as they are
    title: str
    citation: str
    items: list[ItemDraft] = field(default_factory=list)

    @classmethod
    def of(cls, group: Group) -> GroupDraft:
        return cls(group, group.title, group.citation, [ItemDraft.of(i) for i in group.items])

    @property
    def summed(self) -> Fraction:
        return sum((item.points for item in self.items), Fraction(0))

    def build(self) -> Group:
        items = tuple(item.build() for item in self.items)
        return replace(self.group, title=self.title, citation=self.citation, items=items)


@dataclass(eq=False)
class SheetDraft:
    sheet: Sheet
    groups: list[GroupDraft]

    @classmethod
    def of(cls, sheet: Sheet) -> SheetDraft:
        return cls(sheet, [GroupDraft.of(group) for group in sheet.groups])

    def build(self) -> Sheet:
        return replace(self.sheet, groups=tuple(group.build() for group in self.groups))

    def next_key(self, group: GroupDraft) -> str:
        """A key for a new item of *group* ("A.4"), unused in the sheet (an item's key is how
        its scores are stored, so a removed item's key is not given to another)."""
        taken = {item.key for g in self.groups for item in g.items}
        number = len(group.items) + 1
        while f"{group.group.key}.{number}" in taken:
            number += 1
        return f"{group.group.key}.{number}"


@dataclass(eq=False)
class Line:
    """A row of the grid: a group's heading (``item`` None) or one of its items."""

    group: GroupDraft
    item: ItemDraft | None = None

    @property
    def is_group(self) -> bool:
        return self.item is None

    @property
    def key(self) -> str:
        return self.item.key if self.item is not None else self.group.group.key


def sheet_label(sheet: Sheet) -> str:
    """The sheet as the picker lists it: its title and whom it scores."""
    whom = ", ".join(SUBJECTS[code] for code in sheet.applies_to)
    return f"{sheet.title} — {whom}"


def group_sum_text(group: GroupDraft) -> str:
    return f"{points_text(group.summed)}/{points_text(group.group.points)}"


# Columns (their order is the grid's).
KEY, TEXT, POINTS, SCORING, PARAMETERS, UNIT, CONFIDENCE, CITATION, GUIDE = range(9)
FIELD_COLUMNS = {
    "text": TEXT, "title": TEXT, "points": POINTS, "scoring": SCORING, "steps": PARAMETERS,
    "per_unit": PARAMETERS, "unit": UNIT, "confidence": CONFIDENCE, "citation": CITATION,
    "guide": GUIDE,
}  # fmt: skip
NOTE_CHARS = 20  # the citation's and the guide's width, in average characters


# The grid --------------------------------------------------------------------------------


class EditorDelegate(ChecklistDelegate):
    """The checklist's look (group headings bold on a grey band), with a group whose items
    do not add up to its points in red."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        line = self.line(index)
        if line is None or not line.is_group or index.column() != POINTS:
            return
        if line.group.summed != line.group.group.points:  # type: ignore[attr-defined]
            palette = QPalette(option.palette)
            palette.setColor(QPalette.ColorRole.Text, WRONG)
            option.palette = palette


class CriteriaGrid(ChecklistGrid):
    """The checklist's grid (Enter down the column, Delete empties a cell, the items' text
    taking most of the spare width), drawn by :class:`EditorDelegate`."""

    def __init__(self, columns: list[Column[Line]]) -> None:
        super().__init__(columns, lambda _key: None)  # type: ignore[arg-type]
        self.widen = TEXT
        self.setItemDelegate(EditorDelegate(self))
        self.frozen.setItemDelegate(EditorDelegate(self, self.frozen))

    def fit_columns(self) -> None:
        """As the checklist's; the citation and the guide (long, whole in their tooltips)
        measured narrower, so that the items' text has the room."""
        super().fit_columns()
        if len(self._natural) != self.grid_model.columnCount():
            return
        narrow = self.fontMetrics().averageCharWidth() * NOTE_CHARS + self._padding()
        header = self.horizontalHeader()
        for column in (CITATION, GUIDE):
            floor = max(narrow, header.sectionSizeHint(column))
            self._natural[column] = min(self._natural[column], floor)
        self.share_width()


class CriteriaEditorDialog(GuardedDialog):
    """Copy *cset* for the province (``copy``: a new id and name, ``based_on`` the set it
    stands in for) or edit the province's copy *cset* again. ``saved`` holds the set as
    written once the user saved."""

    def __init__(self, cset: CriteriaSet, *, copy: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.original = cset
        self.copy = copy
        self.saved: CriteriaSet | None = None
        self.refused_entry = False  # the last value typed into a cell was refused
        self.setWindowTitle("Sao chép bộ tiêu chí để sửa" if copy else "Sửa bộ tiêu chí của tỉnh")
        self.drafts = [SheetDraft.of(sheet) for sheet in cset.sheets]
        self.start = self.content()

        self.new_id = QLineEdit(self._suggested_id() if copy else cset.id)
        self.new_id.setReadOnly(not copy)
        self.new_id.setToolTip(
            "Mã của bản sao: chữ thường không dấu, chữ số và dấu - (ví dụ dien-bien-2025)"
            if copy
            else "Mã của bộ tiêu chí không đổi được: điểm đã chấm lưu theo mã này"
        )
        self.new_name = QLineEdit(self._suggested_name() if copy else cset.name)
        self.citation = QLineEdit(cset.citation)
        self.citation.setToolTip("Văn bản của tỉnh quy định bộ tiêu chí này")
        form = QFormLayout()
        id_label = QLabel("&Mã (không dấu)")
        id_label.setBuddy(self.new_id)
        name_label = QLabel("&Tên")
        name_label.setBuddy(self.new_name)
        citation_label = QLabel("Că&n cứ")
        citation_label.setBuddy(self.citation)
        form.addRow(id_label, self.new_id)
        form.addRow(name_label, self.new_name)
        form.addRow(citation_label, self.citation)

        self.note = QLabel(self._note())
        self.note.setWordWrap(True)
        self.sheet_box = QComboBox()
        for draft in self.drafts:
            self.sheet_box.addItem(sheet_label(draft.sheet), draft.sheet.key)
            self.sheet_box.setItemData(
                self.sheet_box.count() - 1, sheet_label(draft.sheet), Qt.ItemDataRole.ToolTipRole
            )
        # The sheets' names are long (whom each scores): the list, not the window, is wide.
        self.sheet_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.sheet_box.setMinimumContentsLength(30)
        self.sheet_box.currentIndexChanged.connect(self._show_sheet)
        sheet_label_widget = QLabel("&Bảng tiêu chí")
        sheet_label_widget.setBuddy(self.sheet_box)
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(sheet_label_widget)
        sheet_row.addWidget(self.sheet_box, 1)
        hint = QLabel(
            "Gõ để sửa ô đang chọn, Tab sang ô kế tiếp, Enter xuống dòng dưới. Điểm của nhóm "
            "giữ nguyên; điểm các mục phải cộng lại đúng bằng điểm của nhóm. Ctrl+Enter: lưu."
        )
        hint.setWordWrap(True)

        self.grid = CriteriaGrid(self._columns())
        self.sums = QLabel()
        self.sums.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b71c1c;")
        self.problem.hide()

        self.add_button = QPushButton("Thêm &mục")
        self.add_button.setToolTip("Thêm một mục vào nhóm đang chọn, ngay dưới dòng đang chọn")
        self.add_button.clicked.connect(self.add_item)
        self.remove_button = QPushButton("&Xóa mục")
        self.remove_button.setToolTip("Xóa mục đang chọn khỏi nhóm của nó")
        self.remove_button.clicked.connect(self.remove_item)
        self.save_button = QPushButton("Lưu")
        self.save_button.setToolTip("Lưu bộ tiêu chí và đóng (Ctrl+Enter)")
        self.save_button.clicked.connect(self.save)
        cancel = QPushButton("Hủy")
        cancel.clicked.connect(self.reject)
        for button in (self.add_button, self.remove_button, self.save_button, cancel):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(cancel)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addLayout(sheet_row)
        layout.addWidget(hint)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.sums)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        for key in SAVE_KEYS:
            QShortcut(QKeySequence(key), self).activated.connect(self.save)
        self.grid.current_row_changed.connect(lambda _row: self._update_buttons())

        self._show_sheet()
        self.watch([self.new_id, self.new_name, self.citation])
        self.resize(1240, 680)
        fit_to_screen(self)
        (self.new_id if copy else self.grid).setFocus()

    # ---- what the dialog holds ------------------------------------------------------------
    def _suggested_id(self) -> str:
        base = criteria_sets.base_of(self.original)
        taken = {s.id for s in criteria_sets.catalog().sets.values()}
        suggestion, number = f"{base}-tinh", 2
        while suggestion in taken:
            suggestion, number = f"{base}-tinh-{number}", number + 1
        return suggestion

    def _suggested_name(self) -> str:
        return f"Bộ tiêu chí của tỉnh (sửa từ “{self.original.name}”)"

    def _note(self) -> str:
        if self.copy:
            base = criteria_sets.base_of(self.original)
            first = (
                f"Bản sao được lưu trong thư mục dữ liệu và dùng thay cho bộ “{base}” trong "
                "danh sách chọn bộ tiêu chí."
            )
        else:
            first = "Bản của tỉnh" + (
                f", dùng thay cho bộ “{self.original.based_on}”." if self.original.based_on else "."
            )
        return (
            f"{first} Sửa bộ tiêu chí không làm đổi các kỳ đánh giá đã chọn nó: các kỳ đó giữ "
            "nguyên nội dung đã lưu cùng kỳ; muốn kỳ nào chấm theo nội dung mới thì chọn lại bộ "
            "này bằng nút “Bộ tiêu chí…” trên bảng theo dõi."
        )

    def content(self) -> tuple[Sheet, ...]:
        """The sheets as edited so far."""
        return tuple(draft.build() for draft in self.drafts)

    def result_set(self) -> CriteriaSet:
        """The set to save: the original with the edits, and for a copy its new id and name."""
        edited = replace(self.original, sheets=self.content(), citation=clean(self.citation.text()))
        name = clean(self.new_name.text())
        if self.copy:
            return criteria_sets.copy_of(edited, clean(self.new_id.text()), name)
        return replace(edited, name=name)

    def has_changes(self) -> bool:
        return super().has_changes() or self.content() != self.start

    def current_draft(self) -> SheetDraft:
        return self.drafts[max(self.sheet_box.currentIndex(), 0)]

    # ---- the grid ------------------------------------------------------------------------
    def _columns(self) -> list[Column[Line]]:
        def item_only(line: Line) -> bool:
            return line.item is not None

        def with_parameters(line: Line) -> bool:
            return line.item is not None and line.item.kind in ("scale", "count")

        def counted(line: Line) -> bool:
            return line.item is not None and line.item.kind == "count"

        def unit(line: Line) -> str:
            return line.item.unit if line.item is not None and counted(line) else ""

        return [
            Column("Mã", lambda line: line.key),
            Column("Nội dung", self._text, self._edit(self._set_text), wrap=True),
            Column(
                "Điểm",
                self._points,
                self._edit(self._set_points),
                tooltip=self._points_tip,
                editable=item_only,
            ),
            Column(
                "Cách chấm",
                lambda line: line.item.kind if line.item else None,
                self._edit(self._set_kind),
                kind="choice",
                choices=list(SCORING_SHORT.items()),
                editable=item_only,
            ),
            Column(
                "Các mức / mỗi lần",
                lambda line: line.item.parameters() if line.item else "",
                self._edit(self._set_parameters),
                tooltip=self._parameters_tip,
                editable=with_parameters,
            ),
            Column("Đơn vị", unit, self._edit(self._set_unit), editable=counted),
            Column(
                "Độ tin cậy",
                lambda line: line.item.confidence if line.item else None,
                self._edit(self._set_confidence),
                kind="choice",
                choices=list(CONFIDENCE_LABELS.items()),
                editable=item_only,
            ),
            Column(
                "Căn cứ", self._citation, self._edit(self._set_citation), tooltip=self._citation
            ),
            Column(
                "Hướng dẫn chấm",
                lambda line: line.item.guide if line.item else "",
                self._edit(self._set_guide),
                editable=item_only,
                tooltip=lambda line: line.item.guide if line.item else "",
            ),
        ]

    @staticmethod
    def _text(line: Line) -> str:
        return line.item.text if line.item is not None else line.group.title

    @staticmethod
    def _points(line: Line) -> str:
        if line.item is not None:
            return points_text(line.item.points)
        return group_sum_text(line.group)

    @staticmethod
    def _points_tip(line: Line) -> str:
        if line.item is not None:
            return f"Điểm tối đa của mục: {points_text(line.item.points)}"
        group = line.group
        return (
            f"Các mục của nhóm {group.group.key} cộng lại {points_text(group.summed)} điểm; "
            f"điểm của nhóm: {points_text(group.group.points)} (không đổi ở đây)."
        )

    @staticmethod
    def _parameters_tip(line: Line) -> str:
        shown = line.item.parameters() if line.item else ""
        return f"{shown}\n{PARAMETER_TIP}" if shown else PARAMETER_TIP

    @staticmethod
    def _citation(line: Line) -> str:
        return line.item.citation if line.item is not None else line.group.citation

    def _edit(self, setter: Callable[[Line, object], None]) -> Callable[[Line, object], None]:
        """The column's save: *setter* applied, a value it refuses named under the grid (the
        cell keeps its old value), the sums and the other cells refreshed."""

        def save(line: Line, value: object) -> None:
            try:
                setter(line, value)
            except ValueError as error:
                self.refused_entry = True
                self._show_problem(f"{self._where(line)}: {error}")
                return
            self.problem.hide()
            self._refresh()

        return save

    def _where(self, line: Line) -> str:
        if line.item is None:
            return f"Nhóm {line.group.group.key}"
        return f"Mục {line.item.key}" + (f" «{line.item.text}»" if line.item.text else "")

    def _set_text(self, line: Line, value: object) -> None:
        text = clean(str(value or ""))
        if not text:
            raise ValueError("nội dung không được để trống")
        if line.item is not None:
            line.item.text = text
        else:
            line.group.title = text

    def _set_points(self, line: Line, value: object) -> None:
        assert line.item is not None
        points = parse_number(str(value or ""), "số điểm")
        if points == 0:
            raise ValueError("điểm của mục phải lớn hơn 0")
        item = line.item
        if item.kind == "scale" and item.steps and item.steps[-1] == item.points:
            # The top step is the item's maximum: it follows, when nothing else is in the way.
            lower = tuple(step for step in item.steps[:-1] if step < points)
            item.steps = (*lower, points) if len(lower) >= 1 else ()
        item.points = points

    def _set_kind(self, line: Line, value: object) -> None:
        assert line.item is not None
        if value not in SCORING_SHORT:
            return  # Delete on the cell: a scoring is always chosen
        item = line.item
        item.kind = str(value)
        if item.kind == "count" and item.per_unit > item.points:
            item.per_unit = min(Fraction(1), item.points)

    def _set_parameters(self, line: Line, value: object) -> None:
        assert line.item is not None
        item, text = line.item, str(value or "")
        if item.kind == "count":
            per_unit = parse_number(text, "số điểm mỗi lần")
            if per_unit == 0:
                raise ValueError("điểm mỗi lần phải lớn hơn 0")
            item.per_unit = per_unit
        elif item.kind == "scale":
            item.steps = parse_steps(text)

    def _set_unit(self, line: Line, value: object) -> None:
        assert line.item is not None
        line.item.unit = clean(str(value or "")) or "lần"

    def _set_confidence(self, line: Line, value: object) -> None:
        assert line.item is not None
        if value in CONFIDENCE_LABELS:  # not emptied by Delete
            line.item.confidence = str(value)

    def _set_citation(self, line: Line, value: object) -> None:
        text = clean(str(value or ""))
        if line.item is not None:
            line.item.citation = text or line.group.citation
            return
        if not text:
            raise ValueError("căn cứ của nhóm không được để trống")
        old, line.group.citation = line.group.citation, text
        for item in line.group.items:  # items citing the group's follow it
            if item.citation == old:
                item.citation = text

    def _set_guide(self, line: Line, value: object) -> None:
        assert line.item is not None
        line.item.guide = clean(str(value or ""))

    def lines(self) -> list[Line]:
        rows: list[Line] = []
        for group in self.current_draft().groups:
            rows.append(Line(group))
            rows.extend(Line(group, item) for item in group.items)
        return rows

    def _show_sheet(self) -> None:
        self.grid.set_rows(self.lines())
        self.grid.fit_columns()
        self._refresh()

    def _refresh(self) -> None:
        """Every cell and the sums again (an edit changes the group's sum and, for the
        scoring, which cells take a value)."""
        self.grid.set_rows(self.lines())
        self.grid.viewport().update()
        self.grid.frozen.viewport().update()
        self._show_sums()
        self._update_buttons()

    def _show_sums(self) -> None:
        draft = self.current_draft()
        parts = [
            f"Nhóm {g.group.key} «{g.title}»: {points_text(g.summed)}/"
            f"{points_text(g.group.points)} điểm"
            for g in draft.groups
        ]
        wrong = [
            f"các mục nhóm {g.group.key} cộng lại {points_text(g.summed)} điểm, "
            + ("vượt" if g.summed > g.group.points else "chưa bằng")
            + f" {points_text(g.group.points)} điểm của nhóm"
            for g in draft.groups
            if g.summed != g.group.points
        ]
        others = [
            d.sheet.title
            for d in self.drafts
            if d is not draft and any(g.summed != g.group.points for g in d.groups)
        ]
        text = " · ".join(parts)
        if wrong:
            text += "\n⚠ Chưa lưu được: " + "; ".join(wrong) + "."
        if others:
            text += "\n⚠ Bảng khác còn nhóm chưa cộng đúng: " + "; ".join(others) + "."
        self.sums.setText(text)
        self.sums.setStyleSheet(WARN_STYLE if wrong or others else OK_STYLE)

    def _update_buttons(self) -> None:
        line = self.grid.current_row()
        self.remove_button.setEnabled(line is not None and line.item is not None)

    # ---- adding and removing items -------------------------------------------------------
    def add_item(self) -> None:
        """A new item in the current row's group, below the current row; its text cell open."""
        self.grid.commit_edit()
        line = self.grid.current_row()
        draft = self.current_draft()
        group = line.group if line is not None else draft.groups[0]
        place = group.items.index(line.item) + 1 if line is not None and line.item else 0
        item = ItemDraft(
            key=draft.next_key(group), text="", points=Fraction(0), kind="scale",
            confidence="sure", citation=group.citation,
        )  # fmt: skip
        group.items.insert(place, item)
        self._refresh()
        self._go_to(item.key, TEXT, edit=True)

    def remove_item(self) -> None:
        self.grid.commit_edit()
        line = self.grid.current_row()
        if line is None or line.item is None:
            return
        group = line.group
        if len(group.items) == 1:
            self._show_problem(
                f"Nhóm {group.group.key} phải còn ít nhất một mục; sửa mục này thay vì xóa."
            )
            return
        row = self.grid.currentIndex()
        group.items.remove(line.item)
        self._refresh()
        below = self.grid.grid_model.index(
            min(row.row(), self.grid.grid_model.rowCount() - 1), row.column()
        )
        self.grid.setCurrentIndex(below)
        self.grid.setFocus()

    def _go_to(
        self, key: str | None, column: int, *, group: str | None = None, edit: bool = False
    ) -> None:
        """The cursor on item *key* (or, with *key* None, on *group*'s heading), in *column*."""
        rows = self.grid.grid_model.rows
        found = next(
            (
                n
                for n, line in enumerate(rows)
                if (key is not None and line.item is not None and line.item.key == key)
                or (key is None and line.is_group and line.group.group.key == group)
            ),
            None,
        )
        if found is None:
            return
        index = self.grid.grid_model.index(found, column)
        self.grid.setCurrentIndex(index)
        self.grid.scrollTo(index)
        self.grid.setFocus()
        if edit:
            self.grid.edit(index)

    # ---- saving --------------------------------------------------------------------------
    def _show_problem(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.show()

    def save(self) -> None:
        self.refused_entry = False
        self.grid.commit_edit()
        if self.refused_entry:  # what was being typed is not a value: say so, save nothing
            return
        cset = self.result_set()
        try:
            criteria_sets.save_copy(cset, new=self.copy)
        except criteria_sets.CopyRefused as error:
            self._show_problem(str(error))
            self._locate(error)
            return
        except ServiceError as error:
            self._show_problem(str(error))
            return
        except OSError as error:
            self._show_problem(f"Không ghi được tệp bộ tiêu chí: {error.strerror or error}")
            return
        self.saved = cset
        self.accept()

    def _locate(self, error: criteria_sets.CopyRefused) -> None:
        """The cursor where the refusal points: the sheet, then the item or the group."""
        if error.sheet_key is None:
            if error.field in ("id", "based_on") and self.copy:
                self.new_id.setFocus()
            elif error.field == "name":
                self.new_name.setFocus()
            elif error.field == "citation":
                self.citation.setFocus()
            return
        number = self.sheet_box.findData(error.sheet_key)
        if number >= 0 and number != self.sheet_box.currentIndex():
            self.sheet_box.setCurrentIndex(number)
        column = FIELD_COLUMNS.get(error.field or "", POINTS if error.group_key else TEXT)
        self._go_to(error.item_key, column, group=error.group_key)
