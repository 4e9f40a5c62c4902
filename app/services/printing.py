"""Making the documents: the numbering register, one document, or every document of a cell
or of the whole commune into a folder.

A numbered document (minutes, reports, proposals, the decision) gets its number the first
time it is issued and keeps it when printed again; the register also keeps the fingerprint
printed in its footer, so a paper copy can be traced to its record.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfWriter
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.documents import DOCUMENT_KINDS
from app.documents.self_review import render_self_reviews
from app.documents.tally_minutes import TallyNotAgreedError
from app.domain import clock
from app.domain.fingerprint import fingerprint
from app.domain.procedure import CellStep
from app.domain.text import strip_diacritics
from app.domain.vocabulary import OrgKind
from app.services import cell_view_memo, document_data, procedure_view
from app.services.atomic import write_bytes_atomically
from app.services.errors import ServiceError
from app.services.organizations import list_organizations
from app.services.progress import SILENT, Progress
from app.store.database import Database
from app.store.models import IssuedDocument, Organization

CELL_KINDS = (
    "self-review",
    "ballot",
    "collective-report",
    "meeting-minutes",
    "tally-minutes",
    "proposal-list",
)
COMMUNE_KINDS = ("decision",)
SYMBOLS = {
    "collective-report": "BC/CB",
    "meeting-minutes": "BB/CB",
    "tally-minutes": "BB/CB",
    "proposal-list": "TTr/CB",
    "decision": "QĐ/ĐU",
}
FILE_NAMES = {
    "self-review": "ban-kiem-diem-ca-nhan",
    "ballot": "phieu-danh-gia",
    "collective-report": "bao-cao-kiem-diem-tap-the",
    "meeting-minutes": "bien-ban-hoi-nghi",
    "tally-minutes": "bien-ban-kiem-phieu",
    "proposal-list": "danh-sach-de-nghi",
    "decision": "quyet-dinh-cong-nhan",
}


@dataclass(frozen=True)
class Rendered:
    kind: str
    title: str
    file_name: str
    pdf: bytes
    fingerprint: str
    number: str


def slug(text: str) -> str:
    """A file-name form of a Vietnamese name: "Chi bộ bản Pá Có" → "chi-bo-ban-pa-co"."""
    return re.sub(r"[^a-z0-9]+", "-", strip_diacritics(text).lower()).strip("-")


def term_of(year: int) -> int:
    """The first year of the committee's five-year term (numbers restart every term)."""
    return 2020 + (year - 2020) // 5 * 5


def _number(
    session: Session, issuer: int, kind: str, year: int, subject: int
) -> tuple[int, IssuedDocument | None]:
    existing = session.scalar(
        select(IssuedDocument).where(
            IssuedDocument.issuer_id == issuer,
            IssuedDocument.kind == kind,
            IssuedDocument.year == year,
            IssuedDocument.subject_id == subject,
        )
    )
    if existing is not None:
        return existing.number, existing
    last = session.scalar(
        select(func.max(IssuedDocument.number)).where(
            IssuedDocument.issuer_id == issuer,
            IssuedDocument.symbol == SYMBOLS[kind],
            IssuedDocument.term == term_of(year),
        )
    )
    return (last or 0) + 1, None


def _build(db: Database, year: int, kind: str, unit_id: int, number: str) -> Any:
    builders: dict[str, Callable[..., Any]] = {
        "self-review": lambda: document_data.self_reviews(db, year, unit_id),
        "ballot": lambda: document_data.ballots(db, year, unit_id),
        "collective-report": lambda: document_data.collective_report(db, year, unit_id, number),
        "meeting-minutes": lambda: document_data.meeting_minutes(db, year, unit_id, number),
        "tally-minutes": lambda: document_data.tally_minutes(db, year, unit_id, number),
        "proposal-list": lambda: document_data.proposal_list(db, year, unit_id, number),
        "decision": lambda: document_data.decision(db, year, number),
    }
    if kind not in builders:
        raise ServiceError(f"Không có loại văn bản “{kind}”")
    return builders[kind]()


def _render(kind: str, data: Any) -> bytes:
    render = DOCUMENT_KINDS[kind].render
    if isinstance(data, list):
        if not data:
            raise ServiceError("Không có đảng viên nào được xếp loại để in bản kiểm điểm")
        if kind == "self-review":
            return render_self_reviews(data)  # one build, not one per member and a merge
        writer = PdfWriter()
        for item in data:
            writer.append(io.BytesIO(render(item)))
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    try:
        return render(data)
    except TallyNotAgreedError as error:
        raise ServiceError(str(error)) from error


def render_document(
    db: Database, year: int, kind: str, unit_id: int, *, issue: bool = False
) -> Rendered:
    """One document for a cell (or the commune). With *issue*, a numbered document takes
    its number from the register (keeping it when issued again) and is recorded there."""
    with db.session() as session:
        number_text = ""
        if issue and kind in SYMBOLS:
            number, _existing = _number(session, unit_id, kind, year, unit_id)
            number_text = f"Số {number:02d}-{SYMBOLS[kind]}"
    data = _build(db, year, kind, unit_id, number_text)
    code = fingerprint(data)
    pdf = _render(kind, data)
    if issue and kind in SYMBOLS:
        _register(db, year, kind, unit_id, code, data)
    title = DOCUMENT_KINDS[kind].title
    with db.session() as session:
        name = session.get(Organization, unit_id)
        unit_name = name.name if name else ""
    return Rendered(
        kind, title, f"{FILE_NAMES[kind]}-{slug(unit_name)}.pdf", pdf, code, number_text
    )


def _register(db: Database, year: int, kind: str, unit_id: int, code: str, data: Any) -> None:
    heading = getattr(data, "heading", None)
    issued_on = (heading.date if heading is not None else None) or clock.today()
    with db.session() as session:
        number, existing = _number(session, unit_id, kind, year, unit_id)
        if existing is None:
            session.add(
                IssuedDocument(
                    issuer_id=unit_id,
                    kind=kind,
                    year=year,
                    subject_id=unit_id,
                    symbol=SYMBOLS[kind],
                    term=term_of(year),
                    number=number,
                    issued_on=issued_on,
                    fingerprint=code,
                    title=DOCUMENT_KINDS[kind].title,
                )
            )
        else:
            existing.fingerprint = code
            existing.issued_on = issued_on


@dataclass(frozen=True)
class IssuedRecord:
    kind: str
    title: str
    unit: str
    year: int
    number: str
    issued_on: dt.date
    fingerprint: str


def find_fingerprint(db: Database, code: str) -> list[IssuedRecord]:
    """Which issued document carries this fingerprint (typed from a paper copy)."""
    wanted = code.strip().upper()
    with db.session() as session:
        rows = session.execute(
            select(IssuedDocument, Organization.name)
            .join(Organization, Organization.id == IssuedDocument.issuer_id)
            .where(IssuedDocument.fingerprint == wanted)
        ).all()
        return [
            IssuedRecord(
                d.kind,
                d.title,
                name,
                d.year,
                f"Số {d.number:02d}-{d.symbol}",
                d.issued_on,
                d.fingerprint,
            )
            for d, name in rows
        ]


@dataclass(frozen=True)
class PrintReport:
    written: tuple[Path, ...]
    skipped: tuple[str, ...]  # what could not be made yet, and why


def _cells(db: Database, year: int, unit_id: int | None) -> list[int]:
    rows = procedure_view.board(db, year)
    if unit_id is None:
        return [r.cell_id for r in rows]
    with db.session() as session:
        org = session.get(Organization, unit_id)
        if org is None:
            raise ServiceError("Không tìm thấy tổ chức")
        if org.kind == OrgKind.CELL:
            return [unit_id]
    tree = list_organizations(db).tree
    inside = set(tree.cells(unit_id))
    return [r.cell_id for r in rows if r.cell_id in inside]


def print_all(
    db: Database,
    year: int,
    folder: Path,
    unit_id: int | None = None,
    progress: Progress = SILENT,
) -> PrintReport:
    """Every document of every cell (of *unit_id*, or of the whole period) into *folder*, one
    sub-folder per cell, and the commune's decision when the period is decided."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cells = _cells(db, year, unit_id)
    steps = {r.cell_id: r.step for r in procedure_view.board(db, year)}
    written: list[Path] = []
    skipped: list[str] = []
    total = len(cells) * len(CELL_KINDS) + 1
    done = 0
    with db.session() as session:
        names = dict(session.execute(select(Organization.id, Organization.name)).all())
    for index, cell_id in enumerate(cells, start=1):
        target = folder / f"{index:02d}-{slug(names[cell_id])}"
        target.mkdir(exist_ok=True)
        with cell_view_memo.shared_views():  # the cell's view built once for its six documents
            for kind in CELL_KINDS:
                progress.step(done, total, f"{names[cell_id]}: {DOCUMENT_KINDS[kind].title}")
                done += 1
                issue = kind in SYMBOLS and steps.get(cell_id) in (
                    CellStep.SUBMITTED,
                    CellStep.DECIDED,
                )
                try:
                    rendered = render_document(db, year, kind, cell_id, issue=issue)
                except ServiceError as error:
                    skipped.append(f"{names[cell_id]} — {DOCUMENT_KINDS[kind].title}: {error}")
                    continue
                path = target / f"{FILE_NAMES[kind]}.pdf"
                write_pdf(path, rendered.pdf)
                written.append(path)
    commune = commune_of(db)
    if commune is not None and (unit_id is None or unit_id == commune):
        progress.step(done, total, DOCUMENT_KINDS["decision"].title)
        if all(step is CellStep.DECIDED for step in steps.values()):
            rendered = render_document(db, year, "decision", commune, issue=True)
            path = folder / f"{FILE_NAMES['decision']}-{year}.pdf"
            write_pdf(path, rendered.pdf)
            written.append(path)
        else:
            skipped.append("Quyết định công nhận: chưa quyết định xong kết quả của mọi chi bộ")
    progress.step(total, total, "Xong")
    return PrintReport(tuple(written), tuple(skipped))


def commune_of(db: Database) -> int | None:
    """The grassroots committee the period belongs to (the root of a commune database)."""
    tree = list_organizations(db).tree
    roots = [r for r in tree.roots() if tree.is_grassroots(r)] or tree.roots()
    return roots[0] if roots else None


def write_pdf(path: Path, pdf: bytes) -> None:
    """Write to a temporary name and rename: a PDF that exists is always whole."""
    write_bytes_atomically(path, pdf)
