"""Quyết định công nhận kết quả đánh giá, xếp loại: the standing committee's
decision with its legal bases, Articles 1–3, the signature and "Nơi nhận"; then the annex
(Phụ lục) on a new page: the organisations and, cell by cell, the members with their decided
level (and the cell's proposal and the reason for a change, when given)."""

from __future__ import annotations

from collections.abc import Sequence

from app.documents.data import DecidedMember, DecidedOrganisation, DecisionData, LevelColumn
from app.documents.format import BODY, SECTION, TABLE_HEADING_ROOM
from app.documents.model import (
    A4_MARGINS,
    Block,
    Document,
    GroupRow,
    HeadingBlock,
    PageBreak,
    Paragraph,
    Run,
    Signatures,
    Table,
    TextStyle,
    Title,
    document,
    keep_with_last,
    mm,
    para,
    rich,
    section,
    table,
)
from app.documents.pages import page_limit
from app.documents.parts import count_levels, level_label, level_legend, name_with_post
from app.documents.render_pdf import render_pdf
from app.domain.fingerprint import fingerprint
from app.domain.formatting import format_date, format_int, format_percent

TITLE = "Quyết định"
_LEVEL_WIDTH = 50 * mm  # "Hoàn thành xuất sắc nhiệm vụ" on one line
_BODY_CENTER_BOLD = TextStyle(
    "decision-center", 14, bold=True, align="center", before=6, after=6, keep_with_next=True
)


def _name_cell(name: str, post: str) -> object:
    if not post:
        return name
    return name_with_post(name, post)


def _subject(data: DecisionData) -> str:
    return data.subject or (
        "Về việc công nhận kết quả đánh giá, xếp loại chất lượng\n"
        f"tổ chức đảng, đảng viên năm {data.year}"
    )


def _enumerate(items: Sequence[str]) -> str:
    """ "a", "a và b", "a, b và c": one "và", before the last item."""
    if len(items) < 3:
        return " và ".join(items)
    return f"{', '.join(items[:-1])} và {items[-1]}"


NOT_DECIDED = "Chưa quyết định"  # a draft's row without a decided level (not "0", not "none")


def _share_line(
    codes: Sequence[str | None], levels: Sequence[LevelColumn], unit: str, draft: bool = False
) -> str:
    """The counts per level of Article 1. In a draft a subject without a level is one not
    decided yet, so it is counted as such, and with nothing decided no figure is printed at
    all: a row of zeros would read as the year's result (issue 19)."""
    classified = [c for c in codes if c]
    pending = len(codes) - len(classified)
    if draft and not classified:
        return f"chưa có mức xếp loại được quyết định ({format_int(pending)} {unit} chờ quyết định)"
    parts = [
        f"{level.name}: {format_int(n)} {unit} ({format_percent(n, len(classified))})"
        for level, n in zip(levels, count_levels(classified, levels), strict=True)
    ]
    if pending:
        words = "chưa quyết định" if draft else "không xếp loại"
        parts.append(f"{words}: {format_int(pending)} {unit}")
    return "; ".join(parts)


def _article(number: int, words: str) -> Paragraph:
    """ "**Điều 1.** …" """
    return rich(BODY, Run(f"Điều {number}.", bold=True), f" {words}")


def _article1(data: DecisionData) -> list[Block]:
    if data.article1:
        lines = [line.strip() for line in data.article1.splitlines() if line.strip()]
        first, rest = lines[0], lines[1:]
        return [_article(1, first), *[para(line, BODY) for line in rest]]
    unit = data.party_unit or data.heading.superior
    members = [m for cell in data.cells for m in cell.members]
    scope = []
    if data.organisations:
        scope.append(f"{format_int(len(data.organisations))} tổ chức đảng")
    if data.collectives:
        scope.append(f"{format_int(len(data.collectives))} tập thể chi ủy")
    if members:
        scope.append(f"{format_int(len(members))} đảng viên")
    blocks: list[Block] = [
        _article(
            1,
            f"Công nhận kết quả đánh giá, xếp loại chất lượng năm {data.year} "
            f"đối với {_enumerate(scope) or 'tổ chức đảng, đảng viên'} thuộc "
            f"{unit} (có danh sách kèm theo), cụ thể:",
        )
    ]
    if data.organisations:
        codes = [o.level for o in data.organisations]
        shares = _share_line(codes, data.organisation_levels, "tổ chức", data.draft)
        blocks.append(para(f"- Tổ chức đảng: {shares}.", BODY))
    if data.collectives:
        codes = [c.level for c in data.collectives]
        shares = _share_line(codes, data.organisation_levels, "tập thể", data.draft)
        blocks.append(para(f"- Tập thể chi ủy: {shares}.", BODY))
    if members:
        codes = [m.level for m in members]
        shares = _share_line(codes, data.member_levels, "đồng chí", data.draft)
        blocks.append(para(f"- Đảng viên: {shares}.", BODY))
    return blocks


def _annex_note(data: DecisionData) -> str:
    number = data.heading.number.removeprefix("Số").strip() or "\u00a0" * 8 + "-QĐ/ĐU"
    day = format_date(data.heading.date) if data.heading.date else "……/……/……"
    return f"(Kèm theo Quyết định số {number}, ngày {day} của {data.deciding_body})"


_ROMAN = {1: "I", 2: "II", 3: "III"}
_STAGE_WIDTH = 17.5 * mm  # "HTXSNV" at 10.5 pt
_VOTE_WIDTH = 24 * mm  # "HTXSNV 16/19 (84,2%)" on two lines


def _note(reason: str, low_reason: str) -> str:
    return "; ".join(part for part in (reason, low_reason) if part)


def _stages_table(
    rows: Sequence[DecidedOrganisation | DecidedMember | GroupRow],
    levels: Sequence[LevelColumn],
    width: float,
    subject: str,
    proposal_header: str,
    note_header: str,
    draft: bool = False,
) -> Table:
    """The annex table: every stage side by side (self-assessed, the vote, the proposal, the
    decision) where any row has it, and a note with the reason for a change or a low level.
    With earlier stages the decided level is printed short (the legend spells it out)."""
    items = [r for r in rows if not isinstance(r, GroupRow)]
    with_self = any(r.self_level for r in items)
    with_vote = any(r.vote for r in items)
    with_proposal = any(r.proposed for r in items)
    with_note = any(_note(r.reason, r.low_reason) for r in items)
    short = with_self or with_vote
    header = ["STT", subject]
    widths = [10 * mm, 0.0]
    for present, title, column_width in (
        (with_self, "Tự xếp loại", _STAGE_WIDTH),
        (with_vote, "Kết quả biểu quyết", _VOTE_WIDTH),
        (with_proposal, proposal_header, 18.5 * mm),
    ):
        if present:
            header.append(title)
            widths.append(column_width)
    header.append("Xếp loại chất lượng")
    widths.append(_STAGE_WIDTH + 2 * mm if short else _LEVEL_WIDTH)
    if with_note:
        header.append(note_header)
        widths.append(34 * mm if short else 32 * mm)
    widths[1] = width - sum(widths)
    body: list[list[object] | GroupRow] = []
    index = 0
    for row in rows:
        if isinstance(row, GroupRow):
            body.append(row)
            continue
        index += 1
        post = row.post if isinstance(row, DecidedMember) else ""
        cells: list[object] = [index, _name_cell(row.name, post)]
        if with_self:
            cells.append(level_label(levels, row.self_level))
        if with_vote:
            cells.append(row.vote)
        if with_proposal:
            cells.append(level_label(levels, row.proposed))
        decided = level_label(levels, row.level, full=not short)
        cells.append(decided or (NOT_DECIDED if draft else "Không xếp loại"))
        if with_note:
            cells.append(_note(row.reason, row.low_reason))
        body.append(cells)
    align = "CL" + "C" * (len(header) - 2 - (1 if with_note else 0)) + ("L" if with_note else "")
    return table(header, body, widths, align=align, size=10.5 if short else 11)


def _organisations_table(
    rows: Sequence[DecidedOrganisation], data: DecisionData, width: float, subject: str
) -> Table:
    return _stages_table(
        rows, data.organisation_levels, width, subject,
        "Đề nghị" if any(o.self_level for o in rows) else "Tự đánh giá, đề nghị",
        "Ghi chú", data.draft,
    )  # fmt: skip


def _members_table(data: DecisionData, width: float) -> Table:
    rows: list[DecidedMember | GroupRow] = []
    for cell in data.cells:
        rows.append(GroupRow(f"{cell.cell} ({format_int(len(cell.members))} đồng chí)"))
        rows += cell.members
    members = [m for cell in data.cells for m in cell.members]
    note = "Ghi chú" if any(m.low_reason for m in members) else "Lý do thay đổi"
    return _stages_table(
        rows, data.member_levels, width, "Họ và tên, chức vụ", "Chi bộ đề nghị", note, data.draft
    )


def _annex(data: DecisionData, width: float) -> list[Block]:
    """The annex on a new page: the organisations', the collectives' and the members' tables,
    and the legend of the short level names."""
    blocks: list[Block] = [
        PageBreak(),
        Title(
            "Phụ lục",
            (
                "Danh sách tổ chức đảng, đảng viên được công nhận\nkết quả xếp loại chất lượng "
                f"năm {data.year}",
            ),
            note=_annex_note(data),
        ),
    ]
    parts: list[tuple[str, Table]] = []
    if data.organisations:
        found = _organisations_table(data.organisations, data, width, "Tổ chức đảng")
        parts.append(("TỔ CHỨC ĐẢNG", found))
    if data.collectives:
        found = _organisations_table(data.collectives, data, width, "Tập thể chi ủy")
        parts.append(("TẬP THỂ CHI ỦY", found))
    if data.cells:
        parts.append(("ĐẢNG VIÊN", _members_table(data, width)))
    for number, (heading, part) in enumerate(parts, start=1):
        title = f"{_ROMAN[number]}. {heading}" if len(parts) > 1 else heading
        blocks += section(title, SECTION, TABLE_HEADING_ROOM)
        blocks.append(part)
    organisations = (*data.organisations, *data.collectives)
    proposals = any(o.proposed for o in organisations) or any(
        m.proposed for cell in data.cells for m in cell.members
    )
    legend = level_legend(data.organisation_levels, data.member_levels)
    if proposals and legend is not None:
        blocks.append(legend)
    return blocks


def decision_document(data: DecisionData) -> Document:
    """The decision, then its annex on a new page (left out when only page 1 is built: the
    preview's first look need not lay out the annex's thousands of table cells)."""
    width = A4_MARGINS.text_width
    blocks: list[Block] = [
        HeadingBlock(data.heading, kind="QĐ"),
        Title(TITLE, (_subject(data),)),
        para(data.deciding_body.upper(), _BODY_CENTER_BOLD),
        *[para(basis, BODY) for basis in data.legal_bases],
        para("QUYẾT ĐỊNH:", _BODY_CENTER_BOLD),
        *_article1(data),
        _article(2, data.article2),
        _article(3, data.article3),
    ]
    keep_with_last(blocks, Signatures(right=data.signer, recipients=data.recipients))
    if (data.organisations or data.cells) and page_limit() != 1:
        blocks += _annex(data, width)
    title = f"{TITLE} {' '.join(_subject(data).split()).lower()}"
    return document(title, fingerprint(data), blocks, draft=data.draft)


def render_decision(data: DecisionData) -> bytes:
    return render_pdf(decision_document(data))
