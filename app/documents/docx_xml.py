"""The few pieces of WordprocessingML that python-docx has no call for: tab stops with dot
leaders, borders, shading, repeated header rows, rows that never split, page-number fields,
numbering restarts and the draft watermark."""

from __future__ import annotations

from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.shared import Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"  # HD 36; Liberation Serif, the PDF's face, has its very metrics


def set_run_fonts(properties: OxmlElement, font: str = FONT) -> None:
    """*font* for every script of a run's (or a style's) properties, and Vietnamese as its
    language, so that Word neither swaps the face for accented letters nor marks them wrong."""
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for script in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(script), font)
    language = properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        properties.append(language)
    language.set(qn("w:val"), "vi-VN")


def tab_stop(paragraph: Paragraph, position: float, align: str, dotted: bool = False) -> None:
    """A tab stop at *position* points: "left", "center" or "right", with a dot leader."""
    alignment = {
        "left": WD_TAB_ALIGNMENT.LEFT,
        "center": WD_TAB_ALIGNMENT.CENTER,
        "right": WD_TAB_ALIGNMENT.RIGHT,
    }[align]
    leader = WD_TAB_LEADER.DOTS if dotted else WD_TAB_LEADER.SPACES
    paragraph.paragraph_format.tab_stops.add_tab_stop(Pt(position), alignment, leader)


def bottom_border(paragraph: Paragraph, width_pt: float = 0.6, space: float = 1) -> None:
    """A rule under the paragraph (its indents set the rule's length)."""
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(max(2, round(width_pt * 8))))
    bottom.set(qn("w:space"), str(round(space)))
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    properties.append(borders)


def shade(cell: _Cell, fill: str) -> None:
    """The cell's background, e.g. "EDEDED"."""
    properties = cell._tc.get_or_add_tcPr()
    shading = parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>')
    properties.append(shading)


def repeat_as_header(row: _Row) -> None:
    """The row repeats at the top of every page the table runs onto."""
    row._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))


def keep_row_whole(row: _Row) -> None:
    """The row never breaks across pages."""
    row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))


def no_borders(table: Table) -> None:
    """A layout table: no rules, no cell padding at the sides."""
    properties = table._tbl.tblPr
    properties.append(
        parse_xml(
            f"<w:tblBorders {nsdecls('w')}>"
            + "".join(
                f'<w:{side} w:val="nil"/>'
                for side in ("top", "left", "bottom", "right", "insideH", "insideV")
            )
            + "</w:tblBorders>"
        )
    )
    cell_margins(table, 0, 0, 0, 0)


def cell_margins(table: Table, top: float, bottom: float, left: float, right: float) -> None:
    """The table's default cell padding, in points."""
    sides = {"top": top, "bottom": bottom, "left": left, "right": right}
    margins = "".join(
        f'<w:{side} w:w="{round(points * 20)}" w:type="dxa"/>' for side, points in sides.items()
    )
    table._tbl.tblPr.append(parse_xml(f"<w:tblCellMar {nsdecls('w')}>{margins}</w:tblCellMar>"))


def fixed_layout(table: Table, widths: list[float]) -> None:
    """Columns of exactly *widths* points: Word does not reflow them to their content."""
    table.autofit = False
    properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    total = OxmlElement("w:tblW")
    total.set(qn("w:w"), str(round(sum(widths) * 20)))
    total.set(qn("w:type"), "dxa")
    existing = properties.find(qn("w:tblW"))
    if existing is not None:
        properties.remove(existing)
    properties.append(total)
    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(round(width * 20)))
    for row in table._tbl.tr_lst:  # the cells as written: no spans yet
        for cell, width in zip(row.tc_lst, widths, strict=False):
            cell.width = Pt(width)


def page_number_field(paragraph: Paragraph, size: float) -> None:
    """The page's number as a Word field (it counts from the section's first page)."""
    run = paragraph.add_run()
    run.font.size = Pt(size)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2")):
        if kind:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            run._r.append(mark)
        else:
            instruction = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def number_pages_from_one(section: Section) -> None:
    """The section's pages are numbered from 1 (each copy of a print numbers its own)."""
    properties = section._sectPr
    numbering = properties.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        properties.append(numbering)
    numbering.set(qn("w:start"), "1")


def draft_watermark(paragraph: Paragraph, text: str, font: str = FONT) -> None:
    """A large light-grey word across the page behind the text, as Word draws a watermark
    (a VML text path in the header): Word and LibreOffice both show and print it."""
    shape = (
        f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"'
        ' xmlns:o="urn:schemas-microsoft-com:office:office"><w:pict>'
        '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136"'
        ' adj="10800" path="m@7,l@8,m@5,21600l@6,21600e">'
        '<v:path textpathok="t" o:connecttype="custom"/>'
        '<v:textpath on="t" fitshape="t"/></v:shapetype>'
        '<v:shape id="PowerPlusWaterMarkObject" o:spid="_x0000_s2049" type="#_x0000_t136"'
        ' style="position:absolute;margin-left:0;margin-top:0;width:470pt;height:140pt;'
        "rotation:305;z-index:-251654144;mso-position-horizontal:center;"
        "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
        'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#d1d1d1"'
        ' stroked="f">'
        f'<v:textpath style="font-family:&quot;{font}&quot;;font-weight:bold;font-size:1pt"'
        f' string="{text}"/></v:shape></w:pict></w:r>'
    )
    paragraph._p.append(parse_xml(shape))
