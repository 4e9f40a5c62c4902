"""Biên bản hội nghị chi bộ kiểm điểm, đánh giá, xếp loại: time and place,
attendance, chair and secretary, the collective report, each member's review with the comments
and the response, the vote and its results, remarks, conclusion, the approval of the minutes,
and the signatures THƯ KÝ (left) and CHỦ TRÌ (right)."""

from __future__ import annotations

from app.documents.data import MeetingMinutesData, MemberReview, Person, Signer
from app.documents.format import BODY, SECTION, SMALL_NOTE, SUBSECTION, TABLE_HEADING_ROOM
from app.documents.model import (
    A4_MARGINS,
    Block,
    Document,
    HeadingBlock,
    KeepTogether,
    Paragraph,
    Signatures,
    TextStyle,
    Title,
    document,
    keep_with_last,
    mm,
    para,
    paragraphs,
    section,
)
from app.documents.parts import (
    format_day,
    format_time,
    level_legend,
    proposal_notes,
    text_or_lines,
    votes_table,
)
from app.documents.render_pdf import render_pdf
from app.domain.fingerprint import fingerprint
from app.domain.formatting import format_int, format_percent

TITLE = "Biên bản"
BODY_HANGING_INDENTED = TextStyle("body-hanging-indented", 14, left_indent=16 * mm, indent=-6 * mm)


def _subject(data: MeetingMinutesData) -> str:
    return f"Hội nghị kiểm điểm, đánh giá, xếp loại chất lượng tập thể, cá nhân năm {data.year}"


def _person(person: Person) -> str:
    post = f" – {person.post}" if person.post else ""
    return f"đồng chí {person.name}{post}"


def _bullet(content: str) -> Paragraph:
    return para(f"- {content}", BODY)


def _attendance(data: MeetingMinutesData) -> list[Block]:
    a = data.attendance
    excused = sum(1 for x in a.absent if x.excused)
    blocks: list[Block] = [
        *section("I. THÀNH PHẦN THAM DỰ", SECTION),
        _bullet(
            f"Tổng số đảng viên của chi bộ: {format_int(a.total)} đồng chí (chính thức: "
            f"{format_int(a.official)}; dự bị: {format_int(a.probationary)}); được miễn công tác "
            f"và sinh hoạt đảng: {format_int(a.exempt)} đồng chí."
        ),
        _bullet(
            f"Có mặt: {format_int(a.present)} đồng chí; vắng mặt: {format_int(len(a.absent))} "
            f"đồng chí (có lý do: {format_int(excused)}; không có lý do: "
            f"{format_int(len(a.absent) - excused)})" + (":" if a.absent else ".")
        ),
    ]
    for absence in a.absent:
        if absence.excused:
            why = f"có lý do: {absence.reason}" if absence.reason else "có lý do"
        else:
            why = "không có lý do"
        blocks.append(para(f"+ Đồng chí {absence.name} ({why});", BODY_HANGING_INDENTED))
    for guest in data.guests:
        blocks.append(_bullet(f"Đại biểu dự: {_person(guest)}."))
    blocks.append(_bullet(f"Chủ trì hội nghị: {_person(data.chair)}."))
    blocks.append(_bullet(f"Thư ký hội nghị: {_person(data.secretary)}."))
    return blocks


def _report(data: MeetingMinutesData) -> list[Block]:
    presenter = data.report_presenter or data.chair.name
    return [
        *section("II. NỘI DUNG HỘI NGHỊ", SECTION, 40 * mm),
        *section("1. Kiểm điểm tập thể chi bộ", SUBSECTION),
        para(
            f"Đồng chí {presenter} thay mặt chi ủy trình bày báo cáo kiểm điểm tập thể "
            f"{data.cell} năm {data.year}.",
            BODY,
        ),
        *paragraphs(data.report_summary, BODY),
        para("Ý kiến thảo luận của đảng viên:", BODY),
        *text_or_lines(data.report_discussion, 3),
    ]


def _review(number: int, review: MemberReview) -> list[Block]:
    post = f" – {review.post}" if review.post else ""
    head = para(f"2.{number}. Đồng chí {review.name}{post}", SUBSECTION)
    blocks: list[Block] = []
    if review.summary:
        blocks.append(para(f"Đồng chí {review.name} trình bày bản tự kiểm điểm:", BODY))
        blocks += paragraphs(review.summary, BODY)
    else:
        blocks.append(
            para(f"Đồng chí {review.name} trình bày bản tự kiểm điểm trước hội nghị.", BODY)
        )
    if review.no_comments and not review.comments:
        blocks.append(para("Ý kiến đóng góp: không có ý kiến khác.", BODY))
    else:
        blocks.append(para("Ý kiến đóng góp:", BODY))
        if review.comments:
            blocks += [
                para(f"- {c.commenter}: {c.gist}", BODY_HANGING_INDENTED) for c in review.comments
            ]
        else:
            blocks += text_or_lines("", 2)
    if review.comments or review.response or not review.no_comments:
        blocks.append(para("Ý kiến tiếp thu, giải trình của đồng chí được kiểm điểm:", BODY))
        blocks += text_or_lines(review.response, 2)
    # The name line and the first paragraph stay together; the rest may flow on.
    return [KeepTogether((head, blocks[0])), *blocks[1:]]


def _votes(data: MeetingMinutesData, width: float) -> list[Block]:
    blocks: list[Block] = [
        *section("3. Biểu quyết đề xuất mức xếp loại chất lượng", SUBSECTION),
        para(f"Hội nghị thống nhất hình thức {data.voting_method}.", BODY),
    ]
    if data.tally_committee:
        names = [
            f"đồng chí {p.name} ({'tổ trưởng' if i == 0 else 'thành viên'})"
            for i, p in enumerate(data.tally_committee)
        ]
        blocks.append(para(f"Tổ kiểm phiếu gồm: {', '.join(names)}.", BODY))
    if data.voters is not None:
        blocks.append(
            para(
                "Tổng số đảng viên chính thức được biểu quyết: "
                f"{format_int(data.voters)} đồng chí. Kết quả như sau:",
                BODY,
            )
        )
    if data.members:
        blocks += section(
            "a) Kết quả đánh giá, xếp loại chất lượng đảng viên", SECTION, TABLE_HEADING_ROOM
        )
        blocks.append(votes_table(data.members, data.member_levels, data.voters, width))
    collective_levels = data.collective_levels or data.member_levels
    organisations = [row for row in (data.collective, data.leadership) if row is not None]
    if organisations:
        whom = "tập thể chi bộ, chi ủy" if data.leadership else "tập thể chi bộ"
        blocks += section(
            f"b) Kết quả đánh giá, xếp loại chất lượng {whom}", SECTION, TABLE_HEADING_ROOM
        )
        blocks.append(
            votes_table(
                organisations, collective_levels, data.voters, width, subject="Tổ chức đảng"
            )
        )
    if data.members or organisations:
        if data.voters:
            blocks.append(
                para(
                    f"Tỷ lệ (%) tính trên tổng số {format_int(data.voters)} đảng viên chính thức "
                    "được biểu quyết.",
                    SMALL_NOTE,
                )
            )
        blocks += proposal_notes([*data.members, *organisations])
        legend = level_legend(data.member_levels, collective_levels if organisations else ())
        if legend is not None:
            blocks.append(legend)
    return blocks


def _closing(data: MeetingMinutesData) -> list[Block]:
    if data.approval_agreed is not None and data.approval_of:
        agreed = (
            f"{format_int(data.approval_agreed)}/{format_int(data.approval_of)} đồng chí nhất trí "
            f"({format_percent(data.approval_agreed, data.approval_of)})"
        )
    else:
        agreed = "……/…… đồng chí nhất trí (……%)"
    return [
        *section("4. Ý kiến của đại biểu cấp trên", SUBSECTION),
        *text_or_lines(data.upper_remarks, 3),
        *section("5. Kết luận của đồng chí chủ trì hội nghị", SUBSECTION),
        *text_or_lines(data.conclusion, 3),
        para(
            f"Hội nghị kết thúc hồi {format_time(data.end)} cùng ngày. Biên bản đã được đọc lại "
            f"và thông qua trước hội nghị; {agreed}.",
            BODY,
        ),
    ]


def meeting_minutes_document(data: MeetingMinutesData) -> Document:
    """The minutes as the neutral document model."""
    width = A4_MARGINS.text_width
    where = f", tại {data.place}" if data.place else ""
    opening = (
        f"Hồi {format_time(data.start)}, {format_day(data.meeting_date)}{where}, "
        f"{data.cell} tiến hành hội nghị kiểm điểm, đánh giá, xếp loại chất lượng tập "
        f"thể, cá nhân năm {data.year}."
    )
    blocks: list[Block] = [
        HeadingBlock(data.heading, kind="BB"),
        Title(TITLE, (_subject(data),)),
        para(opening, BODY),
        *_attendance(data),
        *_report(data),
        *section("2. Kiểm điểm cá nhân đảng viên", SUBSECTION),
    ]
    if data.reviews:
        for number, review in enumerate(data.reviews, start=1):
            blocks += _review(number, review)
    else:
        blocks += text_or_lines("", 6)
    blocks += _votes(data, width)
    blocks += _closing(data)
    secretary = data.secretary_signer or Signer("THƯ KÝ", data.secretary.name)
    chair = data.chair_signer or Signer("CHỦ TRÌ", data.chair.name)
    keep_with_last(blocks, Signatures(secretary, chair))
    return document(
        f"{TITLE} {_subject(data).lower()} – {data.cell}",
        fingerprint(data),
        blocks,
        draft=data.draft,
    )


def render_meeting_minutes(data: MeetingMinutesData) -> bytes:
    return render_pdf(meeting_minutes_document(data))
