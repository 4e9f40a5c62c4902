"""The documents whose text and drawing the golden files pin down, each by a name.

Two families:

- ``sample/…``: every document kind rendered from ``tests.documents.samples``, and the variants
  the document tests exercise (forms 2A/2B/2C, blanks, drafts, several copies, rosters of 150
  members over many pages, the decision's annex, the summary's regimes);
- ``demo/…``: the commune demo (``create_demo(db, "commune")``, as ``danhgia demo`` and the
  tests make it) on the day the tests live on, 2026-11-25, printed as ``danhgia print all``
  prints it: one cell of the decided year 2025 and the commune's decision and summary; two
  cells of the year under way, 2026 (one submitted, one still voting: drafts), and the commune's
  draft decision and summary as ``danhgia print decision|summary`` prints them (``print all``
  leaves them out until every cell is decided).

``cases()`` only names the documents; each is rendered when its function is called. The demo
is built once per process, and each printed unit from a fresh copy of it, so that a case's
bytes never depend on which cases ran before (numbers come from the register).

The day is fixed here (``clock.fixed``), not taken from the environment: the cases render the
same on any real date, under pytest or under ``make_golden``.
"""

from __future__ import annotations

import atexit
import dataclasses
import datetime as dt
import functools
import hashlib
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from app.documents import DOCUMENT_KINDS
from app.documents.data import (
    Absence,
    BallotEntry,
    CellDecision,
    Comment,
    DecidedMember,
    GroupSummary,
    Heading,
    LevelColumn,
    LevelCount,
    MemberCounts,
    MemberReview,
    ProposalRow,
    Ratio,
    ReasonCount,
    ScoreGroup,
    SelfReviewTexts,
    Signer,
    VoteRow,
)
from app.documents.pages import first_pages
from app.documents.self_review import render_self_reviews
from app.domain import clock
from tests.documents import samples

# The day every test lives on (tests/conftest.py, SESSION_TODAY): the demo takes its years from
# it, and nothing the cases render may depend on the machine's calendar.
TODAY = dt.date(2026, 11, 25)
DECIDED_YEAR = 2025  # the demo's last full year, decided in January 2026
YEAR_UNDER_WAY = 2026  # the demo's year under way, its cells at every step

Case = Callable[[], bytes]

# --------------------------------------------------------------------------------------------
# What is recorded of a PDF


def record(pdf: bytes) -> dict[str, list[str]]:
    """What the golden file keeps of *pdf*: the text of every page, read as
    ``tests.documents.samples.pages`` reads it, and the SHA-256 of every page's content stream,
    decoded (what the page draws, byte for byte; the PDF's time stamps and ID are not in it)."""
    reader = PdfReader(io.BytesIO(pdf))
    streams = []
    for page in reader.pages:
        contents = page.get_contents()
        data = contents.get_data() if contents is not None else b""
        streams.append(hashlib.sha256(data).hexdigest())
    return {"pages": samples.pages(pdf), "streams": streams}


# --------------------------------------------------------------------------------------------
# The sample data


def _kind(kind: str, data: Any) -> bytes:
    return DOCUMENT_KINDS[kind].render(data)


def _big_vote_rows() -> tuple[VoteRow, ...]:
    return samples.vote_rows(samples.big_names(150))


def _ballot_150() -> bytes:
    members = tuple(BallotEntry(name) for name in samples.big_names(150))
    return _kind("ballot", samples.ballot(members=members, copies=3, collective=""))


def _tally_150() -> bytes:
    data = samples.tally_minutes(
        members=_big_vote_rows(),
        denominator=140,
        ballots_issued=140,
        ballots_returned=140,
        ballots_valid=139,
        ballots_invalid=1,
    )
    return _kind("tally-minutes", data)


def _meeting_blanks() -> bytes:
    attendance = samples.meeting_minutes().attendance
    absent = (Absence("Thào A Chứ", "", excused=False),)
    data = samples.meeting_minutes(
        approval_agreed=None,
        approval_of=None,
        attendance=dataclasses.replace(attendance, absent=absent),
        end=None,
    )
    return _kind("meeting-minutes", data)


def _meeting_150() -> bytes:
    names = samples.big_names(150)
    reviews = tuple(
        MemberReview(name, comments=(Comment("Đồng chí Lò Văn Pọm", samples.LONG_COMMENT * 2),))
        for name in names
    )
    data = samples.meeting_minutes(reviews=reviews, members=samples.vote_rows(names), voters=140)
    return _kind("meeting-minutes", data)


def _proposal_150() -> bytes:
    rows = tuple(
        ProposalRow(name, "", "HTTNV", "100/140 (71,4%)", "HTTNV", note=samples.LONG_COMMENT[:90])
        for name in samples.big_names(150)
    )
    return _kind("proposal-list", samples.proposal_list(members=rows))


def _decision_changed() -> bytes:
    cells = (
        CellDecision(
            samples.CELL,
            (
                DecidedMember("Lò Văn Pọm", "HTTNV", "Bí thư chi bộ", "HTXSNV", "Vượt tỷ lệ 20%"),
                DecidedMember("Giàng A Páo", "HTTNV", proposed="HTTNV"),
            ),
        ),
    )
    return _kind("decision", samples.decision(cells=cells, organisations=()))


def _decision_deputy() -> bytes:
    heading = samples.COMMUNE_HEADING
    data = samples.decision(
        heading=dataclasses.replace(heading, number="", date=None),
        signer=Signer("PHÓ BÍ THƯ", "Lò Thị Xuân", "K/T BÍ THƯ", hint=""),
    )
    return _kind("decision", data)


def _decision_cells(count: int) -> tuple[CellDecision, ...]:
    names = samples.big_names(count * 15)
    return tuple(
        CellDecision(
            f"Chi bộ bản số {c + 1}",
            tuple(DecidedMember(n, "HTTNV", proposed="HTTNV") for n in names[c * 15 : c * 15 + 15]),
        )
        for c in range(count)
    )


def _decision_40_cells() -> bytes:
    return _kind("decision", samples.decision(cells=_decision_cells(40)))


def _decision_first_page() -> bytes:
    """What the preview shows at once of a long decision: page 1 alone, the annex left out."""
    with first_pages(1):
        return _kind("decision", samples.decision(cells=_decision_cells(20)))


def _decision_draft() -> bytes:
    """Before the commune decides: some members and a cell without a level yet."""
    base = samples.decision()
    first = base.cells[0]
    undecided = tuple(
        dataclasses.replace(member, level=None) if index % 3 == 0 else member
        for index, member in enumerate(first.members)
    )
    return _kind(
        "decision",
        dataclasses.replace(
            base,
            draft=True,
            heading=dataclasses.replace(base.heading, number=""),
            cells=(dataclasses.replace(first, members=undecided), *base.cells[1:]),
        ),
    )


def _summary_over_limit() -> bytes:
    ratio = samples.summary().ratios[0]
    data = samples.summary(ratios=(Ratio(ratio.label, 30, 100, 20),), previous_year=None)
    return _kind("summary", data)


def _summary_2014() -> bytes:
    organisations = GroupSummary(
        total=69,
        evaluated=69,
        levels=(
            LevelCount("TSVM", 36, of_which_label="TSVM tiêu biểu", of_which=7),
            LevelCount("HTTNV", 28),
            LevelCount("HTNV", 4),
            LevelCount("YEU_KEM", 1),
        ),
    )
    members = GroupSummary(
        total=6185,
        evaluated=5950,
        levels=(LevelCount("HTXSNV", 832), LevelCount("HTTNV", 4611)),
        not_evaluated=(ReasonCount("Miễn sinh hoạt", 235),),
    )
    data = samples.summary(
        year=2017,
        organisation_levels=samples.ORG_LEVELS_2014,
        organisations=samples.with_shares(organisations),
        members=samples.with_shares(members),
        ratios=(),
        screening=(),
        breakdown=(),
        previous_year=None,
    )
    return _kind("summary", data)


def _summary_pending_draft() -> bytes:
    members = GroupSummary(
        total=596,
        evaluated=563,
        levels=(
            LevelCount("HTXSNV", 28, 68, share="4,97%", previous_share="12,5%"),
            LevelCount("HTTNV", 175, 430, share="31,08%", previous_share="79,04%"),
        ),
        previous_total=574,
        previous_evaluated=544,
        evaluated_share="94,46%",
        pending=360,
        pending_share="63,94%",
        previous_pending=0,
        previous_pending_share="0%",
    )
    return _kind("summary", samples.summary(members=members, draft=True))


SELF_REVIEW_2A = {"variant": "2A", "form_code": "Mẫu 2A-HD KĐ.ĐG 2025"}
SELF_REVIEW_2B = {"variant": "2B", "form_code": "Mẫu 2B-HD KĐ.ĐG 2025"}
SELF_REVIEWS_TOGETHER = (
    {},
    {"full_name": "Lò Thị Mai", "birth_date": dt.date(1990, 7, 1)},
    {"full_name": "Quàng Văn Sơn", **SELF_REVIEW_2A},
)
OTHER_LEVELS = (
    LevelColumn("A", "A", "Đủ tư cách, hoàn thành xuất sắc nhiệm vụ"),
    LevelColumn("D", "D", "Vi phạm tư cách hoặc không hoàn thành nhiệm vụ"),
)


def _self_review(**changes: Any) -> Case:
    return lambda: _kind("self-review", samples.self_review(**changes))


def _sample(kind: str, make: Callable[..., Any], **changes: Any) -> Case:
    return lambda: _kind(kind, make(**changes))


def _undated(heading: Any) -> Any:
    return dataclasses.replace(heading, number="", date=None)


def sample_cases() -> dict[str, Case]:
    s = samples
    return {
        # Bản kiểm điểm cá nhân
        "sample/self-review": _self_review(),  # Mẫu 2C
        "sample/self-review-2a": _self_review(**SELF_REVIEW_2A),
        "sample/self-review-2b": _self_review(**SELF_REVIEW_2B),
        "sample/self-review-nothing-last-year": _self_review(
            previous_shortcomings="", previous_remedied=None
        ),
        "sample/self-review-unscored": _self_review(scores=()),
        "sample/self-review-blank-scores": _self_review(
            scores=(ScoreGroup("A", "Tiêu chí chung", 30), ScoreGroup("B", "Kết quả", 70))
        ),
        "sample/self-review-blanks": _self_review(
            birth_date=None, birth_year=None, other_post="", texts=SelfReviewTexts()
        ),
        "sample/self-review-birth-year": _self_review(birth_date=None, birth_year=1968),
        "sample/self-review-undated": _self_review(
            heading=Heading(s.self_review().heading.superior, s.self_review().heading.issuer)
        ),
        "sample/self-review-other-levels": _self_review(levels=OTHER_LEVELS, self_level="A"),
        "sample/self-reviews-together": lambda: render_self_reviews(
            [s.self_review(**changes) for changes in SELF_REVIEWS_TOGETHER]
        ),
        # Báo cáo kiểm điểm tập thể
        "sample/collective-report": _sample("collective-report", s.collective_report),
        "sample/collective-report-2014-large": _sample(
            "collective-report",
            s.collective_report,
            counts=MemberCounts(total=1250, official=1200, probationary=50, exempt=3),
            levels=s.ORG_LEVELS_2014,
            self_level="TSVM",
            scores=(),
        ),
        "sample/collective-report-undated": _sample(
            "collective-report",
            s.collective_report,
            heading=_undated(s.collective_report().heading),
        ),
        "sample/collective-report-draft": _sample(
            "collective-report", s.collective_report, draft=True
        ),
        # Phiếu đánh giá
        "sample/ballot": _sample("ballot", s.ballot),  # two copies
        "sample/ballot-one-copy": _sample("ballot", s.ballot, copies=1),
        "sample/ballot-2014-cell-levels": _sample(
            "ballot", s.ballot, copies=1, collective_levels=s.ORG_LEVELS_2014
        ),
        "sample/ballot-members-only": _sample("ballot", s.ballot, copies=1, collective=""),
        "sample/ballot-150-members-3-copies": _ballot_150,
        # Biên bản kiểm phiếu
        "sample/tally-minutes": _sample("tally-minutes", s.tally_minutes),
        "sample/tally-minutes-single-entry": _sample(
            "tally-minutes", s.tally_minutes, double_entry_agreed=None
        ),
        "sample/tally-minutes-2014-untallied": _sample(
            "tally-minutes",
            s.tally_minutes,
            collective_levels=s.ORG_LEVELS_2014,
            collective=VoteRow(s.CELL, votes=(7, 2, None, None), proposed="TSVM"),
        ),
        "sample/tally-minutes-150-members": _tally_150,
        "sample/tally-minutes-draft": _sample("tally-minutes", s.tally_minutes, draft=True),
        # Biên bản hội nghị
        "sample/meeting-minutes": _sample("meeting-minutes", s.meeting_minutes),
        "sample/meeting-minutes-blanks": _meeting_blanks,
        "sample/meeting-minutes-150-members": _meeting_150,
        "sample/meeting-minutes-draft": _sample("meeting-minutes", s.meeting_minutes, draft=True),
        # Danh sách đề nghị
        "sample/proposal-list": _sample("proposal-list", s.proposal_list),
        "sample/proposal-list-150-members": _proposal_150,
        "sample/proposal-list-draft": _sample("proposal-list", s.proposal_list, draft=True),
        # Quyết định công nhận
        "sample/decision": _sample("decision", s.decision),
        "sample/decision-changed-from-proposal": _decision_changed,
        "sample/decision-deputy-undated": _decision_deputy,
        "sample/decision-40-cells": _decision_40_cells,
        "sample/decision-first-page-only": _decision_first_page,
        "sample/decision-draft": _decision_draft,
        # Biểu tổng hợp
        "sample/summary": _sample("summary", s.summary),
        "sample/summary-ratio-over-limit": _summary_over_limit,
        "sample/summary-2014": _summary_2014,
        "sample/summary-pending-draft": _summary_pending_draft,
        "sample/summary-cell-node": _sample(
            "summary", s.summary, organisations=None, node=s.CELL, breakdown=()
        ),
        # Phiếu tự đánh giá theo quý
        "sample/quarter-rating": _sample("quarter-rating", s.quarter_rating),  # IV, the year
        "sample/quarter-rating-two-groups": _sample(
            "quarter-rating",
            s.quarter_rating,
            quarter=3,
            scores=(ScoreGroup("A", "Tiêu chí chung", 30), ScoreGroup("B", "Kết quả", 70)),
            note="",
            year_result=None,
        ),
    }


# --------------------------------------------------------------------------------------------
# The commune demo, printed


@contextmanager
def _env(name: str, value: str) -> Iterator[None]:
    previous = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous


@functools.cache
def _scratch() -> Path:
    """A folder of this process's own for the demo database and its prints, and as the data
    folder while they are made (settings and rule-set copies of the real one must not count)."""
    folder = Path(tempfile.mkdtemp(prefix="danhgia-golden-"))
    atexit.register(shutil.rmtree, folder, True)
    (folder / "data").mkdir()
    return folder


@contextmanager
def _demo_world() -> Iterator[None]:
    from app.paths import DATA_DIR_ENV

    with clock.fixed(TODAY), _env(DATA_DIR_ENV, str(_scratch() / "data")):
        yield


@functools.cache
def _demo_template() -> Path:
    from app.services.demo.commune import create_demo
    from app.store.database import Database

    path = _scratch() / "demo.sqlite"
    with _demo_world(), Database.open(path, create=True) as db:
        create_demo(db, "commune")
    return path


DEMO_CELLS = {
    DECIDED_YEAR: ("CB18",),  # Chi bộ bản Huổi Lóng, as tests/cli prints it
    YEAR_UNDER_WAY: (
        "CB20",  # Chi bộ bản Co Mỵ: submitted, its records final and numbered
        "CB06",  # Chi bộ bản Pá Khôm: voting, its records drafts
    ),
}
COMMUNE = "commune"


@functools.cache
def _demo_print(year: int, unit: str) -> dict[str, bytes]:
    """The documents printed for *unit* (a cell's code, or ``COMMUNE``) of *year*, by kind,
    from a fresh copy of the demo."""
    from app.services.printing import documents as printing
    from app.services.roster import organizations
    from app.store.database import Database

    template = _demo_template()
    folder = Path(tempfile.mkdtemp(prefix=f"{year}-{unit}-", dir=_scratch()))
    path = Path(shutil.copyfile(template, folder / "demo.sqlite"))
    with _demo_world(), Database.open(path) as db:
        if unit != COMMUNE:
            # `danhgia print all --year Y --unit CELL`
            cell = organizations.find_by_code(db, unit).id
            report = printing.print_all(db, year, folder / "out", cell, workers=1)
            assert report.skipped == (), report.skipped
            files = {p.name: p.read_bytes() for p in report.written}
            return {kind: files[f"{printing.FILE_NAMES[kind]}.pdf"] for kind in printing.CELL_KINDS}
        commune = printing.commune_of(db)
        assert commune is not None
        if year == DECIDED_YEAR:
            # The commune's part of `danhgia print all --year Y` (its decision and summary, as
            # the last job, numbered), without the 35 cells' documents before it.
            name = organizations.find_by_code(db, "XNT").name
            papers = tuple(
                (kind, f"{printing.FILE_NAMES[kind]}-{year}.pdf") for kind in printing.COMMUNE_KINDS
            )
            job = printing.PrintJob(commune, name, papers, True)
            result = printing.run_job(db, year, job)
            assert result.skipped == (), result.skipped
            kinds = [kind for kind, _path in papers]
            return {kind: doc.pdf for kind, doc in zip(kinds, result.printed, strict=True)}
        # `print all` leaves the commune's papers out until every cell is decided; these are
        # `danhgia print decision|summary --year Y`: drafts, without a number.
        return {
            kind: printing.render_document(db, year, kind, commune, issue=True).pdf
            for kind in printing.COMMUNE_KINDS
        }


def _demo_case(year: int, unit: str, kind: str) -> Case:
    return lambda: _demo_print(year, unit)[kind]


def demo_cases() -> dict[str, Case]:
    from app.services.printing.documents import CELL_KINDS, COMMUNE_KINDS

    found: dict[str, Case] = {}
    for year, cells in DEMO_CELLS.items():
        for unit in (*cells, COMMUNE):
            kinds = COMMUNE_KINDS if unit == COMMUNE else CELL_KINDS
            for kind in kinds:
                found[f"demo/{year}/{unit.lower()}/{kind}"] = _demo_case(year, unit, kind)
    return found


# --------------------------------------------------------------------------------------------


def _fixed_day(make: Case) -> Case:
    @functools.wraps(make)
    def made() -> bytes:
        with clock.fixed(TODAY):
            return make()

    return made


def cases() -> dict[str, Case]:
    """Every golden case by name ("sample/self-review-2b", "demo/2025/cb18/ballot"), as a
    function that renders its PDF."""
    everything = {**sample_cases(), **demo_cases()}
    return {name: _fixed_day(make) for name, make in everything.items()}


def file_name(case: str) -> str:
    """The golden file of *case*, within ``data/``."""
    return case.replace("/", "__") + ".json"


DATA = Path(__file__).parent / "data"
