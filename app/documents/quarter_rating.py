"""Phiếu tự đánh giá, xếp loại chất lượng theo quý: a member's form for one quarter, pre-filled
with the member's data and what is stored of the quarter.

HD 43-HD/BTCTW's appendix has an individual self-rating form "quarterly or yearly" whose
number and wording were not found (domain.md §11): the title and the code come in the data
(the printing service keeps them in one place, easy to change); an empty code prints none.

The party heading, the title with "Quý III năm 2026", the member's particulars; I. the
self-assessment (lines to write on); II. the score frame where the rule set scores — the two
groups, or every item of the member's sheet when the period scores by a criteria set — with
"Tự chấm" and "Cấp trên chấm" columns, blank but for the quarter's stored totals in the total
row (item points are not kept by quarter); III. the self-rated level, ticked when stored; the
member's signature; IV. the superior's comments and level, ticked when stored, signed for the
chi ủy. The fourth quarter's form closes the year: a table of the four quarters and the year
drawn from them, with the reasoning in words.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.documents.data import LevelColumn, QuarterRatingData, QuarterYear, ScoreGroup, Signer
from app.documents.format import BODY, BODY_PLAIN, SECTION, SUBSECTION
from app.documents.model import (
    A4_MARGINS,
    Block,
    CondPageBreak,
    Document,
    FieldLine,
    FormCode,
    GroupRow,
    HeadingBlock,
    KeepTogether,
    NewCopy,
    PageBreak,
    Run,
    ShortRule,
    Signatures,
    Spacer,
    Table,
    Title,
    WritingLines,
    document,
    keep_with_last,
    mm,
    para,
    rich,
    section,
    table,
)
from app.documents.parts import (
    format_points,
    level_boxes,
    level_label,
    level_legend,
    signed_level,
)
from app.documents.render_pdf import render_pdf
from app.domain.fingerprint import fingerprint
from app.domain.formatting import format_date

QUARTER_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}
_ROMAN = ("I", "II", "III", "IV", "V", "VI")


def quarter_words(quarter: int, year: int) -> str:
    """ "Quý III năm 2026"."""
    if quarter not in QUARTER_NAMES:
        raise ValueError(f"Không có quý {quarter} (chỉ có quý 1 đến 4).")
    return f"Quý {QUARTER_NAMES[quarter]} năm {year}"


def _field(label: str, value: str) -> Block:
    if value:
        return para(f"{label}: {value}", BODY_PLAIN)
    return FieldLine(f"{label}:")


def _personal(data: QuarterRatingData) -> list[Block]:
    if data.birth_date is not None:
        birth = format_date(data.birth_date)
    elif data.birth_year is not None:
        birth = str(data.birth_year)
    else:
        birth = ""
    return [
        _field("Họ và tên", data.full_name),
        _field("Ngày sinh", birth),
        _field("Chức vụ Đảng", data.party_post),
        _field("Chức vụ chính quyền, đoàn thể", data.other_post),
        _field("Chi bộ", data.cell),
        Spacer(4),
    ]


def _self_assessment(number: str) -> list[Block]:
    blocks = section(
        f"{number}. TỰ ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN CHỨC TRÁCH, NHIỆM VỤ TRONG QUÝ", SECTION, 40 * mm
    )
    for title, lines in (
        ("1. Về tư tưởng chính trị; phẩm chất đạo đức, lối sống; ý thức tổ chức kỷ luật", 2),
        ("2. Kết quả thực hiện chức trách, nhiệm vụ được giao trong quý", 4),
        ("3. Hạn chế, khuyết điểm và nguyên nhân; biện pháp khắc phục", 2),
    ):
        blocks += section(title, SUBSECTION)
        blocks.append(WritingLines(lines))
    return blocks


def score_frame_table(
    groups: Sequence[ScoreGroup],
    self_total: float | None,
    superior_total: float | None,
    width: float,
) -> Table:
    """Tiêu chí | Điểm tối đa | Tự chấm | Cấp trên chấm: every item of the sheet under its
    group's caption with each group's subtotal (or, without items, the groups' lines), and the
    total in bold carrying the quarter's stored totals; every other cell blank, with room to
    write the points in by hand."""
    rows: list[list[object] | GroupRow] = []
    bold: list[int] = []
    itemised = any(group.items for group in groups)
    for group in groups:
        if not itemised:
            rows.append([f"{group.code}. {group.name}", format_points(group.maximum), "", ""])
            continue
        rows.append(GroupRow(f"{group.code}. {group.name}"))
        rows += [
            [f"{item.code} {item.name}", format_points(item.maximum), "", ""]
            for item in group.items
        ]
        bold.append(len(rows))
        rows.append([f"Cộng {group.code}", format_points(group.maximum), "", ""])
    bold.append(len(rows))
    rows.append(
        [
            "Tổng cộng",
            format_points(sum(group.maximum for group in groups)),
            format_points(self_total),
            format_points(superior_total),
        ]
    )
    return table(
        ["Tiêu chí" if itemised else "Nhóm tiêu chí", "Điểm tối đa", "Tự chấm", "Cấp trên chấm"],
        rows,
        [width - 74 * mm, 22 * mm, 24 * mm, 28 * mm],
        align="LCCC",
        bold_rows=bold,
        min_row_height=7 * mm,
    )


def _scores(data: QuarterRatingData, number: str, width: float) -> list[Block]:
    table_ = score_frame_table(data.scores, data.self_score, data.superior_score, width)
    return [*section(f"{number}. CHẤM ĐIỂM THEO KHUNG TIÊU CHÍ", SECTION, 45 * mm), table_]


def _self_level(data: QuarterRatingData, number: str) -> list[Block]:
    return [
        KeepTogether(
            (
                para(f"{number}. TỰ XẾP LOẠI CHẤT LƯỢNG", SECTION),
                para(
                    f"Tự xếp loại chất lượng {quarter_words(data.quarter, data.year)}:",
                    BODY_PLAIN,
                ),
                level_boxes(data.levels, data.self_level),
            )
        )
    ]


def _superior(data: QuarterRatingData, number: str, width: float) -> list[Block]:
    """The superior's part, on one page: comments (the note stored with the quarter, then
    lines to write on), the level boxes and the chi ủy's signature."""
    comments: list[Block] = []
    if data.note.strip():
        comments.append(rich(BODY, Run("Ghi chú:", italic=True), " ", data.note))
    comments.append(WritingLines(3))
    return [
        Spacer(8),
        CondPageBreak(60 * mm),
        KeepTogether(
            (
                ShortRule(width, space=6),
                para(f"{number}. NHẬN XÉT, ĐÁNH GIÁ, XẾP LOẠI CỦA CẤP TRÊN", SECTION),
                para("Nhận xét, đánh giá của chi ủy (chi bộ):", BODY_PLAIN),
                *comments,
                *signed_level(
                    f"Cấp trên xếp loại chất lượng {quarter_words(data.quarter, data.year)}:",
                    data.levels,
                    data.superior_level,
                    data.superior_signer,
                ),
            )
        ),
    ]


def _year_table(
    result: QuarterYear, levels: Sequence[LevelColumn], scored: bool, width: float
) -> Table:
    """Quý | tự đánh giá (điểm, xếp loại) | cấp trên đánh giá (điểm, xếp loại); without
    points, the two levels alone."""

    def level(code: str | None) -> str:
        return level_label(levels, code)

    by_quarter = {line.quarter: line for line in result.quarters}
    rows: list[list[object]] = []
    for quarter in QUARTER_NAMES:
        line = by_quarter.get(quarter)
        name = f"Quý {QUARTER_NAMES[quarter]}"
        if line is None:
            rows.append([name, *[""] * (4 if scored else 2)])
        elif scored:
            rows.append(
                [
                    name,
                    format_points(line.self_score),
                    level(line.self_level),
                    format_points(line.superior_score),
                    level(line.superior_level),
                ]
            )
        else:
            rows.append([name, level(line.self_level), level(line.superior_level)])
    if not scored:
        rest = (width - 30 * mm) / 2
        return table(
            ["Quý", "Tự xếp loại", "Cấp trên xếp loại"],
            rows,
            [30 * mm, rest, rest],
            align="LCC",
        )
    rest = (width - 30 * mm) / 4
    return table(
        ["", "Điểm", "Xếp loại", "Điểm", "Xếp loại"],
        rows,
        [30 * mm, rest, rest, rest, rest],
        align="LCCCC",
        extra_header=[["Quý", "Tự đánh giá", "", "Cấp trên đánh giá", ""]],
        spans=[((0, 0), (0, 1)), ((1, 0), (2, 0)), ((3, 0), (4, 0))],
    )


def _year(data: QuarterRatingData, number: str, width: float) -> list[Block]:
    result = data.year_result
    if result is None:
        return []
    scored = bool(data.scores)
    year_level = level_label(data.levels, result.level, full=True)
    outcome = year_level or "chưa đủ căn cứ để tính"
    if result.level and result.score is not None:
        outcome = f"{format_points(result.score)} điểm, {year_level}"
    blocks: list[Block] = [
        Spacer(8),
        CondPageBreak(70 * mm),
        KeepTogether(
            (
                para(f"{number}. KẾT QUẢ CÁC QUÝ VÀ KẾT QUẢ NĂM {data.year}", SECTION),
                _year_table(result, data.levels, scored, width),
            )
        ),
        Spacer(4),
        rich(BODY_PLAIN, Run(f"Kết quả năm {data.year} theo các quý: ", bold=True), outcome),
    ]
    if result.words:
        blocks.append(para(result.words, BODY.with_weight(italic=True)))
    legend = level_legend(data.levels)
    if legend is not None:
        blocks.append(legend)
    return blocks


def _form(data: QuarterRatingData, width: float) -> list[Block]:
    when = quarter_words(data.quarter, data.year)
    numbers = iter(_ROMAN)
    blocks: list[Block] = []
    if data.form_code:
        blocks.append(FormCode(data.form_code))
    blocks += [
        HeadingBlock(data.heading, numbered=False),
        Title(data.title, (when,)),
        *_personal(data),
        *_self_assessment(next(numbers)),
    ]
    if data.scores:
        blocks += _scores(data, next(numbers), width)
    blocks += _self_level(data, next(numbers))
    keep_with_last(blocks, Signatures(right=Signer("NGƯỜI TỰ ĐÁNH GIÁ", data.full_name)))
    blocks += _superior(data, next(numbers), width)
    blocks += _year(data, next(numbers), width)
    return blocks


def _title(data: QuarterRatingData) -> str:
    return f"{data.title} {quarter_words(data.quarter, data.year)}"


def quarter_rating_document(data: QuarterRatingData) -> Document:
    """One member's form for the quarter."""
    blocks = _form(data, A4_MARGINS.text_width)
    return document(f"{_title(data)} – {data.full_name}", fingerprint(data), blocks)


def quarter_ratings_document(forms: Sequence[QuarterRatingData]) -> Document:
    """Every form of a cell in one document: each starts on a new page numbered as a first
    page, with its own code in the footer."""
    if not forms:
        raise ValueError("no quarterly form to render")
    width = A4_MARGINS.text_width
    blocks: list[Block] = []
    for index, data in enumerate(forms):
        if index:
            blocks += [PageBreak(), NewCopy(fingerprint(data))]
        blocks += _form(data, width)
    first = forms[0]
    return document(_title(first), fingerprint(first), blocks)


def render_quarter_rating(data: QuarterRatingData) -> bytes:
    return render_pdf(quarter_rating_document(data))


def render_quarter_ratings(forms: Sequence[QuarterRatingData]) -> bytes:
    """Every form of a cell in one PDF, built once."""
    return render_pdf(quarter_ratings_document(forms))
