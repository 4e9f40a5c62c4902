"""The visible stamp of a digital signature: "Đã ký số bởi: …, ngày ký …" in a small frame at the
bottom of the last page, so that a printed copy shows the document was signed.

pyHanko's own text stamps need its optional OpenType dependencies to show anything beyond
Latin-1, so the stamp is drawn by reportlab with the documents' embedded Liberation Serif and
imported into the signature field's appearance as a form XObject. The signing time shown is
the one pyHanko writes into the signature (``/M``), handed to the style at signing time.
"""

from __future__ import annotations

import binascii
import uuid
from dataclasses import dataclass
from io import BytesIO

from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.content import PdfContent
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.stamp import StaticContentStamp, StaticStampStyle, TextStampStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.documents.fonts import SERIF, SERIF_BOLD, register_fonts
from app.domain.text import nfc

STAMP_WIDTH = 52 * mm
STAMP_HEIGHT = 15 * mm
# The app's documents keep their body 20 mm above the bottom edge and print the fingerprint
# footer from the left margin to about 83 mm; stamps sit in the band to the right of it,
# the first at the right margin and the next one to its left.
_BOTTOM = 4 * mm
_RIGHT_MARGIN = 15 * mm
_GAP = 4 * mm
_LEFT_LIMIT = 86 * mm
_PADDING = 2 * mm
_COLOUR = (0.08, 0.2, 0.55)
_SIZE = 8.5
_LEADING = 1.2


def stamp_box(
    media_box: tuple[float, float, float, float], index: int
) -> tuple[int, int, int, int] | None:
    """Where the *index*-th stamp (0 for the first signature) goes on a page with *media_box*,
    or None when the band has no room left for it."""
    left, bottom, right, _top = media_box
    x2 = right - _RIGHT_MARGIN - index * (STAMP_WIDTH + _GAP)
    x1 = x2 - STAMP_WIDTH
    if x1 < left + _LEFT_LIMIT:
        return None
    y1 = bottom + _BOTTOM
    return (round(x1), round(y1), round(x2), round(y1 + STAMP_HEIGHT))


def _fitted_size(text: str, font: str, width: float) -> float:
    natural = stringWidth(text, font, _SIZE)
    return _SIZE if natural <= width else max(4.0, _SIZE * width / natural)


def render_stamp(width: float, height: float, signer: str, when: str) -> bytes:
    """A one-page PDF of *width* × *height* points holding the stamp's frame and three lines."""
    register_fonts()
    buffer = BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(width, height),
        pageCompression=1,
        initialFontName=SERIF,
        initialFontSize=_SIZE,
    )
    canvas.setTitle("Chữ ký số")
    canvas.setStrokeColorRGB(*_COLOUR)
    canvas.setFillColorRGB(*_COLOUR)
    canvas.setLineWidth(0.8)
    canvas.roundRect(0.6, 0.6, width - 1.2, height - 1.2, 2.5 * mm)
    lines = [
        (SERIF, "Đã ký số bởi:"),
        (SERIF_BOLD, nfc(signer)),
        (SERIF, f"Ngày ký: {when}"),
    ]
    usable = width - 2 * _PADDING
    sizes = [_fitted_size(text, font, usable) for font, text in lines]
    total = sum(size * _LEADING for size in sizes)
    y = height - (height - total) / 2
    for (font, text), size in zip(lines, sizes, strict=True):
        y -= size * _LEADING
        canvas.setFont(font, size)
        canvas.drawCentredString(width / 2, y + size * 0.25, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


class _ImportedPdfBytes(PdfContent):
    """The first page of an in-memory PDF as a form XObject (pyHanko's ImportedPdfPage wants a
    file name)."""

    def __init__(self, pdf: bytes) -> None:
        super().__init__()
        self.pdf = pdf

    def render(self) -> bytes:
        writer = self._ensure_writer
        xobject = writer.import_page_as_xobject(PdfFileReader(BytesIO(self.pdf)), page_ix=0)
        name = "/Import" + binascii.hexlify(uuid.uuid4().bytes).decode("ascii")
        self.resources.xobject[name] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name.encode("ascii") + b" Do"


@dataclass(frozen=True)
class VietnameseStampStyle(TextStampStyle):
    """A text stamp style in name only: pyHanko hands a TextStampStyle the signing time as text
    (``ts``) and the signer's name (``signer``); this style draws them with reportlab."""

    timestamp_format: str = "%d/%m/%Y %H:%M"
    border_width: int = 0

    def create_stamp(
        self,
        writer: BasePdfFileWriter,
        box: layout.BoxConstraints,
        text_params: dict[str, str],
    ) -> StaticContentStamp:
        pdf = render_stamp(
            box.width, box.height, text_params.get("signer", ""), text_params.get("ts", "")
        )
        static = StaticStampStyle(
            background=_ImportedPdfBytes(pdf),
            background_opacity=1.0,
            border_width=0,
            background_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MID,
                y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins.uniform(0),
            ),
        )
        return StaticContentStamp(writer=writer, style=static, box=box)
