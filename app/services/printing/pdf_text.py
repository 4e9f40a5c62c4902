"""What a reader takes from a printed document, read from its text alone.

The reading rests on how the renderers lay out text, checked by tests: the vote tables are
read from pypdf's layout text (a count belongs to the level whose header stands above it),
the lists and the decision's annex from the plain text in drawing order (a row runs from its
number to the next), the prose — who chaired, who counted, how many ballots — by its
sentences.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pypdf import PageObject, PdfReader
from pypdf.generic import ContentStream, DictionaryObject, NameObject

# ---- reading a PDF ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Printed:
    """One printed document: its title as a reader names it, and each page's text."""

    title: str
    plain: tuple[str, ...]  # per page, in drawing order (lines as drawn)
    layout: tuple[str, ...]  # per page, laid out in columns as on paper

    def prose(self) -> str:
        """The running text, pages joined, without page numbers and footers, one space
        between words (a sentence wrapped over two lines reads as one)."""
        kept = []
        for page in self.plain:
            lines = [line for line in page.splitlines() if not _FURNITURE.match(line.strip())]
            kept.append(" ".join(lines))
        return " ".join(" ".join(kept).split())

    def page_of(self, needle: str) -> int | None:
        squeezed = " ".join(needle.split())
        for number, page in enumerate(self.plain, start=1):
            if squeezed in " ".join(page.split()):
                return number
        return None


# Page numbers, the footer's code and a draft's "DỰ THẢO" mark: on the page, not in the text.
_FURNITURE = re.compile(r"^(?:\d{1,3}|Mã đối chiếu [0-9A-F-]+|DỰ THẢO)$")
# A person's name as the documents print it, with what tells namesakes apart.
NAME = r"[^()–;,.:]+?(?: \((?:sinh \d{4}|mã [^)]+)\))?"


def read_pdf(pdf: bytes, title: str) -> Printed:
    reader = PdfReader(io.BytesIO(pdf))
    plain = tuple(page.extract_text() for page in reader.pages)
    layout = tuple(
        _without_watermark(page).extract_text(extraction_mode="layout") for page in reader.pages
    )
    return Printed(title, plain, layout)


def _without_watermark(page: PageObject) -> PageObject:
    """*page* without its watermark artifacts (a draft's "DỰ THẢO" across the page): in the
    layout text the big diagonal words land inside the vote tables' rows and push their
    counts out of their columns. The page is changed in memory only."""
    contents = page.get_contents()
    if contents is None or b"/Watermark" not in contents.get_data():
        return page
    stream = ContentStream(contents, page.pdf)
    kept: list[tuple[object, bytes]] = []
    open_sections: list[bool] = []  # for each open marked-content section: inside a watermark
    for operands, operator in stream.operations:
        inside = any(open_sections)
        if operator in (b"BDC", b"BMC"):
            tag = operands[0] if operands else None
            properties = operands[1] if operator == b"BDC" and len(operands) > 1 else None
            watermark = (
                tag == "/Artifact"
                and isinstance(properties, DictionaryObject)
                and properties.get("/Subtype") == "/Watermark"
            )
            open_sections.append(inside or watermark)
            if inside or watermark:
                continue
        elif operator == b"EMC" and open_sections:
            if open_sections.pop():
                continue
        elif inside:
            continue
        kept.append((operands, operator))
    stream.operations = kept
    # Set in place of pypdf's replace_contents, which only a writer's page may call now: the
    # page is read, never written back.
    page[NameObject("/Contents")] = stream
    return page


# ---- what a reader takes from each document -----------------------------------------------

_DATE = re.compile(r"ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})")


def _date(match: re.Match[str] | None) -> dt.date | None:
    if match is None:
        return None
    day, month, year = (int(g) for g in match.groups()[-3:])
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def heading_date(doc: Printed) -> dt.date | None:
    """The date line of the heading (page 1): "Na Tông, ngày 16 tháng 12 năm 2025"."""
    return _date(_DATE.search(doc.plain[0])) if doc.plain else None


@dataclass(frozen=True)
class VoteLine:
    """One row of a votes table: the counts per level as printed, and the proposal."""

    name: str
    counts: dict[str, int]
    proposed: str | None
    page: int


def vote_lines(doc: Printed, scales: Sequence[Sequence[str]]) -> list[VoteLine]:
    """The rows of every votes table of *doc* (members and organisations). A count is read
    into the level whose short name heads the column it stands under."""
    rows: list[VoteLine] = []
    for number, page in enumerate(doc.layout, start=1):
        centres: dict[str, float] = {}
        for line in page.splitlines():
            header = _level_header(line, scales)
            if header:
                centres = header
                continue
            match = _ROW.match(line)
            if not match or not centres:
                continue
            tail_at = match.end()
            tokens = [(m.start(), m.group()) for m in _TOKEN.finditer(line, tail_at)]
            counts: dict[str, int] = {}
            for start, token in tokens:
                if token.isdigit():
                    centre = start + len(token) / 2
                    level, distance = min(
                        ((code, abs(centre - at)) for code, at in centres.items()),
                        key=lambda pair: pair[1],
                    )
                    if distance <= 6:
                        counts[level] = int(token)
            last = tokens[-1][1] if tokens else ""
            proposed = last if last in centres else None
            rows.append(VoteLine(match.group("name").strip(), counts, proposed, number))
    return rows


_ROW = re.compile(r"^\s{0,4}(?P<stt>\d{1,4})\s{2,}(?P<name>\S+(?: \S+)*)")
_TOKEN = re.compile(r"\S+(?: \S+)*")


def _level_header(line: str, scales: Sequence[Sequence[str]]) -> dict[str, float]:
    """The column centres of a header line that holds each of one scale's short names as a
    word ("HTXSNV   HTTNV   HTNV   KHTNV   xuất xếp loại"); {} for any other line."""
    if "–" in line:  # the legend under a table: "HTXSNV – Hoàn thành xuất sắc nhiệm vụ; …"
        return {}
    for shorts in scales:
        found = {s: re.search(rf"(?<!\S){re.escape(s)}(?!\S)", line) for s in shorts}
        if all(found.values()):
            return {s: m.start() + len(s) / 2 for s, m in found.items() if m}
    return {}


@dataclass
class ListLine:
    """One row of a proposal list or of the decision's annex."""

    name: str
    page: int
    section: str = ""  # the annex's cell ("Chi bộ bản Co Đứa"); "" in a cell's own list
    post: str = ""
    levels_before: list[str] = field(default_factory=list)  # before the vote's figure
    vote: str = ""  # "HTTNV: 13/17 phiếu (76,47%)"
    levels_after: list[str] = field(default_factory=list)  # proposed (then decided)
    note: str = ""

    @property
    def proposed(self) -> str | None:
        if self.vote:
            return self.levels_after[0] if self.levels_after else None
        return self.levels_before[1] if len(self.levels_before) > 1 else None

    @property
    def decided(self) -> str | None:
        after = self.levels_after if self.vote else self.levels_before[2:]
        return after[1] if len(after) > 1 else None


_STOP = re.compile(
    r"^(?:STT|Tổng số:|Ghi chú:|Nơi nhận:|[IVX]+\. |T/M |\(Kèm theo|PHỤ LỤC|Mã đối chiếu)"
)
_SECTION = re.compile(r"^(?P<name>.+) \((?P<count>\d+) đồng chí\)$")
_VOTE_START = re.compile(r"^(?P<level>[A-ZĐ]+):(?: |$)")


def list_lines(doc: Printed, shorts: Iterable[str]) -> list[ListLine]:
    """The rows of the tables of a proposal list or of the decision's annex, read from the
    plain text: a row starts at its number and runs to the next number or the table's end."""
    codes = set(shorts)
    rows: list[ListLine] = []
    section = ""
    for number, page in enumerate(doc.plain, start=1):
        lines = [line.strip() for line in page.splitlines()]
        current: ListLine | None = None
        expect_name = False
        in_vote = False
        for index, line in enumerate(lines):
            section_match = _SECTION.match(line)
            if section_match:
                section, current = section_match.group("name"), None
                continue
            last_page_line = index >= len(lines) - 2 and _FURNITURE.match(line)
            if _STOP.match(line) or last_page_line:
                current = None
                continue
            if line.isdigit() and (current is not None or _after_header(lines, index)):
                current = ListLine("", number, section)
                rows.append(current)
                expect_name, in_vote = True, False
                continue
            if current is None or not line:
                continue
            if expect_name:
                current.name = f"{current.name} {line}".strip()
                # A name wrapped in its cell ("Giàng Thị Dợ (sinh" / "1980)") reads on.
                expect_name = current.name.count("(") > current.name.count(")")
            elif in_vote:
                current.vote += " " + line
                in_vote = "%)" not in line
            elif line in codes:
                (current.levels_after if current.vote else current.levels_before).append(line)
            elif (vote := _VOTE_START.match(line)) and vote.group("level") in codes:
                current.vote, in_vote = line, "%)" not in line
            elif not current.levels_before and not current.vote:
                current.post = f"{current.post} {line}".strip()
            else:
                current.note = f"{current.note} {line}".strip()
    return rows


def _after_header(lines: list[str], index: int) -> bool:
    """Whether the number at *index* opens a table: the header ("STT" …) or a cell's section
    line comes before it, with no row in between."""
    for line in reversed(lines[:index]):
        if line == "STT" or line.startswith("STT ") or _SECTION.match(line):
            return True
        if line.isdigit():
            return False
    return False


_FIGURE = re.compile(
    r"(?P<level>[A-ZĐ]+): (?P<part>\d+)/(?P<whole>\d+) phiếu(?: từ (?P<from>[A-ZĐ]+) trở lên)?"
)


def vote_figure_support(figure: str, counts: dict[str, int], codes: Sequence[str]) -> int | None:
    """What a figure like "HTNV: 13/14 phiếu từ HTNV trở lên" claims, computed from counts:
    the count at its level, or, "từ … trở lên", the counts at that level and above."""
    match = _FIGURE.search(figure)
    if match is None:
        return None
    level = match.group("from") or match.group("level")
    if level not in codes:
        return None
    if match.group("from"):
        return sum(counts.get(code, 0) for code in codes[: codes.index(level) + 1])
    return counts.get(level, 0)


ORG_PREFIXES = ("Chi bộ", "Chi ủy", "Đảng bộ", "Đảng ủy")


@dataclass(frozen=True)
class MinutesFacts:
    """What the meeting minutes say of the meeting."""

    held_on: dt.date | None = None
    present: int | None = None
    absent: tuple[str, ...] = ()
    chair: str = ""
    secretary: str = ""
    tellers: tuple[str, ...] = ()
    voters: int | None = None
    reviewed: tuple[str, ...] = ()


def minutes_facts(doc: Printed) -> MinutesFacts:
    prose = doc.prose()

    def person(label: str) -> str:
        found = re.search(rf"{label} hội nghị: đồng chí ({NAME})(?: – [^.]*)?\.", prose)
        return found.group(1) if found else ""

    counts = re.search(r"Có mặt: (\d+) đồng chí; vắng mặt: (\d+) đồng chí", prose)
    committee = re.search(r"Tổ kiểm phiếu gồm: (.+?)\. ", prose)
    voters = re.search(r"biểu quyết: (\d+) đồng chí", prose)
    return MinutesFacts(
        held_on=_date(re.search(r"Hồi [^,]+, " + _DATE.pattern, prose)),
        present=int(counts.group(1)) if counts else None,
        absent=tuple(re.findall(rf"\+ Đồng chí ({NAME}) \((?:có lý do|không có lý do)", prose)),
        chair=person("Chủ trì"),
        secretary=person("Thư ký"),
        tellers=tuple(
            re.findall(rf"đồng chí ({NAME}) \((?:tổ trưởng|thành viên)\)", committee.group(1))
        )
        if committee
        else (),
        voters=int(voters.group(1)) if voters else None,
        reviewed=tuple(
            re.findall(rf"2\.\d+\. Đồng chí ({NAME})(?: – [^–]+?)? Đồng chí \1 trình bày", prose)
        ),
    )


@dataclass(frozen=True)
class TallyFacts:
    """What the tally minutes say of the count."""

    tellers: tuple[str, ...] = ()
    voters: int | None = None
    issued: int | None = None
    returned: int | None = None
    valid: int | None = None
    invalid: int | None = None


def tally_facts(doc: Printed) -> TallyFacts:
    prose = doc.prose()

    def number(pattern: str) -> int | None:
        found = re.search(pattern, prose)
        return int(found.group(1)) if found else None

    return TallyFacts(
        tellers=tuple(
            re.findall(
                rf"\d+\. Đồng chí ({NAME})(?: \([^)]*\))? – (?:Tổ trưởng|Thành viên);", prose
            )
        ),
        voters=number(r"Tổng số đảng viên chính thức được biểu quyết: (\d+) đồng chí"),
        issued=number(r"Số phiếu phát ra: (\d+)"),
        returned=number(r"Số phiếu thu vào: (\d+)"),
        valid=number(r"Số phiếu hợp lệ: (\d+)"),
        invalid=number(r"Số phiếu không hợp lệ: (\d+)"),
    )
