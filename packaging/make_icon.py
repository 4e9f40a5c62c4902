"""Draw the app icon: ``resources/icons/danhgia.png`` (256 px) and ``danhgia.ico`` (16–256 px).

A red rounded square, a white sheet with ruled lines (the review form) and a gold disc with a
check mark (the classification). Drawn with QPainter at every size from the same geometry, so
the small sizes stay sharp; Pillow packs the sizes into the Windows .ico. The files are
committed; run this again only to change the icon:

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icon.py
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QBuffer, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)

RED = QColor("#b3261e")
RED_DARK = QColor("#8c1d18")
PAPER = QColor("#ffffff")
LINE = QColor("#c9ccd1")
GOLD = QColor("#f2b705")
GOLD_DARK = QColor("#c99400")


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 100, size / 100)  # draw on a 100×100 grid

    # The tile.
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(RED_DARK)
    p.drawRoundedRect(QRectF(4, 6, 92, 92), 18, 18)
    p.setBrush(RED)
    p.drawRoundedRect(QRectF(4, 3, 92, 92), 18, 18)

    # The sheet, with a folded corner.
    sheet = QPainterPath()
    sheet.moveTo(24, 16)
    sheet.lineTo(62, 16)
    sheet.lineTo(76, 30)
    sheet.lineTo(76, 84)
    sheet.lineTo(24, 84)
    sheet.closeSubpath()
    p.setBrush(PAPER)
    p.drawPath(sheet)
    fold = QPainterPath()
    fold.moveTo(62, 16)
    fold.lineTo(62, 30)
    fold.lineTo(76, 30)
    fold.closeSubpath()
    p.setBrush(LINE)
    p.drawPath(fold)

    # Ruled lines; the small sizes get fewer, thicker ones.
    lines = (32, 44, 56) if size >= 32 else (36, 52)
    pen = QPen(LINE, 5 if size >= 32 else 7)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    for y in lines:
        p.drawLine(QPointF(32, y), QPointF(54 if y == lines[0] else 68, y))

    # The gold disc with the check mark.
    p.setPen(QPen(GOLD_DARK, 2.5))
    p.setBrush(GOLD)
    p.drawEllipse(QPointF(68, 70), 22, 22)
    check = QPen(PAPER, 7 if size >= 32 else 9)
    check.setCapStyle(Qt.PenCapStyle.RoundCap)
    check.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(check)
    p.setBrush(Qt.BrushStyle.NoBrush)
    mark = QPainterPath()
    mark.moveTo(57, 70)
    mark.lineTo(65, 78)
    mark.lineTo(80, 61)
    p.drawPath(mark)
    p.end()
    return image


def to_pillow(image: QImage) -> Image.Image:
    buffer = QBuffer()
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data()))).convert("RGBA")


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    images = {size: to_pillow(draw(size)) for size in SIZES}
    images[256].save(OUT / "danhgia.png", optimize=True)
    largest = images[256]
    largest.save(
        OUT / "danhgia.ico",
        sizes=[(s, s) for s in SIZES],
        append_images=[images[s] for s in SIZES if s != 256],
    )
    print(f"wrote {OUT / 'danhgia.png'} and {OUT / 'danhgia.ico'} ({', '.join(map(str, SIZES))})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
