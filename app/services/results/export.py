"""Writing the results workbook for one year or every year: the decided
results of members and organisations, in the form ``results.workbook`` reads back.

Only decided results are written (and those not classified, with their reason): a year
still in progress has proposals, which are not results yet; how many were left out is told.
Each member row also carries the cell the result was filed under (``Mã chi bộ``), so that a
copy that has never seen a member who has since left can take the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.domain.collation import text_key
from app.domain.formatting import format_int
from app.services.common.errors import NotFound
from app.services.common.progress import SILENT, Progress
from app.services.common.workbook import new_workbook, save_workbook, write_notes, write_sheet
from app.services.periods import rule_sets as rulesets
from app.services.results.reading import MEMBER_SHEET, NOT_CLASSIFIED, ORG_SHEET
from app.services.roster.organizations import list_organizations
from app.store.database import Database
from app.store.models import EvaluationPeriod, Member, MemberEvaluation, OrgEvaluation

NOTES = [
    "Tệp kết quả đánh giá, xếp loại các năm của DanhGia.",
    "",
    "Trang “Đảng viên”: mỗi dòng là kết quả một năm của một đảng viên.",
    "  Năm: năm đánh giá. Mã: mã đảng viên. Họ và tên: để đối chiếu với mã.",
    "  Xếp loại: tên đầy đủ hoặc viết tắt (Hoàn thành tốt nhiệm vụ hoặc HTTNV …),",
    "  hoặc “Không xếp loại” và ghi lý do ở cột “Lý do không xếp loại”:",
    "  Miễn sinh hoạt, Đình chỉ sinh hoạt, Mới kết nạp …, Chuyển sinh hoạt, hoặc lý do khác.",
    "  Mã chi bộ: chi bộ của đảng viên năm đó. Bắt buộc với đảng viên không còn trong danh",
    "  sách hiện tại (đã chuyển đi …): chương trình sẽ thêm người đó như đảng viên cũ.",
    "",
    "Trang “Tổ chức”: mỗi dòng là kết quả một năm của một tổ chức đảng.",
    "  Các năm 2014–2017 (Hướng dẫn 27-HD/BTCTW): Trong sạch, vững mạnh; TSVM tiêu biểu;",
    "  Hoàn thành tốt nhiệm vụ; Hoàn thành nhiệm vụ; Yếu kém. Từ năm 2018: bốn mức",
    "  Hoàn thành xuất sắc / tốt / Hoàn thành / Không hoàn thành nhiệm vụ.",
    "",
    "Khi nhập: năm chưa có kỳ đánh giá thì tạo kỳ mới theo bộ quy tắc của năm đó; năm đã có",
    "thì điền kết quả còn trống. Kết quả khác với kết quả đã quyết định thì không nhập, trừ khi",
    "chọn ghi đè. Tệp có bất kỳ lỗi nào thì không nhập gì.",
]


@dataclass(frozen=True)
class ExportResult:
    years: tuple[int, ...]
    members: int
    orgs: int
    skipped: int  # classified but not decided yet: not a result, not written

    def describe(self, path: Path) -> str:
        if not self.years:
            return f"Chưa có kết quả nào: đã ghi tệp mẫu trống {path}."
        years = ", ".join(str(y) for y in self.years)
        text = (
            f"Đã xuất kết quả năm {years} ra {path}: {format_int(self.members)} đảng viên, "
            f"{format_int(self.orgs)} tổ chức."
        )
        if self.skipped:
            text += f" {format_int(self.skipped)} kết quả chưa có quyết định nên không xuất."
        return text


def _outcome(
    rs: Any, kind: str, evaluated: bool, level: str | None, reason: str, note: str
) -> tuple[str | None, str | None]:
    if not evaluated:
        return NOT_CLASSIFIED, note or rs.reason_label(reason or "other")
    scale = rs.scale(kind)
    return (scale.get(level).name if level in scale else level), None


def export_results(
    db: Database, path: Path, year: int | None = None, progress: Progress = SILENT
) -> ExportResult:
    """Write the decided results of *year* (None: every year) to *path*."""
    listing = list_organizations(db)
    order = {node.id: index for index, node in enumerate(listing.nodes)}
    codes = {node.id: node.code for node in listing.nodes}
    names = {node.id: node.name for node in listing.nodes}
    member_rows: list[list[Any]] = []
    org_rows: list[list[Any]] = []
    skipped = 0
    with db.session() as session:
        query = select(EvaluationPeriod).order_by(EvaluationPeriod.year)
        if year is not None:
            query = query.where(EvaluationPeriod.year == year)
        found = list(session.scalars(query))
        if year is not None and not found:
            raise NotFound(f"Chưa có kỳ đánh giá năm {year}")
        for index, period in enumerate(found):
            progress.step(index, len(found), f"Đang ghi kết quả năm {period.year}")
            rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
            rows = session.execute(
                select(MemberEvaluation, Member.code, Member.full_name, Member.name_key)
                .join(Member, Member.id == MemberEvaluation.member_id)
                .where(MemberEvaluation.period_id == period.id)
            ).all()
            rows.sort(key=lambda r: (order.get(r[0].org_id, 0), r[3], r[1]))
            for e, code, full_name, _key in rows:
                if e.evaluated and e.decided_level is None:
                    skipped += 1
                    continue
                level, reason = _outcome(
                    rs,
                    "member",
                    e.evaluated,
                    e.decided_level,
                    e.not_classified_reason,
                    e.not_classified_note,
                )
                member_rows.append(
                    [period.year, code, full_name, level, reason, codes.get(e.org_id)]
                )
            orgs = session.scalars(
                select(OrgEvaluation).where(
                    OrgEvaluation.period_id == period.id, OrgEvaluation.subject == "org"
                )
            ).all()
            for e in sorted(
                orgs, key=lambda o: (order.get(o.org_id, 0), text_key(names.get(o.org_id, "")))
            ):
                if e.evaluated and e.decided_level is None:
                    skipped += 1
                    continue
                level, reason = _outcome(
                    rs, "org", e.evaluated, e.decided_level, e.not_classified_reason, ""
                )
                org_rows.append(
                    [period.year, codes.get(e.org_id), names.get(e.org_id), level, reason]
                )
        years = tuple(p.year for p in found)
    _write(Path(path), member_rows, org_rows)
    progress.step(1, 1, "Xong")
    return ExportResult(years, len(member_rows), len(org_rows), skipped)


def write_template(path: Path) -> None:
    """The empty workbook: headers and the notes sheet."""
    _write(Path(path), [], [])


def _write(path: Path, member_rows: list[list[Any]], org_rows: list[list[Any]]) -> None:
    workbook = new_workbook()
    write_sheet(workbook, MEMBER_SHEET, member_rows)
    write_sheet(workbook, ORG_SHEET, org_rows)
    write_notes(workbook, "Hướng dẫn", NOTES)
    save_workbook(workbook, path)
