"""The Word renderer of the document model (python-docx): a .docx an office can reword.

A4 with the document's margins, Times New Roman (the metrics of the PDF's Liberation Serif)
at the model's sizes, the heading blocks on tab stops, real Word tables whose header rows
repeat, signature blocks in a borderless table, page numbers as Word fields from page 2,
each copy of a multi-copy print in a section of its own numbered from 1, the fingerprint in
the footer and "DỰ THẢO" as a watermark. The PDF stays the signed record.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from copy import deepcopy
from dataclasses import dataclass, field
from functools import singledispatchmethod
from io import BytesIO

import docx
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph as WordParagraph
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.documents import docx_xml as xml
from app.documents import format as fmt
from app.documents import model
from app.documents.data import Heading, Signer
from app.documents.fonts import SERIF, SERIF_BOLD, SERIF_ITALIC, register_fonts
from app.documents.heading_text import date_line, number_line
from app.domain.text import nfc

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
_COLUMN_ALIGN = {"L": "left", "C": "center", "R": "right"}
HEADER_FILL = "EDEDED"  # the PDF's 0.93 grey
GROUP_FILL = "F7F7F7"  # the PDF's 0.97 grey
BOX, TICKED = "\u25a1", "\u2612"  # □ ☒
_CELL_PADDING = 3  # points, as the PDF's tables

_TEXT_NONE = model.TextStyle("docx-plain", 14, align="left", after=0)


def render_docx(document: model.Document) -> bytes:
    """The document as a .docx file's bytes."""
    if document.copies < 1:
        raise ValueError("Số bản cần in phải từ 1 trở lên.")
    writer = _Writer(document)
    writer.write()
    out = BytesIO()
    writer.word.save(out)
    return out.getvalue()


def measure(value: str, size: float, *, bold: bool = False, italic: bool = False) -> float:
    """The width in points of *value* in Times New Roman (Liberation Serif's metrics)."""
    register_fonts()
    font = SERIF_BOLD if bold else SERIF_ITALIC if italic else SERIF
    return stringWidth(nfc(value), font, size)


def fitted_size(value: str, size: float, width: float, *, bold: bool = False) -> float:
    """*size*, or a smaller one, so that *value*'s longest word fits *width* (as the PDF's
    tables shrink a narrow column's heading rather than break a word)."""
    words = nfc(value).split()
    if not words or width <= 0:
        return size
    longest = max(measure(word, size, bold=bold) for word in words)
    if longest <= width:
        return size
    return max(6.0, math.floor(size * width / longest * 2) / 2)


def one_line_size(value: str, size: float, width: float, **weight: bool) -> float:
    """*size*, or down to 10 pt in half points, so that *value* fits *width* on one line."""
    while size > 10 and measure(value, size, **weight) > width - 2:
        size -= 0.5
    return size


@dataclass
class _Writer:
    document: model.Document
    word: docx.document.Document = field(init=False)
    _keep_next: bool = False  # a heading that must not stand alone at a page's foot
    _made_paragraph: dict[model.TextStyle, object] = field(default_factory=dict)
    _made_run: dict[tuple[bool, bool, bool, float], object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.word = docx.Document()
        self._base_style()

    @property
    def width(self) -> float:
        return self.document.width

    # --- the page ------------------------------------------------------------------------

    def _base_style(self) -> None:
        normal = self.word.styles["Normal"]
        normal.font.name = xml.FONT
        normal.font.size = Pt(14)
        xml.set_run_fonts(normal.element.get_or_add_rPr())
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.space_before = Pt(0)
        properties = self.word.core_properties
        properties.title = self.document.title
        properties.subject = self.document.title
        properties.author = "DanhGia"
        properties.comments = f"Mã đối chiếu {self.document.fingerprint}"

    def _set_up(self, section: Section, fingerprint: str) -> None:
        margins = self.document.margins
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(margins.top), Mm(margins.bottom)
        section.left_margin, section.right_margin = Mm(margins.left), Mm(margins.right)
        section.header_distance, section.footer_distance = Mm(10), Mm(7)
        section.different_first_page_header_footer = True
        xml.number_pages_from_one(section)
        for header in (section.header, section.first_page_header):
            header.is_linked_to_previous = False
            line = header.paragraphs[0]
            line.text = ""
            line.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if self.document.draft:
                xml.draft_watermark(line, "DỰ THẢO")
        xml.page_number_field(section.header.paragraphs[0], 13)
        for footer in (section.footer, section.first_page_footer):
            footer.is_linked_to_previous = False
            line = footer.paragraphs[0]
            line.text = ""
            run = line.add_run(f"Mã đối chiếu {fingerprint}")
            run.italic = True
            run.font.size = Pt(8)
            run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)

    def write(self) -> None:
        body = self.word.element.body
        for existing in list(body):
            if existing.tag == qn("w:p"):
                body.remove(existing)  # the template's empty first paragraph
        self._set_up(self.word.sections[0], self.document.fingerprint)
        first_copy = self._write_blocks(self.document.blocks)
        for _copy in range(1, self.document.copies):
            # The copies are the same to the last dot: the first one's content is repeated,
            # each in a section of its own numbered from 1 (as the PDF repeats its pages).
            self._new_section(self.document.fingerprint)
            closing = body[-1]
            for element in first_copy:
                closing.addprevious(deepcopy(element))

    def _write_blocks(self, blocks: Sequence[model.Block]) -> list[object]:
        """Write *blocks* at the end of the body; return the elements made."""
        body = self.word.element.body
        start = len(body) - 1  # before the body's closing section properties
        for index, block in enumerate(blocks):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if isinstance(block, model.PageBreak) and isinstance(following, model.NewCopy):
                continue  # the new copy's section starts on a new page of its own
            self.add(block)
        return [element for element in body[start:] if element.tag != qn("w:sectPr")]

    def _new_section(self, fingerprint: str) -> None:
        section = self.word.add_section(WD_SECTION.NEW_PAGE)
        self._set_up(section, fingerprint)

    # --- text ----------------------------------------------------------------------------

    def paragraph(self, style: model.TextStyle, container: object | None = None) -> WordParagraph:
        """A new paragraph set in *style* (at the end of the body, or of a table cell)."""
        target = container if container is not None else self.word
        made = target.add_paragraph()  # type: ignore[attr-defined]
        made._p.insert(0, deepcopy(self._paragraph_properties(style)))
        if self._keep_next and container is None:
            made.paragraph_format.keep_with_next = True
        if container is None:
            self._keep_next = False
        return made

    def _paragraph_properties(self, style: model.TextStyle) -> object:
        """The paragraph properties of *style*, made once: every paragraph gets a copy (setting
        them one by one through python-docx was most of a long document's time)."""
        found = self._made_paragraph.get(style)
        if found is None:
            scratch = WordParagraph(OxmlElement("w:p"), self.word)
            form = scratch.paragraph_format
            form.alignment = _ALIGN[style.align]
            form.space_before = Pt(style.before)
            form.space_after = Pt(style.after)
            form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            form.line_spacing = Pt(style.line_height)
            if style.indent:
                form.first_line_indent = Pt(style.indent)
            if style.left_indent:
                form.left_indent = Pt(style.left_indent)
            form.widow_control = True
            if style.keep_with_next:
                form.keep_with_next = True
            found = self._made_paragraph[style] = scratch._p.get_or_add_pPr()
        return found

    def _run_properties(self, bold: bool, italic: bool, underline: bool, size: float) -> object:
        """A run's properties for that format, made once and copied (as the paragraphs')."""
        key = (bold, italic, underline, size)
        found = self._made_run.get(key)
        if found is None:
            scratch = WordParagraph(OxmlElement("w:p"), self.word).add_run()
            scratch.bold = bold or None
            scratch.italic = italic or None
            scratch.underline = underline or None
            scratch.font.size = Pt(size)
            found = self._made_run[key] = scratch._r.get_or_add_rPr()
        return found

    def runs(
        self, target: WordParagraph, runs: Sequence[model.Run], style: model.TextStyle
    ) -> None:
        for run in runs:
            properties = self._run_properties(
                run.bold or style.bold,
                run.italic or style.italic,
                run.underline,
                run.size or style.size,
            )
            for index, line in enumerate(nfc(run.text).split("\n")):
                if index:
                    target.add_run().add_break()
                if not line:
                    continue
                made = target.add_run(line)
                made._r.insert(0, deepcopy(properties))

    def text(
        self,
        value: str,
        style: model.TextStyle,
        container: object | None = None,
        **run_format: object,
    ) -> WordParagraph:
        made = self.paragraph(style, container)
        self.runs(made, [model.Run(value, **run_format)], style)  # type: ignore[arg-type]
        return made

    # --- blocks --------------------------------------------------------------------------

    @singledispatchmethod
    def add(self, block: object) -> None:
        raise TypeError(f"Bộ in Word chưa biết khối {type(block).__name__}.")

    @add.register
    def _(self, block: model.Paragraph) -> None:
        self.runs(self.paragraph(block.style), block.runs, block.style)

    @add.register
    def _(self, block: model.Spacer) -> None:
        if block.height <= 0:
            return
        spacer = self.paragraph(_TEXT_NONE)
        spacer.paragraph_format.line_spacing = Pt(max(1.0, block.height))
        for run in spacer.runs:
            run.font.size = Pt(1)

    @add.register
    def _(self, block: model.PageBreak) -> None:
        self.paragraph(_TEXT_NONE).add_run().add_break(WD_BREAK.PAGE)

    @add.register
    def _(self, block: model.CondPageBreak) -> None:
        # Word has no "new page unless this much room is left": the heading that follows
        # keeps with the paragraph after it instead.
        self._keep_next = True

    @add.register
    def _(self, block: model.NewCopy) -> None:
        self._new_section(block.fingerprint or self.document.fingerprint)

    @add.register
    def _(self, block: model.KeepTogether) -> None:
        body = self.word.element.body
        start = len(body) - 1  # new content goes in before the body's closing sectPr
        for inner in block.blocks:
            self.add(inner)
        made = [element for element in body[start:] if element.tag != qn("w:sectPr")]
        paragraphs = [p for element in made for p in element.iter(qn("w:p"))]
        for element in paragraphs[:-1]:
            WordParagraph(element, self.word).paragraph_format.keep_with_next = True
        for row in (r for element in made for r in element.iter(qn("w:tr"))):
            if row.trPr is None or row.trPr.find(qn("w:cantSplit")) is None:
                row.get_or_add_trPr().append(row.makeelement(qn("w:cantSplit"), {}))

    @add.register
    def _(self, block: model.FormCode) -> None:
        self.text(block.code, fmt.FORM_CODE)

    @add.register
    def _(self, block: model.HeadingBlock) -> None:
        self._heading(block.heading, block.numbered, block.kind)

    @add.register
    def _(self, block: model.Title) -> None:
        lines = [line.strip() for line in nfc(block.title.upper()).splitlines()]
        self.runs(self.paragraph(fmt.TITLE), [model.Run("\n".join(lines))], fmt.TITLE)
        for subtitle in block.subtitles:
            if subtitle:
                lines = [line.strip() for line in nfc(subtitle).splitlines()]
                made = self.paragraph(fmt.SUBTITLE)
                self.runs(made, [model.Run("\n".join(lines))], fmt.SUBTITLE)
        if block.rule:
            self.add(model.ShortRule())
        if block.note:
            self.text(block.note, fmt.NOTE)
        self.add(model.Spacer(4))

    @add.register
    def _(self, block: model.ShortRule) -> None:
        rule = self.paragraph(_TEXT_NONE)
        side = max(0.0, (self.width - block.length) / 2)
        rule.paragraph_format.left_indent = Pt(side)
        rule.paragraph_format.right_indent = Pt(side)
        rule.paragraph_format.line_spacing = Pt(max(1.0, block.space))
        rule.paragraph_format.space_after = Pt(block.space)
        xml.bottom_border(rule)

    @add.register
    def _(self, block: model.WritingLines) -> None:
        for _line in range(block.count):
            self._dotted_line("", 14, 0, block.gap)

    @add.register
    def _(self, block: model.FieldLine) -> None:
        self._dotted_line(block.label, block.size, block.indent, block.size * 1.25 + 3)

    def _dotted_line(self, label: str, size: float, indent: float, height: float) -> None:
        """A label and a dotted leader to the right margin (Word's fill-in line)."""
        line = self.paragraph(_TEXT_NONE)
        line.paragraph_format.line_spacing = Pt(height)
        line.paragraph_format.left_indent = Pt(indent) if indent else None
        xml.tab_stop(line, self.width - indent, "right", dotted=True)
        run = line.add_run(f"{nfc(label)} \t" if label else "\t")
        run.font.size = Pt(size)

    @add.register
    def _(self, block: model.CheckBoxes) -> None:
        self._check_boxes(block, None)

    def _check_boxes(self, block: model.CheckBoxes, container: object | None) -> None:
        style = model.TextStyle("boxes", block.size, align="left", after=2)
        options = [
            f"{TICKED if index in block.ticked else BOX} {nfc(option)}"
            for index, option in enumerate(block.options)
        ]
        usable = (self.width if container is None else _cell_width(container)) - block.indent
        prefix = f"{nfc(block.prefix)} " if block.prefix else ""
        one_line = prefix + "\u00a0\u00a0\u00a0\u00a0".join(options)
        if block.columns is None and measure(one_line, block.size) <= usable:
            rows = [[one_line]]
            columns = 1
        else:
            widest = max((measure(o, block.size) + 12 for o in options), default=1)
            columns = block.columns or max(1, int(usable // widest))
            columns = max(1, min(columns, len(options) or 1))
            rows = [options[i : i + columns] for i in range(0, len(options), columns)]
            if prefix:
                rows[0][0] = prefix + rows[0][0]
        step = (usable - measure(prefix, block.size)) / columns
        for row in rows:
            line = self.paragraph(style, container)
            line.paragraph_format.left_indent = Pt(block.indent) if block.indent else None
            for column in range(1, columns):
                xml.tab_stop(line, measure(prefix, block.size) + column * step, "left")
            run = line.add_run("\t".join(row))
            run.font.size = Pt(block.size)

    # --- heading blocks ------------------------------------------------------------------

    def _heading(self, heading: Heading, numbered: bool, kind: str) -> None:
        """HD 36's two blocks on tab stops: the left one centred on 45% of the width, the
        right one on the other 55%; the date line level with the number line."""
        left_width, right_width = self.width * 0.45, self.width * 0.55
        show_number = numbered or bool(heading.number)
        left: list[tuple[str, model.TextStyle]] = [
            (heading.superior.upper(), fmt.HEAD_LEFT),
            (heading.issuer.upper(), fmt.HEAD_LEFT_BOLD),
            ("*", fmt.HEAD_LEFT),
        ]
        if show_number:
            left.append((number_line(heading, kind), fmt.HEAD_LEFT))
        date = date_line(heading.place, heading.date)
        if measure(date, 14, italic=True) > right_width - 2:
            date = date_line(heading.place, heading.date, gap="…")
        right: list[tuple[str, model.TextStyle] | None] = [
            ("ĐẢNG CỘNG SẢN VIỆT NAM", fmt.HEAD_LEFT_BOLD),
            None,
            None,
            (date, fmt.HEAD_DATE),
        ]
        if not show_number:
            right = [right[0], None, right[3]]
        for index, ((left_text, left_style), right_part) in enumerate(
            zip(left, right, strict=True)
        ):
            line = self.paragraph(model.TextStyle("head", 14, align="left", leading=17, after=0))
            if index == len(left) - 1:
                line.paragraph_format.space_before = Pt(2)
            xml.tab_stop(line, left_width / 2, "center")
            xml.tab_stop(line, left_width + right_width / 2, "center")
            size = one_line_size(left_text, 14, left_width, bold=left_style.bold)
            self._tab_run(line, "\t" + nfc(left_text), left_style, size)
            if right_part is not None:
                right_text, right_style = right_part
                if index == 0:
                    size = fmt.HEAD_PARTY_SIZE
                else:
                    size = one_line_size(right_text, 14, right_width, italic=right_style.italic)
                run = self._tab_run(line, "\t" + nfc(right_text), right_style, size)
                run.underline = index == 0 or None  # the rule under the party's name

    @staticmethod
    def _tab_run(line: WordParagraph, value: str, style: model.TextStyle, size: float):
        tab = line.add_run("\t")
        tab.font.size = Pt(size)
        run = line.add_run(value.lstrip("\t"))
        run.bold = style.bold or None
        run.italic = style.italic or None
        run.font.size = Pt(size)
        return run

    # --- tables --------------------------------------------------------------------------

    @add.register
    def _(self, block: model.Table) -> None:
        widths = list(block.widths)
        head = [*block.extra_header, block.header]
        rows = len(head) + len(block.rows)
        table = self.word.add_table(rows=rows, cols=len(widths))
        table.style = self.word.styles["Table Grid"]
        xml.fixed_layout(table, widths)
        xml.cell_margins(table, 2.5, 3.5, _CELL_PADDING, _CELL_PADDING)
        spans = {(r0, c0): (r1, c1) for (c0, r0), (c1, r1) in block.spans}
        covered = _covered_by_spans(block.spans, len(widths))
        cell_head = fmt.CELL_HEAD.sized(block.size) if block.size < 11 else fmt.CELL_HEAD
        for r, values in enumerate(head):
            row = table.rows[r]
            xml.repeat_as_header(row)
            xml.keep_row_whole(row)
            cells = row.cells  # python-docx works the row's cells out anew on every call
            for c, value in enumerate(values):
                cell = cells[c]
                xml.shade(cell, HEADER_FILL)
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                if (r, c) in covered:
                    continue
                span_width = _span_width(widths, spans, r, c)
                self._cell(cell, value, cell_head, span_width, fit=True)
        body_styles = {
            key: (style.sized(block.size) if block.size < style.size else style)
            for key, style in (("L", fmt.CELL), ("C", fmt.CELL_CENTER), ("R", fmt.CELL_RIGHT))
        }
        bold = set(block.bold_rows)
        for index, values in enumerate(block.rows):
            r = len(head) + index
            row = table.rows[r]
            xml.keep_row_whole(row)
            if block.min_row_height:
                row.height = Pt(block.min_row_height)
                row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
            if isinstance(values, model.GroupRow):
                merged = row.cells[0].merge(row.cells[-1])
                xml.shade(merged, GROUP_FILL)
                caption = body_styles["L"].with_weight(bold=True)
                self._cell(merged, values.caption, caption, sum(widths), fit=False)
                merged.paragraphs[0].paragraph_format.keep_with_next = True
                continue
            cells = row.cells
            for c, value in enumerate(values):
                cell = cells[c]
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                style = body_styles.get((block.align[c : c + 1] or "L"), body_styles["L"])
                if index in bold:
                    style = style.with_weight(bold=True)
                self._cell(cell, value, style, widths[c], fit=True)
        for (r0, c0), (r1, c1) in spans.items():
            c1 = c1 if c1 >= 0 else len(widths) + c1
            table.cell(r0, c0).merge(table.cell(r1, c1))
        self._after_table()

    def _after_table(self) -> None:
        # Word joins two tables that touch: a thin empty paragraph keeps each on its own.
        gap = self.paragraph(_TEXT_NONE)
        gap.paragraph_format.line_spacing = Pt(2)

    def _cell(
        self, cell: _Cell, value: model.Cell, style: model.TextStyle, width: float, *, fit: bool
    ) -> None:
        """Fill a table cell: a model paragraph or block as such, a plain value as text in
        *style*, shrunk so that its longest word fits the column when *fit*."""
        first = cell.paragraphs[0]
        cell._element.remove(first._p)
        if isinstance(value, model.Paragraph):
            self.runs(self.paragraph(value.style, cell), value.runs, value.style)
        elif isinstance(value, model.CheckBoxes):
            self._check_boxes(value, cell)
        elif isinstance(value, list | tuple):
            for item in value:
                self._cell_block(cell, item)
        elif type(value).__module__ == model.__name__:
            self._cell_block(cell, value)
        else:
            content = "" if value is None else nfc(str(value))
            size = style.size
            if fit:
                size = fitted_size(content, style.size, width - 2 * _CELL_PADDING, bold=style.bold)
            self.text(content, style if size == style.size else style.sized(size), cell)
        if not cell.paragraphs:
            cell.add_paragraph()

    def _cell_block(self, cell: _Cell, block: object) -> None:
        if isinstance(block, model.Paragraph):
            self.runs(self.paragraph(block.style, cell), block.runs, block.style)
        elif isinstance(block, model.CheckBoxes):
            self._check_boxes(block, cell)
        elif isinstance(block, model.Spacer):
            spacer = self.paragraph(_TEXT_NONE, cell)
            spacer.paragraph_format.line_spacing = Pt(max(1.0, block.height))
        else:
            raise TypeError(f"Bộ in Word chưa biết khối {type(block).__name__} trong bảng.")

    # --- signatures ----------------------------------------------------------------------

    @add.register
    def _(self, block: model.Signatures) -> None:
        if block.left is None:
            widths = [self.width * 0.45, self.width * 0.55]
        else:
            widths = [self.width * 0.5, self.width * 0.5]
        table = self._layout_table(3, widths)
        right_head = table.cell(0, 1)
        if block.dated:
            self.text(block.dated, fmt.HEAD_DATE, right_head)
        if block.right:
            self._signer_head(right_head, block.right)
            self._signer_name(table.cell(2, 1), block.right)
        if block.left:
            self._signer_head(table.cell(0, 0), block.left)
            self._signer_name(table.cell(2, 0), block.left)
        elif block.recipients:
            merged = table.cell(0, 0).merge(table.cell(2, 0))
            label = self.paragraph(fmt.RECIPIENT_LABEL, merged)
            self.runs(label, [model.Run("Nơi nhận:", underline=True)], fmt.RECIPIENT_LABEL)
            for item in block.recipients:
                self.text(f"- {item}", fmt.RECIPIENT, merged)
        self._room(table.rows[1], block.room)
        self._finish_layout_table(table)

    @add.register
    def _(self, block: model.SignatureGrid) -> None:
        signers = list(block.signers)
        if not signers:
            return
        per_row = max(1, min(block.per_row, len(signers)))
        groups = [signers[i : i + per_row] for i in range(0, len(signers), per_row)]
        table = self._layout_table(4 * len(groups), [self.width / per_row] * per_row)
        for g, group in enumerate(groups):
            for c, signer in enumerate(group):
                self._signer_head(table.cell(4 * g, c), signer)
                self._signer_name(table.cell(4 * g + 2, c), signer)
            self._room(table.rows[4 * g + 1], fmt.SIGNING_ROOM)
            self._room(table.rows[4 * g + 3], 8)
        self._finish_layout_table(table)

    def _layout_table(self, rows: int, widths: list[float]):
        self.add(model.Spacer(10))
        table = self.word.add_table(rows=rows, cols=len(widths))
        xml.no_borders(table)
        xml.fixed_layout(table, widths)
        return table

    def _finish_layout_table(self, table) -> None:
        for row in table.rows:
            xml.keep_row_whole(row)
            for cell in row.cells:
                if not cell.paragraphs:
                    cell.add_paragraph()
                # The whole block moves to the next page rather than split.
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
        self._after_table()

    @staticmethod
    def _room(row, height: float) -> None:
        row.height = Pt(height)
        row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY

    def _signer_head(self, cell: _Cell, signer: Signer) -> None:
        if cell.paragraphs and not cell.paragraphs[0].text:
            cell._element.remove(cell.paragraphs[0]._p)
        if signer.authority:
            self.text(signer.authority.upper(), fmt.SIGN, cell)
        self.text(signer.title.upper(), fmt.SIGN, cell)
        if signer.hint:
            self.text(signer.hint, fmt.SIGN_HINT, cell)

    def _signer_name(self, cell: _Cell, signer: Signer) -> None:
        cell._element.remove(cell.paragraphs[0]._p)
        self.text(signer.name or " ", fmt.SIGN, cell)


def _covered_by_spans(spans: Sequence[model.Span], columns: int) -> set[tuple[int, int]]:
    """The (row, column) places inside a span other than its first: left empty."""
    covered = set()
    for (c0, r0), (c1, r1) in spans:
        c1 = c1 if c1 >= 0 else columns + c1
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    covered.add((r, c))
    return covered


def _span_width(
    widths: Sequence[float], spans: dict[tuple[int, int], tuple[int, int]], r: int, c: int
) -> float:
    end = spans.get((r, c))
    if end is None:
        return widths[c]
    last = end[1] if end[1] >= 0 else len(widths) + end[1]
    return sum(widths[c : last + 1])


def _cell_width(cell: object) -> float:
    width = getattr(cell, "width", None)
    return width.pt if width is not None else 200.0


def iter_text(document: docx.document.Document) -> Iterator[str]:
    """Every paragraph's text, table cells included, in the order a reader meets them."""
    for element in document.element.body.iter(qn("w:p")):
        yield WordParagraph(element, document).text
