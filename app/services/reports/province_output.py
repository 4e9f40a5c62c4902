"""The province's summary as plain text (the command line, a text file) and as a workbook:
the province's totals, one line (one row) per commune, the quota exceeded, the communes not
reported and the screening list. Every figure and share is the summary's own (``figures``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.domain.formatting import format_date, format_int, format_percent
from app.services.common.workbook import (
    Column,
    SheetSpec,
    new_workbook,
    save_workbook,
    write_notes,
    write_sheet,
)
from app.services.reports.province import ProvinceSummary
from app.services.summary.figures import PENDING_LABEL, GroupFigures

TITLE = "TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG TỪ BÁO CÁO CỦA CÁC ĐẢNG BỘ"
_LABEL = 52


def _row(label: str, count: int, share: str = "") -> str:
    return (label.ljust(_LABEL) + format_int(count).rjust(10) + share.rjust(9)).rstrip()


def _group_lines(title: str, group: GroupFigures) -> list[str]:
    lines = ["", title, _row("Tổng số", group.total)]
    lines.append(_row("Chưa đánh giá, xếp loại", group.not_evaluated_count,
                      group.not_evaluated_share))  # fmt: skip
    lines += [_row(f"  - {r.label}", r.count) for r in group.not_evaluated if r.count]
    lines.append(_row("Được đánh giá, xếp loại, trong đó:", group.evaluated,
                      group.evaluated_share))  # fmt: skip
    for figure in group.levels:
        name = figure.name if figure.short == figure.name else f"{figure.name} ({figure.short})"
        lines.append(_row(f"  - {name}", figure.count, figure.share))
        if figure.of_which is not None:
            inner = figure.of_which
            lines.append(_row(f"      trong đó: {inner.short}", inner.count, inner.share))
    if group.pending:
        lines.append(_row(f"  - {PENDING_LABEL}", group.pending, group.pending_share))
    return lines


def _levels_text(group: GroupFigures) -> str:
    return ", ".join(f"{f.short} {format_int(f.count)}" for f in group.levels)


def summary_lines(s: ProvinceSummary) -> list[str]:
    lines = [TITLE, f"Năm {s.year} — bộ quy tắc: {s.ruleset_name}"]
    lines.append(
        f"Đã nhận báo cáo của {format_int(len(s.communes))} đảng bộ; "
        f"chưa báo cáo: {format_int(len(s.not_reported))}."
    )
    lines += _group_lines("I. ĐẢNG VIÊN (toàn tỉnh, các đảng bộ đã báo cáo)", s.members)
    r = s.ratio
    text = f"{r.label}: {r.text}"
    if r.limit_percent is not None:
        text += f", giới hạn {format_percent(r.limit_percent / 100)} trong mỗi tổ chức cơ sở đảng"
    lines.append(text + ".")
    lines += _group_lines("II. TỔ CHỨC ĐẢNG TRỰC THUỘC CÁC ĐẢNG BỘ", s.organisations)
    lines += ["", "III. TỪNG ĐẢNG BỘ"]
    for c in s.communes:
        decision = f"quyết định số {c.decision_number}" if c.decision_number else ""
        if c.decided_on:
            decision += f"{'' if decision else 'quyết định'} ngày {format_date(c.decided_on)}"
        lines.append(f"{c.code} — {c.name}" + (f"; {decision}" if decision else ""))
        m, o = c.members, c.organisations
        reasons = ", ".join(f"{x.label} {format_int(x.count)}" for x in m.not_evaluated if x.count)
        lines.append(
            f"    Đảng viên {format_int(m.total)}: {_levels_text(m)}; không xếp loại "
            f"{format_int(m.not_evaluated_count)}" + (f" ({reasons})" if reasons else "")
        )
        lines.append(
            f"    Tổ chức đảng {format_int(o.total)}: {_levels_text(o)}; không xếp loại "
            f"{format_int(o.not_evaluated_count)}"
        )
    if s.other_rulesets:
        lines.append("Lưu ý — báo cáo theo bộ quy tắc khác: " + "; ".join(s.other_rulesets) + ".")
    lines += ["", "IV. TỶ LỆ ĐẢNG VIÊN HOÀN THÀNH XUẤT SẮC NHIỆM VỤ"]
    if not s.quota_rule:
        lines.append("Bộ quy tắc của năm không giới hạn tỷ lệ này.")
    else:
        lines.append(f"{s.quota_rule}: đã kiểm tra {format_int(s.quota_checked)} tổ chức.")
        if not s.quota_exceeded:
            lines.append("Không tổ chức nào vượt tỷ lệ.")
        for q in s.quota_exceeded:
            lines.append(
                f"  - {q.org_name} ({q.commune_name}): {format_int(q.used)} {q.level}, tối đa "
                f"{format_int(q.allowed)} ({q.basis}) — vượt {format_int(q.over)}"
            )
    lines += ["", f"V. ĐẢNG BỘ CHƯA BÁO CÁO NĂM {s.year}"]
    if not s.not_reported:
        lines.append("Mọi đảng bộ đã từng báo cáo đều đã báo cáo năm này.")
    for missing in s.not_reported:
        lines.append(
            f"  - {missing.code} — {missing.name} (báo cáo gần nhất: năm {missing.last_year})"
        )
    lines += ["", f"VI. ĐẢNG VIÊN XẾP LOẠI THẤP NHẤT HAI NĂM LIỀN ({s.year - 1}, {s.year})"]
    if not s.screening:
        lines.append("Không có (trong các đảng bộ đã báo cáo cả hai năm).")
    for number, e in enumerate(s.screening, start=1):
        lines.append(
            f"  {number}. {e.full_name} ({e.member_code}), {e.cell_name}, {e.commune_name}: "
            f"{e.previous_level.short} → {e.current_level.short}"
        )
    return lines


def _group_rows(label: str, group: GroupFigures) -> list[list[Any]]:
    rows: list[list[Any]] = [[label, "Tổng số", group.total, ""]]
    rows.append([label, "Chưa đánh giá, xếp loại", group.not_evaluated_count,
                 group.not_evaluated_share])  # fmt: skip
    rows += [[label, f"  - {r.label}", r.count, ""] for r in group.not_evaluated if r.count]
    rows.append([label, "Được đánh giá, xếp loại", group.evaluated, group.evaluated_share])
    for figure in group.levels:
        rows.append([label, f"  - {figure.short}", figure.count, figure.share])
        if figure.of_which is not None:
            inner = figure.of_which
            rows.append([label, f"      trong đó: {inner.short}", inner.count, inner.share])
    return rows


def write_workbook(s: ProvinceSummary, path: Path) -> None:
    """Sheets "Toàn tỉnh", "Từng đảng bộ", "Vượt tỷ lệ", "Chưa báo cáo", "Sàng lọc"."""
    workbook = new_workbook()
    totals = SheetSpec(
        "Toàn tỉnh",
        (
            Column("group", "Nhóm", width=16),
            Column("label", "Chỉ tiêu", width=48),
            Column("count", "Số lượng", width=12),
            Column("share", "Tỷ lệ", width=10),
        ),
    )
    write_sheet(
        workbook,
        totals,
        _group_rows("Đảng viên", s.members) + _group_rows("Tổ chức đảng", s.organisations),
    )
    member_columns = tuple(Column(f"m-{lv.code}", f"ĐV {lv.short}", width=10)
                           for lv in s.member_levels)  # fmt: skip
    org_columns = tuple(Column(f"o-{lv.code}", f"TC {lv.short}", width=10) for lv in s.org_levels)
    per_commune = SheetSpec(
        "Từng đảng bộ",
        (
            Column("code", "Mã", width=10),
            Column("name", "Đảng bộ", width=36),
            Column("members", "Đảng viên", width=10),
            Column("evaluated", "ĐV được xếp loại", width=12),
            *member_columns,
            Column("not", "ĐV không xếp loại", width=12),
            Column("orgs", "Tổ chức đảng", width=10),
            *org_columns,
            Column("ratio", "Tỷ lệ HTXSNV/HTTNV", width=14),
            Column("decision", "Số quyết định", width=14),
            Column("decided", "Ngày quyết định", width=14, is_date=True),
            Column("ruleset", "Bộ quy tắc", width=14),
        ),
    )
    rows = [
        [
            c.code,
            c.name,
            c.members.total,
            c.members.evaluated,
            *[c.members.count(lv.code) for lv in s.member_levels],
            c.members.not_evaluated_count,
            c.organisations.total,
            *[c.organisations.count(lv.code) for lv in s.org_levels],
            c.ratio.percent,
            c.decision_number,
            c.decided_on,
            c.ruleset_id,
        ]
        for c in s.communes
    ]
    write_sheet(workbook, per_commune, rows)
    quota = SheetSpec(
        "Vượt tỷ lệ",
        (
            Column("commune", "Đảng bộ", width=32),
            Column("org", "Tổ chức", width=32),
            Column("used", "Số đã xếp", width=10),
            Column("allowed", "Tối đa", width=10),
            Column("basis", "Căn cứ", width=40),
        ),
    )
    write_sheet(
        workbook,
        quota,
        [[q.commune_name, q.org_name, q.used, q.allowed, q.basis] for q in s.quota_exceeded],
    )
    missing = SheetSpec(
        "Chưa báo cáo",
        (
            Column("code", "Mã", width=10),
            Column("name", "Đảng bộ", width=40),
            Column("last", "Báo cáo gần nhất", width=14),
        ),
    )
    write_sheet(workbook, missing, [[m.code, m.name, m.last_year] for m in s.not_reported])
    screening = SheetSpec(
        "Sàng lọc",
        (
            Column("number", "STT", width=6),
            Column("commune", "Đảng bộ", width=30),
            Column("code", "Mã", width=12),
            Column("name", "Họ và tên", width=28),
            Column("cell", "Chi bộ", width=32),
            Column("previous", f"Năm {s.year - 1}", width=12),
            Column("current", f"Năm {s.year}", width=12),
        ),
    )
    write_sheet(
        workbook,
        screening,
        [
            [n, e.commune_name, e.member_code, e.full_name, e.cell_name, e.previous_level.short,
             e.current_level.short]
            for n, e in enumerate(s.screening, start=1)
        ],
    )  # fmt: skip
    write_notes(workbook, "Ghi chú", summary_lines(s)[:3])
    save_workbook(workbook, path)
