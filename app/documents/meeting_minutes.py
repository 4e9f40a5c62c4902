"""Biên bản hội nghị chi bộ kiểm điểm, đánh giá, xếp loại: time and place,
attendance, chair and secretary, the collective report, each member's review with the comments
and the response, the vote and its results, remarks, conclusion, the approval of the minutes,
and the signatures THƯ KÝ (left) and CHỦ TRÌ (right)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from app.documents.blocks import heading_block, sign_off, signatures, title_block
from app.documents.data import MeetingMinutesData, MemberReview, Person, Signer
from app.documents.layout import PartyDocument
from app.documents.parts import (
    format_day,
    format_time,
    proposal_notes,
    text_or_lines,
    votes_table,
)
from app.documents.styles import (
    BODY,
    BODY_HANGING,
    SMALL_NOTE,
    SUBSECTION,
    paragraphs,
    section,
    table_heading,
    text,
)
from app.documents.tables import level_legend
from app.domain.fingerprint import fingerprint
from app.domain.formatting import format_int, format_percent

TITLE = "Biên bản"
BODY_HANGING_INDENTED = BODY_HANGING.clone(
    "body-hanging-indented", leftIndent=16 * mm, firstLineIndent=-6 * mm
)


def _subject(data: MeetingMinutesData) -> str:
    return f"Hội nghị kiểm điểm, đánh giá, xếp loại chất lượng tập thể, cá nhân năm {data.year}"


def _person(person: Person) -> str:
    post = f" – {text(person.post)}" if person.post else ""
    return f"đồng chí {text(person.name)}{post}"


def _bullet(content: str) -> Flowable:
    return Paragraph(f"- {content}", BODY)


def _attendance(data: MeetingMinutesData) -> list[Flowable]:
    a = data.attendance
    excused = sum(1 for x in a.absent if x.excused)
    story: list[Flowable] = [
        *section("I. THÀNH PHẦN THAM DỰ"),
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
            why = f"có lý do: {text(absence.reason)}" if absence.reason else "có lý do"
        else:
            why = "không có lý do"
        story.append(Paragraph(f"+ Đồng chí {text(absence.name)} ({why});", BODY_HANGING_INDENTED))
    for guest in data.guests:
        story.append(_bullet(f"Đại biểu dự: {_person(guest)}."))
    story.append(_bullet(f"Chủ trì hội nghị: {_person(data.chair)}."))
    story.append(_bullet(f"Thư ký hội nghị: {_person(data.secretary)}."))
    return story


def _report(data: MeetingMinutesData) -> list[Flowable]:
    presenter = data.report_presenter or data.chair.name
    story: list[Flowable] = [
        *section("II. NỘI DUNG HỘI NGHỊ", room=40 * mm),
        *section("1. Kiểm điểm tập thể chi bộ", SUBSECTION),
        Paragraph(
            f"Đồng chí {text(presenter)} thay mặt chi ủy trình bày báo cáo kiểm điểm tập thể "
            f"{text(data.cell)} năm {data.year}.",
            BODY,
        ),
        *paragraphs(data.report_summary, BODY),
        Paragraph("Ý kiến thảo luận của đảng viên:", BODY),
        *text_or_lines(data.report_discussion, 3),
    ]
    return story


def _review(number: int, review: MemberReview) -> list[Flowable]:
    post = f" – {text(review.post)}" if review.post else ""
    head = Paragraph(f"2.{number}. Đồng chí {text(review.name)}{post}", SUBSECTION)
    story: list[Flowable] = []
    if review.summary:
        story.append(Paragraph(f"Đồng chí {text(review.name)} trình bày bản tự kiểm điểm:", BODY))
        story += paragraphs(review.summary, BODY)
    else:
        story.append(
            Paragraph(
                f"Đồng chí {text(review.name)} trình bày bản tự kiểm điểm trước hội nghị.", BODY
            )
        )
    if review.no_comments and not review.comments:
        story.append(Paragraph("Ý kiến đóng góp: không có ý kiến khác.", BODY))
    else:
        story.append(Paragraph("Ý kiến đóng góp:", BODY))
        if review.comments:
            story += [
                Paragraph(f"- {text(c.commenter)}: {text(c.gist)}", BODY_HANGING_INDENTED)
                for c in review.comments
            ]
        else:
            story += text_or_lines("", 2)
    if review.comments or review.response or not review.no_comments:
        story.append(Paragraph("Ý kiến tiếp thu, giải trình của đồng chí được kiểm điểm:", BODY))
        story += text_or_lines(review.response, 2)
    # The name line and the first paragraph stay together; the rest may flow on.
    return [KeepTogether([head, story[0]]), *story[1:]]


def _votes(data: MeetingMinutesData, width: float) -> list[Flowable]:
    story: list[Flowable] = [
        *section("3. Biểu quyết đề xuất mức xếp loại chất lượng", SUBSECTION),
        Paragraph(f"Hội nghị thống nhất hình thức {text(data.voting_method)}.", BODY),
    ]
    if data.tally_committee:
        names = [
            f"đồng chí {text(p.name)} ({'tổ trưởng' if i == 0 else 'thành viên'})"
            for i, p in enumerate(data.tally_committee)
        ]
        story.append(Paragraph(f"Tổ kiểm phiếu gồm: {', '.join(names)}.", BODY))
    if data.voters is not None:
        story.append(
            Paragraph(
                "Tổng số đảng viên chính thức được biểu quyết: "
                f"{format_int(data.voters)} đồng chí. Kết quả như sau:",
                BODY,
            )
        )
    if data.members:
        story += table_heading("a) Kết quả đánh giá, xếp loại chất lượng đảng viên")
        story.append(votes_table(data.members, data.member_levels, data.voters, width))
    collective_levels = data.collective_levels or data.member_levels
    organisations = [row for row in (data.collective, data.leadership) if row is not None]
    if organisations:
        whom = "tập thể chi bộ, chi ủy" if data.leadership else "tập thể chi bộ"
        story += table_heading(f"b) Kết quả đánh giá, xếp loại chất lượng {whom}")
        story.append(
            votes_table(
                organisations, collective_levels, data.voters, width, subject="Tổ chức đảng"
            )
        )
    if data.members or organisations:
        if data.voters:
            story.append(
                Paragraph(
                    f"Tỷ lệ (%) tính trên tổng số {format_int(data.voters)} đảng viên chính thức "
                    "được biểu quyết.",
                    SMALL_NOTE,
                )
            )
        story += proposal_notes([*data.members, *organisations])
        legend = level_legend(data.member_levels, collective_levels if organisations else ())
        if legend is not None:
            story.append(legend)
    return story


def _closing(data: MeetingMinutesData) -> list[Flowable]:
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
        Paragraph(
            f"Hội nghị kết thúc hồi {format_time(data.end)} cùng ngày. Biên bản đã được đọc lại "
            f"và thông qua trước hội nghị; {agreed}.",
            BODY,
        ),
    ]


def render_meeting_minutes(data: MeetingMinutesData) -> bytes:
    doc = PartyDocument(
        f"{TITLE} {_subject(data).lower()} – {data.cell}", fingerprint(data), draft=data.draft
    )
    where = f", tại {text(data.place)}" if data.place else ""
    opening = (
        f"Hồi {format_time(data.start)}, {format_day(data.meeting_date)}{where}, "
        f"{text(data.cell)} tiến hành hội nghị kiểm điểm, đánh giá, xếp loại chất lượng tập "
        f"thể, cá nhân năm {data.year}."
    )
    story: list[Flowable] = [
        heading_block(data.heading, doc.width, kind="BB"),
        *title_block(TITLE, _subject(data)),
        Paragraph(opening, BODY),
        *_attendance(data),
        *_report(data),
        *section("2. Kiểm điểm cá nhân đảng viên", SUBSECTION),
    ]
    if data.reviews:
        for number, review in enumerate(data.reviews, start=1):
            story += _review(number, review)
    else:
        story += text_or_lines("", 6)
    story += _votes(data, doc.width)
    story += _closing(data)
    secretary = data.secretary_signer or Signer("THƯ KÝ", data.secretary.name)
    chair = data.chair_signer or Signer("CHỦ TRÌ", data.chair.name)
    sign_off(story, signatures(doc.width, secretary, chair))
    return doc.build(story)
