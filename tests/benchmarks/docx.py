"""A minimal .docx (a zip of four XML parts): the same text as a printed PDF, one paragraph per
line, a page break between pages, in Liberation Serif 13 pt on A4. Enough for LibreOffice to
convert, which is all the baseline needs; python-docx is not a dependency."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
_DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'
)
_RUN_PROPERTIES = (
    '<w:rPr><w:rFonts w:ascii="Liberation Serif" w:hAnsi="Liberation Serif" '
    'w:cs="Liberation Serif"/><w:sz w:val="26"/></w:rPr>'
)
# A4 in twentieths of a point; margins 20/15 mm top-bottom/right, 30 mm left (HD 36).
_SECTION = (
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" '
    'w:header="0" w:footer="0" w:gutter="0"/></w:sectPr>'
)


def _paragraph(text: str, page_break: bool = False) -> str:
    run = f'<w:r>{_RUN_PROPERTIES}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    if page_break:
        run = '<w:r><w:br w:type="page"/></w:r>' + run
    return f"<w:p>{run}</w:p>"


def document_xml(pages: list[str]) -> str:
    body: list[str] = []
    for number, page in enumerate(pages):
        for line_number, line in enumerate(page.splitlines() or [""]):
            body.append(_paragraph(line, page_break=number > 0 and line_number == 0))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{_W}"><w:body>{"".join(body)}{_SECTION}</w:body></w:document>'
    )


def write_docx(path: Path, pages: list[str]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/_rels/document.xml.rels", _DOC_RELS)
        archive.writestr("word/document.xml", document_xml(pages))
