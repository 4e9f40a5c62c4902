"""The printed year read back as a district inspector reads it, side by side.

Every cell's meeting minutes, tally minutes and proposal list, and the commune's decision, are
laid out as they would be printed, then read from their text alone (``pdf_text``) — never from
the data that made them — so that what a reader would catch, this catches: a vote counted one
way in the tally minutes and another in the minutes of the meeting, a proposal the counts do
not give, a member never reviewed, a chair or a teller recorded absent, a list dated before
its meeting, a meeting dated after today. Each disagreement names the document, the page and
the fact (``danhgia check --documents``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

from app.domain import clock
from app.domain.procedure import CellStep
from app.domain.rules import RuleSet
from app.services.common.progress import SILENT, Progress
from app.services.printing import documents as printing
from app.services.printing.pdf_text import (
    ORG_PREFIXES,
    ListLine,
    MinutesFacts,
    Printed,
    TallyFacts,
    VoteLine,
    heading_date,
    list_lines,
    minutes_facts,
    read_pdf,
    tally_facts,
    vote_figure_support,
    vote_lines,
)
from app.services.procedure import board as procedure_board
from app.services.procedure.view import CellView, cell_view
from app.store.database import Database
from app.store.models import Organization

T = TypeVar("T")


@dataclass(frozen=True)
class Disagreement:
    """A fact one document states otherwise than another document or the records."""

    document: str  # "Biên bản kiểm phiếu – Chi bộ bản Co Đứa"
    page: int | None
    fact: str  # "thu vào 17 phiếu, nhiều hơn 16 phiếu phát ra"

    def __str__(self) -> str:
        where = f", trang {self.page}" if self.page else ""
        return f"{self.document}{where}: {self.fact}"


@dataclass
class _Findings:
    items: list[Disagreement] = field(default_factory=list)

    def add(self, doc: Printed, page: int | None, fact: str) -> None:
        self.items.append(Disagreement(doc.title, page, fact))


@dataclass
class CellPapers:
    """One cell's three documents as read, and its record."""

    view: CellView
    minutes: Printed
    tally: Printed
    proposals: Printed

    @cached_property
    def met(self) -> MinutesFacts:
        return minutes_facts(self.minutes)

    @cached_property
    def counted(self) -> TallyFacts:
        return tally_facts(self.tally)


def check_cell(papers: CellPapers, today: dt.date) -> list[Disagreement]:
    """What a reader finds when laying one cell's three documents and its records side by
    side."""
    rs = papers.view.ruleset
    scales = [_shorts(rs, "member"), _shorts(rs, "org")]
    tally = {row.name: row for row in vote_lines(papers.tally, scales)}
    meeting = {row.name: row for row in vote_lines(papers.minutes, scales)}
    listed = {row.name: row for row in list_lines(papers.proposals, {*scales[0], *scales[1]})}
    found = _Findings()
    _same_votes(papers, tally, meeting, found)
    _list_quotes_tally(papers, tally, listed, found)
    _count(papers, tally, found)
    _meeting(papers, tally, found)
    _records(papers, tally, found)
    _dates(papers, today, found)
    return found.items


def _same_votes(
    papers: CellPapers, tally: dict[str, VoteLine], meeting: dict[str, VoteLine], found: _Findings
) -> None:
    """The same counts and proposals in both minutes."""
    for name, row in tally.items():
        other = _find(meeting, name)
        if other is None:
            found.add(papers.minutes, None, f"không có dòng biểu quyết của {name} (biên bản kiểm "
                      f"phiếu trang {row.page} có)")  # fmt: skip
            continue
        if other.counts != row.counts:
            found.add(papers.minutes, other.page, f"số phiếu của {name} là "
                      f"{_counts(other.counts)}, biên bản kiểm phiếu trang {row.page} ghi "
                      f"{_counts(row.counts)}")  # fmt: skip
        if other.proposed != row.proposed:
            found.add(papers.minutes, other.page, f"mức đề xuất của {name} là {other.proposed}, "
                      f"biên bản kiểm phiếu ghi {row.proposed}")  # fmt: skip
    for name in meeting:
        if _find(tally, name) is None:
            found.add(papers.tally, None, f"không có dòng biểu quyết của {name} (biên bản hội "
                      "nghị có)")  # fmt: skip


def _list_quotes_tally(
    papers: CellPapers, tally: dict[str, VoteLine], listed: dict[str, ListLine], found: _Findings
) -> None:
    """The proposal list proposes what the tally minutes record, with their figures."""
    rs = papers.view.ruleset
    voters = papers.counted.voters
    doc = papers.proposals
    for name, row in tally.items():
        entry = _find(listed, name)
        if entry is None:
            found.add(doc, None, f"không có {name} (biên bản kiểm phiếu có)")
            continue
        if entry.proposed != row.proposed:
            found.add(doc, entry.page, f"chi bộ đề nghị {name} ở mức {entry.proposed}, biên "
                      f"bản kiểm phiếu ghi {row.proposed}")  # fmt: skip
        codes = rs.scale("org" if name.startswith(ORG_PREFIXES) else "member").codes
        claimed = re.search(r"(\d+)/(\d+) phiếu", entry.vote)
        support = vote_figure_support(entry.vote, row.counts, codes)
        if claimed and support is not None and int(claimed.group(1)) != support:
            found.add(doc, entry.page, f"kết quả biểu quyết của {name} ghi “{entry.vote}”, số "
                      f"phiếu trong biên bản kiểm phiếu cho {support}")  # fmt: skip
        if claimed and voters is not None and int(claimed.group(2)) != voters:
            found.add(doc, entry.page, f"kết quả biểu quyết của {name} tính trên "
                      f"{claimed.group(2)} đảng viên, biên bản kiểm phiếu: {voters}")  # fmt: skip


def _count(papers: CellPapers, tally: dict[str, VoteLine], found: _Findings) -> None:
    """The tally committee (enough of them, all present, the same in both minutes) and the
    ballots (returned within issued, valid and invalid making up returned)."""
    counted, met = papers.counted, papers.met
    doc = papers.tally
    least = papers.view.ruleset.vote.tellers_min
    if len(counted.tellers) < least:
        found.add(doc, 1, f"tổ kiểm phiếu có {len(counted.tellers)} người, cần ít nhất {least}")
    if met.tellers and met.tellers != counted.tellers:
        found.add(papers.minutes, papers.minutes.page_of("Tổ kiểm phiếu gồm"),
                  "tổ kiểm phiếu khác với biên bản kiểm phiếu")  # fmt: skip
    for teller in counted.tellers:
        if teller in met.absent:
            found.add(papers.minutes, papers.minutes.page_of(f"Đồng chí {teller} ("),
                      f"thành viên tổ kiểm phiếu {teller} được ghi là vắng mặt")  # fmt: skip
    issued, returned, valid, invalid = (
        counted.issued, counted.returned, counted.valid, counted.invalid
    )  # fmt: skip
    if None not in (returned, valid, invalid) and (valid or 0) + (invalid or 0) != returned:
        found.add(doc, 1, f"{valid} phiếu hợp lệ và {invalid} không hợp lệ khác "
                  f"{returned} phiếu thu vào")  # fmt: skip
    if issued is not None and returned is not None and returned > issued:
        found.add(doc, 1, f"thu vào {returned} phiếu, nhiều hơn {issued} phiếu phát ra")
    if issued is not None and met.present is not None and issued > met.present:
        found.add(doc, 1, f"phát ra {issued} phiếu, hội nghị chỉ có {met.present} đồng chí "
                  "có mặt")  # fmt: skip
    for name, row in tally.items():
        if valid is not None and sum(row.counts.values()) > valid:
            found.add(doc, row.page, f"{name} được {sum(row.counts.values())} phiếu, nhiều hơn "
                      f"{valid} phiếu hợp lệ")  # fmt: skip
    if met.voters != counted.voters:
        found.add(papers.minutes, None, f"số đảng viên được biểu quyết là {met.voters}, biên "
                  f"bản kiểm phiếu ghi {counted.voters}")  # fmt: skip


def _meeting(papers: CellPapers, tally: dict[str, VoteLine], found: _Findings) -> None:
    """The chair and the secretary there, every member who was voted on reviewed."""
    met, doc = papers.met, papers.minutes
    for person, role in ((met.chair, "chủ trì"), (met.secretary, "thư ký")):
        if person and person in met.absent:
            found.add(doc, doc.page_of(f"Đồng chí {person} ("), f"người {role} {person} được "
                      "ghi là vắng mặt")  # fmt: skip
    for name in tally:
        if not name.startswith(ORG_PREFIXES) and name not in met.reviewed:
            found.add(doc, None, f"đồng chí {name} được biểu quyết nhưng không có phần kiểm "
                      "điểm trong biên bản")  # fmt: skip


def _records(papers: CellPapers, tally: dict[str, VoteLine], found: _Findings) -> None:
    """The minutes against the roll call and the proposals the records hold."""
    view, met = papers.view, papers.met
    here = sum(1 for m in view.members if m.present)
    if met.present is not None and view.meeting is not None and met.present != here:
        found.add(papers.minutes, 1, f"ghi {met.present} đồng chí có mặt, sổ điểm danh có {here}")
    records = {m.full_name: m for m in view.members}
    for name, row in tally.items():
        line = records.get(name)
        if line is not None and row.proposed != line.proposed_level:
            found.add(papers.tally, row.page, f"mức đề xuất của {name} là {row.proposed}, hồ "
                      f"sơ ghi {line.proposed_level}")  # fmt: skip


def _dates(papers: CellPapers, today: dt.date, found: _Findings) -> None:
    """Meeting, count and list in order, none dated after today."""
    held = papers.met.held_on or heading_date(papers.minutes)
    counted, listed_on = heading_date(papers.tally), heading_date(papers.proposals)
    for doc, day, what in ((papers.minutes, held, "họp"), (papers.tally, counted, "kiểm phiếu"),
                           (papers.proposals, listed_on, "lập danh sách")):  # fmt: skip
        if day is not None and day > today:
            found.add(doc, 1, f"ngày {what} {day:%d/%m/%Y} sau ngày hôm nay")
    if held is not None and counted is not None and counted != held:
        found.add(papers.tally, 1, f"kiểm phiếu ngày {counted:%d/%m/%Y}, hội nghị họp ngày "
                  f"{held:%d/%m/%Y}")  # fmt: skip
    if held is not None and listed_on is not None and listed_on < held:
        found.add(papers.proposals, 1, f"danh sách đề nghị lập ngày {listed_on:%d/%m/%Y}, "
                  f"trước hội nghị ngày {held:%d/%m/%Y}")  # fmt: skip


def check_decision(
    decision: Printed,
    lists: dict[str, Printed],
    views: dict[str, CellView],
    today: dt.date,
) -> list[Disagreement]:
    """The decision's annex against each cell's proposal list and the levels the records
    hold as decided (*lists* and *views* by cell name)."""
    rs = next(iter(views.values())).ruleset
    found = _Findings()
    shorts = {*_shorts(rs, "member"), *_shorts(rs, "org")}
    annex = list_lines(decision, shorts)
    decided_on = heading_date(decision)
    if decided_on and decided_on > today:
        found.add(decision, 1, f"ngày quyết định {decided_on:%d/%m/%Y} sau ngày hôm nay")
    by_cell: dict[str, dict[str, ListLine]] = {}
    for row in annex:
        if row.section:
            by_cell.setdefault(row.section, {})[row.name] = row
    for cell, listed in lists.items():
        members = {r.name: r for r in list_lines(listed, shorts) if not r.name.startswith(
            ORG_PREFIXES)}  # fmt: skip
        in_annex = by_cell.get(cell, {})
        listed_on = heading_date(listed)
        if decided_on and listed_on and listed_on > decided_on:
            found.add(listed, 1, f"lập ngày {listed_on:%d/%m/%Y}, sau quyết định ngày "
                      f"{decided_on:%d/%m/%Y}")  # fmt: skip
        records = {m.full_name: m.decided_level for m in views[cell].members}
        for name, row in members.items():
            entry = in_annex.get(name)
            if entry is None:
                found.add(decision, None, f"phụ lục không có đồng chí {name} của {cell}")
                continue
            if name in records and entry.decided != records[name]:
                found.add(decision, entry.page, f"công nhận {name} ({cell}) ở mức "
                          f"{entry.decided}, hồ sơ ghi {records[name]}")  # fmt: skip
            if entry.proposed != row.proposed:
                found.add(decision, entry.page, f"chi bộ đề nghị {name} ({cell}) ở mức "
                          f"{entry.proposed}, danh sách đề nghị ghi {row.proposed}")  # fmt: skip
            if " ".join(entry.vote.split()) != " ".join(row.vote.split()):
                found.add(decision, entry.page, f"kết quả biểu quyết của {name} ({cell}) ghi "
                          f"“{entry.vote}”, danh sách đề nghị ghi “{row.vote}”")  # fmt: skip
        for name in in_annex.keys() - members.keys():
            found.add(decision, in_annex[name].page, f"đồng chí {name} ({cell}) không có trong "
                      "danh sách đề nghị của chi bộ")  # fmt: skip
    return found.items


def _find(rows: dict[str, T], name: str) -> T | None:
    """The row of *name*; an organisation's long name may be cut where its cell wraps in a
    table, so for one its first words are enough."""
    if name in rows:
        return rows[name]
    if name.startswith(ORG_PREFIXES):
        return next((row for key, row in rows.items() if _cut(key, name)), None)
    return None


def _cut(a: str, b: str) -> bool:
    short, long = sorted((a.split(), b.split()), key=len)
    return len(short) >= 3 and long[: len(short)] == short


def _shorts(rs: RuleSet, kind: str) -> tuple[str, ...]:
    return tuple(level.short for level in rs.scale(kind).levels)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{code} {n}" for code, n in counts.items()) or "không có"


# ---- the year -----------------------------------------------------------------------------

CELL_DOCUMENTS = ("meeting-minutes", "tally-minutes", "proposal-list")  # check_cell's order


@dataclass(frozen=True)
class YearReading:
    """What reading the year's documents found."""

    year: int
    cells: int
    documents: int
    disagreements: tuple[Disagreement, ...]


def read_year(
    db: Database,
    year: int,
    progress: Progress = SILENT,
    *,
    today: dt.date | None = None,
    render: Callable[[Database, int, str, int], bytes] | None = None,
    only: int | None = None,
) -> YearReading:
    """Lay out and read back every cell's minutes, tally minutes and proposal list of
    *year* that has held its meeting (or those of the cell *only*), and the commune's
    decision once the whole year is decided."""
    today = today or clock.today()
    draw = render or (lambda d, y, k, u: printing.render_document(d, y, k, u).pdf)
    rows = procedure_board.board(db, year)
    found: list[Disagreement] = []
    lists: dict[str, Printed] = {}
    views: dict[str, CellView] = {}
    documents = 0
    met = {
        r.cell_id: view
        for r in rows
        if only is None or r.cell_id == only
        if _met(view := cell_view(db, year, r.cell_id))
    }
    cells = [r for r in rows if r.cell_id in met]
    for index, row in enumerate(cells):
        progress.step(index, len(cells) + 1, f"Đang đọc văn bản của {row.cell_name}")
        view = met[row.cell_id]
        docs = {
            kind: read_pdf(
                draw(db, year, kind, row.cell_id), f"{printing.title_of(kind)} – {row.cell_name}"
            )
            for kind in CELL_DOCUMENTS
        }
        documents += len(docs)
        found += check_cell(CellPapers(view, *docs.values()), today)
        lists[row.cell_name] = docs["proposal-list"]
        views[row.cell_name] = view
    whole = only is None and rows and all(r.step is CellStep.DECIDED for r in rows)
    if views and whole:
        progress.step(len(cells), len(cells) + 1, "Đang đọc quyết định công nhận")
        commune = _commune_of(db, rows[0].cell_id)
        decision = read_pdf(draw(db, year, "decision", commune), printing.title_of("decision"))
        documents += 1
        found += check_decision(decision, lists, views, today)
    return YearReading(year, len(cells), documents, tuple(found))


def _met(view: CellView) -> bool:
    """Whether the cell has held its meeting and counted its votes: its papers exist."""
    return view.meeting is not None and any(m.vote_counts for m in view.members)


def _commune_of(db: Database, cell_id: int) -> int:
    with db.session() as session:
        org = session.get(Organization, cell_id)
        assert org is not None
        return org.parent_id if org.parent_id is not None else org.id
