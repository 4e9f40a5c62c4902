"""The main window: organisation tree on the left, the selected node's tabs on the right."""

from __future__ import annotations

import datetime as dt
import getpass
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import paths
from app.domain import clock
from app.domain.formatting import format_int
from app.domain.vocabulary import OrgKind
from app.services.common.errors import ServiceError
from app.services.database import Database, ServerTarget, StoreError
from app.services.roster import quick_read
from app.services.roster.quick_read import MemberRow, OrgListing, OrgNode
from app.settings import Settings
from app.ui.common import ask
from app.ui.common.marks import STEP_MARKS
from app.ui.common.operations import Operations
from app.ui.common.tasks import SyncRunner, TaskRunner
from app.ui.common.widgets import ElidedLabel, LazyTab, remember_splitter, window_room
from app.ui.roster.member_panel import MemberPanel
from app.ui.roster.org_tree import OrgTreeWidget, marks_legend
from app.ui.roster.own_record import SETTING as OWN_MEMBER
from app.ui.roster.own_record import OwnRecordGuard
from app.ui.shell import qt_fixes
from app.ui.shell.idle_lock import WindowLock
from app.ui.shell.sign_in import SignedIn

# The hidden tabs and every dialog are imported where first used: the window's first paint
# needs only the tree and the member table, and importing the rest took a third of the start.
if TYPE_CHECKING:
    from app.ui.evaluation.tab import EvaluationTab
    from app.ui.reports.committee_view import CommitteeViewTab
    from app.ui.reports.documents import DocumentsTab
    from app.ui.reports.summary import SummaryTab

log = logging.getLogger(__name__)

BASE_FONT_SIZE = 11
MIN_FONT_SIZE, MAX_FONT_SIZE = 9, 24
DEFAULT_SIZE = QSize(1280, 760)  # the first start's window, when the screen has room for it
LAYOUT_DEPTH = 24  # more nested layouts than any page has
SPLITTER_KEY = "splitter_main"  # settings: where the user left the tree|tabs divider


class MainWindow(QMainWindow):
    def __init__(
        self,
        db: Database,
        settings: Settings,
        runner: TaskRunner | SyncRunner | None = None,
        today: Callable[[], dt.date] = clock.today,
        signed_in: SignedIn | None = None,
    ) -> None:
        super().__init__()
        self.db = db
        self.settings = settings
        # Who works here on a shared database with users (None: the single-user program).
        self.signed_in = signed_in
        ask.remember_folders_in(settings)  # file dialogs open where the user last was
        self.runner = runner or TaskRunner()
        # Forms, background work and refusals for the menus' actions (tests answer forms
        # through run_dialog, so it is looked up at each call).
        self.ops = Operations(self, self.runner, lambda form: self.run_dialog(form), self._changed)
        # Set by the WindowHost that owns the database: replacing it needs the whole window.
        self.restore_requested: Callable[[Path], None] | None = None
        # Tệp → Kết nối máy chủ…: a server database to work on (None: the file on this computer).
        self.connect_requested: Callable[[ServerTarget | None], None] | None = None
        self.leaving_for_restore = False
        self.today = today
        self.listing: OrgListing | None = None
        self.rows: list[MemberRow] = []

        self.tree = OrgTreeWidget()
        self.legend = marks_legend()  # what ○ ◐ ● ↺ ✓ mean, under the tree
        self.legend.hide()  # until a period gives the cells their marks
        self.members = MemberPanel(today())
        self.tabs = QTabWidget()
        self.tabs.addTab(self.members, "Đảng viên")
        self.evaluation_page = LazyTab(self._build_evaluation)
        self.tabs.addTab(self.evaluation_page, "Đánh giá")
        self.summary_page = LazyTab(self._build_summary)
        self.tabs.addTab(self.summary_page, "Tổng hợp")
        self.documents_page = LazyTab(self._build_documents)
        self.tabs.addTab(self.documents_page, "Văn bản")
        self.mirror_page = LazyTab(lambda: self._build_mirror())  # the committee's mirror
        self.tabs.addTab(self.mirror_page, "Bức tranh xếp loại")
        self.province_page: LazyTab | None = None  # "Tỉnh": added when reports are held
        # The year the "Đánh giá" tab shows, known before the tab is built (title, marks).
        self.period_year: int | None = None
        # Editing the operator's own evaluation asks first and is logged apart.
        self.own_guard = OwnRecordGuard(db, settings, self, self.actor)
        navigator = QWidget()
        navigator_layout = QVBoxLayout(navigator)
        navigator_layout.setContentsMargins(0, 0, 0, 0)
        navigator_layout.setSpacing(2)
        navigator_layout.addWidget(self.tree, 1)
        navigator_layout.addWidget(self.legend)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(navigator)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([320, 1000])
        remember_splitter(splitter, settings, SPLITTER_KEY)
        self.splitter = splitter
        self.setCentralWidget(splitter)
        # The counts grow with the period's figures: cut at the window's edge (whole on
        # hover) rather than making the window wider than the screen.
        self.counts_label = ElidedLabel()
        self.saved_label = QLabel()
        self.statusBar().addWidget(self.counts_label, 1)
        self.statusBar().addPermanentWidget(self.saved_label)

        # The optional password: asked again after idle time (a lambda: tests replace run_dialog).
        self.lock = WindowLock(self, db, settings, lambda d: self.run_dialog(d), self.actor)
        self._build_menus()
        self.tree.node_selected.connect(self._on_node)
        self.members.add_requested.connect(self.add_member)
        self.members.edit_requested.connect(self.edit_member)
        self.members.move_requested.connect(self.move_member)
        self.members.exempt_requested.connect(self.toggle_exemption)
        self.members.search_everywhere.connect(self.select_root)
        self.members.first_painted.connect(self._warm_up)

        # The window's state, place and divider from before the first zoom step, for Ctrl+0.
        self._before_zoom: tuple[Qt.WindowState, QRect, QByteArray] | None = None
        # The least size is set once the layout has taken a new font in (see _keep_on_screen).
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._keep_on_screen)
        self.apply_font_size(int(settings.get("font_size", BASE_FONT_SIZE)))
        geometry = settings.get("window_geometry")
        if geometry:
            # Qt puts a window saved on a larger or absent screen back on this one.
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode()))
        else:
            self.resize(DEFAULT_SIZE.boundedTo(window_room(self)))
        self._fit_timer.start()  # once the window has its size
        self.reload()
        self.saved_label.setText("Dữ liệu được lưu ngay khi nhập")
        if self.signed_in is not None and self.signed_in.user is not None:
            self._say_if_read_only()
        # PySide6 6.12 loses references to None on Python 3.11: keep the reserve full.
        self._reserve = QTimer(self)
        self._reserve.timeout.connect(qt_fixes.top_up)
        self._reserve.start(5_000)

    def _warm_up(self) -> None:
        """Just after the first paint: load what the first click on a tab, a cell or a save
        will need (SQLAlchemy, the models, the procedure's services), so that it answers at
        once. Before the paint it would have kept the window from showing."""
        import app.services.procedure.view  # noqa: F401

        self.db.engine  # noqa: B018

    # ---- the tabs, built when first shown or asked for ----------------------------------
    def _build_evaluation(self) -> EvaluationTab:
        from app.ui.evaluation.tab import EvaluationTab

        tab = EvaluationTab(self.db, self.actor, self.run_dialog, self.today)
        tab.year = self.period_year
        tab.cell.own_guard = self.own_guard
        tab.appraisal.own_guard = self.own_guard
        tab.open_cell.connect(self.open_cell)
        tab.new_period.connect(self.new_period)
        tab.changed.connect(self.evaluation_changed)
        tab.refresh()
        tab.show_node(self.tree.current_node())
        return tab

    def _build_summary(self) -> SummaryTab:
        from app.ui.reports.summary import SummaryTab

        tab = SummaryTab(self.db)
        tab.open_node.connect(self.tree.select_node)
        tab.open_member.connect(self.show_member)
        tab.show_node(self.tree.current_node())
        return tab

    def _build_documents(self) -> DocumentsTab:
        from app.ui.reports.documents import DocumentsTab

        tab = DocumentsTab(self.db, self.runner, self.run_dialog)
        tab.show_node(self.tree.current_node())
        return tab

    def _build_mirror(self) -> CommitteeViewTab:
        from app.ui.reports.committee_view import CommitteeViewTab

        return CommitteeViewTab(self.db, self.settings)

    @property
    def evaluation(self) -> EvaluationTab:
        return self.evaluation_page.content

    @property
    def summary(self) -> SummaryTab:
        return self.summary_page.content

    @property
    def documents(self) -> DocumentsTab:
        return self.documents_page.content

    @property
    def mirror(self) -> CommitteeViewTab:
        return self.mirror_page.content

    def show_tab(self, page: QWidget) -> None:
        """Bring a tab to the front (its page: ``members`` or one of the ``*_page``)."""
        self.tabs.setCurrentWidget(page)

    def _shown_year(self) -> int | None:
        if self.evaluation_page.built:
            return self.evaluation.year
        return self.period_year

    # ---- menus -----------------------------------------------------------------------
    def _action(
        self, menu: str, text: str, slot: Callable[[], object], *keys: QKeySequence | str
    ) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(lambda _checked=False: slot())
        self._menus[menu].addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._menus = {
            key: bar.addMenu(title)
            for key, title in (
                ("file", "&Tệp"),
                ("org", "Tổ &chức"),
                ("member", "Đảng &viên"),
                ("period", "&Kỳ đánh giá"),
                ("documents", "&Văn bản"),
                ("view", "&Xem"),
                ("help", "Trợ &giúp"),
            )
        }
        add = self._action
        add("file", "Nhập danh sách từ Excel…", self.import_members)
        add("file", "Xuất danh sách ra Excel…", self.export_members)
        self._menus["file"].addSeparator()
        add("file", "Nhập kết quả xếp loại các năm trước từ Excel…", self.import_results)
        add("file", "Xuất kết quả xếp loại ra Excel…", self.export_results)
        self._menus["file"].addSeparator()
        add("file", "Sao lưu cơ sở dữ liệu…", self.backup)
        add("file", "Khôi phục từ bản sao lưu…", self.restore_backup)
        add("file", "Kết nối máy chủ…", self.connect_server)
        if self.db.is_server:  # the way back (a window is made anew for each database)
            add("file", "Mở lại tệp trên máy này", lambda: self._connect(None))
        add("file", "Tùy chọn…", self.show_options)
        add("file", "Đặt / đổi / bỏ mật khẩu…", self.lock.change_password)
        self._menus["file"].addSeparator()
        # The province (issue 23): the commune's report upward, the province receiving it.
        add("file", "Báo cáo lên tỉnh…", self.export_report)
        add("file", "Nhận báo cáo của xã…", self.receive_report)
        self._menus["file"].addSeparator()
        add("file", "Thoát", self.close, QKeySequence.StandardKey.Quit)
        self.add_cell_action = add("org", "Thêm chi bộ…", lambda: self.add_org(OrgKind.CELL))
        self.add_partial_action = add(
            "org", "Thêm đảng bộ bộ phận…", lambda: self.add_org(OrgKind.PARTIAL_COMMITTEE)
        )
        add("org", "Sửa thông tin tổ chức…", self.edit_org)
        add("member", "Thêm đảng viên…", self.add_member, "Ctrl+N")
        add("member", "Sửa thông tin…", self._edit_selected, "F2")
        add("member", "Chuyển sinh hoạt…", lambda: self._with_selected(self.move_member))
        add(
            "member",
            "Miễn / thôi miễn sinh hoạt…",
            lambda: self._with_selected(self.toggle_exemption),
        )
        self._menus["member"].addSeparator()
        add("member", "Tìm đảng viên", self.focus_search, QKeySequence.StandardKey.Find)
        add("member", "Tôi là đảng viên…", self.choose_own_member)
        add("period", "Tạo kỳ đánh giá mới…", self.new_period)
        add("period", "Bảng theo dõi các chi bộ", self.show_board)
        add("period", "Thẩm định và quyết định", self.show_appraisal)
        add("period", "Mở khóa kết quả đã quyết định…", self.reopen_period)
        self._menus["period"].addSeparator()
        add("period", "Xuất gói dữ liệu của chi bộ…", self.export_package)
        add("period", "Nhập gói dữ liệu từ chi bộ…", self.import_package)
        self._menus["period"].addSeparator()
        add("period", "Bộ quy tắc đánh giá, xếp loại…", self.show_rulesets)
        add("documents", "Văn bản của đơn vị đang chọn", self.show_documents)
        add(
            "documents",
            "In tất cả văn bản vào một thư mục…",
            lambda: self.documents.print_everything(),
        )
        self._menus["documents"].addSeparator()
        add("documents", "Kiểm tra chữ ký số của tệp PDF…", lambda: self.documents.verify_file())
        add("documents", "Tra mã đối chiếu in trên văn bản…", lambda: self.documents.lookup())
        add("view", "Phóng to chữ", lambda: self.zoom(+1), "Ctrl+=", "Ctrl++")
        add("view", "Thu nhỏ chữ", lambda: self.zoom(-1), "Ctrl+-")
        add("view", "Cỡ chữ mặc định", self.reset_zoom, "Ctrl+0")
        add("help", "Hướng dẫn sử dụng", self.show_help, "F1")  # at the page in front
        # help.MARKS_PART, spelt out: the help module is imported when first asked for.
        legend = "dau-ben-canh-ten-chi-bo"
        add("help", "Các dấu, các bước và phím tắt", lambda: self.show_help(legend))
        self._menus["help"].addSeparator()
        add("help", "Thư mục dữ liệu", self.show_data_folder)
        add("help", "Giới thiệu DanhGia", self.about)

    # ---- data --------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the tree and the members again (after any change)."""
        today = self.today()
        self.listing = quick_read.list_organizations(self.db)
        self.rows = quick_read.list_members(self.db, today)
        per_cell: dict[int, int] = {}
        for row in self.rows:
            per_cell[row.cell_id] = per_cell.get(row.cell_id, 0) + 1
        self.tree.set_listing(self.listing, per_cell)
        self.members.set_rows(self.rows)
        if self.evaluation_page.built:
            self.evaluation.refresh()
        else:
            years = quick_read.period_years(self.db)
            if self.period_year not in years:
                self.period_year = max(years) if years else None
        self._on_node(self.tree.current_node())
        self._update_counts()
        self._update_province_tab()
        roots = [n for n in self.listing.nodes if n.parent_id is None]
        name = roots[0].name if roots else "chưa có tổ chức"
        # A server database is named too: a clerk may have several windows on several.
        server = f" — máy chủ {self.db.short_name}" if self.db.is_server else ""
        who = self.signed_in.describe() if self.signed_in is not None else ""
        self.setWindowTitle(f"DanhGia — {name}{server}" + (f" — {who}" if who else ""))

    def _update_counts(self) -> None:
        assert self.listing is not None
        counts = quick_read.counts(self.rows, len(self.listing.tree.cells()), self.today())
        year = self._shown_year()
        steps = quick_read.cell_steps(self.db, year) if year is not None else {}
        marks = {cell_id: STEP_MARKS[step] for cell_id, step in steps.items()}
        self.tree.set_marks(marks)
        self.legend.setVisible(bool(marks))
        submitted = sum(1 for mark in marks.values() if mark in ("●", "✓"))
        period = (
            f" · {format_int(submitted)}/{format_int(len(marks))} chi bộ đã nộp" if marks else ""
        )
        self.counts_label.setText(
            f"{format_int(counts.cells)} chi bộ · {format_int(counts.members)} đảng viên "
            f"({format_int(counts.official)} chính thức, {format_int(counts.probationary)} dự bị)"
            f" · {format_int(counts.exempt)} miễn sinh hoạt{period}"
        )

    def _say_if_read_only(self) -> None:
        """A user who may not write this commune's records (an inspector, a clerk of other
        communes) is told at once, not at his first refused save."""
        from app.services.access import permissions

        reason = permissions.read_only_reason(self.db, self.actor())
        if reason:
            self.saved_label.setText("Chỉ xem: không ghi được dữ liệu của đảng bộ này")
            self.saved_label.setToolTip(reason)

    def _saved(self) -> None:
        self.saved_label.setText(f"Đã lưu lúc {clock.now():%H:%M}")

    def _changed(self) -> None:
        """An operation wrote to the database: say so and read the tree and members again."""
        self._saved()
        self.reload()

    def _on_node(self, node: OrgNode | None) -> None:
        for page in (self.evaluation_page, self.summary_page, self.documents_page):
            if page.built:
                page.content.show_node(node)
        year = self._shown_year()
        self.tabs.setTabText(
            self.tabs.indexOf(self.evaluation_page), f"Đánh giá {year}" if year else "Đánh giá"
        )
        if node is None or self.listing is None:
            self.members.set_cells(None)
            return
        self.members.set_cells(frozenset(self.listing.tree.cells(node.id)))
        can_hold = node.kind is not OrgKind.CELL
        self.add_cell_action.setEnabled(can_hold)
        self.add_partial_action.setEnabled(node.kind is OrgKind.COMMITTEE)

    def _cells(self) -> list[OrgNode]:
        assert self.listing is not None
        return [n for n in self.listing.nodes if n.kind is OrgKind.CELL]

    def run_dialog(self, dialog: QDialog) -> bool:
        """Show a form modally; True when the user saved. Tests replace this to fill forms."""
        return bool(dialog.exec())

    # ---- organisations ---------------------------------------------------------------
    def add_org(self, kind: OrgKind) -> None:
        """Add under the selected committee (or under the cell's committee)."""
        assert self.listing is not None
        nodes = self.listing.by_id()
        parent = self.tree.current_node()
        while parent is not None and parent.kind is OrgKind.CELL:
            parent = nodes.get(parent.parent_id) if parent.parent_id is not None else None
        from app.ui.roster.org_dialog import OrgDialog

        dialog = OrgDialog(self.db, parent, kind=kind, parent=self)
        if self.run_dialog(dialog) and dialog.saved is not None:
            self._saved()
            self.reload()
            self.tree.select_node(dialog.saved.id)

    def edit_org(self) -> None:
        node = self.tree.current_node()
        if node is None:
            return
        assert self.listing is not None
        parent = self.listing.by_id().get(node.parent_id) if node.parent_id else None
        from app.ui.roster.history_part import org_discipline_part
        from app.ui.roster.org_dialog import OrgDialog

        part = org_discipline_part(self.db, node.id, self.today(), self.actor(), self.run_dialog)
        dialog = OrgDialog(self.db, parent, node=node, parent=self, history_part=part)
        if self.run_dialog(dialog):
            self._saved()
            self.reload()

    # ---- members -----------------------------------------------------------------------
    def add_member(self) -> None:
        cells = self._cells()
        if not cells:
            ask.inform(
                self, "Chưa có chi bộ", "Hãy thêm chi bộ trước (menu Tổ chức → Thêm chi bộ)."
            )
            return
        node = self.tree.current_node()
        cell_id = node.id if node is not None and node.kind is OrgKind.CELL else None
        from app.ui.roster.member_dialog import MemberDialog

        dialog = MemberDialog(self.db, cells, self.today(), cell_id=cell_id, parent=self)
        if self.run_dialog(dialog) and dialog.saved_id is not None:
            self._after_member_change(dialog.saved_id)

    def edit_member(self, member: MemberRow) -> None:
        from app.ui.roster.history_part import MemberHistoryPart
        from app.ui.roster.member_dialog import MemberDialog

        part = MemberHistoryPart(self.db, member.id, self.today(), self.actor(), self.run_dialog)
        dialog = MemberDialog(
            self.db, self._cells(), self.today(), member=member, parent=self, history_part=part
        )
        if self.run_dialog(dialog):
            self._after_member_change(member.id)

    def move_member(self, member: MemberRow) -> None:
        from app.ui.roster.member_actions import MoveDialog

        dialog = MoveDialog(self.db, member, self._cells(), self.today(), parent=self)
        if self.run_dialog(dialog):
            self._after_member_change(member.id)

    def toggle_exemption(self, member: MemberRow) -> None:
        from app.ui.roster.member_actions import ExemptionDialog

        dialog = ExemptionDialog(self.db, member, self.today(), parent=self)
        if self.run_dialog(dialog):
            self._after_member_change(member.id)

    def _after_member_change(self, member_id: int) -> None:
        self._saved()
        self.reload()
        if not self.members.select_member(member_id):
            # The member is outside the current filter (e.g. moved to another cell): show them.
            self.select_root()
            self.members.search.clear()
            self.members.select_member(member_id)

    def select_root(self) -> None:
        if self.listing is not None and self.listing.nodes:
            self.tree.select_node(self.listing.nodes[0].id)

    def _edit_selected(self) -> None:
        self._with_selected(self.edit_member)

    def _with_selected(self, action: Callable[[MemberRow], None]) -> None:
        member = self.members.selected()
        if member is None:
            ask.inform(self, "Chưa chọn đảng viên", "Hãy chọn một đảng viên trong bảng trước.")
            return
        action(member)

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.members)
        self.members.search.setFocus()
        self.members.search.selectAll()

    # ---- files ------------------------------------------------------------------------
    # Tests call these as the menus do; the dialogs and the work live in app/ui/files.
    def import_members(self) -> None:
        from app.ui.files import workbooks

        workbooks.import_members(self.ops, self.db, self.today())

    def export_members(self) -> None:
        from app.ui.files import workbooks

        workbooks.export_members(self.ops, self.db, self.today())

    def import_results(self) -> None:
        from app.ui.files import workbooks

        workbooks.import_results(self.ops, self.db, self.today(), self.actor())

    def export_results(self) -> None:
        from app.ui.files import workbooks

        workbooks.export_results(self.ops, self.db)

    def backup(self) -> None:
        from app.ui.files import backup as backup_password

        backup_password.backup(self.ops, self.db)  # a save dialog, then an optional password

    def export_package(self) -> None:
        from app.ui.files import exchange as exchange_dialog

        year = self.evaluation.year
        exchange_dialog.export_cell_package(
            self.ops, self.db, self.tree.current_node(), year, self.actor()
        )

    def import_package(self) -> None:
        from app.ui.files import exchange as exchange_dialog

        exchange_dialog.import_package(self.ops, self.db, self.actor)

    def show_options(self) -> None:
        from app.ui.shell.options_dialog import OptionsDialog

        if self.run_dialog(OptionsDialog(self.settings, self)):
            self.lock.arm()  # the idle time may have changed

    def restore_backup(self) -> None:
        if self.restore_requested is None:
            return
        from app.ui.files.backup import server_backup_said
        from app.ui.files.restore import RestoreDialog

        if not server_backup_said(self, self.db):
            return
        dialog = RestoreDialog(self.db.path, self)
        if not self.run_dialog(dialog) or dialog.chosen is None:
            dialog.cleanup()
            return
        question = (
            f"Thay toàn bộ dữ liệu đang dùng bằng bản sao lưu {dialog.chosen.label}?\n\n"
            "Dữ liệu hiện tại được sao lưu lại trước, nên vẫn có thể quay về."
        )
        try:
            if ask.confirm(self, "Khôi phục dữ liệu", question, "Khôi phục"):
                self.restore_requested(dialog.chosen.path)
        finally:
            dialog.cleanup()

    def connect_server(self) -> None:
        """Tệp → Kết nối máy chủ…: the server's address and password (app/ui/files/
        server_connect.py); the WindowHost opens it in a new window."""
        if self.connect_requested is None:
            return
        from app.ui.files.server_connect import ask_server

        target = ask_server(self.settings, lambda dialog: self.run_dialog(dialog), self)
        if target is not None:
            self._connect(target)

    def _connect(self, target: ServerTarget | None) -> None:
        if self.connect_requested is not None:
            self.connect_requested(target)

    # ---- the province: commune reports (issue 23; app/ui/province) --------------------
    def export_report(self) -> None:
        """Tệp → Báo cáo lên tỉnh…"""
        from app.ui.province import report_export

        report_export.export_report(self.ops, self.db, self.actor())

    def receive_report(self) -> None:
        """Tệp → Nhận báo cáo của xã…"""
        from app.ui.province import report_import

        report_import.receive_report(self.ops, self.db, self.actor)

    def _update_province_tab(self) -> None:
        """The "Tỉnh" tab, there while the database holds communes' reports (a province's)."""
        from app.services.roster.quick_read import report_years

        page = self.province_page
        if not report_years(self.db):
            if page is not None:
                self.tabs.removeTab(self.tabs.indexOf(page))
            return
        if page is None:
            self.province_page = LazyTab(self._build_province)
            page = self.province_page
        if self.tabs.indexOf(page) < 0:
            self.tabs.addTab(page, "Tỉnh")
            if self.listing is not None and not self.listing.nodes:
                self.tabs.setCurrentWidget(page)  # a province's database: nothing else to see
        if page.built:
            page.content.refresh()

    def _build_province(self) -> QWidget:
        from app.ui.province.tab import ProvinceTab

        return ProvinceTab(self.db, self.ops)

    # ---- view -------------------------------------------------------------------------
    def zoom(self, step: int) -> None:
        """Ctrl+= / Ctrl+-: one point larger or smaller; the window keeps its place and size."""
        if self._before_zoom is None:
            self._before_zoom = (self.windowState(), self.geometry(), self.splitter.saveState())
        self.apply_font_size(int(self.settings.get("font_size", BASE_FONT_SIZE)) + step)

    def reset_zoom(self) -> None:
        """Ctrl+0: the default size, and the window and divider as they were before zooming."""
        self.apply_font_size(BASE_FONT_SIZE)
        if self._before_zoom is not None:
            state, geometry, divider = self._before_zoom
            self._before_zoom = None
            self.setWindowState(state)
            if not state & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
                self.setGeometry(geometry)
            self.splitter.restoreState(divider)

    def apply_font_size(self, size: int) -> None:
        """Scale the whole window; remembered for the next start."""
        size = max(MIN_FONT_SIZE, min(MAX_FONT_SIZE, size))
        font = QApplication.font()
        font.setPointSize(size)
        QApplication.setFont(font)
        self.members.table.verticalHeader().setDefaultSectionSize(
            self.members.table.fontMetrics().height() + 10
        )
        self._fit_timer.start()
        if self.settings.get("font_size") != size:
            self.settings.set("font_size", size)

    def _keep_on_screen(self) -> None:
        """The window's least size: what its contents need, but never more than the window's
        size and the screen's free area. Left to Qt, the least size follows the contents' and
        a larger font (or a wide page) grows the window, past the screen; set here, Qt keeps it
        as given and the contents make do with the room there is."""
        # A new font reaches the window's layout one level of layouts at a time: let it
        # arrive before the contents' least size is read.
        for _ in range(LAYOUT_DEPTH):
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        needed = self.layout().totalMinimumSize()
        # Qt marks a least size as the caller's own (one its layout then leaves alone) only
        # when it changes: the layout's own value given back would stay the layout's.
        self.setMinimumSize(1, 1)
        self.setMinimumSize(needed.boundedTo(self.size()).boundedTo(window_room(self)))

    def choose_own_member(self) -> None:
        """Which member the operator is, so that editing their own record warns."""
        from app.ui.roster.own_record import OperatorDialog

        dialog = OperatorDialog(self.rows, self.own_guard.member_id(), self)
        if self.run_dialog(dialog):
            self.settings.set(OWN_MEMBER, dialog.chosen)

    def actor(self) -> str:
        """Who is working, for the audit log and the permission checks: the user signed in to
        a shared database; else the name set in the settings, else the computer's login."""
        if self.signed_in is not None and self.signed_in.login:
            return self.signed_in.login
        return str(self.settings.get("operator") or getpass.getuser())

    def open_cell(self, cell_id: int) -> None:
        self.tree.select_node(cell_id)
        self.tabs.setCurrentWidget(self.evaluation_page)

    def evaluation_changed(self) -> None:
        self._saved()
        self._update_counts()

    def new_period(self) -> None:
        from app.ui.evaluation.wizard import NewPeriodWizard

        wizard = NewPeriodWizard(self.db, self.today(), self.actor(), self)
        if self.run_dialog(wizard) and wizard.created is not None:
            self.period_year = wizard.created.year
            if self.evaluation_page.built:
                self.evaluation.year = wizard.created.year
            self._saved()
            self.reload()
            self.select_root()
            self.tabs.setCurrentWidget(self.evaluation_page)

    def show_board(self) -> None:
        self.select_root()
        self.tabs.setCurrentWidget(self.evaluation_page)
        if self.evaluation.year is not None:
            self.evaluation.show_board()

    def show_appraisal(self) -> None:
        if self.evaluation.year is None:
            ask.inform(self, "Chưa có kỳ đánh giá", "Hãy tạo kỳ đánh giá trước.")
            return
        self.select_root()
        self.tabs.setCurrentWidget(self.evaluation_page)
        self.evaluation.show_appraisal()

    def reopen_period(self) -> None:
        year = self._shown_year()
        if year is None:
            return
        reason = ask.text(
            self, "Mở khóa kết quả", f"Lý do mở khóa kết quả năm {year} (ghi vào nhật ký):"
        )
        if not reason:
            return
        from app.services.procedure import appraisal

        try:
            appraisal.reopen(self.db, year, reason, self.actor())
        except ServiceError as error:
            ask.warn(self, "Không mở khóa được", str(error))
            return
        self.evaluation_changed()
        if self.evaluation_page.built:
            self.evaluation.refresh()

    def show_member(self, member_id: int) -> None:
        """Open the member's record in the "Đảng viên" tab, wherever they are."""
        self.tabs.setCurrentWidget(self.members)
        if not self.members.select_member(member_id):
            self.select_root()
            self.members.search.clear()
            self.members.select_member(member_id)

    def show_documents(self) -> None:
        self.tabs.setCurrentWidget(self.documents_page)

    def show_rulesets(self) -> None:
        from app.services.periods import lifecycle as periods

        kept = {p.year: periods.ruleset_of(self.db, p.year) for p in periods.list_periods(self.db)}
        from app.ui.evaluation.rule_sets import RuleSetDialog

        self.run_dialog(RuleSetDialog(kept, self))

    def show_data_folder(self) -> None:
        if self.db.is_server:
            ask.inform(
                self,
                "Thư mục dữ liệu",
                f"Cơ sở dữ liệu đang mở, trên máy chủ PostgreSQL:\n{self.db.name}\n\n"
                f"Thư mục dữ liệu (cài đặt, nhật ký) trên máy này:\n{paths.data_dir()}\n\n"
                "Bản sao lưu: do người quản trị máy chủ sao lưu cơ sở dữ liệu bằng công cụ "
                "của máy chủ (pg_dump).",
            )
            return
        ask.inform(
            self,
            "Thư mục dữ liệu",
            f"Cơ sở dữ liệu đang mở:\n{self.db.path}\n\nThư mục dữ liệu:\n{paths.data_dir()}\n\n"
            f"Bản sao lưu tự động:\n{paths.backups_dir()}",
        )

    def show_help(self, part: str | None = None) -> None:
        """The user guide, at *part* or at the part about the page in front (F1)."""
        from app.ui.shell.help import show_guide  # not needed for the window's first paint

        show_guide(self, part)

    def about(self) -> None:
        from app import __version__

        ask.inform(
            self,
            "Giới thiệu DanhGia",
            f"DanhGia {__version__}\n\nKiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng "
            "và đảng viên hằng năm. Chương trình chạy trên máy này, không cần mạng; nó chỉ kết "
            "nối mạng khi chọn làm việc trên máy chủ PostgreSQL của tỉnh (Tệp → Kết nối máy "
            "chủ…).",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.runner.wait()
        self.settings.set("window_geometry", bytes(self.saveGeometry().toBase64()).decode())
        if not self.leaving_for_restore:
            from app.services.safekeeping import backups

            try:
                backups.daily_backup(self.db, self.today())
            except (StoreError, OSError, sqlite3.Error) as error:
                # Closing must never fail; the next close tries again.
                log.warning("daily backup failed: %s", error)
        super().closeEvent(event)
