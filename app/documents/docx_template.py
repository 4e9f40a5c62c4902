"""A province's own Word template for one document kind: an ordinary .docx whose text holds
named places written ``{{ten}}``, filled from a :class:`~app.documents.model.Document`.

``{{noi_dung}}`` (required, alone in a paragraph of the body) receives the document's body:
its blocks less its own heading block, form code and title, laid out by ``render_docx`` and
moved in at that paragraph. The other places (:data:`PLACES`) receive what the built-in
layout prints in the heading and title, anywhere in the body, its tables, the page headers and
footers. A place Word split over several runs (spell check, an edit in its middle) is found
all the same: a paragraph's text is read across its runs, and the value takes the format of
the run where the place begins.

The body keeps its own look whatever the template's styles say: Times New Roman on every run,
its tables' rules drawn on the table itself (no "Table Grid" style needed), its spacing set on
each paragraph, and tables narrowed to the template's text width when that is smaller.

Each copy of the document (a self-review form per member, a ballot per voter) repeats the
whole template in a section of its own, numbered from page 1. A draft gets "DỰ THẢO" across
every page, as the built-in layout does. The PDF stays the signed record; templates never
touch it.

Pure: template bytes and a Document in, .docx bytes out; a bad template raises
:class:`TemplateError` with a Vietnamese message naming the file.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from io import BytesIO

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement as Element
from docx.parts.hdrftr import FooterPart, HeaderPart
from docx.shared import Length

from app.documents import docx_xml as xml
from app.documents import model
from app.documents.heading_text import date_line, number_line
from app.documents.render_docx import render_docx
from app.domain.formatting import format_date_long
from app.domain.text import nfc

BODY = "noi_dung"
# Every place a template may hold, with what it receives (the README and the user guide list
# them in these words).
PLACES: dict[str, str] = {
    BODY: "nội dung văn bản (bắt buộc, đứng riêng một đoạn)",
    "co_quan_cap_tren": "cấp ủy cấp trên trực tiếp, chữ in hoa (ĐẢNG BỘ XÃ NA TÔNG)",
    "co_quan_ban_hanh": "cơ quan ban hành, chữ in hoa (CHI BỘ BẢN PÁ CÓ)",
    "so": "số văn bản (Số 07-BB/CB), hoặc chỗ trống để viết số bằng tay",
    "dia_danh_ngay": "địa danh và ngày tháng (Na Tông, ngày 15 tháng 12 năm 2025)",
    "dia_danh": "địa danh (Na Tông)",
    "ngay": "ngày tháng (ngày 15 tháng 12 năm 2025), hoặc chỗ trống để viết tay",
    "ten_van_ban": "tên loại văn bản, chữ in hoa (BIÊN BẢN HỘI NGHỊ)",
    "trich_yeu": "trích yếu, các dòng in đậm dưới tên văn bản",
    "ghi_chu": "ghi chú in nghiêng dưới tên văn bản (nếu có)",
    "ma_mau": "ký hiệu mẫu ở góc trên bên phải (Mẫu 2C-HD KĐ.ĐG 2025), nếu có",
    "ma_doi_chieu": "mã đối chiếu của văn bản (nên đặt ở chân trang)",
    "nam": "năm đánh giá (2025)",
}

_PLACE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_DRAFT_MARK = "DỰ THẢO"
_BLANK = "……"


class TemplateError(ValueError):
    """The template cannot be used; the message names the file and what is wrong."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"Mẫu văn bản Word “{name}” {problem}")
        self.name = name
        self.problem = problem


def check_template(content: bytes, name: str) -> None:
    """Raise TemplateError if *content* is not a template DanhGia can fill."""
    _Template(content, name)


def fill_template(
    content: bytes, document: model.Document, name: str, *, year: int | None = None
) -> bytes:
    """The document in the template *content* (the file *name*, for messages) as .docx
    bytes; *year* fills ``{{nam}}``. Raises TemplateError for a template that cannot be used."""
    template = _Template(content, name)
    return template.fill(document, year)


# --- the document's parts ------------------------------------------------------------------


@dataclass
class _Copy:
    """One copy of the document: its fingerprint, its own heading, code and title, its body."""

    fingerprint: str
    blocks: list[model.Block] = field(default_factory=list)
    heading: model.HeadingBlock | None = None
    form_code: model.FormCode | None = None
    title: model.Title | None = None

    def split(self) -> None:
        """Take the copy's first heading block, form code and title out of its body: the
        template has its own places for them (a later title, an annex's, stays in the body)."""
        body: list[model.Block] = []
        for block in self.blocks:
            if isinstance(block, model.HeadingBlock) and self.heading is None:
                self.heading = block
            elif isinstance(block, model.FormCode) and self.form_code is None:
                self.form_code = block
            elif isinstance(block, model.Title) and self.title is None:
                self.title = block
            else:
                body.append(block)
        self.blocks = body

    def values(self, year: int | None) -> dict[str, str]:
        """What each place (the body aside) receives for this copy."""
        values = dict.fromkeys(PLACES, "")
        del values[BODY]
        values["ma_doi_chieu"] = self.fingerprint
        values["nam"] = str(year) if year is not None else ""
        if self.heading is not None:
            heading = self.heading.heading
            show_number = self.heading.numbered or bool(heading.number)
            values["co_quan_cap_tren"] = nfc(heading.superior).upper()
            values["co_quan_ban_hanh"] = nfc(heading.issuer).upper()
            values["so"] = number_line(heading, self.heading.kind) if show_number else ""
            values["dia_danh_ngay"] = nfc(date_line(heading.place, heading.date))
            values["dia_danh"] = nfc(heading.place)
            if heading.date is not None:
                values["ngay"] = format_date_long(heading.date)
            else:
                values["ngay"] = f"ngày {_BLANK} tháng {_BLANK} năm 20{_BLANK}"
        if self.form_code is not None:
            values["ma_mau"] = nfc(self.form_code.code)
        if self.title is not None:
            values["ten_van_ban"] = _lines(self.title.title.upper())
            values["trich_yeu"] = "\n".join(_lines(s) for s in self.title.subtitles if s)
            values["ghi_chu"] = nfc(self.title.note)
        return values


def _lines(value: str) -> str:
    return "\n".join(line.strip() for line in nfc(value).splitlines())


def _copies(document: model.Document) -> list[_Copy]:
    """The copies the document prints, in order: one per NewCopy-started part, all of them
    *document.copies* times (the page break that starts a copy is the template's to make)."""
    parts = [_Copy(document.fingerprint)]
    blocks = document.blocks
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if isinstance(block, model.NewCopy):
            parts.append(_Copy(block.fingerprint or document.fingerprint))
        elif isinstance(block, model.PageBreak) and isinstance(following, model.NewCopy):
            continue
        else:
            parts[-1].blocks.append(block)
    for part in parts:
        part.split()
    return parts * max(1, document.copies)


# --- reading a paragraph across its runs ---------------------------------------------------


def _owner(element: Element) -> Element | None:
    """The paragraph a text node belongs to (a text box's paragraph, not the one around it)."""
    node = element.getparent()
    while node is not None and node.tag != qn("w:p"):
        node = node.getparent()
    return node


def _texts(paragraph: Element) -> list[Element]:
    """The paragraph's own text nodes, in reading order."""
    return [t for t in paragraph.iter(qn("w:t")) if _owner(t) is paragraph]


def _text(paragraph: Element) -> str:
    return "".join(t.text or "" for t in _texts(paragraph))


def _paragraphs(element: Element) -> Iterator[Element]:
    yield from element.iter(qn("w:p"))


def _replace(paragraph: Element, values: Mapping[str, str]) -> None:
    """Put each place's value in place of ``{{name}}`` in the paragraph, wherever Word split
    it: the value goes into the text node where the place begins (so it takes that run's
    format), and the place's other pieces are taken out of the nodes they were in."""
    nodes = _texts(paragraph)
    text = "".join(t.text or "" for t in nodes)
    if "{{" not in text:
        return
    starts = []
    offset = 0
    for node in nodes:
        starts.append(offset)
        offset += len(node.text or "")
    for match in reversed(list(_PLACE.finditer(text))):
        name = match.group(1).strip()
        if name not in values:
            continue
        first = _node_at(starts, match.start())
        last = _node_at(starts, match.end() - 1)
        head = (nodes[first].text or "")[: match.start() - starts[first]]
        tail = (nodes[last].text or "")[match.end() - starts[last] :]
        for index in range(first + 1, last + 1):
            _set_text(nodes[index], "")
        _set_text(nodes[first], head + values[name] + (tail if last == first else ""))
        if last != first:
            _set_text(nodes[last], tail)
    for node in nodes:
        if "\n" in (node.text or ""):
            _break_lines(node)


def _node_at(starts: Sequence[int], position: int) -> int:
    index = 0
    for i, start in enumerate(starts):
        if start <= position:
            index = i
    return index


def _set_text(node: Element, value: str) -> None:
    node.text = value
    node.set(qn("xml:space"), "preserve")


def _break_lines(node: Element) -> None:
    """A value of several lines: the text node becomes text, line break, text … in its run."""
    lines = (node.text or "").split("\n")
    _set_text(node, lines[0])
    anchor = node
    for line in lines[1:]:
        brk = OxmlElement("w:br")
        anchor.addnext(brk)
        text = OxmlElement("w:t")
        _set_text(text, line)
        brk.addnext(text)
        anchor = text


# --- the template ----------------------------------------------------------------------------


class _Template:
    """A template read and checked: it opens as a .docx, holds ``{{noi_dung}}`` once, alone in
    a paragraph of the body, and no place DanhGia does not know."""

    def __init__(self, content: bytes, name: str) -> None:
        self.name = name
        try:
            self.word = docx.Document(BytesIO(content))
        except Exception as error:  # a zip that is no Word file, a broken part, not a zip
            raise TemplateError(
                name,
                "không phải tệp Word (.docx) đọc được. Hãy mở nó bằng Word và lưu lại "
                "dưới dạng “Word Document (*.docx)”.",
            ) from error
        self.body = self.word.element.body
        self._check()

    def _parts(self) -> Iterator[Element]:
        """The body and every page header and footer."""
        yield self.body
        seen: set[int] = set()
        for rel in self.word.part.rels.values():
            if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external:
                part = rel.target_part
                if id(part) not in seen:
                    seen.add(id(part))
                    yield part.element

    def _check(self) -> None:
        unknown: list[str] = []
        unclosed = False
        bodies = []
        for part in self._parts():
            for paragraph in _paragraphs(part):
                text = _text(paragraph)
                if "{{" not in text and "}}" not in text:
                    continue
                for match in _PLACE.finditer(text):
                    name = match.group(1).strip()
                    if name == BODY:
                        bodies.append((part, paragraph, text))
                    elif name not in PLACES and name not in unknown:
                        unknown.append(name)
                rest = _PLACE.sub("", text)
                if "{{" in rest or "}}" in rest:
                    unclosed = True
        if unknown:
            listed = ", ".join(f"{{{{{name}}}}}" for name in unknown)
            known = ", ".join(f"{{{{{name}}}}}" for name in PLACES)
            raise TemplateError(
                self.name,
                f"có chỗ điền không có trong DanhGia: {listed}. Các chỗ điền dùng được: {known}.",
            )
        if unclosed:
            raise TemplateError(
                self.name,
                "có chỗ điền viết chưa đúng: mỗi chỗ điền mở bằng “{{” và đóng bằng “}}”, "
                "ví dụ {{co_quan_ban_hanh}}.",
            )
        if not bodies:
            raise TemplateError(
                self.name,
                "không có chỗ điền {{noi_dung}}: hãy gõ {{noi_dung}} thành một đoạn riêng, "
                "ở chỗ nội dung văn bản sẽ được đặt vào.",
            )
        if len(bodies) > 1:
            raise TemplateError(self.name, "có {{noi_dung}} nhiều lần: chỉ được có một.")
        part, paragraph, text = bodies[0]
        if part is not self.body or paragraph.getparent() is not self.body:
            raise TemplateError(
                self.name,
                "đặt {{noi_dung}} trong bảng, khung chữ, đầu trang hoặc chân trang: hãy đặt "
                "nó thành một đoạn riêng trong thân văn bản.",
            )
        if not _is_body_place(paragraph):
            raise TemplateError(
                self.name,
                "có chữ khác cùng đoạn với {{noi_dung}}: hãy để {{noi_dung}} đứng riêng một đoạn.",
            )

    # --- filling ---------------------------------------------------------------------------

    def fill(self, document: model.Document, year: int | None) -> bytes:
        copies = _copies(document)
        if document.draft:
            self._mark_draft()
        width = self._text_width()
        bodies: dict[int, list[Element]] = {}  # a copy's laid-out body, by the copy's identity
        sect = self.body.find(qn("w:sectPr"))
        frame = [element for element in self.body if element is not sect]
        for element in frame:
            self.body.remove(element)
        several = len(copies) > 1
        if several and sect is not None:
            _restart_numbering(sect)
        first = copies[0].values(year)
        for number, part in enumerate(copies):
            if id(part) not in bodies:
                bodies[id(part)] = self._body(document, part, width)
            made = [copy.deepcopy(element) for element in frame]
            values = part.values(year)
            for element in made:
                for paragraph in list(_paragraphs(element)):
                    if _is_body_place(paragraph):
                        continue
                    _replace(paragraph, values)
            made = self._put_body(made, bodies[id(part)])
            if number:
                _fresh_ids(made, number)
            if several and sect is not None:
                last = number + 1 == len(copies)
                ending = None if last else _section_break(sect)
                if values != first:  # another form's code: page headers of its own
                    properties = sect if ending is None else ending.find(f".//{qn('w:sectPr')}")
                    self._own_headers(properties, values)
                if ending is not None:
                    made.append(ending)
            for element in made:
                if sect is not None:
                    sect.addprevious(element)
                else:
                    self.body.append(element)
        for story in self._parts():
            if story is self.body:
                continue
            for paragraph in list(_paragraphs(story)):
                _replace(paragraph, first)  # (the copies' own were filled already)
        properties = self.word.core_properties
        properties.title = document.title
        properties.subject = document.title
        properties.comments = f"Mã đối chiếu {document.fingerprint}"
        out = BytesIO()
        self.word.save(out)
        return out.getvalue()

    def _own_headers(self, sect: Element, values: Mapping[str, str]) -> None:
        """Give the section (*sect*, its properties) page headers and footers of its own,
        copies of the template's filled with *values*: a form's footer carries its own code."""
        document_part = self.word.part
        for reference in sect:
            if reference.tag == qn("w:headerReference"):
                make, reltype = HeaderPart.new, RT.HEADER
            elif reference.tag == qn("w:footerReference"):
                make, reltype = FooterPart.new, RT.FOOTER
            else:
                continue
            original = document_part.related_parts[reference.get(qn("r:id"))]
            clone = make(document_part.package)
            clone._element = copy.deepcopy(original.element)
            for rel in original.rels.values():  # its pictures: the same ids in a fresh part
                target = rel.target_ref if rel.is_external else rel.target_part
                clone.rels.add_relationship(rel.reltype, target, rel.rId, rel.is_external)
            reference.set(qn("r:id"), document_part.relate_to(clone, reltype))
            for paragraph in list(_paragraphs(clone.element)):
                _replace(paragraph, values)

    def _text_width(self) -> float | None:
        """The width between the template's margins, in points, if it reads as one."""
        section = self.word.sections[-1]
        page, left, right = section.page_width, section.left_margin, section.right_margin
        if page is None or left is None or right is None:
            return None
        width = Length(page - left - right).pt
        return width if width > 72 else None

    def _body(self, document: model.Document, part: _Copy, width: float | None) -> list[Element]:
        """The copy's body laid out by the built-in renderer, made to stand on its own."""
        margins = document.margins
        if width is not None:
            # The signatures, dotted lines and check boxes span the template's text width.
            side = max(0.0, (model.PAGE_WIDTH - width) / model.mm / 2)
            margins = dataclasses.replace(margins, left=side, right=side)
        alone = model.Document(
            document.title, part.fingerprint, tuple(part.blocks), margins=margins
        )
        laid_out = docx.Document(BytesIO(render_docx(alone)))
        body = laid_out.element.body
        elements = [e for e in body if e.tag != qn("w:sectPr")]
        for element in elements:
            _stand_alone(element, width)
        return elements

    def _put_body(self, made: list[Element], body: list[Element]) -> list[Element]:
        """*made* with the ``{{noi_dung}}`` paragraph replaced by (a copy of) *body*."""
        result = []
        for element in made:
            if element.tag == qn("w:p") and _is_body_place(element):
                result += [copy.deepcopy(e) for e in body]
            else:
                result.append(element)
        return result

    def _mark_draft(self) -> None:
        """ "DỰ THẢO" behind every page: in each page header the template has, and in a new
        one where its first section has none."""
        marked: list[Element] = []  # the header parts' elements (held: lxml reuses ids)
        for index, section in enumerate(self.word.sections):
            headers = [section.header]
            if section.different_first_page_header_footer:
                headers.append(section.first_page_header)
            if self.word.settings.odd_and_even_pages_header_footer:
                headers.append(section.even_page_header)
            for header in headers:
                if header.is_linked_to_previous:
                    if index:
                        continue  # shows the previous section's header, marked already
                    header.is_linked_to_previous = False
                element = header._element
                if any(element is seen for seen in marked):
                    continue
                marked.append(element)
                paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
                xml.draft_watermark(paragraph, _DRAFT_MARK)


def _is_body_place(paragraph: Element) -> bool:
    """Whether the paragraph holds ``{{noi_dung}}`` and nothing else."""
    match = _PLACE.fullmatch(_text(paragraph).strip())
    return match is not None and match.group(1).strip() == BODY


# --- making the body stand alone ------------------------------------------------------------

_BORDER_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")


def _stand_alone(element: Element, width: float | None) -> None:
    """The body's look without the built-in document's styles: explicit rules on its ruled
    tables, Times New Roman on every run, spacing on every paragraph; tables no wider than
    *width* points."""
    for table in _iter(element, "w:tbl"):
        properties = table.find(qn("w:tblPr"))
        if properties is None:
            continue
        style = properties.find(qn("w:tblStyle"))
        if style is not None:
            properties.remove(style)
            if properties.find(qn("w:tblBorders")) is None:
                _insert_borders(properties)
        if width is not None:
            _narrow(table, width)
    for run in _iter(element, "w:r"):
        xml.set_run_fonts(run.get_or_add_rPr())
    for paragraph in _iter(element, "w:p"):
        properties = paragraph.get_or_add_pPr()
        if properties.find(qn("w:spacing")) is None:
            spacing = OxmlElement("w:spacing")
            for key, value in (("before", "0"), ("after", "0"), ("line", "240")):
                spacing.set(qn(f"w:{key}"), value)
            spacing.set(qn("w:lineRule"), "auto")
            properties._insert_spacing(spacing)


def _iter(element: Element, tag: str) -> list[Element]:
    return list(element.iter(qn(tag)))


def _insert_borders(properties: Element) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in _BORDER_SIDES:
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "4")
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), "000000")
        borders.append(edge)
    # CT_TblPr's order: tblStyle, tblpPr, tblOverlap, bidiVisual, tblStyleRowBandSize,
    # tblStyleColBandSize, tblW, jc, tblCellSpacing, tblInd, tblBorders, shd, tblLayout …
    after = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
             "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd")  # fmt: skip
    anchor = None
    for child in properties:
        if child.tag in {qn(tag) for tag in after}:
            anchor = child
    if anchor is None:
        properties.insert(0, borders)
    else:
        anchor.addnext(borders)


def _narrow(table: Element, width: float) -> None:
    """Scale the table's fixed widths down to *width* points when it is wider."""
    total = table.find(f"{qn('w:tblPr')}/{qn('w:tblW')}")
    if total is None or total.get(qn("w:type")) != "dxa":
        return
    wide = int(total.get(qn("w:w")) or 0)
    room = round(width * 20)
    if wide <= room or wide <= 0:
        return
    factor = room / wide
    for node in _widths(table):
        if node.get(qn("w:type"), "dxa") == "dxa" and node.get(qn("w:w")):
            node.set(qn("w:w"), str(int(int(node.get(qn("w:w"))) * factor)))


def _widths(table: Element) -> Iterable[Element]:
    for tag in ("w:tblW", "w:gridCol", "w:tcW"):
        yield from table.iter(qn(tag))


# --- copies as sections ----------------------------------------------------------------------


def _restart_numbering(sect: Element) -> None:
    """Each copy's pages numbered from 1, each copy on a new page."""
    for kind in sect.findall(qn("w:type")):
        sect.remove(kind)
    numbering = sect.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        # CT_SectPr's order puts pgNumType after pgSz, pgMar, paperSrc, pgBorders, lnNumType.
        anchor = None
        for tag in ("w:pgSz", "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType"):
            found = sect.find(qn(tag))
            if found is not None:
                anchor = found
        if anchor is None:
            sect.append(numbering)
        else:
            anchor.addnext(numbering)
    numbering.set(qn("w:start"), "1")


def _section_break(sect: Element) -> Element:
    """An empty paragraph ending a section with the template's page set-up."""
    paragraph = OxmlElement("w:p")
    properties = OxmlElement("w:pPr")
    properties.append(copy.deepcopy(sect))
    paragraph.append(properties)
    return paragraph


def _fresh_ids(elements: list[Element], number: int) -> None:
    """A repeated copy's drawings get ids of their own and its bookmarks go (Word wants both
    unique in a document)."""
    for element in elements:
        for drawing in element.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
        ):
            drawing.set("id", str(int(drawing.get("id", "0")) + 10000 * number))
        for tag in ("w:bookmarkStart", "w:bookmarkEnd"):
            for mark in list(element.iter(qn(tag))):
                parent = mark.getparent()
                if parent is not None:
                    parent.remove(mark)
