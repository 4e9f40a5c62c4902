"""The party-document format (HD 36-HD/VPTW) shared by every document.

A4; Liberation Serif embedded; the heading in two blocks (left: superior body upright, issuing
body in bold, a centred "*", the number; right: "ĐẢNG CỘNG SẢN VIỆT NAM" in bold with a rule
beneath and the italic place-and-date line on the level of the number); title; body;
signature blocks whose names line up; "Nơi nhận". Page numbers from page 2 at the top centre
(restarting for every copy of a multi-copy print); a footer with the content fingerprint on
every page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from io import BytesIO
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
)

from app.documents.fonts import (
    SERIF,
    SERIF_BOLD,
    SERIF_ITALIC,
    register_fonts,
)
from app.documents.pages import page_limit
from app.documents.styles import A4_MARGINS, PAGE_HEIGHT, PAGE_WIDTH, Margins
from app.domain.text import nfc

# The draft mark's marked-content tag: a pagination artifact of subtype watermark.
WATERMARK_BEGIN = "/Artifact <</Type /Pagination /Subtype /Watermark>> BDC"


class _CopyStart(Flowable):
    """Zero-size marker: page numbering restarts on the page where it is drawn."""

    def __init__(self, notify: Callable[[int], None]) -> None:
        super().__init__()
        self.notify = notify

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.notify(self.canv.getPageNumber())


_keywords: ContextVar[str] = ContextVar("keywords", default="")


@contextmanager
def keywords(text: str) -> Iterator[None]:
    """Within the block, every document built carries *text* as its PDF keywords (the
    database's audit-chain head: a signed copy anchors the log as it stood)."""
    token = _keywords.set(text)
    try:
        yield
    finally:
        _keywords.reset(token)


class _PageLimitedTemplate(BaseDocTemplate):
    """A doc template that ends the build quietly once *limit* pages are finished: what is
    left of the story is dropped, and no page is begun after the last one."""

    def __init__(self, *args: Any, limit: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._limit = limit
        self._ended = 0
        self._story: list[Flowable] = []

    def build(self, flowables: list[Flowable], *args: Any, **kwargs: Any) -> None:
        self._story = flowables  # the very list BaseDocTemplate.build consumes
        super().build(flowables, *args, **kwargs)

    def handle_pageEnd(self) -> None:
        super().handle_pageEnd()
        self._ended += 1
        if self._ended >= self._limit:
            # Nothing is drawn after a page ends within the same step of the build, so
            # emptying the story here stops it before the next page begins.
            del self._story[:]


class PartyDocument:
    """Builds one document: the page frame, numbering and footer around a story."""

    def __init__(
        self, title: str, fingerprint: str, margins: Margins = A4_MARGINS, *, draft: bool = False
    ) -> None:
        register_fonts()
        self.title = nfc(title)
        self.fingerprint = fingerprint
        self.margins = margins
        self.draft = draft  # "DỰ THẢO" across every page: not yet decided, not to be filed
        self._copy_first_page = 1
        self._footer_code = fingerprint  # the code printed on the page being made

    @property
    def width(self) -> float:
        return PAGE_WIDTH - (self.margins.left + self.margins.right) * mm

    def new_copy(self, fingerprint: str | None = None) -> Flowable:
        """A marker to put first on the page that starts a new copy (after a PageBreak):
        that page is numbered as a first page again, and from it the footer carries
        *fingerprint* when the copy is another document with a code of its own."""
        return _CopyStart(lambda page: self._set_copy_start(page, fingerprint))

    def _set_copy_start(self, page: int, fingerprint: str | None = None) -> None:
        self._copy_first_page = page
        if fingerprint is not None:
            self._footer_code = fingerprint

    def build(self, story: list[Flowable]) -> bytes:
        buffer = BytesIO()
        self._copy_first_page = 1
        self._footer_code = self.fingerprint
        options: dict[str, Any] = {
            "pagesize": A4,
            "leftMargin": self.margins.left * mm,
            "rightMargin": self.margins.right * mm,
            "topMargin": self.margins.top * mm,
            "bottomMargin": self.margins.bottom * mm,
            "title": self.title,
            "author": "DanhGia",
            "creator": "DanhGia",
            "subject": self.title,
            "keywords": _keywords.get(),
            "initialFontName": SERIF,
            "initialFontSize": 14,
        }
        limit = page_limit()
        doc = (
            BaseDocTemplate(buffer, **options)
            if limit is None
            else _PageLimitedTemplate(buffer, limit=limit, **options)
        )
        frame = Frame(
            doc.leftMargin,
            doc.bottomMargin,
            doc.width,
            doc.height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        doc.addPageTemplates(
            [PageTemplate("page", [frame], onPage=self._underlay, onPageEnd=self._decorate)]
        )
        doc.build(story)
        return buffer.getvalue()

    def _decorate(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        page = canvas.getPageNumber() - self._copy_first_page + 1
        if page > 1:
            canvas.setFont(SERIF, 13)
            canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 12 * mm, str(page))
        canvas.setFont(SERIF_ITALIC, 8)
        canvas.setFillGray(0.35)
        # A party record names no software on its face: only the code that ties the page to
        # its data. The program names itself in the PDF's metadata (author, creator).
        canvas.drawString(self.margins.left * mm, 9 * mm, f"Mã đối chiếu {self._footer_code}")
        canvas.restoreState()

    def _underlay(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        if self.draft:
            self._draft_mark(canvas)

    @staticmethod
    def _draft_mark(canvas: Canvas) -> None:
        """A large, light "DỰ THẢO" across the page (HD 36's draft mark, made unmissable):
        the text beneath stays readable, and no copy passes for the signed record."""
        # Marked as the page's watermark artifact (PDF 14.8.2.2): a reader of the text, or of
        # its columns (app.services.printing.pdf_text), can leave it out of the tables it
        # crosses; the plain text still says "DỰ THẢO".
        canvas.addLiteral(WATERMARK_BEGIN)
        canvas.saveState()
        canvas.setFillGray(0.82)
        canvas.setFont(SERIF_BOLD, 96)
        canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        canvas.rotate(55)
        canvas.drawCentredString(0, -32, "DỰ THẢO")
        canvas.restoreState()
        canvas.addLiteral("EMC")
