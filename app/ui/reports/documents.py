"""The "Văn bản" tab: the documents of the selected cell (or of the commune) for a year —
preview, print, save, sign, open a Word copy — and printing every document in the background."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import format_int
from app.domain.quarters import QUARTERS, quarter_name
from app.domain.vocabulary import OrgKind
from app.services.common.errors import ServiceError, describe_os_error
from app.services.common.progress import Cancelled, Progress
from app.services.database import Database
from app.services.periods import lifecycle as periods
from app.services.roster.organizations import OrgNode
from app.ui.common import ask
from app.ui.common.pdf_preview import (
    WORD_BUTTON,
    PreviewDialog,
    open_with_system,
    print_pdf,
    word_tip,
)
from app.ui.common.tasks import SyncRunner, TaskRunner

if TYPE_CHECKING:
    from app.services.printing.documents import Draft, Rendered

# The documents (reportlab, pypdf) and signing (pyHanko, aiohttp) take a second to import: they
# are imported when first used, not when the window starts with this tab out of sight.

KIND_ROLE = 256
QUARTER_ROLE = 257
QUARTER_KIND = "quarter-rating"  # printing.QUARTER_KINDS (its module loads at first use)
CELL_HINTS = {
    "self-review": "in trước hội nghị, mỗi đảng viên một bản",
    "ballot": "in trước hội nghị, mỗi người biểu quyết một phiếu",
    "collective-report": "chi ủy trình bày tại hội nghị",
    "meeting-minutes": "sau hội nghị; thư ký và chủ trì ký",
    "tally-minutes": "sau khi kiểm phiếu; tổ kiểm phiếu ký",
    "proposal-list": "gửi đảng ủy xã cùng biên bản",
}


def choose_folder(parent: QWidget | None, title: str) -> Path | None:
    return ask.choose_folder(parent, title)  # starts in the last folder used, or Documents


def default_word_folder() -> Path:
    """Where "Mở bằng Word…" writes its copies: DanhGia in the user's Documents folder."""
    return ask.documents_folder() / "DanhGia"


class DocumentsTab(QWidget):
    def __init__(
        self,
        db: Database,
        runner: TaskRunner | SyncRunner,
        run_dialog: Callable[[QDialog], bool],
        parent: QWidget | None = None,
        *,
        open_file: Callable[[Path], bool] = open_with_system,
        word_folder: Callable[[], Path] = default_word_folder,
    ) -> None:
        """*open_file* opens a written file with the system's program (False: none could);
        *word_folder* says where the Word copies go. Tests give both."""
        super().__init__(parent)
        self.db = db
        self.runner = runner
        self.run_dialog = run_dialog
        self.open_file = open_file
        self.word_folder = word_folder
        self.node: OrgNode | None = None
        self._stale = False  # the list of documents is filled when the tab is shown
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.year = QComboBox()
        self.kinds = QListWidget()
        self.kinds.itemDoubleClicked.connect(lambda _item: self.preview())
        self.preview_button = QPushButton("Xem trước")
        self.print_button = QPushButton("In…")
        self.save_button = QPushButton("Lưu PDF…")
        self.sign_button = QPushButton("Ký số và lưu…")
        self.word_button = QPushButton(WORD_BUTTON)
        self.word_button.setToolTip(word_tip(self.word_folder()))
        self.all_button = QPushButton("In tất cả văn bản vào một thư mục…")
        self.verify_button = QPushButton("Kiểm tra chữ ký số của một tệp PDF…")
        self.lookup_button = QPushButton("Tra mã đối chiếu in trên văn bản…")
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print_selected)
        self.save_button.clicked.connect(self.save_selected)
        self.sign_button.clicked.connect(self.sign_selected)
        self.word_button.clicked.connect(lambda: self.open_in_word())
        self.all_button.clicked.connect(self.print_everything)
        self.verify_button.clicked.connect(self.verify_file)
        self.lookup_button.clicked.connect(self.lookup)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(QLabel("Năm:"))
        top.addWidget(self.year)
        # What makes documents on one row, what checks them on the next: two rows of four
        # and three long buttons left the tab wider than a laptop's screen beside the tree.
        actions = QHBoxLayout()
        for button in self._document_buttons():
            actions.addWidget(button)
        actions.addStretch(1)
        tools = QHBoxLayout()
        tools.addStretch(1)
        tools.addWidget(self.verify_button)
        tools.addWidget(self.lookup_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.kinds, 1)
        layout.addLayout(actions)
        layout.addLayout(tools)
        self.year.currentIndexChanged.connect(lambda _i: self._fill())

    def _document_buttons(self) -> tuple[QPushButton, ...]:
        """What makes documents, in the order of their row: each needs a year and a unit."""
        return (
            self.preview_button,
            self.print_button,
            self.save_button,
            self.sign_button,
            self.word_button,
            self.all_button,
        )

    def show_node(self, node: OrgNode | None) -> None:
        self.node = node
        years = [p.year for p in periods.list_periods(self.db)]
        current = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        for year in sorted(years, reverse=True):
            self.year.addItem(str(year), year)
        if current in years:
            self.year.setCurrentIndex(self.year.findData(current))
        self.year.blockSignals(False)
        self._stale = True
        if self.isVisible():
            self._fill()

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self._fill()
        super().showEvent(event)

    def _fill(self) -> None:
        from app.services.printing import documents as printing

        printing.load_fonts()  # read once here, not in the wait for the first preview
        self._stale = False
        self.kinds.clear()
        year = self.year.currentData()
        node = self.node
        enabled = year is not None and node is not None
        for button in self._document_buttons():
            button.setEnabled(enabled)
        if not enabled:
            self.title.setText("Chưa có kỳ đánh giá: tạo kỳ đánh giá trước (thẻ Đánh giá).")
            return
        assert node is not None
        is_cell = node.kind is OrgKind.CELL
        self.title.setText(f"<b>Văn bản năm {year} — {node.name}</b>")
        kinds = printing.CELL_KINDS if is_cell else printing.COMMUNE_KINDS
        for kind in kinds:
            hint = CELL_HINTS.get(kind, "sau khi ban thường vụ quyết định")
            item = QListWidgetItem(f"{printing.title_of(kind)} — {hint}")
            item.setData(KIND_ROLE, kind)
            self.kinds.addItem(item)
        if is_cell and self._rates_quarterly(year):
            # The quarterly self-rating form, one line per quarter (each filled in its own).
            for quarter in QUARTERS:
                item = QListWidgetItem(
                    f"{printing.title_of(QUARTER_KIND)} — {quarter_name(quarter, year)}: những "
                    "người đánh giá theo quý"
                )
                item.setData(KIND_ROLE, QUARTER_KIND)
                item.setData(QUARTER_ROLE, quarter)
                self.kinds.addItem(item)
        self.kinds.setCurrentRow(0)
        self.all_button.setText(
            "In tất cả văn bản của chi bộ vào một thư mục…"
            if is_cell
            else "In tất cả văn bản của toàn đảng bộ vào một thư mục…"
        )

    def selected_kind(self) -> str | None:
        item = self.kinds.currentItem()
        return item.data(KIND_ROLE) if item is not None else None

    def selected_quarter(self) -> int | None:
        """The quarter of the selected line (the quarterly form), else None."""
        item = self.kinds.currentItem()
        return item.data(QUARTER_ROLE) if item is not None else None

    def _rates_quarterly(self, year: int) -> bool:
        from app.services.procedure import quarters

        try:
            return quarters.rates_quarterly(periods.ruleset_of(self.db, year))
        except ServiceError:
            return False

    def _render(self, issue: bool, then: Callable[[Rendered], None]) -> None:
        kind, year, node = self.selected_kind(), self.year.currentData(), self.node
        quarter = self.selected_quarter()
        if kind is None or year is None or node is None:
            return
        unit = node.id
        from app.services.printing import documents as printing

        self.runner.run(
            self,
            "Đang lập văn bản…",
            lambda _progress: printing.render_document(
                self.db, year, kind, unit, issue=issue, quarter=quarter
            ),
            then,
            self._failed,
        )

    def preview(self) -> None:
        """Page 1 as soon as it is laid out; the whole document replaces it in the open
        dialog when the background runner has made it (the decision's annex runs to dozens of
        pages). Print and Save in the dialog wait for the whole document."""
        kind, year, node = self.selected_kind(), self.year.currentData(), self.node
        quarter = self.selected_quarter()
        if kind is None or year is None or node is None:
            return
        unit = node.id
        from app.services.printing import documents as printing

        def first_look(_progress: Progress) -> tuple[Draft, bytes]:
            draft = printing.prepare_document(self.db, year, kind, unit, quarter=quarter)
            return draft, printing.render_first_page(draft)

        def show(result: tuple[Draft, bytes]) -> None:
            draft, first_page = result
            dialog = PreviewDialog(
                first_page,
                draft.title,
                f"Mã đối chiếu {draft.fingerprint}",
                self,
                complete=False,
                open_in_word=self.open_in_word,
                word_folder=self.word_folder(),
            )

            def complete(rendered: Rendered) -> None:
                dialog.save_button.clicked.connect(lambda: self._save(rendered))
                dialog.show_complete(rendered.pdf)

            def failed(error: BaseException) -> None:
                if not isinstance(error, ServiceError):
                    raise error
                dialog.show_failure(str(error))

            self.runner.run_in_background(
                lambda _progress: printing.render_draft(draft), complete, failed
            )
            self.run_dialog(dialog)

        self.runner.run(self, "Đang lập văn bản…", first_look, show, self._failed)

    def print_selected(self) -> None:
        self._render(True, lambda r: print_pdf(r.pdf, r.title, self))

    def save_selected(self) -> None:
        self._render(True, self._save)

    def _save(self, rendered: Rendered, pdf: bytes | None = None) -> None:
        path = ask.save_file(self, "Lưu văn bản", rendered.file_name, "Tệp PDF (*.pdf)")
        if path is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        from app.services.printing import documents as printing

        printing.write_pdf(path, pdf or rendered.pdf)
        ask.inform(self, "Đã lưu", f"Đã lưu “{rendered.title}” vào {path}.")

    def sign_selected(self) -> None:
        from app.ui.reports.sign_dialog import SignDialog

        def sign(rendered: Rendered) -> None:
            place = self.node.place_name if self.node else ""
            dialog = SignDialog(rendered.pdf, rendered.title, place, self)
            if self.run_dialog(dialog) and dialog.signed is not None:
                self._save(rendered, dialog.signed)

        self._render(True, sign)

    def open_in_word(self, parent: QWidget | None = None) -> None:
        """Write the selected document's Word copy (numbered as its PDF) into the Word folder,
        under a name of its own (a copy reworded before is never replaced), and open it with
        the system's program. *parent* (the preview) gets the messages."""
        kind, year, node = self.selected_kind(), self.year.currentData(), self.node
        quarter = self.selected_quarter()
        if kind is None or year is None or node is None:
            return
        unit = node.id
        owner = parent or self
        folder = self.word_folder()
        from app.services.printing import documents as printing

        def work(_progress: Progress) -> tuple[Rendered, Path]:
            rendered = printing.render_document(
                self.db, year, kind, unit, issue=True, format=printing.DOCX, quarter=quarter
            )
            name = Path(rendered.file_name)
            path = printing.write_new(folder, f"{name.stem}-{year}{name.suffix}", rendered.content)
            return rendered, path

        def opened(result: tuple[Rendered, Path]) -> None:
            rendered, path = result
            if not self.open_file(path):
                ask.warn(
                    owner,
                    "Chưa mở được bản Word",
                    f"Đã ghi bản Word của “{rendered.title}” vào {path}, nhưng máy chưa có "
                    "chương trình mở được tệp .docx. Hãy cài Microsoft Word hoặc LibreOffice "
                    "Writer rồi mở tệp đó, hoặc chép nó sang máy khác. Bản PDF vẫn in và ký "
                    "số được như thường.",
                )

        def failed(error: BaseException) -> None:
            if isinstance(error, OSError):  # the folder cannot be written: full, read-only…
                ask.warn(
                    owner,
                    "Chưa ghi được bản Word",
                    describe_os_error(error, doing="ghi") + " Không có tệp nào được ghi dở dang.",
                )
            elif isinstance(error, ServiceError):
                ask.warn(owner, "Chưa lập được bản Word", str(error))
            else:
                self._failed(error)

        self.runner.run(owner, "Đang lập bản Word…", work, opened, failed)

    def print_everything(self) -> None:
        year, node = self.year.currentData(), self.node
        if year is None or node is None:
            return
        folder = choose_folder(self, "Chọn thư mục để lưu các văn bản")
        if folder is None:
            return
        unit = node.id
        from app.services.printing import documents as printing

        target = folder / f"van-ban-{year}-{printing.slug(node.name)}"
        self.runner.run(
            self,
            "Đang in các văn bản…",
            lambda progress: printing.print_all(self.db, year, target, unit, progress),
            lambda report: ask.inform(
                self,
                "Đã in xong",
                f"Đã ghi {format_int(len(report.written))} văn bản vào {target}."
                + ("\n\nChưa in được:\n" + "\n".join(report.skipped) if report.skipped else ""),
            ),
            self._failed,
        )

    def verify_file(self) -> None:
        path = ask.open_file(self, "Chọn tệp PDF đã ký", "Tệp PDF (*.pdf)")
        if path is None:
            return
        from app.ui.reports.sign_dialog import verification_text

        ask.inform(self, "Kết quả kiểm tra chữ ký số", verification_text(path.read_bytes()))

    def lookup(self) -> None:
        code = ask.text(
            self, "Tra mã đối chiếu", "Mã đối chiếu in ở chân văn bản (ví dụ 3F9A-01C7):"
        )
        if not code:
            return
        from app.services.printing import documents as printing

        found = printing.find_fingerprint(self.db, code)
        if not found:
            ask.inform(
                self,
                "Tra mã đối chiếu",
                f"Không có văn bản nào mang mã {code.upper()}: văn bản có thể đã bị sửa "
                "sau khi in, hoặc chưa được cấp số trong chương trình.",
            )
            return
        lines = [
            f"{r.title} {r.number}, {r.unit}, năm {r.year}, ngày {r.issued_on:%d/%m/%Y}"
            for r in found
        ]
        ask.inform(self, "Tra mã đối chiếu", "Mã này là của:\n" + "\n".join(lines))

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, Cancelled):
            ask.inform(self, "Đã dừng", "Đã dừng in theo yêu cầu.")
        elif isinstance(error, ServiceError):
            ask.warn(self, "Chưa lập được văn bản", str(error))
        else:
            raise error
