"""Biên bản kiểm phiếu: the tally committee, the ballots, the votes of every
member and of the cell with their share of the official members entitled to vote, the
proposed levels, and the signatures of the whole committee.

Print guard: when two tellers entered the counts and their entries disagree
(``double_entry_agreed`` False) the minutes are refused.
"""

from __future__ import annotations

from app.documents.data import Signer, TallyMinutesData
from app.documents.format import (
    BODY,
    BODY_HANGING,
    SECTION,
    SMALL_NOTE,
    SUBTITLE,
    TABLE_HEADING_ROOM,
)
from app.documents.model import (
    A4_MARGINS,
    Block,
    Document,
    HeadingBlock,
    Paragraph,
    SignatureGrid,
    Spacer,
    Title,
    document,
    keep_with_last,
    para,
    section,
)
from app.documents.parts import format_day, format_time, level_legend, proposal_notes, votes_table
from app.documents.render_pdf import render_pdf
from app.domain.fingerprint import fingerprint
from app.domain.formatting import format_int

TITLE = "Biên bản kiểm phiếu"

DOUBLE_ENTRY_MESSAGE = (
    "Hai người nhập kết quả kiểm phiếu chưa khớp nhau. Hãy đối chiếu lại với phiếu bầu và "
    "nhập lại cho khớp trước khi in biên bản kiểm phiếu."
)


class TallyNotAgreedError(ValueError):
    """The two tellers' entries differ: the tally minutes must not be printed."""


def _when(data: TallyMinutesData) -> str:
    """The count's own time when recorded; else, on a recorded day, the meeting it belongs to
    (no blanks to fill on a record that knows its day); else blanks to write in."""
    day = format_day(data.heading.date)
    if data.start is not None or data.heading.date is None:
        return f"Hồi {format_time(data.start)}, {day}"
    return f"{day[0].upper()}{day[1:]}, trong hội nghị của {data.cell}"


def _opening(data: TallyMinutesData) -> list[Block]:
    where = f", tại {data.place}" if data.place else ""
    blocks: list[Block] = [para(f"{_when(data)}{where}, Tổ kiểm phiếu gồm các đồng chí:", BODY)]
    for index, person in enumerate(data.committee, start=1):
        role = data.head_title if index == 1 else data.member_title
        post = f" ({person.post})" if person.post else ""
        blocks.append(para(f"{index}. Đồng chí {person.name}{post} – {role};", BODY_HANGING))
    blocks.append(
        para(
            f"đã tiến hành kiểm phiếu đánh giá, xếp loại chất lượng đảng viên và tập thể "
            f"{data.cell} năm {data.year}. Kết quả như sau:",
            BODY,
        )
    )
    return blocks


def _ballots(data: TallyMinutesData) -> list[Block]:
    lines = [
        f"Tổng số đảng viên chính thức được biểu quyết: {format_int(data.denominator)} đồng chí.",
        f"Số phiếu phát ra: {format_int(data.ballots_issued)} phiếu.",
        f"Số phiếu thu vào: {format_int(data.ballots_returned)} phiếu.",
        f"Số phiếu hợp lệ: {format_int(data.ballots_valid)} phiếu.",
        f"Số phiếu không hợp lệ: {format_int(data.ballots_invalid)} phiếu.",
    ]
    return [
        *section("I. SỐ PHIẾU", SECTION),
        *[para(f"- {line}", BODY) for line in lines],
    ]


def _share_note(data: TallyMinutesData) -> Paragraph:
    return para(
        "Tỷ lệ (%) tính trên tổng số "
        f"{format_int(data.denominator)} đảng viên chính thức được biểu quyết.",
        SMALL_NOTE,
    )


def tally_minutes_document(data: TallyMinutesData) -> Document:
    """The minutes as the neutral document model; raises TallyNotAgreedError (a ValueError)
    on a failed double entry."""
    if data.double_entry_agreed is False:
        raise TallyNotAgreedError(DOUBLE_ENTRY_MESSAGE)
    width = A4_MARGINS.text_width
    blocks: list[Block] = [
        HeadingBlock(data.heading, kind="BB"),
        Title(
            TITLE,
            (f"Đánh giá, xếp loại chất lượng đảng viên và tập thể chi bộ năm {data.year}",),
        ),
        *_opening(data),
        *_ballots(data),
    ]
    if data.members:
        blocks += [
            *section(
                "II. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN", SECTION, TABLE_HEADING_ROOM
            ),
            votes_table(data.members, data.member_levels, data.denominator, width),
            _share_note(data),
        ]
    collective_levels = data.collective_levels or data.member_levels
    organisations = [row for row in (data.collective, data.leadership) if row is not None]
    if organisations:
        number = "III" if data.members else "II"
        # One line either way: with the chi ủy the heading drops "chất lượng".
        whom = "TẬP THỂ CHI BỘ, CHI ỦY" if data.leadership else "CHẤT LƯỢNG TẬP THỂ CHI BỘ"
        blocks += [
            *section(f"{number}. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI {whom}", SECTION, TABLE_HEADING_ROOM),
            votes_table(
                organisations,
                collective_levels,
                data.denominator,
                width,
                subject="Tổ chức đảng",
            ),
        ]
    blocks += proposal_notes([*data.members, *organisations])
    legend = level_legend(data.member_levels, collective_levels if organisations else ())
    if legend is not None:
        blocks.append(legend)
    end = f"Việc kiểm phiếu kết thúc hồi {format_time(data.end)} cùng ngày. " if data.end else ""
    blocks += [
        Spacer(4),
        para(
            f"{end}Biên bản kiểm phiếu được Tổ kiểm phiếu thống nhất thông qua và ký tên dưới đây.",
            BODY,
        ),
    ]
    signers = tuple(
        Signer(data.head_title if i == 0 else data.member_title, person.name)
        for i, person in enumerate(data.committee)
    )
    keep_with_last(
        blocks,
        Spacer(6),
        para("TỔ KIỂM PHIẾU", SUBTITLE),
        SignatureGrid(signers),
    )
    return document(
        f"{TITLE} năm {data.year} – {data.cell}", fingerprint(data), blocks, draft=data.draft
    )


def render_tally_minutes(data: TallyMinutesData) -> bytes:
    """The minutes as PDF; raises TallyNotAgreedError (a ValueError) on a failed double entry."""
    return render_pdf(tally_minutes_document(data))
