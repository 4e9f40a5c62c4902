"""The user guide inside the app: Trợ giúp → Hướng dẫn sử dụng, and F1 at the part about the
page in front.

The guide is one Markdown file, resources/guide/huong-dan-su-dung.md, with its pictures beside
it (docs/huong-dan-su-dung.md only points there): the bundle carries that folder, so the guide
opens without a network, and what the window shows is what the repository holds. Qt renders
the Markdown; each heading gets an anchor named by its words without diacritics ("② Tự kiểm
điểm" → "2-tu-kiem-diem"), which is how F1 and the contents find a part.

Imported only when the guide is first asked for: the window's start stays lean.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, cast

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import (
    QGuiApplication,
    QImage,
    QKeySequence,
    QPixmap,
    QResizeEvent,
    QShortcut,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import paths


class Pages(Protocol):
    """What the guide reads of the main window to know the page in front (the main window
    opens the guide, so the guide does not import it back)."""

    tabs: QTabWidget
    members: QWidget
    summary_page: QWidget
    documents_page: QWidget
    mirror_page: QWidget
    evaluation_page: QWidget

    @property
    def evaluation(self) -> Any: ...  # the "Đánh giá" tab: board, appraisal, cell, outside

    def findChild(self, kind: type, /) -> Any: ...


GUIDE_FILE = "huong-dan-su-dung.md"
TITLE = "Hướng dẫn sử dụng DanhGia"
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")

# The part of the guide about each page of the window (see current_page).
PARTS = {
    "members": "to-chuc-va-dang-vien",
    "no-period": "dang-uy-mo-ky-danh-gia",
    "board": "bang-theo-doi-cac-chi-bo",
    "step-1": "1-chuan-bi",
    "step-2": "2-tu-kiem-diem",
    "step-3": "3-hoi-nghi",
    "step-4": "4-bieu-quyet",
    "step-5": "5-bien-ban-va-nop",
    "outside": "chi-bo-lam-tung-buoc",
    "appraisal": "tham-dinh-va-quyet-dinh",
    "summary": "tong-hop",
    "documents": "van-ban",
    "mirror": "buc-tranh-xep-loai",
}
# The legend of the tree marks, the steps and the keyboard (a menu entry of its own).
MARKS_PART = "dau-ben-canh-ten-chi-bo"


def guide_dir() -> Path:
    return paths.resources_dir() / "guide"


def guide_path() -> Path:
    return guide_dir() / GUIDE_FILE


def slug(text: str) -> str:
    """A heading's anchor: its words without diacritics, lower case, joined by hyphens."""
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def picture_names(markdown: str) -> list[str]:
    """The pictures the guide shows, as written in it (names relative to its folder)."""
    return IMAGE.findall(markdown)


def current_page(window: Pages) -> str:
    """Which page of the window is in front, as a key of PARTS ("" when none applies)."""
    page = window.tabs.currentWidget()
    if page is window.members:
        return "members"
    if page is window.summary_page:
        return "summary"
    if page is window.documents_page:
        return "documents"
    if page is window.mirror_page:
        return "mirror"
    if page is not window.evaluation_page:
        return ""
    tab = window.evaluation
    shown = tab.currentWidget()
    if shown is tab.board:
        return "board"
    if shown is tab.appraisal:
        return "appraisal"
    if shown is tab.cell:
        return f"step-{tab.cell.pages.currentIndex() + 1}"
    if shown is tab.outside:
        return "outside"
    return "no-period"


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    anchor: str
    block: QTextBlock


class GuideBrowser(QTextBrowser):
    """The guide's text. Its pictures are shrunk smoothly to the width of the window (Qt
    would scale them pixel by pixel, unreadable); a click on one shows it at full size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Links are followed here: a part of the guide, or a picture. Nothing else is opened
        # (the app never uses the network).
        self.setOpenLinks(False)
        self.images: dict[str, QImage] = {}  # the pictures at full size, by name

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_images()

    def fit_images(self) -> None:
        room = max(200, self.viewport().width() - 40)
        document = self.document()
        cursor = QTextCursor(document)
        block = document.begin()
        while block.isValid():
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                image_format = fragment.charFormat().toImageFormat()
                image = self.images.get(image_format.name()) if image_format.isValid() else None
                if image is not None and not image.isNull():
                    width = min(image.width(), room)
                    if int(image_format.width()) != width:
                        shown = image.scaledToWidth(
                            width, Qt.TransformationMode.SmoothTransformation
                        )
                        document.addResource(
                            QTextDocument.ResourceType.ImageResource,
                            QUrl(image_format.name()),
                            shown,
                        )
                        image_format.setWidth(shown.width())
                        image_format.setHeight(shown.height())
                        cursor.setPosition(fragment.position())
                        cursor.setPosition(
                            fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor
                        )
                        cursor.setCharFormat(image_format)
                fragments += 1
            block = block.next()


class PictureWindow(QDialog):
    """One of the guide's pictures at its real size (the screen as the user sees it)."""

    def __init__(self, title: str, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picture = QLabel()
        picture.setPixmap(QPixmap.fromImage(image))
        scroll = QScrollArea()
        scroll.setWidget(picture)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        screen = self.screen() or QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen else None
        width, height = image.width() + 24, image.height() + 24
        if room is not None:  # never larger than the screen: scroll instead
            width, height = min(width, room.width() - 40), min(height, room.height() - 60)
        self.resize(width, height)


class GuideWindow(QWidget):
    """The guide in a window of its own beside the main one: contents on the left, the text
    on the right. Not modal: the user reads and works at the same time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(TITLE)
        self.browser = GuideBrowser()
        self.contents = QTreeWidget()
        self.contents.setHeaderHidden(True)
        self.contents.itemActivated.connect(self._go_to_item)
        self.contents.itemClicked.connect(self._go_to_item)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 740])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.close)
        self.browser.anchorClicked.connect(self.follow)
        self.headings: list[Heading] = []
        self.load(guide_path())
        self._fit_to_screen()

    def load(self, path: Path) -> None:
        markdown = path.read_text(encoding="utf-8")
        document = self.browser.document()
        # No base URL: the document looks resources up by the name resolved against it, and
        # the pictures are added here under their plain names (scaled ones replace them).
        self.browser.setSearchPaths([str(path.parent)])
        self.browser.images = {}
        for name in picture_names(markdown):
            image = QImage(str(path.parent / name))
            self.browser.images[name] = image
            document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
        document.setMarkdown(markdown, QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
        self.headings = self._name_headings(document)
        self._fill_contents()
        self.browser.fit_images()

    def _name_headings(self, document: QTextDocument) -> list[Heading]:
        """Give every heading its anchor (links "#anchor" and F1 land on it)."""
        headings = []
        block = document.begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level > 0 and block.text().strip():
                anchor = slug(block.text())
                cursor = QTextCursor(block)
                cursor.movePosition(
                    QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
                )
                mark = QTextCharFormat()
                mark.setAnchor(True)
                mark.setAnchorNames([anchor])
                cursor.mergeCharFormat(mark)
                headings.append(Heading(level, block.text().strip(), anchor, block))
            block = block.next()
        return headings

    def _fill_contents(self) -> None:
        self.contents.clear()
        parents: dict[int, QTreeWidgetItem] = {}
        for heading in self.headings:
            if heading.level < 2:
                continue
            item = QTreeWidgetItem([heading.text])
            item.setData(0, Qt.ItemDataRole.UserRole, heading.anchor)
            item.setToolTip(0, heading.text)
            above = parents.get(heading.level - 1)
            if above is None:
                self.contents.addTopLevelItem(item)
            else:
                above.addChild(item)
            parents[heading.level] = item
            for deeper in [level for level in parents if level > heading.level]:
                del parents[deeper]
        self.contents.expandAll()

    def _fit_to_screen(self) -> None:
        """Large enough to read, never larger than the screen it opens on."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen else None
        width, height = 1040, 720
        if room is not None:
            width = min(width, room.width() - 40)
            height = min(height, room.height() - 60)
        self.resize(width, height)

    def anchors(self) -> list[str]:
        return [heading.anchor for heading in self.headings]

    def show_part(self, anchor: str) -> None:
        """Scroll so the heading *anchor* is at the top (the start when there is none)."""
        self.browser.fit_images()
        heading = next((h for h in self.headings if h.anchor == anchor), None)
        bar = self.browser.verticalScrollBar()
        if heading is None:
            bar.setValue(0)
            return
        layout = self.browser.document().documentLayout()
        bar.setValue(int(layout.blockBoundingRect(heading.block).top()))
        for item in self._items():
            if item.data(0, Qt.ItemDataRole.UserRole) == anchor:
                self.contents.setCurrentItem(item)
                break

    def part_at_top(self) -> str:
        """The anchor of the part being read: the last heading at or above the top."""
        top = self.browser.verticalScrollBar().value()
        layout = self.browser.document().documentLayout()
        current = ""
        for heading in self.headings:
            if layout.blockBoundingRect(heading.block).top() <= top + 2:
                current = heading.anchor
        return current

    def follow(self, url: QUrl) -> None:
        """A link in the guide: "#part" scrolls there, a picture opens at full size."""
        name = url.path() or url.toString()
        if url.hasFragment() and not url.path():
            self.show_part(url.fragment())
        elif name in self.browser.images:
            PictureWindow(f"{TITLE}: {name}", self.browser.images[name], self).show()

    def _items(self) -> list[QTreeWidgetItem]:
        found = []
        stack = [self.contents.topLevelItem(i) for i in range(self.contents.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            found.append(item)
            stack[:0] = [item.child(i) for i in range(item.childCount())]
        return found

    def _go_to_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.show_part(str(item.data(0, Qt.ItemDataRole.UserRole)))


def show_guide(window: Pages, part: str | None = None) -> GuideWindow:
    """Open the guide (one window, kept while the main window lives) at *part*, or at the
    part about the page in front of *window*."""
    guide = window.findChild(GuideWindow)
    if guide is None:
        guide = GuideWindow(cast(QWidget, window))  # the main window itself
    anchor = part if part is not None else PARTS.get(current_page(window), "")
    guide.show()
    guide.raise_()
    guide.activateWindow()
    guide.show_part(anchor)
    return guide
