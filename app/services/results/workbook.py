"""Past years' results in and out of Excel: ``plan_import`` + ``apply_import``,
``export_results``.

Import is all or nothing: the whole file is read and checked first, every problem is reported
with its sheet, row and column, and only a clean file is written, in one transaction.

What an import does, and the decisions behind it:

- **Periods.** A year without a period gets one under the rule set of that year, already
  decided, holding exactly the file's rows: the file is the record of that year (a roster
  frozen from today's membership history would add people who joined later and make the
  summary disagree with the file). A year that has a period is filled in.
- **Results already recorded.** An empty result (classified, no decision yet) is filled; the
  same result is left alone; a *different* decided result (or a different "not classified")
  is a conflict. ``plan_import`` lists every change and conflict for the preview, and
  ``apply_import`` refuses conflicts, naming each row, unless called with ``replace=True``
  (``--replace`` on the command line); every result it overwrites is then in the audit log.
- **Members matched by Mã** (case and spaces aside: ``dv00419`` is ``DV00419``). A known code
  must carry the registry's name, case, spacing and Unicode form aside but diacritics
  counted: a mistyped code would pin someone else's results, and the screening list, on the
  wrong person. The plan lists every such row and ``apply_import`` refuses them unless called
  with ``accept_names=True`` (``--accept-names``; the window asks), which files the result
  under the code's record, keeps the registry's name and logs each row. An unknown code is a
  member who has since left (moved away, died, struck off): an archive of past years holds
  many. With its name and its cell (``Mã chi bộ``) the import adds the person with a
  membership that ended after their last year in the file, so the past summaries count them
  and today's roster does not; without a cell the row is an error asking for one. A result
  is filed under the row's cell, else the cell of the period's roster, else the membership
  history at 31/12 of that year.
- **Organisations** must exist (import the members workbook first); names are informative.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.domain import clock
from app.domain.collation import name_key
from app.domain.formatting import format_int
from app.domain.meeting_checks import default_window
from app.domain.procedure import CellStep, PeriodState
from app.domain.vocabulary import AuditAction
from app.services.common.bulk_update import update_by_id
from app.services.common.progress import SILENT, Progress
from app.services.common.workbook import WorkbookError, WorkbookProblem
from app.services.periods import rule_sets as rulesets
from app.services.results.export import ExportResult, export_results, write_template
from app.services.results.import_plan import (
    CONFLICT,
    UNCHANGED,
    Change,
    ImportPlan,
    NameMismatch,
    NewMember,
    YearPlan,
    YearsClosedToImport,
    classify,
    closed_years,
    kind_of,
    name_mismatches,
    plan_import,
)
from app.services.results.reading import RowResult, describe
from app.services.results.state import Existing, KnownMember, State, load_results, load_state
from app.services.safekeeping import audit, seal
from app.store.database import Database
from app.store.models import (
    CellMembership,
    EvaluationPeriod,
    Member,
    MemberEvaluation,
    OrgEvaluation,
)

__all__ = [
    "Change",
    "ExportResult",
    "ImportPlan",
    "ImportResult",
    "NameMismatch",
    "NamesDiffer",
    "NewMember",
    "ResultsConflict",
    "YearPlan",
    "YearsClosedToImport",
    "apply_import",
    "export_results",
    "import_results",
    "plan_import",
    "write_template",
]


@dataclass(frozen=True)
class ImportResult:
    years: tuple[int, ...]
    periods_created: int
    members_written: int
    orgs_written: int
    members_added: int
    replaced: int
    names_accepted: int = 0
    reopened: tuple[int, ...] = ()  # decided years unlocked for the import and locked again

    def describe(self) -> str:
        years = ", ".join(str(y) for y in self.years)
        text = (
            f"Đã nhập kết quả năm {years}: {format_int(self.members_written)} đảng viên, "
            f"{format_int(self.orgs_written)} tổ chức"
        )
        if self.periods_created:
            text += f"; tạo {self.periods_created} kỳ đánh giá"
        if self.members_added:
            text += f"; thêm {format_int(self.members_added)} đảng viên đã chuyển đi"
        if self.replaced:
            text += f"; ghi đè {format_int(self.replaced)} kết quả khác (đã ghi nhật ký)"
        if self.reopened:
            text += (
                f"; năm {', '.join(str(y) for y in self.reopened)} đã mở khóa theo lý do đã "
                "ghi và khóa lại sau khi nhập (đã ghi nhật ký)"
            )
        if self.names_accepted:
            text += (
                f"; {format_int(self.names_accepted)} dòng ghi tên khác danh sách: đã ghi "
                "cho người mang mã đó như đã xác nhận (đã ghi nhật ký)"
            )
        return text + "."


class RowsNeedConsent(WorkbookError):
    """Rows the import writes only when the user agrees; nothing was written. The message
    counts them as *what* and ends with *how* to agree."""

    def __init__(self, path: Path, problems: list[WorkbookProblem], what: str, how: str) -> None:
        super().__init__(path, problems)
        self.args = (str(self).replace("lỗi", what, 1) + "\n" + how,)


class ResultsConflict(RowsNeedConsent):
    """Results in the file differ from decided results in the database."""

    def __init__(self, path: Path, changes: Iterable[Change]) -> None:
        problems = [
            WorkbookProblem(
                c.sheet,
                c.row,
                "Xếp loại",
                f"năm {c.year}, {c.code} {c.name}: đã quyết định “{c.before}”, tệp ghi “{c.after}”",
            )
            for c in changes
        ]
        super().__init__(
            path,
            problems,
            "kết quả khác với kết quả đã quyết định",
            "Muốn ghi đè các kết quả này, chọn ghi đè khi nhập (dòng lệnh: --replace).",
        )


class NamesDiffer(RowsNeedConsent):
    """Rows name someone other than the registry's record of their code."""

    def __init__(self, path: Path, mismatches: Iterable[NameMismatch]) -> None:
        problems = [
            WorkbookProblem(
                m.sheet,
                m.row,
                "Họ và tên",
                f"mã {m.code} trong danh sách là {m.registry_name}, tệp ghi {m.file_name}",
            )
            for m in mismatches
        ]
        super().__init__(
            path,
            problems,
            "dòng có họ tên khác với danh sách",
            "Nếu đúng là người mang mã ấy, xác nhận khi nhập (dòng lệnh: --accept-names): "
            "kết quả được ghi cho người đó, họ tên trong danh sách giữ nguyên.",
        )


# --------------------------------------------------------------------------------------------
# Writing


def _create_period(session: Session, state: State, year: int) -> int:
    """A decided period of a year known only from a file: its rule set, 31/12, no roster
    beyond the file's rows."""
    rs = state.ruleset_for(year)
    opens, closes = default_window(year)
    period = EvaluationPeriod(
        year=year,
        ruleset_id=rs.id,
        ruleset_snapshot=rulesets.snapshot(rs),
        reference_date=dt.date(year, 12, 31),
        state=PeriodState.DECIDED,
        opens_on=opens,
        closes_on=closes,
    )
    session.add(period)
    session.flush()
    state.periods[year] = (period.id, rs)
    return period.id


def _add_former_members(session: Session, state: State, plan: ImportPlan) -> int:
    """Members who have left: their membership ends after their last year in the file, so
    today's roster does not hold them."""
    added = 0
    for new in plan.new_members:
        if new.code in state.members:
            continue  # added by someone else since the plan was made
        member = Member(
            code=new.code,
            full_name=new.full_name,
            name_key=name_key(new.full_name),
            note="Không có trong danh sách hiện tại; thêm khi nhập kết quả các năm trước.",
        )
        member.memberships.append(
            CellMembership(
                org_id=state.orgs[new.cell_code][0],
                end_on=dt.date(new.last_year + 1, 1, 1),
                note=f"Sinh hoạt đến hết năm {new.last_year} (theo tệp kết quả)",
            )
        )
        session.add(member)
        session.flush()
        state.members[new.code] = KnownMember(member.id, new.full_name)
        added += 1
    return added


def _values(row: RowResult) -> dict[str, object]:
    return {
        "evaluated": row.evaluated,
        "not_classified_reason": "" if row.evaluated else row.reason,
        "decided_level": row.level,
    }


def apply_import(
    db: Database,
    plan: ImportPlan,
    *,
    replace: bool = False,
    accept_names: bool = False,
    reopen: str = "",
    actor: str = "",
    progress: Progress = SILENT,
) -> ImportResult:
    """Write a checked plan in one transaction; a failure or a cancel writes nothing.

    Raises YearsClosedToImport, writing nothing, when the file would write a period still
    under way, or a decided (locked) one and *reopen* gives no reason; with a reason, each
    such year is unlocked (logged with the reason), written and locked again with a new lock
    entry. Raises ResultsConflict when a decided result differs from the file and *replace*
    is False; NamesDiffer when a row's name is not its code's record and *accept_names* is
    False. Every check is made again here, on the database as it is now."""
    now = clock.now().replace(microsecond=0)
    with db.session() as session:
        state = load_state(session)
        load_results(session, state, {r.year for r in plan.rows})
        _years, changes, items = classify(plan.rows, state)
        # What the file says first (row by row), then whether the years may be written.
        conflicts = [c for c in changes if c.conflict]
        if conflicts and not replace:
            raise ResultsConflict(plan.path, conflicts)
        mismatches = name_mismatches(plan.rows, state)
        if mismatches and not accept_names:
            raise NamesDiffer(plan.path, mismatches)
        closed = closed_years(_years, reopen)
        if closed:
            raise YearsClosedToImport(closed, reopen_given=bool(reopen.strip()))
        reopened = {y.year for y in _years if y.locked}
        members_added = _add_former_members(session, state, plan)
        created: set[int] = set()
        for year in sorted({r.year for r in plan.rows}):
            if year not in state.periods:
                _create_period(session, state, year)
                created.add(year)
        for year in sorted(reopened):
            _audit_reopen(session, state, year, reopen, actor, plan.path)
        for mismatch in mismatches:
            _audit_name_accepted(session, state, mismatch, actor, plan.path)
        member_new, member_set, org_new, org_set = [], [], [], []
        for index, (row, status, existing) in enumerate(items):
            if index % 500 == 0:
                progress.step(index, len(items), "Đang ghi kết quả")
            period_id = state.periods[row.year][0]
            if status == UNCHANGED:
                if kind_of(row) == "member" and existing and existing.note != row.note:
                    member_set.append({"id": existing.row_id, "not_classified_note": row.note})
                continue
            values = _values(row)
            if kind_of(row) == "member":
                values["not_classified_note"] = "" if row.evaluated else row.note
                if existing is None:
                    member_new.append(
                        {
                            **values,
                            "period_id": period_id,
                            "votes": False,
                            "member_id": state.members[row.code].id,
                            "org_id": state.orgs[row.cell_code][0],
                        }
                    )
                else:
                    member_set.append({**values, "id": existing.row_id})
            elif existing is None:
                org_new.append(
                    {
                        **values,
                        "period_id": period_id,
                        "subject": "org",
                        "org_id": state.orgs[row.code][0],
                        "step": CellStep.DECIDED,
                        "decided_at": now,
                        "locked": row.year in created or row.year in reopened,
                    }
                )
            else:
                org_set.append({**values, "id": existing.row_id, "decided_at": now})
            if status == CONFLICT and existing is not None:
                _audit_replaced(session, state, row, existing, actor, plan.path)
        for model, new_rows, set_rows in (
            (MemberEvaluation, member_new, member_set),
            (OrgEvaluation, org_new, org_set),
        ):
            if new_rows:
                session.execute(insert(model), new_rows)
            if set_rows:
                update_by_id(session, model, set_rows, bump_version=True)
        for year_plan in _years:
            year = year_plan.year
            summary = (
                f"Nhập kết quả năm {year} từ tệp “{plan.path.name}”: "
                f"{format_int(year_plan.members)} đảng viên, {format_int(year_plan.orgs)} tổ chức"
            )
            if year in created or year in reopened:
                # The year is locked (again): its lock entry seals what was just written.
                period = session.get(EvaluationPeriod, state.periods[year][0])
                assert period is not None
                seal.record_lock(
                    session, period, actor=actor, action=AuditAction.IMPORT_RESULTS,
                    summary=summary + (" (tạo kỳ đánh giá, khóa kết quả)" if year in created
                                       else "; khóa lại kết quả sau khi nhập"),
                )  # fmt: skip
                continue
            audit.record(
                session, actor=actor, action=AuditAction.IMPORT_RESULTS, entity="period",
                entity_id=state.periods[year][0], period_id=state.periods[year][0],
                summary=summary,
            )  # fmt: skip
        progress.step(len(items), len(items), "Đang lưu")
        return ImportResult(
            years=tuple(y.year for y in _years),
            periods_created=len(created),
            members_written=sum(y.members for y in _years),
            orgs_written=sum(y.orgs for y in _years),
            members_added=members_added,
            replaced=len(conflicts),
            names_accepted=len(mismatches),
            reopened=tuple(sorted(reopened)),
        )


def _audit_replaced(
    session: Session, state: State, row: RowResult, existing: Existing, actor: str, path: Path
) -> None:
    rs, kind = state.ruleset_for(row.year), kind_of(row)
    before = describe(
        rs, kind, existing.evaluated, existing.decided, existing.reason, existing.note
    )
    after = describe(rs, kind, row.evaluated, row.level, row.reason, row.note)
    audit.record(
        session,
        actor=actor,
        action=AuditAction.OVERWRITE_RESULTS,
        entity=f"{kind}_evaluation",
        entity_id=existing.row_id,
        period_id=state.periods[row.year][0],
        summary=f"{row.code} {row.name}: {before} → {after} (nhập lại từ tệp “{path.name}”, "
        f"dòng {row.row})",
        before={
            "evaluated": existing.evaluated,
            "decided_level": existing.decided,
            "not_classified_reason": existing.reason,
        },
        after={
            "evaluated": row.evaluated,
            "decided_level": row.level,
            "not_classified_reason": row.reason,
        },
    )


def _audit_reopen(
    session: Session, state: State, year: int, reason: str, actor: str, path: Path
) -> None:
    audit.record(
        session, actor=actor, action=AuditAction.UNLOCK, entity="period",
        entity_id=state.periods[year][0], period_id=state.periods[year][0],
        summary=f"Mở khóa kết quả năm {year} để nhập từ tệp “{path.name}”: {reason.strip()}",
    )  # fmt: skip


def _audit_name_accepted(
    session: Session, state: State, mismatch: NameMismatch, actor: str, path: Path
) -> None:
    audit.record(
        session,
        actor=actor,
        action=AuditAction.IMPORT_RESULTS,
        entity="member",
        entity_id=state.members[mismatch.code].id,
        period_id=state.periods[mismatch.year][0],
        summary=f"Nhập kết quả năm {mismatch.year} cho {mismatch.code} "
        f"{mismatch.registry_name} theo xác nhận, dù tệp “{path.name}” (dòng {mismatch.row}) "
        f"ghi tên {mismatch.file_name}",
    )


def import_results(
    db: Database,
    path: Path,
    *,
    replace: bool = False,
    accept_names: bool = False,
    reopen: str = "",
    today: dt.date | None = None,
    progress: Progress = SILENT,
) -> ImportResult:
    plan = plan_import(db, path, today, progress)
    return apply_import(
        db, plan, replace=replace, accept_names=accept_names, reopen=reopen, progress=progress
    )
