"""Realistic Vietnamese data for every document, and helpers that read a PDF back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable
from typing import TypeVar

from pypdf import PdfReader

from app.documents.data import (
    Absence,
    Attendance,
    BallotData,
    BallotEntry,
    BreakdownRow,
    CellDecision,
    CollectiveReportData,
    CollectiveReportTexts,
    Comment,
    DecidedMember,
    DecidedOrganisation,
    DecisionData,
    GroupSummary,
    Heading,
    LevelColumn,
    LevelCount,
    MeetingMinutesData,
    MemberCounts,
    MemberReview,
    Person,
    ProposalListData,
    ProposalRow,
    QuarterLine,
    QuarterRatingData,
    QuarterYear,
    Ratio,
    ReasonCount,
    ScoreGroup,
    ScoreItem,
    ScreeningEntry,
    SelfReviewData,
    SelfReviewTexts,
    Signer,
    SummaryData,
    TallyMinutesData,
    VoteRow,
)
from app.domain.formatting import format_percent

T = TypeVar("T")

LEVELS = (
    LevelColumn("HTXSNV", "HTXSNV", "Hoàn thành xuất sắc nhiệm vụ"),
    LevelColumn("HTTNV", "HTTNV", "Hoàn thành tốt nhiệm vụ"),
    LevelColumn("HTNV", "HTNV", "Hoàn thành nhiệm vụ"),
    LevelColumn("KHTNV", "KHTNV", "Không hoàn thành nhiệm vụ"),
)
# HD 27-2014: organisations had other levels.
ORG_LEVELS_2014 = (
    LevelColumn("TSVM", "TSVM", "Trong sạch, vững mạnh"),
    LevelColumn("HTTNV", "HTTNV", "Hoàn thành tốt nhiệm vụ"),
    LevelColumn("HTNV", "HTNV", "Hoàn thành nhiệm vụ"),
    LevelColumn("YEU_KEM", "Yếu kém", "Yếu kém"),
)
SCORES = (
    ScoreGroup("A", "Tiêu chí chung", 30, 27.5),
    ScoreGroup("B", "Kết quả thực hiện nhiệm vụ", 70, 62),
)

CELL = "Chi bộ bản Na Tông 1"
CELL_HEADING = Heading("Đảng bộ xã Na Tông", CELL, "Số 07-BB/CB", "Na Tông", dt.date(2025, 12, 15))
COMMUNE_HEADING = Heading(
    "Đảng bộ tỉnh Điện Biên", "Đảng ủy xã Na Tông", "Số 15-QĐ/ĐU", "Na Tông", dt.date(2026, 1, 20)
)

NAMES = (
    "Lò Văn Pọm",
    "Giàng A Páo",
    "Nguyễn Thị Ánh",
    "Lường Thị Ín",
    "Quàng Văn Hặc",
    "Sùng Thị Mỷ",
    "Cà Văn Xôm",
    "Tòng Thị Xuân",
    "Vàng A Dế",
    "Thào A Chứ",
)
POSTS = ("Bí thư chi bộ", "Phó Bí thư chi bộ", "Chi ủy viên", "", "", "", "", "", "", "")
VOTES = (
    (2, 7, 0, 0),
    (1, 8, 0, 0),
    (6, 3, 0, 0),
    (0, 9, 0, 0),
    (0, 8, 1, 0),
    (0, 9, 0, 0),
    (0, 2, 6, 1),
    (0, 9, 0, 0),
    (0, 0, 2, 7),
    (0, 9, 0, 0),
)
PROPOSED = (
    "HTTNV",
    "HTTNV",
    "HTXSNV",
    "HTTNV",
    "HTTNV",
    "HTTNV",
    "HTNV",
    "HTTNV",
    "KHTNV",
    "HTTNV",
)

LONG_COMMENT = (
    "Đồng chí cần tích cực hơn nữa trong việc vận động bà con trong bản tham gia làm đường bê "
    "tông nội bản, giữ gìn vệ sinh môi trường, xóa bỏ hủ tục trong việc cưới, việc tang, và "
    "gương mẫu đi đầu trong phát triển kinh tế hộ gia đình theo hướng sản xuất hàng hóa."
)


def big_names(count: int = 150) -> list[str]:
    """*count* distinct, sometimes very long names of Kinh, Thái and H'Mông members."""
    families = ["Lò Văn", "Giàng A", "Nguyễn Thị", "Lường Thị", "Quàng Văn", "Sùng Thị", "Vàng A"]
    givens = ["Pọm", "Páo", "Ánh", "Ín", "Hặc", "Mỷ", "Dế", "Chứ", "Xôm", "Xuân", "Hương"]
    names = []
    for index in range(count):
        name = f"{families[index % len(families)]} {givens[index % len(givens)]}"
        if index % 10 == 3:
            name = f"Công Tằng Tôn Nữ Nguyễn Hoàng Thị Ánh Phương Thảo {index}"
        else:
            name = f"{name} {index}"
        names.append(name)
    return names


# --------------------------------------------------------------------------------------------


def self_review(**changes: object) -> SelfReviewData:
    base = SelfReviewData(
        heading=Heading("Đảng bộ xã Na Tông", CELL, "", "Na Tông", dt.date(2025, 12, 15)),
        form_code="Mẫu 2C-HD KĐ.ĐG 2025",
        variant="2C",
        year=2025,
        full_name="Giàng A Páo",
        levels=LEVELS,
        birth_date=dt.date(1968, 3, 5),
        party_post="Đảng viên",
        other_post="Trưởng bản",
        workplace="Bản Na Tông 1, xã Na Tông",
        cell=CELL,
        texts=SelfReviewTexts(
            political="Luôn kiên định lập trường, tư tưởng chính trị; chấp hành nghiêm chủ "
            "trương của Đảng, chính sách, pháp luật của Nhà nước."
        ),
        previous_shortcomings="Chưa tham gia đầy đủ sinh hoạt chi bộ (vắng 2 buổi).",
        previous_remedied=True,
        self_level="HTTNV",
        scores=SCORES,
        authority_name="Đảng ủy xã Na Tông",
    )
    return replace(base, **changes)


def collective_report(**changes: object) -> CollectiveReportData:
    base = CollectiveReportData(
        heading=Heading(
            "Đảng bộ xã Na Tông", CELL, "Số 05-BC/CB", "Na Tông", dt.date(2025, 12, 10)
        ),
        year=2025,
        collective=CELL,
        counts=MemberCounts(total=12, official=11, probationary=1, exempt=1, evaluated=11),
        levels=LEVELS,
        texts=CollectiveReportTexts(
            situation="Bản có 96 hộ, 412 nhân khẩu, chủ yếu là đồng bào dân tộc Thái, H'Mông.",
            party_building="Chi bộ duy trì sinh hoạt định kỳ hằng tháng.\nKết nạp 01 đảng viên.",
        ),
        self_level="HTTNV",
        scores=SCORES,
        signer=Signer("BÍ THƯ", "Lò Văn Pọm", "T/M CHI ỦY"),
    )
    return replace(base, **changes)


def ballot(**changes: object) -> BallotData:
    base = BallotData(
        heading=Heading("Đảng bộ xã Na Tông", CELL, "", "Na Tông", dt.date(2025, 12, 15)),
        year=2025,
        members=tuple(BallotEntry(n, p) for n, p in zip(NAMES, POSTS, strict=True)),
        member_levels=LEVELS,
        copies=2,
        collective=CELL,
        collective_levels=LEVELS,
    )
    return replace(base, **changes)


def vote_rows(names: list[str] | tuple[str, ...] = NAMES) -> tuple[VoteRow, ...]:
    rows = []
    for index, name in enumerate(names):
        k = index % len(VOTES)
        post = POSTS[index] if index < len(POSTS) else ""
        rows.append(VoteRow(name, post, VOTES[k], PROPOSED[k]))
    return tuple(rows)


def tally_minutes(**changes: object) -> TallyMinutesData:
    base = TallyMinutesData(
        heading=CELL_HEADING,
        year=2025,
        cell=CELL,
        committee=(Person("Quàng Văn Hặc"), Person("Lường Thị Ín"), Person("Tòng Thị Xuân")),
        ballots_issued=9,
        ballots_returned=9,
        ballots_valid=9,
        ballots_invalid=0,
        denominator=9,
        member_levels=LEVELS,
        members=vote_rows(),
        collective_levels=LEVELS,
        collective=VoteRow(CELL, votes=(1, 8, 0, 0), proposed="HTTNV"),
        double_entry_agreed=True,
        start=dt.time(10, 30),
        end=dt.time(11, 5),
        place="Nhà văn hóa bản Na Tông 1",
    )
    return replace(base, **changes)


def meeting_minutes(**changes: object) -> MeetingMinutesData:
    reviews = tuple(
        MemberReview(
            name,
            post,
            summary="Chấp hành tốt chủ trương của Đảng; tham gia đầy đủ sinh hoạt chi bộ.",
            comments=(
                Comment("Đồng chí Quàng Văn Hặc", LONG_COMMENT),
                Comment("Đồng chí Sùng Thị Mỷ", "Nhất trí với bản tự kiểm điểm."),
            ),
            response="Tiếp thu ý kiến đóng góp của các đồng chí.",
        )
        for name, post in zip(NAMES, POSTS, strict=True)
    )
    base = MeetingMinutesData(
        heading=CELL_HEADING,
        year=2025,
        cell=CELL,
        attendance=Attendance(
            total=12,
            official=11,
            probationary=1,
            exempt=1,
            present=10,
            absent=(Absence("Cà Văn Xôm", "đi làm ăn xa"),),
        ),
        chair=Person("Lò Văn Pọm", "Bí thư chi bộ"),
        secretary=Person("Nguyễn Thị Ánh", "Chi ủy viên"),
        member_levels=LEVELS,
        meeting_date=dt.date(2025, 12, 15),
        start=dt.time(8, 0),
        end=dt.time(11, 30),
        place="Nhà văn hóa bản Na Tông 1",
        guests=(Person("Lường Văn Chiến", "Đảng ủy viên, phụ trách chi bộ"),),
        report_presenter="Lò Văn Pọm",
        report_summary="Năm 2025, chi bộ lãnh đạo nhân dân hoàn thành 9/10 chỉ tiêu.",
        report_discussion="Các đồng chí đảng viên nhất trí với báo cáo.",
        reviews=reviews,
        voting_method="bỏ phiếu kín",
        tally_committee=(Person("Quàng Văn Hặc"), Person("Lường Thị Ín")),
        voters=9,
        members=vote_rows(),
        collective_levels=LEVELS,
        collective=VoteRow(CELL, votes=(1, 8, 0, 0), proposed="HTTNV"),
        upper_remarks="Đồng chí Lường Văn Chiến ghi nhận kết quả của chi bộ.",
        conclusion="Chi bộ hoàn thành tốt nhiệm vụ năm 2025.",
        approval_agreed=10,
        approval_of=10,
    )
    return replace(base, **changes)


def proposal_list(**changes: object) -> ProposalListData:
    rows = tuple(
        ProposalRow(
            name,
            post,
            self_level="HTTNV",
            vote_result=f"{max(v)}/9 ({round(max(v) / 9 * 100, 1)}%)".replace(".", ","),
            proposed=proposed,
            note="Bị kỷ luật khiển trách" if proposed == "KHTNV" else "",
        )
        for name, post, v, proposed in zip(NAMES, POSTS, VOTES, PROPOSED, strict=True)
    )
    base = ProposalListData(
        heading=Heading(
            "Đảng bộ xã Na Tông", CELL, "Số 03-DS/CB", "Na Tông", dt.date(2025, 12, 16)
        ),
        year=2025,
        cell=CELL,
        member_levels=LEVELS,
        members=rows,
        collective_levels=LEVELS,
        collective=ProposalRow(
            CELL, self_level="HTTNV", vote_result="8/9 (88,9%)", proposed="HTTNV"
        ),
        addressee="Kính gửi: Ban Thường vụ Đảng ủy xã Na Tông",
        signer=Signer("BÍ THƯ", "Lò Văn Pọm", "T/M CHI BỘ"),
    )
    return replace(base, **changes)


CELLS = ("Chi bộ bản Na Tông 1", "Chi bộ bản Huổi Hẹ", "Chi bộ Quân sự xã")


def decision(**changes: object) -> DecisionData:
    cells = tuple(
        CellDecision(
            cell,
            tuple(
                DecidedMember(
                    f"{name} {ci}" if ci else name,
                    level,
                    post,
                    proposed=level,
                )
                for name, post, level in zip(NAMES, POSTS, PROPOSED, strict=True)
            ),
        )
        for ci, cell in enumerate(CELLS)
    )
    base = DecisionData(
        heading=COMMUNE_HEADING,
        year=2025,
        deciding_body="Ban Thường vụ Đảng ủy xã Na Tông",
        legal_bases=(
            "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
            "Căn cứ Quy định số 366-QĐ/TW, ngày 30/8/2025 của Bộ Chính trị;",
            "Căn cứ Hướng dẫn số 43-HD/BTCTW, ngày 31/10/2025 của Ban Tổ chức Trung ương;",
            "Xét đề nghị của các chi bộ trực thuộc,",
        ),
        organisation_levels=LEVELS,
        member_levels=LEVELS,
        organisations=(
            DecidedOrganisation(CELLS[0], "HTXSNV", "HTXSNV"),
            DecidedOrganisation(CELLS[1], "HTTNV", "HTXSNV", "Vượt tỷ lệ 20% của Đảng bộ"),
            DecidedOrganisation(CELLS[2], None, None, "Thành lập chưa đủ 6 tháng"),
        ),
        cells=cells,
        party_unit="Đảng bộ xã Na Tông",
        signer=Signer("BÍ THƯ", "Hoàng Văn Chiến", "T/M BAN THƯỜNG VỤ", hint=""),
    )
    return replace(base, **changes)


def with_shares(group: GroupSummary | None) -> GroupSummary | None:
    """*group* with its shares filled in as the summary service gives them (levels of those
    evaluated, evaluated and not of the total): the document prints them as given."""
    if group is None:
        return None

    def share(part: int | None, whole: int | None) -> str:
        return "" if part is None or whole is None else format_percent(part, whole)

    previous_not = (
        None
        if group.previous_total is None or group.previous_evaluated is None
        else group.previous_total - group.previous_evaluated
    )
    return dataclasses.replace(
        group,
        levels=tuple(
            dataclasses.replace(
                level,
                share=share(level.count, group.evaluated),
                previous_share=share(level.previous, group.previous_evaluated),
                of_which_share=share(level.of_which, group.evaluated),
                of_which_previous_share=share(level.of_which_previous, group.previous_evaluated),
            )
            for level in group.levels
        ),
        evaluated_share=share(group.evaluated, group.total),
        previous_evaluated_share=share(group.previous_evaluated, group.previous_total),
        not_evaluated_share=share(group.total - group.evaluated, group.total),
        previous_not_evaluated_share=share(previous_not, group.previous_total),
    )


def summary(**changes: object) -> SummaryData:
    base = SummaryData(
        heading=Heading(
            "Đảng bộ tỉnh Điện Biên", "Đảng ủy xã Na Tông", "", "Na Tông", dt.date(2026, 1, 25)
        ),
        year=2025,
        node="Đảng bộ xã Na Tông",
        organisation_levels=LEVELS,
        member_levels=LEVELS,
        organisations=GroupSummary(
            total=38,
            evaluated=36,
            levels=(
                LevelCount("HTXSNV", 6, 5),
                LevelCount("HTTNV", 26, 27),
                LevelCount("HTNV", 3, 4),
                LevelCount("KHTNV", 1, 0),
            ),
            not_evaluated=(ReasonCount("Thành lập chưa đủ 6 tháng", 2, 0),),
            previous_total=37,
            previous_evaluated=36,
        ),
        members=GroupSummary(
            total=6185,
            evaluated=5950,
            levels=(
                LevelCount("HTXSNV", 832, 800),
                LevelCount("HTTNV", 4611, 4500),
                LevelCount("HTNV", 450, 460),
                LevelCount("KHTNV", 57, 40),
            ),
            not_evaluated=(
                ReasonCount("Miễn công tác và sinh hoạt đảng", 200, 190),
                ReasonCount("Kết nạp chưa đủ 6 tháng", 35, 30),
            ),
            previous_total=6020,
            previous_evaluated=5800,
        ),
        ratios=(Ratio("Tỷ lệ HTXSNV so với số HTTNV", 832, 4611, 20, 800, 4500),),
        screening=(ScreeningEntry("Vàng A Dế", CELL, "KHTNV", "KHTNV", "Đề nghị xem xét"),),
        breakdown=(
            BreakdownRow(CELLS[0], 11, (1, 8, 1, 1), "HTTNV"),
            BreakdownRow(CELLS[1], 15, (2, 12, 1, 0), "HTXSNV"),
        ),
        previous_year=2024,
    )
    base = replace(
        base, organisations=with_shares(base.organisations), members=with_shares(base.members)
    )
    return replace(base, **changes)


# A member's sheet item by item (a province's criteria set), for the quarterly form.
ITEM_SCORES = (
    ScoreGroup(
        "A",
        "Tiêu chí chung",
        30,
        items=(
            ScoreItem("A.1", "Phẩm chất chính trị, đạo đức, lối sống; trách nhiệm nêu gương", 10),
            ScoreItem("A.2", "Ý thức tổ chức kỷ luật; tác phong, lề lối làm việc", 10),
            ScoreItem("A.3", "Tự phê bình và phê bình; khắc phục hạn chế, khuyết điểm", 10),
        ),
    ),
    ScoreGroup(
        "B",
        "Kết quả thực hiện nhiệm vụ",
        70,
        items=(
            ScoreItem("B.1", "Kết quả thực hiện nhiệm vụ chuyên môn được giao trong quý", 40),
            ScoreItem("B.2", "Kết quả thực hiện nhiệm vụ đảng viên ở nơi cư trú", 30),
        ),
    ),
)
QUARTERS = (
    QuarterLine(1, 95, "HTXSNV", 92, "HTXSNV"),
    QuarterLine(2, 90, "HTXSNV", 88, "HTTNV"),
    QuarterLine(3, 88, "HTTNV", 85, "HTTNV"),
    QuarterLine(4, 92, "HTXSNV", 90, "HTXSNV"),
)
YEAR_WORDS = (
    "Kết quả năm theo quý (điểm bình quân của các quý, theo kết quả cấp trên đánh giá): "
    "Quý I 92; Quý II 88; Quý III 85; Quý IV 90 → (92 + 88 + 85 + 90) : 4 = 88,75 điểm, đạt "
    "mức Hoàn thành tốt nhiệm vụ (từ 70 điểm)."
)


def quarter_rating(**changes: object) -> QuarterRatingData:
    """The fourth quarter's form of a cell's secretary, scored by a criteria set, with the
    year drawn from the four quarters."""
    base = QuarterRatingData(
        heading=Heading("Đảng bộ xã Na Tông", CELL, "", "Na Tông"),
        year=2026,
        quarter=4,
        full_name="Lò Văn Pọm",
        levels=LEVELS,
        birth_date=dt.date(1975, 9, 2),
        party_post="Bí thư chi bộ",
        other_post="Trưởng bản",
        cell=CELL,
        scores=ITEM_SCORES,
        self_score=92,
        superior_score=90,
        self_level="HTXSNV",
        superior_level="HTXSNV",
        note="Hoàn thành sớm kế hoạch thu thuế của bản.",
        superior_signer=Signer("BÍ THƯ", "Lò Văn Pọm", "T/M CHI ỦY (CHI BỘ)"),
        year_result=QuarterYear(QUARTERS, "HTTNV", 88.75, YEAR_WORDS),
    )
    return replace(base, **changes)


# The sample data of every kind, by the kind's name in app.documents.DOCUMENT_KINDS.
BY_KIND: dict[str, Callable[..., object]] = {
    "self-review": self_review,
    "collective-report": collective_report,
    "ballot": ballot,
    "tally-minutes": tally_minutes,
    "meeting-minutes": meeting_minutes,
    "proposal-list": proposal_list,
    "decision": decision,
    "summary": summary,
    "quarter-rating": quarter_rating,
}


def replace(obj: T, **changes: object) -> T:
    return dataclasses.replace(obj, **changes) if changes else obj  # type: ignore[type-var]


# --------------------------------------------------------------------------------------------
# Reading PDFs back


def pages(pdf: bytes) -> list[str]:
    """The text of every page, NFC, with no-break spaces made plain."""
    reader = PdfReader(io.BytesIO(pdf))
    return [(page.extract_text() or "").replace("\u00a0", " ") for page in reader.pages]


def flat(pdf: bytes) -> str:
    """All the text with line breaks folded to spaces (titles and cells wrap)."""
    return re.sub(r"\s+", " ", " ".join(pages(pdf)))


def fonts_of(pdf: bytes) -> set[tuple[str, bool]]:
    reader = PdfReader(io.BytesIO(pdf))
    found = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = bool(descriptor and descriptor.get_object().get("/FontFile2"))
            found.add((str(font["/BaseFont"]), embedded))
    return found


def page_sizes(pdf: bytes) -> list[tuple[int, int]]:
    reader = PdfReader(io.BytesIO(pdf))
    return [
        (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        for page in reader.pages
    ]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def footer_codes(pdf: bytes) -> list[str]:
    return [
        match.group(1) if (match := re.search(r"Mã đối chiếu (\w{4}-\w{4})", text)) else ""
        for text in pages(pdf)
    ]


def page_numbers(pdf: bytes) -> list[str]:
    """What is printed in the top margin of each page (the page number from page 2)."""
    reader = PdfReader(io.BytesIO(pdf))
    found: list[str] = []
    for page in reader.pages:
        top = float(page.mediabox.height) - 20 * 72 / 25.4  # above the 20 mm top margin
        parts: list[str] = []

        def visit(
            text: str,
            cm: object,
            tm: list[float],
            *_: object,
            into: list[str] = parts,
            limit: float = top,
        ) -> None:
            if text.strip() and tm[5] > limit:
                into.append(text.strip())

        page.extract_text(visitor_text=visit)
        found.append(" ".join(parts))
    return found
