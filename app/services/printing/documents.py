"""Making the documents: the numbering register, one document, or every document of a cell
or of the whole commune into a folder.

A numbered document (minutes, reports, proposals, the decision) gets its number the first
time it is issued and keeps it when printed again; the register also keeps the fingerprint
printed in its footer, so a paper copy can be traced to its record.

"Print everything" lays the documents out in several processes (one per core) that only read
the database; this process alone writes the files and the register.

Each comes as a PDF (the signed record) or as a Word copy (.docx, for an office to reword):
the format is chosen here, in :func:`_render`, and the result carries its bytes and format.
Both print the same data, drafts marked "DỰ THẢO" and numbers taken the same way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfWriter
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.documents import DOCUMENT_KINDS
from app.documents.fonts import register_fonts
from app.documents.layout import keywords
from app.documents.pages import first_pages
from app.documents.quarter_rating import render_quarter_ratings
from app.documents.self_review import render_self_reviews
from app.documents.tally_minutes import TallyNotAgreedError
from app.domain import clock
from app.domain.fingerprint import fingerprint
from app.domain.procedure import CellStep, PeriodState
from app.domain.quarters import quarter_name
from app.domain.text import strip_diacritics
from app.domain.vocabulary import OrgKind
from app.services.common import worker_pool
from app.services.common.atomic import write_bytes_atomically
from app.services.common.errors import ServiceError
from app.services.common.progress import SILENT, Cancelled, Progress
from app.services.printing import document_data, quarter_data, word
from app.services.printing import view_memo as cell_view_memo
from app.services.procedure import board as procedure_board
from app.services.roster.organizations import list_organizations
from app.services.safekeeping import audit
from app.store.database import Database
from app.store.models import EvaluationPeriod, IssuedDocument, Organization, OrgEvaluation

CELL_KINDS = (
    "self-review",
    "ballot",
    "collective-report",
    "meeting-minutes",
    "tally-minutes",
    "proposal-list",
)
COMMUNE_KINDS = ("decision", "summary")
# A cell's papers of one quarter (``quarter`` picks it): printed one kind at a time, never by
# "print everything", which makes the year-end round's papers.
QUARTER_KINDS = ("quarter-rating",)
# A cell's papers that record what the cell did and decided: final once the cell has
# submitted, a draft ("DỰ THẢO", no number) while they can still change. The self-review
# forms and the ballots are blank forms filled in by hand at the meeting: never drafts.
CELL_RECORD_KINDS = ("collective-report", "meeting-minutes", "tally-minutes", "proposal-list")
FINAL_CELL_STEPS = (CellStep.SUBMITTED, CellStep.DECIDED)

PDF, DOCX = "pdf", "docx"
FORMATS = (PDF, DOCX)  # the file format is also the file name's ending


def check_format(format: str) -> str:
    """*format* if it is one DanhGia writes; else ServiceError."""
    if format not in FORMATS:
        raise ServiceError(f"Không có định dạng “{format}”: chọn pdf hoặc docx")
    return format


def with_format(file_name: str, format: str) -> str:
    """*file_name* with the ending of *format*: "bien-ban.pdf" → "bien-ban.docx"."""
    return str(Path(file_name).with_suffix(f".{format}"))


def title_of(kind: str) -> str:
    """The document's title as the user reads it: "Biên bản kiểm phiếu"."""
    return DOCUMENT_KINDS[kind].title


SYMBOLS = {
    "collective-report": "BC/CB",
    "meeting-minutes": "BB/CB",
    "tally-minutes": "BB/CB",
    "proposal-list": "DS/CB",  # a list (danh sách), not a tờ trình (HD 36)
    "decision": "QĐ/ĐU",
    "summary": "BC/ĐU",
}
FILE_NAMES = {
    "self-review": "ban-kiem-diem-ca-nhan",
    "ballot": "phieu-danh-gia",
    "collective-report": "bao-cao-kiem-diem-tap-the",
    "meeting-minutes": "bien-ban-hoi-nghi",
    "tally-minutes": "bien-ban-kiem-phieu",
    "proposal-list": "danh-sach-de-nghi",
    "decision": "quyet-dinh-cong-nhan",
    "summary": "bao-cao-tong-hop",
    "quarter-rating": "phieu-tu-danh-gia-theo-quy",
}


@dataclass(frozen=True)
class Rendered:
    """A document made: its bytes in *format* ("pdf" or "docx"), the file name with that
    ending, its fingerprint and number."""

    kind: str
    title: str
    file_name: str
    content: bytes
    fingerprint: str
    number: str
    format: str = PDF

    @property
    def pdf(self) -> bytes:
        """The PDF: what is printed, saved as the record and signed. A Word copy has none."""
        if self.format != PDF:
            raise ValueError(f"{self.file_name} is a {self.format} file, not a PDF")
        return self.content


def slug(text: str) -> str:
    """A file-name form of a Vietnamese name: "Chi bộ bản Pá Có" → "chi-bo-ban-pa-co"."""
    return re.sub(r"[^a-z0-9]+", "-", strip_diacritics(text).lower()).strip("-")


def term_of(year: int) -> int:
    """The first year of the committee's five-year term (numbers restart every term)."""
    return 2020 + (year - 2020) // 5 * 5


@dataclass(frozen=True)
class Issue:
    """A numbered document as the register records it: its number, its date and the
    fingerprint printed in its footer. Made wherever the document is laid out (a worker
    process too); written only by :func:`record_issues`, in the process holding the database."""

    issuer_id: int  # the cell, or the commune for the decision; also the document's subject
    kind: str
    year: int
    number: int
    issued_on: dt.date
    fingerprint: str

    @property
    def number_text(self) -> str:
        return f"Số {self.number:02d}-{SYMBOLS[self.kind]}"


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


class _Numbering:
    """The numbers one issuer's documents take, one after the other, reading the register
    but writing nothing: a document issued before keeps its number; a new one takes the next
    after the highest of its symbol in the term, counting those taken here before it.

    Taking them in the order the documents are made gives exactly the numbers that recording
    each document as soon as it is made would give (numbers are per issuer, and within a
    cell "meeting-minutes" and "tally-minutes" share the symbol "BB/CB")."""

    def __init__(self, db: Database, year: int, issuer: int) -> None:
        self.db = db
        self.year = year
        self.issuer = issuer
        self._last: dict[str, int] = {}  # symbol → the highest number taken here

    def next(self, kind: str) -> int:
        """The number *kind* gets if it is made now (not taken until :meth:`take`)."""
        with self.db.session() as session:
            number, existing = _number(session, self.issuer, kind, self.year, self.issuer)
        if existing is not None:
            return number
        return max(number, self._last.get(SYMBOLS[kind], 0) + 1)

    def take(self, issue: Issue) -> None:
        """*issue* was made: its number is used."""
        symbol = SYMBOLS[issue.kind]
        self._last[symbol] = max(self._last.get(symbol, 0), issue.number)


def _build(
    db: Database, year: int, kind: str, unit_id: int, number: str, quarter: int | None = None
) -> Any:
    builders: dict[str, Callable[..., Any]] = {
        "self-review": lambda: document_data.self_reviews(db, year, unit_id),
        "ballot": lambda: document_data.ballots(db, year, unit_id),
        "collective-report": lambda: document_data.collective_report(db, year, unit_id, number),
        "meeting-minutes": lambda: document_data.meeting_minutes(db, year, unit_id, number),
        "tally-minutes": lambda: document_data.tally_minutes(db, year, unit_id, number),
        "proposal-list": lambda: document_data.proposal_list(db, year, unit_id, number),
        "decision": lambda: document_data.decision(db, year, number),
        "summary": lambda: document_data.summary(db, year, number),
        "quarter-rating": lambda: quarter_data.quarter_ratings(
            db, year, unit_id, quarter or quarter_data.default_quarter(year)
        ),
    }
    if kind not in builders:
        raise ServiceError(f"Không có loại văn bản “{kind}”")
    return builders[kind]()


def _anchor(db: Database) -> str:
    """The audit chain's head, written into every document's metadata (see ``anchors``)."""
    with db.session() as session:
        return f"Nhật ký thay đổi DanhGia: {audit.head(session).text()}"


def _render(
    kind: str,
    data: Any,
    anchor: str = "",
    *,
    format: str = PDF,
    year: int | None = None,
    templates: dict[str, word.WordTemplate] | None = None,
) -> bytes:
    """The one place the format picks the renderer: the PDF (the record, with the audit
    chain's head in its metadata), or the Word copy — in the province's template for the
    kind when there is one (*templates* as read beforehand, or looked up now when None)."""
    if check_format(format) == DOCX:
        template = word.find_template(kind) if templates is None else templates.get(kind)
        return word.render_word(kind, data, year=year, template=template)
    with keywords(anchor):
        return _render_data(kind, data)


# The kinds made as one form per member: every form of the cell in one build, not one per
# member and a merge.
_TOGETHER: dict[str, Callable[[list[Any]], bytes]] = {
    "self-review": render_self_reviews,
    "quarter-rating": render_quarter_ratings,
}


def _render_data(kind: str, data: Any) -> bytes:
    render = DOCUMENT_KINDS[kind].render
    if isinstance(data, list):
        if not data:
            raise ServiceError("Không có đảng viên nào được xếp loại để in bản kiểm điểm")
        if kind in _TOGETHER:
            return _TOGETHER[kind](data)
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


def _decided(db: Database, year: int) -> bool:
    with db.session() as session:
        state = session.scalar(select(EvaluationPeriod.state).where(EvaluationPeriod.year == year))
    return state is not None and PeriodState(state).is_decided


def _submitted(db: Database, year: int, cell_id: int) -> bool:
    """Whether the cell has handed its results to the commune (or had them decided)."""
    with db.session() as session:
        step = session.scalar(
            select(OrgEvaluation.step)
            .join(EvaluationPeriod, EvaluationPeriod.id == OrgEvaluation.period_id)
            .where(
                EvaluationPeriod.year == year,
                OrgEvaluation.org_id == cell_id,
                OrgEvaluation.subject == "org",
            )
        )
    return step is not None and CellStep(step) in FINAL_CELL_STEPS


def is_draft(db: Database, year: int, kind: str, unit_id: int) -> bool:
    """Whether *kind* for *unit_id* is not final yet and so prints as "DỰ THẢO", without a
    number: the commune's papers until the year is decided, a cell's records until the cell
    has submitted."""
    if kind in COMMUNE_KINDS:
        return not _decided(db, year)
    if kind in CELL_RECORD_KINDS:
        return not _submitted(db, year, unit_id)
    return False


def _gather(
    db: Database,
    year: int,
    kind: str,
    unit_id: int,
    numbering: _Numbering | None,
    quarter: int | None = None,
) -> tuple[Any, str, Issue | None]:
    """A document's data, its fingerprint and, when *numbering* is given (it is issued), the
    register entry it would make; *quarter* for a kind of ``QUARTER_KINDS``. Reads the
    database; writes nothing."""
    draft = is_draft(db, year, kind, unit_id)
    if draft:
        numbering = None  # a draft ("DỰ THẢO") takes no number from the register
    number = numbering.next(kind) if numbering is not None and kind in SYMBOLS else None
    number_text = f"Số {number:02d}-{SYMBOLS[kind]}" if number is not None else ""
    data = _build(db, year, kind, unit_id, number_text, quarter)
    if draft != getattr(data, "draft", draft):
        data = dataclasses.replace(data, draft=draft)  # one decision for every kind: this one
    code = fingerprint(data)
    if number is None:
        return data, code, None
    heading = getattr(data, "heading", None)
    issued_on = (heading.date if heading is not None else None) or clock.today()
    return data, code, Issue(unit_id, kind, year, number, issued_on, code)


@dataclass(frozen=True)
class Draft:
    """A document's data gathered (and numbered, when issued), not yet laid out: the preview
    lays out page 1 at once (:func:`render_first_page`) and the whole of it afterwards
    (:func:`render_draft`). The data are the documents' frozen dataclasses."""

    kind: str
    title: str
    file_name: str
    data: Any
    fingerprint: str
    issue: Issue | None
    anchor: str = ""  # the audit chain's head when the data were read
    year: int | None = None

    @property
    def number(self) -> str:
        return self.issue.number_text if self.issue is not None else ""


def prepare_document(
    db: Database,
    year: int,
    kind: str,
    unit_id: int,
    *,
    issue: bool = False,
    quarter: int | None = None,
) -> Draft:
    """One document's data for a cell (or the commune). With *issue*, a numbered document
    takes its number from the register (keeping the one it was issued with before); nothing
    is recorded until :func:`record_issues` gets ``draft.issue``. A kind of ``QUARTER_KINDS``
    is made for *quarter* (1–4; None: ``quarter_data.default_quarter``), named in its title
    and file name; other kinds refuse a quarter."""
    if quarter is not None and kind not in QUARTER_KINDS:
        raise ServiceError(f"{title_of(kind)} không in theo quý: bỏ chọn quý")
    if kind in QUARTER_KINDS:
        quarter = quarter_data.check_quarter(quarter or quarter_data.default_quarter(year))
    numbering = _Numbering(db, year, unit_id) if issue else None
    data, code, entry = _gather(db, year, kind, unit_id, numbering, quarter)
    with db.session() as session:
        org = session.get(Organization, unit_id)
        unit_name = org.name if org else ""
    title = DOCUMENT_KINDS[kind].title
    file_name = f"{FILE_NAMES[kind]}-{slug(unit_name)}.pdf"
    if quarter is not None:
        title = f"{title} – {quarter_name(quarter, year)}"
        file_name = f"{FILE_NAMES[kind]}-quy-{quarter}-{year}-{slug(unit_name)}.pdf"
    return Draft(kind, title, file_name, data, code, entry, _anchor(db), year)


def render_draft(draft: Draft, format: str = PDF) -> Rendered:
    """The whole document laid out, as a PDF or (*format* "docx") a Word copy."""
    content = _render(draft.kind, draft.data, draft.anchor, format=format, year=draft.year)
    return Rendered(
        draft.kind,
        draft.title,
        with_format(draft.file_name, format),
        content,
        draft.fingerprint,
        draft.number,
        format,
    )


def render_first_page(draft: Draft) -> bytes:
    """Page 1 of the document alone, the same as page 1 of :func:`render_draft`'s PDF, in a
    fraction of the time for a long document (the decision's annex is never laid out)."""
    with first_pages(1):
        return _render(draft.kind, draft.data[:1] if isinstance(draft.data, list) else draft.data)


def load_fonts() -> None:
    """Read the documents' fonts now if not yet (a tenth of a second, once per process): the
    Văn bản tab does it when shown, so that the first preview does not wait for it."""
    register_fonts()


def render_document(
    db: Database,
    year: int,
    kind: str,
    unit_id: int,
    *,
    issue: bool = False,
    format: str = PDF,
    quarter: int | None = None,
) -> Rendered:
    """One document for a cell (or the commune), as a PDF or (*format* "docx") a Word copy.
    With *issue*, a numbered document takes its number from the register (keeping it when
    issued again) and is recorded there: the Word copy carries the PDF's number. *quarter*
    for a kind of ``QUARTER_KINDS`` (see :func:`prepare_document`)."""
    check_format(format)
    draft = prepare_document(db, year, kind, unit_id, issue=issue, quarter=quarter)
    rendered = render_draft(draft, format)
    if draft.issue is not None:
        record_issues(db, [draft.issue])
    return rendered


def record_issues(db: Database, issues: Sequence[Issue]) -> None:
    """Write *issues* to the register in one transaction, in their order: a document issued
    before gets its new fingerprint and date, a new one its row with the number it printed.

    Raises RuntimeError if a number is no longer the one the register gives (nothing is then
    written): only this process writes the register, so that would be a bug, not a race."""
    if not issues:
        return
    with db.session() as session:
        for issue in issues:
            number, existing = _number(
                session, issue.issuer_id, issue.kind, issue.year, issue.issuer_id
            )
            if number != issue.number:
                raise RuntimeError(
                    f"register number {number} for {issue.kind} of {issue.issuer_id}, "
                    f"but {issue.number} was printed"
                )
            if existing is None:
                session.add(
                    IssuedDocument(
                        issuer_id=issue.issuer_id,
                        kind=issue.kind,
                        year=issue.year,
                        subject_id=issue.issuer_id,
                        symbol=SYMBOLS[issue.kind],
                        term=term_of(issue.year),
                        number=issue.number,
                        issued_on=issue.issued_on,
                        fingerprint=issue.fingerprint,
                        title=DOCUMENT_KINDS[issue.kind].title,
                    )
                )
                session.flush()  # the next issue's number counts this one
            else:
                existing.fingerprint = issue.fingerprint
                existing.issued_on = issue.issued_on


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


@dataclass(frozen=True)
class PrintJob:
    """The documents of one issuer in "print everything": a cell's six, or the commune's
    decision. One process makes a job's documents in order, so that they take their numbers
    as a one-by-one run gives them."""

    unit_id: int
    label: str  # the cell's (or the commune's) name, for progress and the skipped list
    documents: tuple[tuple[str, str], ...]  # (kind, file path relative to the folder)
    issue: bool  # numbered documents are issued (the cell has submitted, or the decision)
    format: str = PDF
    templates: tuple[word.WordTemplate, ...] = ()  # the Word templates, read beforehand


@dataclass(frozen=True)
class PrintedDocument:
    path: str  # relative to the folder
    content: bytes  # in the job's format
    issue: Issue | None  # what the register gets once the file is written

    @property
    def pdf(self) -> bytes:
        return self.content


@dataclass(frozen=True)
class JobResult:
    printed: tuple[PrintedDocument, ...]
    skipped: tuple[str, ...]


def run_job(
    db: Database, year: int, job: PrintJob, before: Callable[[str], None] = lambda _kind: None
) -> JobResult:
    """Make *job*'s documents in memory, writing nothing anywhere. *before* is called with
    each document's kind before it is made; it may raise Cancelled to stop."""
    numbering = _Numbering(db, year, job.unit_id) if job.issue else None
    printed: list[PrintedDocument] = []
    skipped: list[str] = []
    anchor = _anchor(db)
    templates = {template.kind: template for template in job.templates}
    with cell_view_memo.shared_views():  # the cell's view built once for its six documents
        for kind, path in job.documents:
            before(kind)
            try:
                data, _code, issue = _gather(db, year, kind, job.unit_id, numbering)
                content = _render(
                    kind, data, anchor, format=job.format, year=year, templates=templates
                )
            except ServiceError as error:
                skipped.append(f"{job.label} — {DOCUMENT_KINDS[kind].title}: {error}")
                continue
            if issue is not None and numbering is not None:
                numbering.take(issue)
            printed.append(PrintedDocument(path, content, issue))
    return JobResult(tuple(printed), tuple(skipped))


def _job_in_worker(
    db: Database, item: tuple[int, PrintJob], stopped: Callable[[], bool]
) -> JobResult:
    """:func:`run_job` in a worker process of :mod:`app.services.common.worker_pool` (sent there by
    name, so it lives at module level); it stops before the next document when told to."""
    year, job = item

    def before(_kind: str) -> None:
        if stopped():
            raise Cancelled

    return run_job(db, year, job, before)


def _cells(db: Database, unit_id: int | None, board: list[procedure_board.BoardRow]) -> list[int]:
    if unit_id is None:
        return [r.cell_id for r in board]
    with db.session() as session:
        org = session.get(Organization, unit_id)
        if org is None:
            raise ServiceError("Không tìm thấy tổ chức")
        if org.kind == OrgKind.CELL:
            return [unit_id]
    tree = list_organizations(db).tree
    inside = set(tree.cells(unit_id))
    return [r.cell_id for r in board if r.cell_id in inside]


def _jobs(
    db: Database,
    year: int,
    unit_id: int | None,
    format: str = PDF,
    templates: tuple[word.WordTemplate, ...] = (),
) -> tuple[list[PrintJob], list[str], list[str]]:
    """The jobs of "print everything" in the order a one-by-one run makes them, the cells'
    sub-folders, and what cannot be printed at all."""
    board = procedure_board.board(db, year)
    cells = _cells(db, unit_id, board)
    steps = {r.cell_id: r.step for r in board}
    with db.session() as session:
        names = dict(session.execute(select(Organization.id, Organization.name)).all())
    jobs: list[PrintJob] = []
    folders: list[str] = []
    for index, cell_id in enumerate(cells, start=1):
        folder = f"{index:02d}-{slug(names[cell_id])}"
        folders.append(folder)
        documents = tuple((kind, f"{folder}/{FILE_NAMES[kind]}.{format}") for kind in CELL_KINDS)
        submitted = steps.get(cell_id) in (CellStep.SUBMITTED, CellStep.DECIDED)
        jobs.append(PrintJob(cell_id, names[cell_id], documents, submitted, format, templates))
    skipped: list[str] = []
    commune = commune_of(db)
    if commune is not None and (unit_id is None or unit_id == commune):
        if all(step is CellStep.DECIDED for step in steps.values()):
            papers = tuple((kind, f"{FILE_NAMES[kind]}-{year}.{format}") for kind in COMMUNE_KINDS)
            jobs.append(PrintJob(commune, names[commune], papers, True, format, templates))
        else:
            skipped.append("Quyết định công nhận: chưa quyết định xong kết quả của mọi chi bộ")
            skipped.append("Báo cáo tổng hợp: chưa quyết định xong kết quả của mọi chi bộ")
    return jobs, folders, skipped


def default_workers(jobs: int) -> int:
    """One worker per core this process may use, and no more than there are jobs."""
    if hasattr(os, "sched_getaffinity"):
        cores = len(os.sched_getaffinity(0))
    else:
        cores = os.cpu_count() or 1
    return max(1, min(cores, jobs))


def print_all(
    db: Database,
    year: int,
    folder: Path,
    unit_id: int | None = None,
    progress: Progress = SILENT,
    *,
    workers: int | None = None,
    format: str = PDF,
) -> PrintReport:
    """Every document of every cell (of *unit_id*, or of the whole period) into *folder*, one
    sub-folder per cell, and the commune's decision when the period is decided; as PDFs, or
    (*format* "docx") as Word copies with the same names ending in .docx, the province's
    templates read and checked before anything is made (a bad one stops the print).

    The documents are laid out by *workers* processes (by default one per core, no more than
    there are cells), each reading the database read-only; with one worker, one job or inside
    :meth:`Database.batch` (whose writes other connections cannot see yet) they are laid out
    here. Either way the files and the numbers are the same: only this process writes the
    files and the numbering register, the register in one transaction at the end.

    Cancelling through *progress* stops handing out work and raises Cancelled once the
    workers have stopped: the files already written stay, whole, with their register rows;
    nothing else is written.
    """
    check_format(format)
    templates: tuple[word.WordTemplate, ...] = ()
    if format == DOCX:
        templates = tuple(word.find_templates((*CELL_KINDS, *COMMUNE_KINDS)).values())
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    jobs, folders, skipped_before = _jobs(db, year, unit_id, format, templates)
    for name in folders:
        (folder / name).mkdir(exist_ok=True)
    total = sum(len(job.documents) for job in jobs) + len(skipped_before)
    results: dict[int, JobResult] = {}
    written_issues: dict[int, list[Issue]] = {}

    def keep(index: int, result: JobResult) -> None:
        """Write a finished job's files; its register entries wait for the end."""
        results[index] = result
        issues = written_issues.setdefault(index, [])
        for document in result.printed:
            write_document(folder / document.path, document.content)
            if document.issue is not None:
                issues.append(document.issue)

    count = default_workers(len(jobs)) if workers is None else max(1, min(workers, len(jobs)))
    try:
        if count > 1 and not db.in_batch:
            _print_in_workers(db, year, jobs, count, keep, progress, total)
        else:
            _print_here(db, year, jobs, keep, progress, total)
    finally:
        # In job order, as the one-by-one run recorded them: also when cancelled or failed,
        # for the files that were written.
        record_issues(db, [i for index in sorted(written_issues) for i in written_issues[index]])
    progress.step(total, total, "Xong")
    written = tuple(
        folder / document.path for index in sorted(results) for document in results[index].printed
    )
    skipped = [note for index in sorted(results) for note in results[index].skipped]
    return PrintReport(written, tuple(skipped + skipped_before))


def _print_here(
    db: Database,
    year: int,
    jobs: list[PrintJob],
    keep: Callable[[int, JobResult], None],
    progress: Progress,
    total: int,
) -> None:
    done = 0
    for index, job in enumerate(jobs):

        def before(kind: str, job: PrintJob = job) -> None:
            nonlocal done
            title = DOCUMENT_KINDS[kind].title
            progress.step(done, total, f"{job.label}: {title}" if kind in CELL_KINDS else title)
            done += 1

        keep(index, run_job(db, year, job, before))


def _print_in_workers(
    db: Database,
    year: int,
    jobs: list[PrintJob],
    workers: int,
    keep: Callable[[int, JobResult], None],
    progress: Progress,
    total: int,
) -> None:
    done = 0
    progress.step(done, total, f"Đang in các văn bản ({workers} tiến trình song song)…")

    def finished(index: int, result: JobResult) -> None:
        nonlocal done
        keep(index, result)
        done += len(jobs[index].documents)
        progress.step(done, total, f"Đã in xong văn bản của {jobs[index].label}")

    # The decision, the longest job, goes first so that it does not finish alone at the end.
    order = sorted(range(len(jobs)), key=lambda i: jobs[i].documents[0][0] != "decision")
    worker_pool.run(
        db,
        _job_in_worker,
        [(index, (year, jobs[index])) for index in order],
        workers,
        finished,
        progress.is_cancelled,
    )


def commune_of(db: Database) -> int | None:
    """The grassroots committee the period belongs to (the root of a commune database)."""
    tree = list_organizations(db).tree
    roots = [r for r in tree.roots() if tree.is_grassroots(r)] or tree.roots()
    return roots[0] if roots else None


def write_document(path: Path, content: bytes) -> None:
    """Write to a temporary name and rename: a document that exists is always whole."""
    write_bytes_atomically(path, content)


def write_new(folder: Path, file_name: str, content: bytes) -> Path:
    """Write *content* into *folder* as *file_name*, or as "name-2.docx", "name-3.docx" …
    when that name is taken: a copy written before (and maybe reworded since) is never
    replaced. Written beside and renamed, so the file is whole or absent. Returns its path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(file_name)
    path = folder / name
    count = 1
    while path.exists():
        count += 1
        path = folder / f"{name.stem}-{count}{name.suffix}"
    write_bytes_atomically(path, content)
    return path


def write_pdf(path: Path, pdf: bytes) -> None:
    """Write to a temporary name and rename: a PDF that exists is always whole."""
    write_bytes_atomically(path, pdf)
