"""The neutral document model: what a party document says and how it is arranged, with no
renderer in sight.

Each document kind is a function from its data (``app.documents.data``) to a :class:`Document`,
a flat list of blocks — heading blocks, title, paragraphs of runs, tables with header rows and
column widths, check boxes, signature blocks, "Nơi nhận" — in the order they are read. Two
renderers print it: ``render_pdf`` (reportlab, the signed record) and ``render_docx`` (Word,
for an office to reword). Lengths are in points; ``mm`` converts as reportlab does, so a width
computed here is the very float the PDF is laid out with.

The model only grows: a renderer that meets a block it does not know fails loudly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from app.documents.data import Heading, Signer
from app.domain.text import nfc

# The same arithmetic as reportlab.lib.units and .pagesizes: equal floats, equal layouts.
inch = 72.0
cm = inch / 2.54
mm = cm * 0.1
A4 = (21 * cm, 29.7 * cm)
PAGE_WIDTH, PAGE_HEIGHT = A4

Align = Literal["left", "center", "right", "justify"]


@dataclass(frozen=True)
class Margins:
    """Front-page margins in millimetres (HD 36: top/bottom 20–25, left 30–35, right 15–20)."""

    top: float = 20
    bottom: float = 20
    left: float = 30
    right: float = 15

    @property
    def text_width(self) -> float:
        """The width between the margins, in points."""
        return PAGE_WIDTH - (self.left + self.right) * mm


A4_MARGINS = Margins()  # the format's margins: top 20, bottom 20, left 30, right 15 mm


@dataclass(frozen=True)
class TextStyle:
    """How a paragraph is set: size and leading in points, weight, slant, alignment, the space
    before and after it, its first-line and left indents, and whether it keeps with the next."""

    name: str
    size: float = 14
    bold: bool = False
    italic: bool = False
    align: Align = "justify"
    leading: float | None = None
    before: float = 0
    after: float = 3
    indent: float = 0
    left_indent: float = 0
    keep_with_next: bool = False

    @property
    def line_height(self) -> float:
        return self.leading or self.size * 1.25

    def sized(self, size: float, leading: float | None = None) -> TextStyle:
        """The same style at another size (a table's smaller text)."""
        return TextStyle(
            f"{self.name}-{size}",
            size,
            self.bold,
            self.italic,
            self.align,
            leading or size * 1.2,
            self.before,
            self.after,
            self.indent,
            self.left_indent,
            self.keep_with_next,
        )

    def with_weight(self, *, bold: bool | None = None, italic: bool | None = None) -> TextStyle:
        return TextStyle(
            f"{self.name}-{'b' if bold else ''}{'i' if italic else ''}",
            self.size,
            self.bold if bold is None else bold,
            self.italic if italic is None else italic,
            self.align,
            self.leading,
            self.before,
            self.after,
            self.indent,
            self.left_indent,
            self.keep_with_next,
        )


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph's text in one format; "\\n" in *text* breaks the line there."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    size: float | None = None  # a size other than the paragraph's


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    style: TextStyle


BREAK = Run("\n")  # a line break within a paragraph


def flowing(value: object) -> str:
    """*value* as text of a paragraph: NFC, its line ends read as spaces (a paragraph flows;
    a deliberate break inside one is a :data:`BREAK`)."""
    return nfc(" ".join(str(value).splitlines()))


def para(value: object, paragraph_style: TextStyle, **run_format: object) -> Paragraph:
    """A paragraph of one run: *value* as flowing text, in *paragraph_style*."""
    return Paragraph((Run(flowing(value), **run_format),), paragraph_style)  # type: ignore[arg-type]


def rich(paragraph_style: TextStyle, *runs: Run | str) -> Paragraph:
    """A paragraph of several runs; a plain string is a run without format (flowing text)."""
    made = tuple(Run(flowing(r)) if isinstance(r, str) else _nfc_run(r) for r in runs)
    return Paragraph(tuple(r for r in made if r.text), paragraph_style)


def _nfc_run(run: Run) -> Run:
    return Run(nfc(run.text), run.bold, run.italic, run.underline, run.size)


def paragraphs(value: str, paragraph_style: TextStyle) -> list[Paragraph]:
    """One paragraph per non-empty line of *value*."""
    lines = [line.strip() for line in nfc(value or "").splitlines()]
    return [para(line, paragraph_style) for line in lines if line]


@dataclass(frozen=True)
class Spacer:
    height: float


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class CondPageBreak:
    """A new page when less than *room* points are left below (a heading never stands alone
    at the foot of a page, while what follows may still split)."""

    room: float


@dataclass(frozen=True)
class KeepTogether:
    """Blocks printed on one page when they fit one (a heading with its first item; the last
    paragraph with the signatures)."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class HeadingBlock:
    """The two heading blocks of HD 36: superior and issuing body, "*", the number on the left;
    "ĐẢNG CỘNG SẢN VIỆT NAM" and the place-and-date line on the right.

    *numbered* False leaves out the number line (forms, ballots) unless a number is given;
    *kind* ("BB", "BC", "QĐ") fills the blank number's type when no number is given."""

    heading: Heading
    numbered: bool = True
    kind: str = ""


@dataclass(frozen=True)
class FormCode:
    """The form's code in the top right corner, e.g. "Mẫu 2C-HD KĐ.ĐG 2025"."""

    code: str


@dataclass(frozen=True)
class Title:
    """The document type in capitals, the summary lines in bold, a short rule, an italic note.
    A "\\n" in the title or a summary line breaks the line there."""

    title: str
    subtitles: tuple[str, ...] = ()
    note: str = ""
    rule: bool = True


@dataclass(frozen=True)
class ShortRule:
    """The short centred rule under a summary line (HD 36 "-----")."""

    length: float = 30 * mm
    space: float = 4


@dataclass(frozen=True)
class WritingLines:
    """Dotted lines across the text width to write on by hand."""

    count: int
    gap: float = 8 * mm


@dataclass(frozen=True)
class FieldLine:
    """ "Họ và tên: ……" — a label followed by a dotted line to the right edge."""

    label: str
    size: float = 14
    indent: float = 0


@dataclass(frozen=True)
class CheckBoxes:
    """Boxes with labels ("□ Đã khắc phục □ Chưa khắc phục"), the *ticked* ones crossed: on
    one line when they fit, else in *columns*."""

    options: tuple[str, ...]
    ticked: tuple[int, ...] = ()
    prefix: str = ""
    size: float = 13
    columns: int | None = None
    indent: float = 10 * mm


@dataclass(frozen=True)
class GroupRow:
    """A row of a data table spanning all columns: a group's caption (a cell's name)."""

    caption: str


Cell = object  # str | int | float | None | Paragraph | CheckBoxes …: what a table cell holds
Span = tuple[tuple[int, int], tuple[int, int]]  # (column, row) to (column, row), whole table


@dataclass(frozen=True)
class Table:
    """A ruled table whose header rows repeat on every page; long text wraps in its cell.

    *align* gives "L", "C" or "R" per column for body cells; *extra_header* rows go above
    *header* (*spans* in whole-table coordinates); *bold_rows* are body rows in bold (a total);
    *min_row_height* leaves body rows room to write in (ballots); *size* the text size."""

    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...] | GroupRow, ...]
    widths: tuple[float, ...]
    align: str = ""
    extra_header: tuple[tuple[Cell, ...], ...] = ()
    spans: tuple[Span, ...] = ()
    size: float = 11
    bold_rows: tuple[int, ...] = ()
    min_row_height: float = 0


def table(
    header: Sequence[Cell],
    rows: Iterable[Sequence[Cell] | GroupRow],
    widths: Sequence[float],
    **options: object,
) -> Table:
    """A :class:`Table` from lists (the fields are tuples, so that a document is a value)."""
    extra = options.pop("extra_header", ())
    return Table(
        tuple(header),
        tuple(r if isinstance(r, GroupRow) else tuple(r) for r in rows),
        tuple(widths),
        extra_header=tuple(tuple(r) for r in extra),  # type: ignore[attr-defined]
        spans=tuple(options.pop("spans", ())),  # type: ignore[arg-type]
        bold_rows=tuple(options.pop("bold_rows", ())),  # type: ignore[arg-type]
        **options,  # type: ignore[arg-type]
    )


@dataclass(frozen=True)
class Signatures:
    """Signature blocks side by side (THƯ KÝ left, CHỦ TRÌ right), or "Nơi nhận" on the left;
    titles on one line, printed names lined up; never split across pages. *dated* is an italic
    date line above the right block; *room* the space left to sign in."""

    left: Signer | None = None
    right: Signer | None = None
    recipients: tuple[str, ...] = ()
    dated: str = ""
    room: float = 24 * mm


@dataclass(frozen=True)
class SignatureGrid:
    """Several signers (a tally committee) in rows of *per_row*, names aligned per row."""

    signers: tuple[Signer, ...]
    per_row: int = 3


@dataclass(frozen=True)
class NewCopy:
    """Put first on the page that starts another copy (after a page break): that page is
    numbered as a first page again, and its footer carries *fingerprint* when given."""

    fingerprint: str | None = None


Block = (
    Paragraph
    | Spacer
    | PageBreak
    | CondPageBreak
    | KeepTogether
    | HeadingBlock
    | FormCode
    | Title
    | ShortRule
    | WritingLines
    | FieldLine
    | CheckBoxes
    | Table
    | Signatures
    | SignatureGrid
    | NewCopy
)


@dataclass(frozen=True)
class Document:
    """One document: its title (the file's metadata), the content code printed in every
    page's footer, the blocks, the margins, the "DỰ THẢO" mark, and how many identical copies
    to print (ballots: one per voter, each numbered from its own page 1)."""

    title: str
    fingerprint: str
    blocks: tuple[Block, ...]
    margins: Margins = A4_MARGINS
    draft: bool = False
    copies: int = 1

    @property
    def width(self) -> float:
        return self.margins.text_width


def document(title: str, fingerprint: str, blocks: Iterable[Block], **options: object) -> Document:
    return Document(nfc(title), fingerprint, tuple(blocks), **options)  # type: ignore[arg-type]


def section(title: str, paragraph_style: TextStyle, room: float = 30 * mm) -> list[Block]:
    """A heading that starts a new page when less than *room* is left below it."""
    return [CondPageBreak(room), para(title, paragraph_style)]


def keep_with_last(blocks: list[Block], *block: Block) -> list[Block]:
    """Append *block* to *blocks*, kept on one page with the block before it: a signature
    never stands alone at the top of a page."""
    if not blocks:
        return list(block)
    last = blocks.pop()
    content = list(last.blocks) if isinstance(last, KeepTogether) else [last]
    blocks.append(KeepTogether((*content, *block)))
    return blocks
