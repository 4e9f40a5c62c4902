"""Biểu tổng hợp kết quả đánh giá, xếp loại for any node of the tree and a
year: organisations and members by level (number and share of those evaluated, with the
"trong đó … tiêu biểu" line of HD 27-2014), not evaluated by reason, ratios such as HTXSNV
over HTTNV against their limit, a breakdown by subordinate unit, the screening list (members
KHTNV two years running), and the previous year's figures side by side when given.

The figures come computed; this module only lays them out in Vietnamese number format.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.documents.data import GroupSummary, LevelColumn, Ratio, ScoreTable, SummaryData
from app.documents.format import BODY, SECTION, SMALL_NOTE, TABLE_HEADING_ROOM
from app.documents.model import (
    A4_MARGINS,
    Block,
    Document,
    HeadingBlock,
    KeepTogether,
    Signatures,
    Table,
    Title,
    document,
    keep_with_last,
    mm,
    para,
    section,
    table,
)
from app.documents.parts import level_label, level_legend
from app.documents.render_pdf import render_pdf
from app.domain.fingerprint import fingerprint
from app.domain.formatting import format_int, format_percent

TITLE = "Biểu tổng hợp"
NOT_YET = "chưa có"  # a draft's figure that does not exist yet
_MINUS = "\u2212"


def _difference(current: int, previous: int | None) -> str:
    if previous is None:
        return ""
    change = current - previous
    if change > 0:
        return f"+{format_int(change)}"
    if change < 0:
        return f"{_MINUS}{format_int(-change)}"
    return "0"


def _share(part: int | None, whole: int | None) -> str:
    if part is None or whole is None:
        return ""
    return format_percent(part, whole)


class _Rows:
    """Builds the rows of a figures table: label, count, share (and last year's)."""

    def __init__(self, compare: bool) -> None:
        self.compare = compare
        self.rows: list[list[object]] = []
        self.number = 0

    def add(
        self,
        label: str,
        count: int | None,
        share: str = "",
        previous: int | None = None,
        previous_share: str = "",
        *,
        numbered: bool = True,
        count_text: str | None = None,
        previous_text: str | None = None,
        change: bool = True,
    ) -> None:
        if numbered:
            self.number += 1
        row: list[object] = [
            self.number if numbered else "",
            label,
            count_text if count_text is not None else ("" if count is None else format_int(count)),
            share,
        ]
        if self.compare:
            row += [
                previous_text
                if previous_text is not None
                else ("" if previous is None else format_int(previous)),
                previous_share,
                _difference(count, previous) if count is not None and change else "",
            ]
        self.rows.append(row)


def _group_rows(
    group: GroupSummary,
    levels: Sequence[LevelColumn],
    ratios: Sequence[Ratio],
    *,
    unit_total: str,
    compare: bool,
) -> list[list[object]]:
    rows = _Rows(compare)
    rows.add(unit_total, group.total, "", group.previous_total)
    # Those not evaluated are the total less those evaluated, as the summary counts them (the
    # reasons below may not cover everyone: organisations have none).
    not_evaluated = group.total - group.evaluated
    previous_not = None
    if group.previous_total is not None and group.previous_evaluated is not None:
        previous_not = group.previous_total - group.previous_evaluated
    rows.add(
        "Chưa đánh giá, xếp loại",
        not_evaluated,
        group.not_evaluated_share,
        previous_not,
        group.previous_not_evaluated_share if previous_not is not None else "",
    )
    for reason in group.not_evaluated:
        rows.add(f"– {reason.label}", reason.count, "", reason.previous, numbered=False)
    rows.add(
        "Được đánh giá, xếp loại, trong đó:",
        group.evaluated,
        group.evaluated_share,
        group.previous_evaluated,
        group.previous_evaluated_share,
    )
    for figure in group.levels:
        label = level_label(levels, figure.code, full=True)
        short = level_label(levels, figure.code)
        if short and short != label:
            label = f"{label} ({short})"
        rows.add(
            f"– {label}",
            figure.count,
            figure.share,
            figure.previous,
            figure.previous_share,
            numbered=False,
        )
        if figure.of_which is not None:
            rows.add(
                f"\u00a0\u00a0\u00a0+ trong đó: {figure.of_which_label or 'tiêu biểu'}",
                figure.of_which,
                figure.of_which_share,
                figure.of_which_previous,
                figure.of_which_previous_share,
                numbered=False,
            )
    if group.pending is not None:  # evaluated, no level yet: a line, not a smaller base
        rows.add(
            "– Chưa có kết quả xếp loại",
            group.pending,
            group.pending_share,
            group.previous_pending,
            group.previous_pending_share,
            numbered=False,
            change=False,
        )
    for ratio in ratios:
        label = ratio.label
        if ratio.limit_percent is not None:
            limit = format_percent(ratio.limit_percent / 100)
            over = ratio.whole and ratio.part / ratio.whole * 100 > ratio.limit_percent
            label += f" (giới hạn {limit}" + ("; VƯỢT GIỚI HẠN)" if over else ")")
        previous_text = None
        if ratio.previous_part is not None and ratio.previous_whole is not None:
            previous_text = f"{format_int(ratio.previous_part)}/{format_int(ratio.previous_whole)}"
        rows.add(
            label,
            ratio.part,
            format_percent(ratio.part, ratio.whole),
            ratio.previous_part,
            _share(ratio.previous_part, ratio.previous_whole),
            count_text=f"{format_int(ratio.part)}/{format_int(ratio.whole)}",
            previous_text=previous_text if previous_text is not None else "",
            change=False,  # a share's change is not a count
        )
    return rows.rows


def _year_header(data: SummaryData) -> str:
    """ "Năm 2026", or "Năm 2026 (tạm thời)" for a year not decided: its column is what has
    been proposed so far, and the change beside it compares that with a decided year."""
    return f"Năm {data.year}" + (" (tạm thời)" if data.draft else "")


def _figures_table(data: SummaryData, rows: list[list[object]], width: float) -> Table:
    compare = data.previous_year is not None
    if not compare:
        widths = [10 * mm, 0.0, 26 * mm, 24 * mm]
        widths[1] = width - sum(widths)
        return table(
            ["STT", "Chỉ tiêu", _year_header(data), "Tỷ lệ (%)"],
            rows,
            widths,
            align="CLCC",
        )
    widths = [9 * mm, 0.0, 18 * mm, 17 * mm, 18 * mm, 17 * mm, 18 * mm]
    widths[1] = width - sum(widths)
    extra = [
        [
            "STT",
            "Chỉ tiêu",
            _year_header(data),
            "",
            f"Năm {data.previous_year}",
            "",
            "Tăng (+), giảm (−)",
        ]
    ]
    spans = [
        ((0, 0), (0, 1)),
        ((1, 0), (1, 1)),
        ((2, 0), (3, 0)),
        ((4, 0), (5, 0)),
        ((6, 0), (6, 1)),
    ]
    return table(
        ["", "", "Số lượng", "Tỷ lệ (%)", "Số lượng", "Tỷ lệ (%)", ""],
        rows,
        widths,
        align="CLCCCCC",
        extra_header=extra,
        spans=spans,
    )


def _breakdown(data: SummaryData, width: float) -> Table:
    levels = data.member_levels
    with_org = any(row.organisation_level for row in data.breakdown)
    level_width = 18.5 * mm
    header = ["STT", "Tổ chức đảng", "Số đảng viên được xếp loại", *[lv.short for lv in levels]]
    widths = [9 * mm, 0.0, 22 * mm, *[level_width] * len(levels)]
    if with_org:
        header.append("Xếp loại tổ chức")
        widths.append(20 * mm)
    widths[1] = width - sum(widths)
    rows = []
    for index, row in enumerate(data.breakdown, start=1):
        counts = list(row.counts) + [0] * (len(levels) - len(row.counts))
        cells: list[object] = [index, row.name, format_int(row.evaluated)]
        if data.draft and not any(counts):
            # A draft's unit with no level yet: "chưa có", not zeros that read as a result.
            cells += [NOT_YET] * len(levels)
        else:
            cells += [format_int(n) for n in counts[: len(levels)]]
        if with_org:
            cells.append(level_label(data.organisation_levels, row.organisation_level))
        rows.append(cells)
    totals: list[object] = ["", "Cộng", format_int(sum(r.evaluated for r in data.breakdown))]
    totals += [
        format_int(sum((list(r.counts) + [0] * len(levels))[i] for r in data.breakdown))
        for i in range(len(levels))
    ]
    if with_org:
        totals.append("")
    rows.append(totals)
    align = "CLC" + "C" * len(levels) + ("C" if with_org else "")
    return table(header, rows, widths, align=align, bold_rows=[len(rows) - 1])


def _score_table(score: ScoreTable, width: float) -> list[Block]:
    """Those evaluated of a group by score band, with their shares (issue 24)."""
    widths = [10 * mm, 0.0, 26 * mm, 24 * mm]
    widths[1] = width - sum(widths)
    rows: list[list[object]] = [
        [index, band.label, format_int(band.count), band.share]
        for index, band in enumerate(score.bands, start=1)
    ]
    rows.append(["", "Cộng (số được đánh giá, xếp loại)", format_int(score.evaluated), ""])
    return [
        para(f"{score.title}:", BODY),
        table(
            ["STT", "Mức điểm", "Số lượng", "Tỷ lệ (%)"],
            rows,
            widths,
            align="CLCC",
            bold_rows=[len(rows) - 1],
        ),
    ]


def _lowest(data: SummaryData) -> str:
    """The lowest member level's name ("không hoàn thành nhiệm vụ"), lower-cased."""
    return data.member_levels[-1].name.lower() if data.member_levels else "mức thấp nhất"


def _screening(data: SummaryData, width: float) -> list[Block]:
    if not data.screening:
        return [para(f"Không có đảng viên nào hai năm liền xếp loại {_lowest(data)}.", BODY)]
    previous = data.previous_year or data.year - 1
    widths = [9 * mm, 0.0, 45 * mm, 20 * mm, 20 * mm, 30 * mm]
    widths[1] = width - sum(widths)
    rows = [
        [
            index,
            entry.name,
            entry.cell,
            level_label(data.member_levels, entry.previous_level),
            level_label(data.member_levels, entry.current_level),
            entry.note,
        ]
        for index, entry in enumerate(data.screening, start=1)
    ]
    return [
        table(
            ["STT", "Họ và tên", "Chi bộ", f"Năm {previous}", f"Năm {data.year}", "Ghi chú"],
            rows,
            widths,
            align="CLLCCL",
        )
    ]


def _table_heading(title: str) -> list[Block]:
    """A section heading followed by a long table (room for the heading and a few rows)."""
    return section(title, SECTION, TABLE_HEADING_ROOM)


def summary_document(data: SummaryData) -> Document:
    width = A4_MARGINS.text_width
    compare = data.previous_year is not None
    blocks: list[Block] = [
        HeadingBlock(data.heading, numbered=bool(data.recipients), kind="BC"),
        Title(
            TITLE,
            (f"Kết quả đánh giá, xếp loại chất lượng tổ chức đảng, đảng viên năm {data.year}",),
            note=f"({data.node})",
        ),
    ]
    part = 0
    numerals = ["I", "II", "III", "IV", "V", "VI"]
    member_ratios = data.ratios if data.members else ()
    if data.organisations is not None:
        rows = _group_rows(
            data.organisations,
            data.organisation_levels,
            (),
            unit_total="Tổng số tổ chức đảng",
            compare=compare,
        )
        blocks += _table_heading(f"{numerals[part]}. TỔ CHỨC ĐẢNG")
        blocks.append(_figures_table(data, rows, width))
        part += 1
    if data.members is not None:
        rows = _group_rows(
            data.members,
            data.member_levels,
            member_ratios,
            unit_total="Tổng số đảng viên",
            compare=compare,
        )
        blocks += _table_heading(f"{numerals[part]}. ĐẢNG VIÊN")
        blocks.append(_figures_table(data, rows, width))
        part += 1
    blocks.append(
        para(
            "Tỷ lệ xếp loại tính trên số được đánh giá, xếp loại; tỷ lệ chưa đánh giá và được "
            "đánh giá tính trên tổng số.",
            SMALL_NOTE,
        )
    )
    if data.draft:
        blocks.append(
            para(
                f"Số liệu năm {data.year} là số liệu tạm thời: kỳ đánh giá chưa quyết định, các "
                "con số gồm mức các chi bộ đề xuất và còn thay đổi"
                + (f"; so sánh với năm {data.previous_year} chỉ để tham khảo." if compare else "."),
                SMALL_NOTE,
            )
        )
    if data.score_tables:
        blocks += _table_heading(f"{numerals[part]}. KẾT QUẢ CHẤM ĐIỂM (THANG 100 ĐIỂM)")
        for score in data.score_tables:
            blocks += _score_table(score, width)
        blocks.append(
            para(
                "Điểm tự chấm của tổ chức, đảng viên (tổng điểm tiêu chí chung và điểm kết quả "
                "thực hiện nhiệm vụ); mức điểm theo bộ quy tắc của năm; tỷ lệ tính trên số được "
                "đánh giá, xếp loại.",
                SMALL_NOTE,
            )
        )
        part += 1
    if data.breakdown:
        blocks += _table_heading(f"{numerals[part]}. CHI TIẾT THEO TỔ CHỨC ĐẢNG TRỰC THUỘC")
        blocks.append(_breakdown(data, width))
        legend = level_legend(data.member_levels, data.organisation_levels)
        if legend is not None:
            blocks.append(legend)
        part += 1
    room, heading = _table_heading(
        f"{numerals[part]}. ĐẢNG VIÊN HAI NĂM LIỀN {_lowest(data).upper()} (DIỆN SÀNG LỌC)"
    )
    # The last section's heading goes with its list, and both with the signatures below
    # (keep_with_last): a heading never stays alone at the foot of a page.
    blocks += [room, KeepTogether((heading, *_screening(data, width)))]
    if data.recipients:  # filed as a report: "Nơi nhận" on the left, the signer on the right
        keep_with_last(blocks, Signatures(right=data.right_signer, recipients=data.recipients))
    else:
        keep_with_last(blocks, Signatures(data.left_signer, data.right_signer))
    return document(
        f"{TITLE} năm {data.year} – {data.node}", fingerprint(data), blocks, draft=data.draft
    )


def render_summary_report(data: SummaryData) -> bytes:
    return render_pdf(summary_document(data))
