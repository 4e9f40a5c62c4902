"""The member table: every current member, filtered as the user types, in Vietnamese order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cached_property

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.domain.collation import text_key
from app.domain.formatting import format_date
from app.domain.search import Query, SearchText
from app.services.roster.quick_read import MemberRow

Index = QModelIndex | QPersistentModelIndex


class Standing(Enum):
    ANY = "Tất cả"
    OFFICIAL = "Chính thức"
    PROBATIONARY = "Dự bị"


class Activity(Enum):
    ANY = "Tất cả"
    ACTIVE = "Đang sinh hoạt"
    EXEMPT = "Miễn sinh hoạt"


@dataclass(frozen=True)
class MemberFilter:
    text: str = ""
    cells: frozenset[int] | None = None  # None: every cell
    standing: Standing = Standing.ANY
    activity: Activity = Activity.ANY


@dataclass(frozen=True)
class _Column:
    title: str
    value: Callable[[MemberRow, dt.date], str]
    sort_key: Callable[[MemberRow], object]


def _standing(row: MemberRow, today: dt.date) -> str:
    if row.is_probationary(today):
        return "Dự bị"
    return format_date(row.official_on)


_EARLY, _LATE = dt.date.min, dt.date.max

COLUMNS = [
    _Column("Họ và tên", lambda r, _: r.full_name, lambda r: (r.name_key, r.code)),
    _Column("Ngày sinh", lambda r, _: format_date(r.birth_date), lambda r: r.birth_date or _EARLY),
    _Column("Giới tính", lambda r, _: r.gender.label if r.gender else "", lambda r: r.gender or ""),
    _Column("Chi bộ", lambda r, _: r.cell_name, lambda r: text_key(r.cell_name)),
    _Column("Chức vụ Đảng", lambda r, _: r.party_post, lambda r: text_key(r.party_post)),
    _Column("Chức vụ khác", lambda r, _: r.other_post, lambda r: text_key(r.other_post)),
    _Column("Vào Đảng", lambda r, _: format_date(r.admitted_on), lambda r: r.admitted_on or _EARLY),
    _Column("Chính thức", _standing, lambda r: r.official_on or _LATE),
    _Column("Đối tượng", lambda r, _: r.form_category.value, lambda r: r.form_category.value),
    _Column(
        "Ghi chú",
        lambda r, _: f"Miễn sinh hoạt từ {format_date(r.exempt_since)}" if r.is_exempt else "",
        lambda r: r.exempt_since or dt.date.max,
    ),
    _Column("Mã", lambda r, _: r.code, lambda r: r.code),
]  # fmt: skip

_GREY = QColor("#6b6b6b")
_PROBATION = QColor("#1a5fb4")


class _RowKeys:
    """What the filter reads of each row, in plain lists parallel to the rows (same order)."""

    def __init__(self, rows: list[MemberRow], today: dt.date, forms: dict[int, SearchText]) -> None:
        self.rows = rows
        self._forms = forms  # member → search forms, kept by the model across sorts
        self.cell = [row.cell_id for row in rows]
        self.probationary = [row.is_probationary(today) for row in rows]
        self.exempt = [row.is_exempt for row in rows]

    # The search forms are made at the first search, or just after the first paint (see
    # MemberTableModel.prepare_search): not before the window shows.
    @cached_property
    def _search(self) -> tuple[list[str], list[str]]:
        known = self._forms
        forms = []
        for row in self.rows:
            form = known.get(row.id)
            if form is None:
                form = known[row.id] = row.search
            forms.append(form)
        return [f.exact for f in forms], [f.folded for f in forms]

    @property
    def exact(self) -> list[str]:
        return self._search[0]

    @property
    def folded(self) -> list[str]:
        return self._search[1]


class MemberTableModel(QAbstractTableModel):
    """All rows in memory; filtering rebuilds a list of visible positions (fast at 60,000)."""

    def __init__(self, today: dt.date) -> None:
        super().__init__()
        self.today = today
        self._rows: list[MemberRow] = []
        self._forms: dict[int, SearchText] = {}
        self._keys = _RowKeys([], today, self._forms)
        self._visible: list[int] = []
        self._row_cells: frozenset[int] = frozenset()  # the cells the rows are in
        self._filter = MemberFilter()

    # ---- data in ---------------------------------------------------------------------
    def set_rows(self, rows: list[MemberRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self._forms = {}  # names may have changed
        self._keys = _RowKeys(rows, self.today, self._forms)
        self._row_cells = frozenset(self._keys.cell)
        self._visible = self._compute_visible()
        self.endResetModel()

    def prepare_search(self) -> None:
        """Make every row's search forms now (the first keystroke would otherwise pay)."""
        self._keys.exact  # noqa: B018

    @property
    def search_ready(self) -> bool:
        """Whether the rows' search forms are made (a keystroke then only filters)."""
        return "_search" in vars(self._keys)

    def set_filter(self, member_filter: MemberFilter) -> None:
        if member_filter == self._filter:
            return
        # Typing one more letter can only narrow the list: search the rows shown, not all
        # (60,000 members: the difference between a lag and none).
        within = self._visible if self._narrows(member_filter) else None
        self.beginResetModel()
        self._filter = member_filter
        self._visible = self._compute_visible(within=within)
        self.endResetModel()

    def _narrows(self, new: MemberFilter) -> bool:
        """True when every row *new* matches also matches the current filter."""
        old = self._filter
        return (
            (new.cells, new.standing, new.activity) == (old.cells, old.standing, old.activity)
            and bool(old.text.strip())
            and new.text.startswith(old.text)
        )

    @property
    def filter(self) -> MemberFilter:
        return self._filter

    def _compute_visible(
        self, *, any_cell: bool = False, within: list[int] | None = None
    ) -> list[int]:
        """Positions of the rows the filter lets through (only among *within* if given).

        One list comprehension per condition over the keys computed when the rows loaded:
        no Python call per row, so a keystroke on 60,000 members takes a few milliseconds.
        """
        f = self._filter
        keys = self._keys
        found: Sequence[int] = range(len(self._rows)) if within is None else within
        cells = None if any_cell else f.cells
        if cells is not None and not self._row_cells <= cells:
            cell = keys.cell
            found = [i for i in found if cell[i] in cells]
        if f.standing is not Standing.ANY:
            probationary = keys.probationary
            wanted = f.standing is Standing.PROBATIONARY
            found = [i for i in found if probationary[i] is wanted]
        if f.activity is not Activity.ANY:
            exempt = keys.exempt
            wanted = f.activity is Activity.EXEMPT
            found = [i for i in found if exempt[i] is wanted]
        query = Query.parse(f.text)
        if query.empty:
            return list(found)
        return query.select(keys.exact, keys.folded, found)

    # ---- data out --------------------------------------------------------------------
    def row_at(self, position: int) -> MemberRow:
        return self._rows[self._visible[position]]

    def visible_rows(self) -> list[MemberRow]:
        return [self._rows[i] for i in self._visible]

    def position_of(self, member_id: int) -> int | None:
        for position, index in enumerate(self._visible):
            if self._rows[index].id == member_id:
                return position
        return None

    @property
    def total(self) -> int:
        """Members of the selected cells, whatever the other filters say."""
        cells = self._filter.cells
        if cells is None or self._row_cells <= cells:
            return len(self._rows)
        return sum(1 for cell in self._keys.cell if cell in cells)

    def matches_elsewhere(self) -> int:
        """How many members outside the selected cells the current search would find."""
        cells = self._filter.cells
        if cells is None or not self._filter.text.strip() or self._row_cells <= cells:
            return 0  # (the last: every member is in the selected cells, e.g. the root)
        return len(self._compute_visible(any_cell=True)) - len(self._visible)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[self._visible[index.row()]]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()].value(row, self.today)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.is_exempt:
                return _GREY
            if index.column() == 7 and row.is_probationary(self.today):
                return _PROBATION
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == 0:
                return f"{row.full_name} — mã {row.code}"
            # A long cell name or post is cut with "…" in its column: whole on hover.
            return COLUMNS[index.column()].value(row, self.today) or None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section].title
        return str(section + 1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column].sort_key
        self.layoutAboutToBeChanged.emit()
        self._rows.sort(
            key=lambda r: (key(r), r.name_key), reverse=order == Qt.SortOrder.DescendingOrder
        )
        self._keys = _RowKeys(self._rows, self.today, self._forms)
        self._visible = self._compute_visible()
        self.layoutChanged.emit()
