"""Biên bản kiểm phiếu: the tally committee, the ballots, the votes of every
member and of the cell with their share of the official members entitled to vote, the
proposed levels, and the signatures of the whole committee.

Print guard: when two tellers entered the counts and their entries disagree
(``double_entry_agreed`` False) the minutes are refused.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer

from app.documents.blocks import heading_block, sign_off, signature_grid, title_block
from app.documents.data import Signer, TallyMinutesData
from app.documents.layout import PartyDocument
from app.documents.parts import format_day, format_time, proposal_notes, votes_table
from app.documents.styles import (
    BODY,
    BODY_HANGING,
    SMALL_NOTE,
    SUBTITLE,
    section,
    table_heading,
    text,
)
from app.documents.tables import level_legend
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


def _opening(data: TallyMinutesData) -> list[Flowable]:
    when = _when(data)
    where = f", tại {text(data.place)}" if data.place else ""
    story: list[Flowable] = [
        Paragraph(f"{text(when)}{where}, Tổ kiểm phiếu gồm các đồng chí:", BODY),
    ]
    for index, person in enumerate(data.committee, start=1):
        role = data.head_title if index == 1 else data.member_title
        post = f" ({text(person.post)})" if person.post else ""
        story.append(
            Paragraph(f"{index}. Đồng chí {text(person.name)}{post} – {text(role)};", BODY_HANGING)
        )
    story.append(
        Paragraph(
            f"đã tiến hành kiểm phiếu đánh giá, xếp loại chất lượng đảng viên và tập thể "
            f"{text(data.cell)} năm {data.year}. Kết quả như sau:",
            BODY,
        )
    )
    return story


def _ballots(data: TallyMinutesData) -> list[Flowable]:
    lines = [
        f"Tổng số đảng viên chính thức được biểu quyết: {format_int(data.denominator)} đồng chí.",
        f"Số phiếu phát ra: {format_int(data.ballots_issued)} phiếu.",
        f"Số phiếu thu vào: {format_int(data.ballots_returned)} phiếu.",
        f"Số phiếu hợp lệ: {format_int(data.ballots_valid)} phiếu.",
        f"Số phiếu không hợp lệ: {format_int(data.ballots_invalid)} phiếu.",
    ]
    return [
        *section("I. SỐ PHIẾU"),
        *[Paragraph(f"- {text(line)}", BODY) for line in lines],
    ]


def _share_note(data: TallyMinutesData) -> Flowable:
    return Paragraph(
        "Tỷ lệ (%) tính trên tổng số "
        f"{format_int(data.denominator)} đảng viên chính thức được biểu quyết.",
        SMALL_NOTE,
    )


def render_tally_minutes(data: TallyMinutesData) -> bytes:
    """The minutes as PDF; raises TallyNotAgreedError (a ValueError) on a failed double entry."""
    if data.double_entry_agreed is False:
        raise TallyNotAgreedError(DOUBLE_ENTRY_MESSAGE)
    doc = PartyDocument(
        f"{TITLE} năm {data.year} – {data.cell}", fingerprint(data), draft=data.draft
    )
    story: list[Flowable] = [
        heading_block(data.heading, doc.width, kind="BB"),
        *title_block(
            TITLE,
            f"Đánh giá, xếp loại chất lượng đảng viên và tập thể chi bộ năm {data.year}",
        ),
        *_opening(data),
        *_ballots(data),
    ]
    if data.members:
        story += [
            *table_heading("II. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN"),
            votes_table(data.members, data.member_levels, data.denominator, doc.width),
            _share_note(data),
        ]
    collective_levels = data.collective_levels or data.member_levels
    organisations = [row for row in (data.collective, data.leadership) if row is not None]
    if organisations:
        number = "III" if data.members else "II"
        # One line either way: with the chi ủy the heading drops "chất lượng".
        whom = "TẬP THỂ CHI BỘ, CHI ỦY" if data.leadership else "CHẤT LƯỢNG TẬP THỂ CHI BỘ"
        story += [
            *table_heading(f"{number}. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI {whom}"),
            votes_table(
                organisations,
                collective_levels,
                data.denominator,
                doc.width,
                subject="Tổ chức đảng",
            ),
        ]
    story += proposal_notes([*data.members, *organisations])
    legend = level_legend(data.member_levels, collective_levels if organisations else ())
    if legend is not None:
        story.append(legend)
    end = f"Việc kiểm phiếu kết thúc hồi {format_time(data.end)} cùng ngày. " if data.end else ""
    story += [
        Spacer(1, 4),
        Paragraph(
            f"{text(end)}Biên bản kiểm phiếu được Tổ kiểm phiếu thống nhất thông qua "
            "và ký tên dưới đây.",
            BODY,
        ),
    ]
    signers = [
        Signer(data.head_title if i == 0 else data.member_title, person.name)
        for i, person in enumerate(data.committee)
    ]
    sign_off(
        story,
        Spacer(1, 6),
        Paragraph("TỔ KIỂM PHIẾU", SUBTITLE),
        signature_grid(doc.width, signers),
    )
    return doc.build(story)
