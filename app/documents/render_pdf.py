"""The PDF renderer of the document model: reportlab flowables in the party-document format
(``layout.PartyDocument``: A4, embedded Liberation Serif, page numbers, fingerprint footer,
draft mark). This PDF is the signed record."""

from __future__ import annotations

from functools import singledispatch
from io import BytesIO
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from reportlab import platypus
from reportlab.platypus import Flowable

from app.documents import blocks as pdf_blocks
from app.documents import flowables as pdf_flowables
from app.documents import model
from app.documents.layout import PartyDocument
from app.documents.pages import page_limit
from app.documents.styles import pdf_style
from app.documents.tables import data_table
from app.domain.text import nfc


def render_pdf(document: model.Document) -> bytes:
    """The document as PDF bytes; several copies repeat the first copy's pages."""
    if document.copies < 1:
        raise ValueError("Số bản cần in phải từ 1 trở lên.")
    doc = PartyDocument(
        document.title, document.fingerprint, document.margins, draft=document.draft
    )
    story: list[Flowable] = []
    for block in document.blocks:
        story += flowables(block, doc)
    one = doc.build(story)
    if document.copies == 1 or page_limit() == 1:
        return one  # page 1 alone (the preview's first look) is the first copy's
    return _repeat_pages(one, document.copies)


def _repeat_pages(pdf: bytes, copies: int) -> bytes:
    """*pdf*'s pages *copies* times over. The copies are the same to the last dot (no voter's
    name, numbered from 1 each), so one is laid out and its pages are repeated, sharing their
    content: a tenth of the time and of the file of laying out every copy."""
    reader = PdfReader(BytesIO(pdf))
    writer = PdfWriter()
    for _copy in range(copies):
        for page in reader.pages:
            writer.add_page(page)
    if reader.metadata is not None:
        writer.add_metadata(reader.metadata)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def markup(runs: tuple[model.Run, ...]) -> str:
    """reportlab's paragraph markup of *runs*: escaped text, "\\n" as a line break."""
    parts = []
    for run in runs:
        piece = "<br/>".join(escape(nfc(line)) for line in run.text.split("\n"))
        if run.underline:
            piece = f"<u>{piece}</u>"
        if run.italic:
            piece = f"<i>{piece}</i>"
        if run.bold:
            piece = f"<b>{piece}</b>"
        if run.size is not None:
            piece = f"<font size='{run.size:g}'>{piece}</font>"
        parts.append(piece)
    return "".join(parts)


def paragraph(block: model.Paragraph) -> platypus.Paragraph:
    return platypus.Paragraph(markup(block.runs), pdf_style(block.style))


def cell(value: model.Cell, doc: PartyDocument) -> object:
    """A table cell's content: a paragraph or a drawn piece as a flowable, a plain value as
    is (the table sets it in its column's style)."""
    if isinstance(value, model.Paragraph):
        return paragraph(value)
    if isinstance(value, list):
        return [f for item in value for f in flowables(item, doc)]
    if type(value).__module__ == model.__name__:
        found = flowables(value, doc)  # type: ignore[arg-type]
        return found[0] if len(found) == 1 else found
    return value


@singledispatch
def _flowables(block: object, doc: PartyDocument) -> list[Flowable]:
    raise TypeError(f"Bộ in PDF chưa biết khối {type(block).__name__}.")


def flowables(block: model.Block, doc: PartyDocument) -> list[Flowable]:
    """The flowables that print *block*."""
    return _flowables(block, doc)


@_flowables.register
def _(block: model.Paragraph, doc: PartyDocument) -> list[Flowable]:
    return [paragraph(block)]


@_flowables.register
def _(block: model.Spacer, doc: PartyDocument) -> list[Flowable]:
    return [platypus.Spacer(1, block.height)]


@_flowables.register
def _(block: model.PageBreak, doc: PartyDocument) -> list[Flowable]:
    return [platypus.PageBreak()]


@_flowables.register
def _(block: model.CondPageBreak, doc: PartyDocument) -> list[Flowable]:
    return [platypus.CondPageBreak(block.room)]


@_flowables.register
def _(block: model.KeepTogether, doc: PartyDocument) -> list[Flowable]:
    return [platypus.KeepTogether([f for b in block.blocks for f in flowables(b, doc)])]


@_flowables.register
def _(block: model.HeadingBlock, doc: PartyDocument) -> list[Flowable]:
    return [
        pdf_blocks.heading_block(block.heading, doc.width, numbered=block.numbered, kind=block.kind)
    ]


@_flowables.register
def _(block: model.FormCode, doc: PartyDocument) -> list[Flowable]:
    return [pdf_blocks.form_code(block.code)]


@_flowables.register
def _(block: model.Title, doc: PartyDocument) -> list[Flowable]:
    return pdf_blocks.title_block(block.title, *block.subtitles, note=block.note, rule=block.rule)


@_flowables.register
def _(block: model.ShortRule, doc: PartyDocument) -> list[Flowable]:
    return [pdf_flowables.ShortRule(block.length, block.space)]


@_flowables.register
def _(block: model.WritingLines, doc: PartyDocument) -> list[Flowable]:
    return [pdf_flowables.WritingLines(block.count, block.gap)]


@_flowables.register
def _(block: model.FieldLine, doc: PartyDocument) -> list[Flowable]:
    return [pdf_flowables.FieldLine(block.label, block.size, block.indent)]


@_flowables.register
def _(block: model.CheckBoxes, doc: PartyDocument) -> list[Flowable]:
    return [
        pdf_flowables.CheckBoxes(
            block.options,
            block.ticked,
            prefix=block.prefix,
            size=block.size,
            columns=block.columns,
            indent=block.indent,
        )
    ]


@_flowables.register
def _(block: model.Table, doc: PartyDocument) -> list[Flowable]:
    rows = [
        row if isinstance(row, model.GroupRow) else [cell(value, doc) for value in row]
        for row in block.rows
    ]
    return [
        data_table(
            [cell(value, doc) for value in block.header],
            rows,
            block.widths,
            align=block.align,
            extra_header=[[cell(value, doc) for value in row] for row in block.extra_header],
            spans=block.spans,
            size=block.size,
            bold_rows=block.bold_rows,
            min_row_height=block.min_row_height,
        )
    ]


@_flowables.register
def _(block: model.Signatures, doc: PartyDocument) -> list[Flowable]:
    return [
        pdf_blocks.signatures(
            doc.width,
            block.left,
            block.right,
            block.recipients,
            dated=block.dated,
            room=block.room,
        )
    ]


@_flowables.register
def _(block: model.SignatureGrid, doc: PartyDocument) -> list[Flowable]:
    return [pdf_blocks.signature_grid(doc.width, block.signers, block.per_row)]


@_flowables.register
def _(block: model.NewCopy, doc: PartyDocument) -> list[Flowable]:
    return [doc.new_copy(block.fingerprint)]
