"""The plain data every document renderer takes: frozen dataclasses, no database, no Qt.

Services gather these from the store; a renderer turns one of them into PDF bytes. Level names
and codes always come in as data (the rule set of the year decides them), best level first;
a renderer never knows the four levels by heart. Level references inside rows (``self_level``,
``proposed``, ``decided`` …) are the ``code`` of one of the given ``LevelColumn``.

Text may arrive in any Unicode form; the renderers print it as NFC. Multi-paragraph texts use
"\\n" between paragraphs. An empty text prints dotted lines to write on by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.domain.fingerprint import ADDED_LATER

# --------------------------------------------------------------------------------------------
# Shared pieces


@dataclass(frozen=True)
class Heading:
    """The two heading blocks of a party document (HD 36).

    ``number`` "" leaves "Số …" to be written by hand; ``date`` None leaves "ngày … tháng …
    năm …" blank.
    """

    superior: str  # the direct superior body, e.g. "Đảng bộ xã Na Tông"
    issuer: str  # the issuing body, e.g. "Chi bộ bản Na Tông 1"
    number: str = ""  # "Số 07-BB/CB"; empty: the line is left for hand-writing
    place: str = ""  # place name of the date line, e.g. "Na Tông"
    date: dt.date | None = None  # None: a blank date line to fill in by hand


@dataclass(frozen=True)
class Signer:
    """One signature block: authority line, title, a hint, room to sign, the name."""

    title: str  # "BÍ THƯ", "THƯ KÝ", "CHỦ TRÌ", "NGƯỜI TỰ KIỂM ĐIỂM"
    name: str = ""  # empty: room to write the name
    authority: str = ""  # "T/M CHI BỘ", "T/M BAN THƯỜNG VỤ", "K/T BÍ THƯ"
    hint: str = "(Ký, ghi rõ họ tên)"  # "" for documents signed and sealed (decisions)


@dataclass(frozen=True)
class LevelColumn:
    """One classification level of the rule set, e.g. ``LevelColumn("HTXSNV", "HTXSNV",
    "Hoàn thành xuất sắc nhiệm vụ")``; under HD 27-2014 an organisation level may be
    ``LevelColumn("TSVM", "TSVM", "Trong sạch, vững mạnh")``."""

    code: str  # the stable code the rows refer to
    short: str  # column header and table cell text: "HTXSNV"
    name: str  # full Vietnamese name, printed in legends and check boxes


@dataclass(frozen=True)
class ScoreItem:
    """One item of a criteria set's sheet, as the self-review's score table lists it."""

    code: str  # "A.1"
    name: str  # "Phẩm chất chính trị, đạo đức, lối sống; trách nhiệm nêu gương"
    maximum: float  # 10
    points: float | None = None  # the self-score; None: blank to fill by hand


@dataclass(frozen=True)
class ScoreGroup:
    """One group of the 100-point score sheet (QĐ 366: A 30 points, B 70 points); with the
    period's criteria set, a group of its sheet with every item of it."""

    code: str  # "A"
    name: str  # "Tiêu chí chung"
    maximum: float  # 30
    points: float | None = None  # the self-score; None: blank to fill by hand
    # The items, when the period scores by a criteria set; () prints the group's line alone.
    # Left out of the fingerprint while empty (ADDED_LATER): a form printed before the items
    # existed keeps its fingerprint and still verifies against its record.
    items: tuple[ScoreItem, ...] = field(default=(), metadata=ADDED_LATER)


@dataclass(frozen=True)
class Person:
    """A person named in minutes: chair, secretary, guest, tally committee member."""

    name: str
    post: str = ""  # "Bí thư chi bộ", "Đảng ủy viên, Phó Chủ tịch UBND xã"


@dataclass(frozen=True)
class VoteRow:
    """The vote counts of one member (or of the cell) as tallied.

    ``votes`` holds one count per level column, in the order of the levels given to the
    document; ``None`` for a level means not tallied (printed blank).
    """

    name: str
    post: str = ""
    votes: tuple[int | None, ...] = ()
    proposed: str | None = None  # code of the proposed level; None: not proposed yet
    note: str = ""


# --------------------------------------------------------------------------------------------
# 1. Bản kiểm điểm cá nhân (Mẫu 2A / 2B / 2C)


@dataclass(frozen=True)
class SelfReviewTexts:
    """What the member wrote, section by section; every field may stay empty (writing lines)."""

    political: str = ""  # I.1 tư tưởng chính trị
    ethics: str = ""  # I.2 phẩm chất đạo đức, lối sống; trách nhiệm nêu gương
    discipline: str = ""  # I.3 tác phong, lề lối làm việc; ý thức tổ chức kỷ luật
    tasks: str = ""  # I.4 kết quả thực hiện chức trách, nhiệm vụ được giao
    leadership: str = ""  # I (2B only) kết quả lãnh đạo, quản lý của đơn vị phụ trách
    commitments: str = ""  # I.last kết quả thực hiện cam kết tu dưỡng, rèn luyện hằng năm
    shortcomings: str = ""  # II hạn chế, khuyết điểm và nguyên nhân
    remedies: str = ""  # III kết quả khắc phục hạn chế, khuyết điểm
    explanations: str = ""  # IV giải trình các vấn đề được gợi ý kiểm điểm
    responsibility: str = ""  # V làm rõ trách nhiệm đối với hạn chế của tập thể
    direction: str = ""  # VI phương hướng, biện pháp khắc phục


@dataclass(frozen=True)
class SelfReviewData:
    """The personal self-review form, pre-filled with the member's data."""

    heading: Heading  # superior = the commune đảng bộ, issuer = the cell; number unused
    form_code: str  # "Mẫu 2C-HD KĐ.ĐG 2025"
    variant: str  # "2A" (political system), "2B" (leadership post), "2C" (outside)
    year: int
    full_name: str
    levels: tuple[LevelColumn, ...]  # member levels of the rule set, best first
    birth_date: dt.date | None = None
    birth_year: int | None = None  # when only the year is known
    party_post: str = ""  # chức vụ Đảng
    other_post: str = ""  # chức vụ chính quyền, đoàn thể
    workplace: str = ""  # đơn vị công tác (2A, 2B) or nơi cư trú (2C)
    cell: str = ""  # chi bộ
    texts: SelfReviewTexts = field(default_factory=SelfReviewTexts)
    previous_shortcomings: str = ""  # last year's recorded shortcomings; "" = none recorded
    previous_remedied: bool | None = None  # ticks "Đã khắc phục" / "Chưa khắc phục"
    self_level: str | None = None  # code of the self-proposed level; None: boxes left empty
    scores: tuple[ScoreGroup, ...] = ()  # empty: the rule set does not score
    cell_comment: str = ""  # "Nhận xét, đánh giá của chi ủy (chi bộ)"; "" = writing lines
    cell_level: str | None = None  # level proposed by the cell, if already known
    cell_signer: Signer = field(
        default_factory=lambda: Signer("BÍ THƯ", authority="T/M CHI ỦY (CHI BỘ)")
    )
    authority_name: str = ""  # "Đảng ủy xã Na Tông" (the committee that decides)
    decided_level: str | None = None  # level decided by the competent committee
    authority_signer: Signer = field(
        default_factory=lambda: Signer("BÍ THƯ", authority="T/M BAN THƯỜNG VỤ")
    )


# --------------------------------------------------------------------------------------------
# 2. Báo cáo kiểm điểm tập thể (Mẫu 01)


@dataclass(frozen=True)
class MemberCounts:
    """Membership figures of a cell at the reference date."""

    total: int
    official: int
    probationary: int
    exempt: int = 0  # miễn công tác và sinh hoạt đảng
    evaluated: int | None = None  # None: not stated


@dataclass(frozen=True)
class CollectiveReportTexts:
    """Texts of Mẫu 01; every field may stay empty (writing lines)."""

    situation: str = ""  # 1. đặc điểm tình hình (beyond the figures)
    party_building: str = ""  # 2a. xây dựng Đảng, hệ thống chính trị
    political_tasks: str = ""  # 2b. lãnh đạo thực hiện nhiệm vụ chính trị
    democratic_centralism: str = ""  # 2c. tập trung dân chủ, tự phê bình, phê bình
    mass_mobilisation: str = ""  # 2d. công tác dân vận
    remedies: str = ""  # 3. kết quả khắc phục hạn chế, khuyết điểm kỳ trước
    shortcomings: str = ""  # 4. hạn chế, khuyết điểm; nguyên nhân; trách nhiệm
    direction: str = ""  # 5. phương hướng, biện pháp khắc phục


@dataclass(frozen=True)
class CollectiveReportData:
    """The collective review report of a cell (or its chi ủy, or the commune committee)."""

    heading: Heading  # number e.g. "Số 12-BC/CB"
    year: int
    collective: str  # "Chi bộ bản Na Tông 1" (title: BÁO CÁO KIỂM ĐIỂM TẬP THỂ …)
    counts: MemberCounts
    levels: tuple[LevelColumn, ...]  # organisation levels of the rule set, best first
    form_code: str = "Mẫu 01-HD KĐ.ĐG 2025"
    texts: CollectiveReportTexts = field(default_factory=CollectiveReportTexts)
    self_level: str | None = None
    scores: tuple[ScoreGroup, ...] = ()
    signer: Signer = field(default_factory=lambda: Signer("BÍ THƯ", authority="T/M CHI ỦY"))
    recipients: tuple[str, ...] = ("Đảng ủy xã (để báo cáo)", "Lưu chi bộ")
    draft: bool = False  # the cell has not submitted: its data may change, "DỰ THẢO" on every page


# --------------------------------------------------------------------------------------------
# 3. Phiếu đánh giá, xếp loại


@dataclass(frozen=True)
class BallotEntry:
    """One line of the ballot roster."""

    name: str
    post: str = ""  # printed in "Chức vụ"; also the office-holders-first order


@dataclass(frozen=True)
class BallotData:
    """Ballots for the members of a cell and for the cell as a collective.

    ``members`` are printed in the order given (see ``ballot.sort_roster``). Each of the
    ``copies`` starts on a new page; nothing identifies the voter.
    """

    heading: Heading  # the number line is not printed on ballots
    year: int
    members: tuple[BallotEntry, ...]
    member_levels: tuple[LevelColumn, ...]
    copies: int = 1
    collective: str = ""  # "Chi bộ bản Na Tông 1"; "" = no section for the collective
    collective_levels: tuple[LevelColumn, ...] = ()
    leadership: str = ""  # "Chi ủy chi bộ bản Na Tông 1": its line under the cell's; "" = none
    instruction: str = "Đánh dấu X vào một ô tương ứng với mức xếp loại của từng đồng chí"
    notes: tuple[str, ...] = (
        "Mỗi dòng chỉ đánh một dấu X; dòng đánh từ hai dấu X trở lên hoặc không đánh dấu "
        "không được tính.",
        "Không ghi thêm tên hoặc ký vào phiếu.",
    )


# --------------------------------------------------------------------------------------------
# 4. Biên bản kiểm phiếu


@dataclass(frozen=True)
class TallyMinutesData:
    """Minutes of the tally committee after a secret ballot."""

    heading: Heading
    year: int
    cell: str  # "Chi bộ bản Na Tông 1"
    committee: tuple[Person, ...]  # the first is the head (tổ trưởng); the others members
    ballots_issued: int
    ballots_returned: int
    ballots_valid: int
    ballots_invalid: int
    denominator: int  # tổng số đảng viên chính thức được biểu quyết
    member_levels: tuple[LevelColumn, ...]
    members: tuple[VoteRow, ...]
    collective_levels: tuple[LevelColumn, ...] = ()
    collective: VoteRow | None = None  # the cell's own row
    leadership: VoteRow | None = None  # the chi ủy's row, under the cell's
    double_entry_agreed: bool | None = None  # False: the two tellers disagree: refuse to print
    start: dt.time | None = None  # when the count began
    end: dt.time | None = None
    place: str = ""
    head_title: str = "Tổ trưởng"
    member_title: str = "Thành viên"
    draft: bool = False  # the cell has not submitted: its data may change, "DỰ THẢO" on every page


# --------------------------------------------------------------------------------------------
# 5. Biên bản hội nghị


@dataclass(frozen=True)
class Absence:
    name: str
    reason: str = ""  # "" and excused False: "không có lý do"
    excused: bool = True


@dataclass(frozen=True)
class Comment:
    commenter: str  # "đồng chí Lò Văn Hặc"
    gist: str


@dataclass(frozen=True)
class MemberReview:
    """One member's part of the meeting: presentation, comments, response."""

    name: str
    post: str = ""
    summary: str = ""  # gist of the self-review read out
    comments: tuple[Comment, ...] = ()
    response: str = ""  # the member's acceptance or explanation
    no_comments: bool = False  # recorded: nobody commented ("Không có ý kiến khác.")


@dataclass(frozen=True)
class Attendance:
    total: int  # tổng số đảng viên của chi bộ
    official: int
    probationary: int
    exempt: int  # miễn sinh hoạt
    present: int
    absent: tuple[Absence, ...] = ()


@dataclass(frozen=True)
class MeetingMinutesData:
    """Minutes of the cell meeting that reviews and classifies the cell and its members."""

    heading: Heading  # number e.g. "Số 07-BB/CB"
    year: int
    cell: str  # "Chi bộ bản Na Tông 1"
    attendance: Attendance
    chair: Person
    secretary: Person
    member_levels: tuple[LevelColumn, ...]
    meeting_date: dt.date | None = None
    start: dt.time | None = None
    end: dt.time | None = None
    place: str = ""  # "Nhà văn hóa bản Na Tông 1"
    guests: tuple[Person, ...] = ()  # upper-level attendees
    report_presenter: str = ""  # who read the collective report
    report_summary: str = ""
    report_discussion: str = ""
    reviews: tuple[MemberReview, ...] = ()
    voting_method: str = "bỏ phiếu kín"  # or "biểu quyết giơ tay"
    tally_committee: tuple[Person, ...] = ()  # first = head
    voters: int | None = None  # official members entitled to vote (the denominator)
    members: tuple[VoteRow, ...] = ()
    collective_levels: tuple[LevelColumn, ...] = ()
    collective: VoteRow | None = None
    leadership: VoteRow | None = None  # the chi ủy's row, under the cell's
    upper_remarks: str = ""
    conclusion: str = ""
    approval_agreed: int | None = None  # "… /… đồng chí nhất trí"
    approval_of: int | None = None
    secretary_signer: Signer | None = None  # default: THƯ KÝ with the secretary's name
    chair_signer: Signer | None = None  # default: CHỦ TRÌ with the chair's name
    draft: bool = False  # the cell has not submitted: its data may change, "DỰ THẢO" on every page


# --------------------------------------------------------------------------------------------
# 6. Danh sách đề nghị


@dataclass(frozen=True)
class ProposalRow:
    """One member (or the cell) through the cell's stages: self → vote → proposal."""

    name: str
    post: str = ""
    self_level: str | None = None
    vote_result: str = ""  # as given, e.g. "6/9 (66,7%)"
    proposed: str | None = None
    note: str = ""  # discipline, sick leave, state rating …


@dataclass(frozen=True)
class ProposalListData:
    """The cell's list proposing levels to the commune committee."""

    heading: Heading  # number e.g. "Số 03-DS/CB"
    year: int
    cell: str
    member_levels: tuple[LevelColumn, ...]
    members: tuple[ProposalRow, ...]
    collective_levels: tuple[LevelColumn, ...] = ()
    collective: ProposalRow | None = None
    leadership: ProposalRow | None = None  # the chi ủy's row, under the cell's
    addressee: str = ""  # "Kính gửi: Ban Thường vụ Đảng ủy xã Na Tông"
    signer: Signer = field(default_factory=lambda: Signer("BÍ THƯ", authority="T/M CHI BỘ"))
    recipients: tuple[str, ...] = ("Đảng ủy xã (để xem xét, quyết định)", "Lưu chi bộ")
    draft: bool = False  # the cell has not submitted: its data may change, "DỰ THẢO" on every page


# --------------------------------------------------------------------------------------------
# 7. Quyết định công nhận


@dataclass(frozen=True)
class DecidedOrganisation:
    name: str
    level: str | None  # decided level code; None: not classified (``reason`` says why)
    proposed: str | None = None
    reason: str = ""  # why the decision differs from the proposal, or why not classified
    self_level: str | None = None  # the earlier stages, printed side by side when given
    vote: str = ""  # the vote's level and share: "HTTNV 16/19 (84,2%)"
    low_reason: str = ""  # "Chưa đủ tỷ lệ …": the rule set's reason for a low level, in words


@dataclass(frozen=True)
class DecidedMember:
    name: str
    level: str | None
    post: str = ""
    proposed: str | None = None
    reason: str = ""
    self_level: str | None = None
    vote: str = ""
    low_reason: str = ""


@dataclass(frozen=True)
class CellDecision:
    """The members of one cell in the annex."""

    cell: str
    members: tuple[DecidedMember, ...]


@dataclass(frozen=True)
class DecisionData:
    """The standing committee's decision recognising the results, with its annex tables."""

    heading: Heading  # superior "Đảng bộ tỉnh Điện Biên", issuer "Đảng ủy xã Na Tông"
    year: int
    deciding_body: str  # "Ban Thường vụ Đảng ủy xã Na Tông"
    legal_bases: tuple[str, ...]  # "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;" …
    organisation_levels: tuple[LevelColumn, ...]
    member_levels: tuple[LevelColumn, ...]
    organisations: tuple[DecidedOrganisation, ...] = ()
    collectives: tuple[DecidedOrganisation, ...] = ()  # the cells' chi ủy
    cells: tuple[CellDecision, ...] = ()
    subject: str = ""  # "" = "Về việc công nhận kết quả đánh giá, xếp loại … năm <year>";
    # a "\n" in a given subject breaks the line there
    party_unit: str = ""  # "Đảng bộ xã Na Tông" for Article 1; "" = the heading's superior
    article1: str = ""  # "" = derived from the annex (counts per level)
    article2: str = "Quyết định có hiệu lực kể từ ngày ký."
    article3: str = (
        "Văn phòng Đảng ủy, các chi bộ trực thuộc và các đồng chí có tên tại Điều 1 "
        "căn cứ Quyết định thi hành."
    )
    signer: Signer = field(
        default_factory=lambda: Signer("BÍ THƯ", authority="T/M BAN THƯỜNG VỤ", hint="")
    )
    recipients: tuple[str, ...] = (
        "Ban Tổ chức Tỉnh ủy (để báo cáo)",
        "Các chi bộ trực thuộc",
        "Lưu Văn phòng Đảng ủy",
    )
    draft: bool = False  # printed before the year is decided: "DỰ THẢO" across every page


# --------------------------------------------------------------------------------------------
# 8. Biểu tổng hợp


@dataclass(frozen=True)
class LevelCount:
    """Figures of one level; ``previous`` the same figure a year earlier (None = not shown).
    The shares come as the summary computed them ("4,97%"), printed as given."""

    code: str
    count: int
    previous: int | None = None
    of_which_label: str = ""  # "trong đó: TSVM tiêu biểu" (HD 27-2014)
    of_which: int | None = None
    of_which_previous: int | None = None
    share: str = ""
    previous_share: str = ""
    of_which_share: str = ""
    of_which_previous_share: str = ""


@dataclass(frozen=True)
class ReasonCount:
    """Not evaluated for one reason: "Miễn sinh hoạt đảng", "Kết nạp chưa đủ 6 tháng" …"""

    label: str
    count: int
    previous: int | None = None


@dataclass(frozen=True)
class GroupSummary:
    """Organisations or members of the node: totals, levels, not evaluated by reason, and
    ``pending``, evaluated without a level yet (None: no such line). Shares as computed by
    the summary, printed as given."""

    total: int
    evaluated: int
    levels: tuple[LevelCount, ...]
    not_evaluated: tuple[ReasonCount, ...] = ()
    previous_total: int | None = None
    previous_evaluated: int | None = None
    evaluated_share: str = ""
    previous_evaluated_share: str = ""
    not_evaluated_share: str = ""
    previous_not_evaluated_share: str = ""
    pending: int | None = None
    pending_share: str = ""
    previous_pending: int | None = None
    previous_pending_share: str = ""


@dataclass(frozen=True)
class Ratio:
    """A share printed as a line: e.g. HTXSNV as a share of HTTNV, with its legal limit."""

    label: str  # "Tỷ lệ đảng viên HTXSNV so với số đảng viên HTTNV"
    part: int
    whole: int
    limit_percent: float | None = None  # 20 → "(giới hạn 20%)" and a warning when exceeded
    previous_part: int | None = None
    previous_whole: int | None = None


@dataclass(frozen=True)
class ScreeningEntry:
    """A member classified KHTNV two years running (the screening list)."""

    name: str
    cell: str
    previous_level: str  # code
    current_level: str  # code
    note: str = ""


@dataclass(frozen=True)
class BreakdownRow:
    """One subordinate unit in the breakdown table: evaluated members and counts per level."""

    name: str
    evaluated: int
    counts: tuple[int, ...]  # per member level, in the order of ``member_levels``
    organisation_level: str | None = None  # the unit's own level code, if decided


@dataclass(frozen=True)
class ScoreBandCount:
    """One band of a score distribution: "Từ 90 điểm trở lên", how many, their share."""

    label: str
    count: int
    share: str  # of those evaluated, as the summary computed it


@dataclass(frozen=True)
class ScoreTable:
    """Those evaluated of a group by score band (issue 24), where the rule set scores."""

    title: str  # "Đảng viên (điểm tự chấm)"
    evaluated: int
    bands: tuple[ScoreBandCount, ...]  # best first, "Chưa có điểm" last


@dataclass(frozen=True)
class SummaryData:
    """Summary tables of a node of the tree (a cell, a commune, an archive) for one year."""

    heading: Heading
    year: int
    node: str  # "Đảng bộ xã Na Tông"
    organisation_levels: tuple[LevelColumn, ...]
    member_levels: tuple[LevelColumn, ...]
    organisations: GroupSummary | None = None  # None: the node is a cell (no sub-organisations)
    members: GroupSummary | None = None
    ratios: tuple[Ratio, ...] = ()
    screening: tuple[ScreeningEntry, ...] = ()
    breakdown: tuple[BreakdownRow, ...] = ()
    previous_year: int | None = None  # the comparison year; figures' ``previous`` fields
    left_signer: Signer | None = field(default_factory=lambda: Signer("NGƯỜI LẬP BIỂU"))
    right_signer: Signer | None = field(
        default_factory=lambda: Signer("BÍ THƯ", authority="T/M BAN THƯỜNG VỤ")
    )
    draft: bool = False  # the year is not decided yet: "DỰ THẢO" across every page
    recipients: tuple[str, ...] = ()  # "Nơi nhận" (left of the right signer, in place of
    # the left signer) when the summary is filed as the commune's report
    # Score distributions (organisations, members) where the rule set scores; added after
    # summaries were first fingerprinted (issue 24).
    score_tables: tuple[ScoreTable, ...] = field(default=(), metadata=ADDED_LATER)


# --------------------------------------------------------------------------------------------
# 9. Phiếu tự đánh giá, xếp loại chất lượng theo quý


@dataclass(frozen=True)
class QuarterLine:
    """One quarter's stored ratings, as the year's table on the fourth quarter's form lists
    them: points and/or a level code, the self-rating's and the superior's; None: not given."""

    quarter: int  # 1..4
    self_score: float | None = None
    self_level: str | None = None
    superior_score: float | None = None
    superior_level: str | None = None


@dataclass(frozen=True)
class QuarterYear:
    """The four quarters and the year drawn from them by the rule set (R13)."""

    quarters: tuple[QuarterLine, ...]
    level: str | None = None  # code of the year's level; None: not drawn yet
    score: float | None = None  # the quarters' average, where the year is drawn from points
    words: str = ""  # the reasoning in words (Derivation.words)


@dataclass(frozen=True)
class QuarterRatingData:
    """A member's self-rating form for one quarter (đánh giá, xếp loại theo quý), pre-filled
    with the member's data and the quarter's stored ratings."""

    heading: Heading  # superior = the commune đảng bộ, issuer = the cell; number unused
    year: int
    quarter: int  # 1..4
    full_name: str
    levels: tuple[LevelColumn, ...]  # member levels of the rule set, best first
    title: str = "Phiếu tự đánh giá, xếp loại chất lượng"
    form_code: str = ""  # "" prints no code (the form's number in HD 43 is not known)
    birth_date: dt.date | None = None
    birth_year: int | None = None  # when only the year is known
    party_post: str = ""  # chức vụ Đảng
    other_post: str = ""  # chức vụ chính quyền, đoàn thể
    cell: str = ""  # chi bộ
    # The score frame: the two groups, or every item of the member's sheet when the period
    # scores by a criteria set (points always blank: item points are not kept by quarter);
    # () when the rule set does not score.
    scores: tuple[ScoreGroup, ...] = ()
    self_score: float | None = None  # the quarter's stored totals, printed in the total row
    superior_score: float | None = None
    self_level: str | None = None  # codes of the quarter's stored levels; None: boxes empty
    superior_level: str | None = None
    note: str = ""  # the note stored with the quarter's ratings
    superior_signer: Signer = field(
        default_factory=lambda: Signer("BÍ THƯ", authority="T/M CHI ỦY (CHI BỘ)")
    )
    year_result: QuarterYear | None = None  # the four quarters and the year (fourth quarter)
