"""Measurements without a window, each run in a fresh process by ``child``; each returns the
seconds of the work alone (opening the database or copying files is done before the clock)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any


def _scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="danhgia-bench-"))


def print_commune(args: dict[str, Any]) -> dict[str, Any]:
    """The app's "print everything" on a fresh copy of the commune (it numbers documents), as
    PDFs or (args["format"] "docx") as Word copies."""
    from app.services.printing.documents import print_all
    from app.store.database import Database

    folder = _scratch()
    copy = folder / "commune.sqlite"
    shutil.copyfile(args["db"], copy)
    db = Database.open(copy)
    start = time.perf_counter()
    result = print_all(
        db, args["year"], folder / "out", args["unit"], format=args.get("format", "pdf")
    )
    seconds = time.perf_counter() - start
    db.close()
    shutil.rmtree(folder)
    return {"seconds": seconds, "files": len(result.written), "skipped": len(result.skipped)}


def create_demo_commune(args: dict[str, Any]) -> dict[str, Any]:
    """What the window's first start does when the user takes the demo: a new database
    file (migrated from nothing) filled with the demo commune and its years."""
    from app.services.demo.commune import create_demo
    from app.store.database import Database

    folder = _scratch()
    start = time.perf_counter()
    db = Database.open(folder / "danhgia.sqlite", create=True)
    _orgs, members = create_demo(db, "commune")
    seconds = time.perf_counter() - start
    db.close()
    shutil.rmtree(folder)
    return {"seconds": seconds, "members": members}


def reportlab_pages(args: dict[str, Any]) -> dict[str, Any]:
    """The same text, the same number of files and pages, rendered by reportlab alone: one
    document per file, each page's lines as paragraphs shrunk to fit the page."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import KeepInFrame, PageBreak, Paragraph, SimpleDocTemplate

    from app import paths

    documents: list[list[str]] = json.loads(Path(args["pages"]).read_text())
    folder = _scratch()
    start = time.perf_counter()
    pdfmetrics.registerFont(
        TTFont("BenchSerif", str(paths.fonts_dir() / "LiberationSerif-Regular.ttf"))
    )
    style = ParagraphStyle("body", fontName="BenchSerif", fontSize=13, leading=16)
    pages = 0
    for number, texts in enumerate(documents):
        buffer = BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=30 * mm,
            rightMargin=15 * mm,
            topMargin=20 * mm,
            bottomMargin=20 * mm,
        )
        story: list[Any] = []
        for index, text in enumerate(texts):
            lines = [Paragraph(escape(line), style) for line in text.splitlines() if line.strip()]
            story.append(KeepInFrame(doc.width, doc.height - 1, lines, mode="shrink"))
            if index < len(texts) - 1:
                story.append(PageBreak())
        doc.build(story)
        pages += doc.page
        (folder / f"{number:03d}.pdf").write_bytes(buffer.getvalue())
    seconds = time.perf_counter() - start
    shutil.rmtree(folder)
    return {"seconds": seconds, "files": len(documents), "pages": pages}


def soffice_convert(args: dict[str, Any]) -> dict[str, Any]:
    """LibreOffice converting the same text as .docx files to PDF, all in one call."""
    folder = _scratch()
    files = sorted(str(p) for p in Path(args["docx"]).glob("*.docx"))
    command = [
        args["soffice"],
        f"-env:UserInstallation={Path(args['profile']).as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(folder),
        *files,
    ]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, timeout=3600)
    seconds = time.perf_counter() - start
    written = len(list(folder.glob("*.pdf")))
    shutil.rmtree(folder)
    return {"seconds": seconds, "files": written}


def summary(args: dict[str, Any]) -> dict[str, Any]:
    """The Tổng hợp figures of the top of the tree: the summary and each child's."""
    from app.services.summary import report as summary_service
    from app.store.database import Database

    db = Database.open(Path(args["db"]))
    start = time.perf_counter()
    result = summary_service.report(db, args["year"])
    seconds = time.perf_counter() - start
    db.close()
    return {"seconds": seconds, "children": len(result.children)}


# Members per organisation and level of the year: one aggregate over the same rows.
_AGGREGATE = """
SELECT me.org_id, me.evaluated, coalesce(me.decided_level, me.proposed_level), count(*)
FROM member_evaluations AS me JOIN evaluation_periods AS p ON p.id = me.period_id
WHERE p.year = ?
GROUP BY 1, 2, 3
"""


def sql_aggregate(args: dict[str, Any]) -> dict[str, Any]:
    connection = sqlite3.connect(args["db"])
    start = time.perf_counter()
    rows = connection.execute(_AGGREGATE, (args["year"],)).fetchall()
    seconds = time.perf_counter() - start
    connection.close()
    return {"seconds": seconds, "groups": len(rows)}


def import_workbook(args: dict[str, Any]) -> dict[str, Any]:
    """Check and write the whole workbook into an empty database."""
    from app.services.roster.workbook import import_members
    from app.store.database import Database

    folder = _scratch()
    copy = folder / "empty.sqlite"
    shutil.copyfile(args["empty"], copy)
    db = Database.open(copy)
    start = time.perf_counter()
    result = import_members(db, Path(args["workbook"]))
    seconds = time.perf_counter() - start
    db.close()
    shutil.rmtree(folder)
    return {"seconds": seconds, "members": result.members_added}


def openpyxl_read(args: dict[str, Any]) -> dict[str, Any]:
    """openpyxl reading every value of the same file, in the mode the app opens it."""
    from openpyxl import load_workbook

    start = time.perf_counter()
    workbook = load_workbook(args["workbook"], read_only=True, data_only=True)
    rows = 0
    for sheet in workbook.worksheets:
        for _row in sheet.iter_rows(values_only=True):
            rows += 1
    workbook.close()
    return {"seconds": time.perf_counter() - start, "rows": rows}


TASKS = {
    "demo": create_demo_commune,
    "print": print_commune,
    "reportlab_pages": reportlab_pages,
    "soffice": soffice_convert,
    "summary": summary,
    "sql_aggregate": sql_aggregate,
    "import": import_workbook,
    "openpyxl_read": openpyxl_read,
}
