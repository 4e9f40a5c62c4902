"""Merging a cell's package into the commune's database: what changes, what conflicts.

What a conflict is. Both databases keep a hash-chained audit log, and a cell's copy made from
the commune's file shares the commune's log up to the moment it was copied. The package
carries the hashes of the entries that touched the cell's records; entries both sides hold are
their common past. For each value that differs:

- only the cell changed it since the two parted → the package's value is taken;
- only the commune changed it → the commune's value is kept (listed, not imported);
- both changed it → a **conflict**: a warning naming both values, and the package's value is
  taken, since the self-review, meeting, votes and proposal are the cell's own records.

A package from a separate installation shares no past with the commune, so every value both
sides entered that differs is a conflict: "the commune's record is not empty and differs".
Values an earlier import wrote came from the cell, so they never count as the commune's.

What blocks, because the import would be unsafe or leave the records inconsistent: the period
or the cell missing; another rule set for the year; the cell decided, locked or already
submitted at the commune (when the package would change anything); a roster that differs
(a member unknown to the commune, in another cell there, or frozen differently); the commune
having returned the cell after this package's meeting; a package older than one already
imported; and whatever the window itself would refuse (a level not in the rule set, a meeting
or tally failing its checks, a step whose requirements are not met).

Scores item by item (format 4): a package carrying them needs the period here to score by the
very same criteria set (its id and the checksum of its text), else it is refused naming both.
Each subject's sheet at a stage merges as one value by the rule above, is listed item by item
("Mục A.1 «…» (tự chấm): 10 → 8") and is written through ``procedure.item_scores`` (the
window's checks and locks), logged as the import's. A subject whose self-assessment is scored
item by item once the import is done keeps the items' sums: the package's typed totals for it
are not taken (a note says so when they differ).

Quarterly ratings (format 5): a member's four quarters merge as one value by the rule above,
are listed quarter by quarter ("đánh giá theo quý — Quý I: (chưa đánh giá) → tự chấm 95, cấp
trên 92") and are written through ``procedure.quarters`` (the window's writer: its checks of
each value, naming the quarter, the rule set rating the member by quarter at all, the cell's
lock), logged as the import's. An older package does not carry them: the commune's stay.

The same function plans (inside a savepoint that is rolled back) and applies, so the preview
is exactly what the import does.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.criteria import ItemEntry
from app.domain.formatting import format_date
from app.domain.procedure import CellStep, PeriodState
from app.domain.quarters import QUARTER_NAMES, QUARTERS, QuarterRating, points
from app.domain.rules import RuleSet, Subject
from app.domain.vocabulary import OrgKind
from app.services.common.errors import ServiceError
from app.services.exchange import history_records
from app.services.exchange.checks import check_merged, check_reasons
from app.services.exchange.fields import (
    ATTENDANCE_FIELDS,
    MEETING_FIELDS,
    MEMBER_FIELDS,
    ORG_FIELDS,
    CellData,
    ItemSheetData,
    Kind,
    MemberData,
    Package,
    Value,
    as_is,
)
from app.services.exchange.preview import (
    LABELS,
    PERSONAL_LABELS,
    Change,
    ImportPlan,
    Problem,
    show,
)
from app.services.exchange.records import (
    EMPTY_MEETING,
    IMPORT_ACTION,
    PACKAGE_ACTION,
    QUARTERS_FIELD,
    read_cell,
)
from app.services.exchange.rows import CellRows, load_rows
from app.services.exchange.tally import FIELD as TALLY_FIELD
from app.services.exchange.tally import GROUP as TALLY_GROUP
from app.services.exchange.tally import ROW as TALLY_ROW
from app.services.exchange.tally import check_tally
from app.services.exchange.write import log_import, write_changes
from app.services.periods import rule_sets as rulesets
from app.services.periods.item_sheets import STAGES, read_value, value_shown
from app.services.procedure import item_scores, quarters
from app.services.procedure.view import collective_title
from app.store.models import (
    AuditEntry,
    EvaluationPeriod,
    Member,
    MemberEvaluation,
    Organization,
)

TALLY_KIND = Kind(as_is, as_is)  # the tally's entries compare as one value
# The columns a subject's self-assessment keeps its two parts in: the item scores' sums
# whenever it is scored item by item.
TOTALS = {"member": ("self_score_general", "self_score_tasks"),
          "org": ("score_general", "score_tasks")}  # fmt: skip
Entry = tuple[str, str]  # an item's value as stored and its note

# ---- the merge ----------------------------------------------------------------------------


def merge(session: Session, package: Package, *, apply: bool, actor: str = "") -> ImportPlan:
    """Plan (``apply`` False: the caller rolls the session back) or apply a package."""
    return _Merge(session, package, apply, actor).run()


class _Merge:
    def __init__(self, session: Session, package: Package, apply: bool, actor: str) -> None:
        self.session, self.package, self.data = session, package, package.data
        self.apply, self.actor = apply, actor
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.changes: list[Change] = []
        self.kept: list[Change] = []
        self.cell_id: int | None = None
        self.cell_name = package.data.cell_name
        self.step_before: CellStep | None = None
        self.step_after: CellStep | None = None
        # Set as the merge goes: the period's rule set, who changed what since the two
        # databases parted, and members' names by code for showing values.
        self.rs: RuleSet
        self.cell_changed: set[tuple[str, str]] = set()
        self.commune_changed: set[tuple[str, str]] = set()
        self.names: dict[str, str] = {}
        # The sheets scored item by item the import writes: (row, stage) → entries by key.
        self.item_writes: dict[tuple[str, str], dict[str, Entry]] = {}
        # The members' quarterly ratings the import writes: row → the package's quarters.
        self.quarter_writes: dict[str, tuple[QuarterRating, ...]] = {}

    def block(self, message: str) -> None:
        self.problems.append(Problem(message, True))

    def warn(self, message: str) -> None:
        self.problems.append(Problem(message, False))

    def plan(self) -> ImportPlan:
        return ImportPlan(
            self.package, self.cell_id, self.cell_name, tuple(self.changes), tuple(self.kept),
            tuple(self.problems), tuple(self.notes), self.step_before, self.step_after,
        )  # fmt: skip

    @property
    def blocked(self) -> bool:
        return any(p.blocking for p in self.problems)

    def run(self) -> ImportPlan:
        rows = self._locate()
        if rows is None or self.blocked:
            return self.plan()
        current = read_cell(self.session, rows)
        self._compare_roster(rows, current)
        if self.blocked:
            return self.plan()
        self._diff(rows, current)
        self._step(rows)
        self._earlier_imports(rows)
        if self.blocked:
            return self.plan()
        self._write_items(rows)
        self._write_quarters(rows)
        if self.blocked:
            return self.plan()
        meeting, problems = write_changes(self.session, rows, self.data, self.changes, self.names)
        for message in problems:
            self.block(message)
        for message in history_records.overlap_problems(self.session, self._periods_changed(rows)):
            self.block(message)
        before, after = self.step_before, self.step_after
        steps = (before, after) if before and after and before is not after else None
        changed = {(c.row, c.field) for c in self.changes}
        for message in check_merged(self.session, self.rs, rows, meeting, changed, steps):
            self.block(message)
        # A format-1 package predates the reasons: it cannot carry one, so it is only told.
        carried = self.package.format_version >= 2
        for message in check_reasons(self.rs, rows, changed):
            (self.block if carried else self.warn)(message)
        tally = next((c.after for c in self.changes if c.row == TALLY_ROW), None)
        if tally is not None:
            for message in check_tally(self.rs, meeting, tally, self.names, rows.org.name):
                self.block(message)
        if self.apply and self.changes and not self.blocked:
            log_import(self.session, self.actor, rows, meeting, self.plan())
        return self.plan()

    # -- where the package goes -------------------------------------------------------------

    def _locate(self) -> CellRows | None:
        d = self.data
        period = self.session.scalar(
            select(EvaluationPeriod).where(EvaluationPeriod.year == d.year)
        )
        if period is None:
            self.block(
                f"Cơ sở dữ liệu này chưa có kỳ đánh giá năm {d.year}: tạo kỳ đánh giá năm "
                f"{d.year} (theo bộ quy tắc {d.ruleset_id}) rồi nhập lại gói."
            )
            return None
        self.rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
        if period.ruleset_id != d.ruleset_id:
            self.block(
                f"Kỳ đánh giá năm {d.year} ở đây theo bộ quy tắc {period.ruleset_id} "
                f"({self.rs.name}), còn gói của chi bộ theo {d.ruleset_id}: các mức xếp loại "
                "và điểm không so sánh được với nhau."
            )
        if period.reference_date != d.reference_date:
            self.warn(
                f"Danh sách đảng viên ở đây chốt ngày {format_date(period.reference_date)}, "
                f"trong gói chốt ngày {format_date(d.reference_date)}."
            )
        org = self.session.scalar(select(Organization).where(Organization.code == d.cell_code))
        if org is None or org.kind != OrgKind.CELL:
            self.block(
                f"Cơ sở dữ liệu này không có chi bộ mã {d.cell_code} ({d.cell_name}): thêm chi "
                "bộ (mục Tổ chức) hoặc kiểm tra lại mã chi bộ của gói."
            )
            return None
        self.cell_id, self.cell_name = org.id, org.name
        if org.name != d.cell_name:
            self.warn(
                f"Chi bộ mã {d.cell_code} ở đây tên là “{org.name}”, trong gói là “{d.cell_name}”."
            )
        rows = load_rows(self.session, period, org)
        if rows is None:
            self.block(f"{org.name} không có trong kỳ đánh giá năm {d.year} của cơ sở dữ liệu này.")
            return None
        self.step_before = self.step_after = CellStep(rows.cell.step)
        return rows

    def _compare_roster(self, rows: CellRows, current: CellData) -> None:
        d = self.data
        year = d.year
        for m in d.members:
            here = current.member(m.code)
            if here is None:
                self._stranger(rows, m)
                continue
            if (here.evaluated, here.votes, here.not_classified_reason) != (
                m.evaluated,
                m.votes,
                m.not_classified_reason,
            ):
                self.block(
                    f"{here.full_name} (mã {m.code}): danh sách năm {year} ở đây ghi "
                    f"“{self._standing(here)}”, trong gói ghi “{self._standing(m)}”. Hai bên "
                    "chốt danh sách khác nhau; thống nhất danh sách rồi nhập lại."
                )
            for key, label in PERSONAL_LABELS.items():
                if key == "exempt_since" and m.periods is not None:
                    continue  # the package carries the periods themselves: they merge
                mine, theirs = getattr(here, key), getattr(m, key)
                if mine != theirs:
                    self.warn(
                        f"{here.full_name} (mã {m.code}): {label} trong gói là "
                        f"{show(key, theirs, {})}, ở đây là {show(key, mine, {})}; hồ sơ đảng "
                        "viên không bị sửa theo gói, hãy kiểm tra ở mục Đảng viên."
                    )
        codes = {m.code for m in d.members}
        for here in current.members:
            if here.code not in codes:
                self.block(
                    f"{here.full_name} (mã {here.code}) có trong danh sách {rows.org.name} ở đây "
                    "nhưng không có trong gói: hai bên chốt danh sách khác nhau."
                )
        if d.collective is not None and rows.collective is None:
            self.block(
                f"Gói có kết quả đánh giá {collective_title(rows.org.name)}, nhưng kỳ đánh giá "
                "ở đây không đánh giá chi ủy của chi bộ này."
            )
        elif d.collective is None and rows.collective is not None:
            self.notes.append("Gói không có kết quả của chi ủy; giữ nguyên như ở đây.")
        ours = rows.meeting.round if rows.meeting is not None else 0
        if d.meeting_round is not None and ours > d.meeting_round:
            self.block(
                f"Đảng ủy đã trả lại chi bộ để họp lại (lần họp thứ {ours}), còn gói là kết "
                f"quả lần họp thứ {d.meeting_round}. Chi bộ cần gửi gói sau khi họp lại."
            )

    def _standing(self, m: MemberData) -> str:
        if m.evaluated:
            return "được xếp loại" + ("" if m.votes else ", không biểu quyết")
        reason = self.rs.reason_label(m.not_classified_reason) if m.not_classified_reason else ""
        return "không xếp loại" + (f" ({reason})" if reason else "")

    def _stranger(self, rows: CellRows, m: MemberData) -> None:
        """A member of the package who is not on this cell's roster here."""
        who = f"{m.full_name} (mã {m.code})"
        found = self.session.scalar(select(Member).where(Member.code == m.code))
        if found is None:
            self.block(
                f"{who} không có trong cơ sở dữ liệu này. Thêm đảng viên (mục Đảng viên), "
                "chốt lại danh sách của chi bộ, rồi nhập lại gói."
            )
            return
        other = self.session.scalar(
            select(Organization.name)
            .join(MemberEvaluation, MemberEvaluation.org_id == Organization.id)
            .where(
                MemberEvaluation.period_id == rows.period.id,
                MemberEvaluation.member_id == found.id,
            )
        )
        if other is not None:
            self.block(
                f"{who} thuộc {other} trong danh sách năm {self.data.year} ở đây, không thuộc "
                f"{rows.org.name}. Cập nhật việc chuyển sinh hoạt rồi nhập lại gói."
            )
        else:
            self.block(
                f"{who} không có trong danh sách đánh giá năm {self.data.year} ở đây (danh sách "
                f"chốt ngày {format_date(rows.period.reference_date)})."
            )

    # -- what differs ---------------------------------------------------------------------

    def _diff(self, rows: CellRows, current: CellData) -> None:
        d = self.data
        ours = current.history
        theirs = {h.hash for h in d.history}
        our_hashes = {h.hash for h in ours}
        self.cell_changed = {t for h in d.history if h.hash not in our_hashes for t in h.touches}
        for h in ours:
            if h.hash in theirs:
                continue  # the common past
            for touch in h.touches:
                if h.action == IMPORT_ACTION:
                    self.commune_changed.discard(touch)  # brought by a package, not typed here
                else:
                    self.commune_changed.add(touch)
        self.names = {m.code: m.full_name for m in (*d.members, *current.members)}
        self._compare(rows.org.name, "org", ORG_FIELDS, current.org, d.org)
        if d.collective is not None and current.collective is not None:
            title = collective_title(rows.org.name)
            self._compare(title, "collective", ORG_FIELDS, current.collective, d.collective)
        if d.meeting is not None:
            same_round = current.meeting is not None and current.meeting_round == d.meeting_round
            before = current.meeting if same_round and current.meeting else EMPTY_MEETING
            self._compare("Hội nghị", "meeting", MEETING_FIELDS, before, d.meeting)
        for m in d.members:
            here = current.member(m.code)
            assert here is not None  # the roster was compared first
            self._compare(here.full_name, f"member:{m.code}", MEMBER_FIELDS, here.stages, m.stages)
            if m.attendance["present"] is not None:
                attended = here.attendance
                if current.meeting_round != d.meeting_round:
                    attended = {"present": None, "absence_reason": ""}
                self._compare(
                    here.full_name, f"attendance:{m.code}", ATTENDANCE_FIELDS, attended,
                    m.attendance,
                )  # fmt: skip
        self._history(rows, current)
        if d.tally is not None:  # format 2: the two tellers' entries at the latest meeting
            same = current.meeting_round == d.meeting_round
            entries = {TALLY_FIELD: current.tally if same and current.tally else ()}
            self._compare(TALLY_GROUP, TALLY_ROW, {TALLY_FIELD: TALLY_KIND}, entries,
                          {TALLY_FIELD: d.tally})  # fmt: skip
        self._items(rows, current)
        self._quarters(rows, current)

    def _compare(
        self, group: str, row: str, kinds: Mapping[str, Kind], before: Mapping[str, Value],
        after: Mapping[str, Value],
    ) -> None:  # fmt: skip
        for key in kinds:
            if key not in after:
                continue  # an older package does not carry this field: the value here stays
            old, new = before[key], after[key]
            if old == new:
                continue
            touch = (row, key)
            ours, theirs = touch in self.commune_changed, touch in self.cell_changed
            change = Change(
                group, row, key, old, new, show(key, old, self.names), show(key, new, self.names),
                conflict=ours and theirs,
            )  # fmt: skip
            if ours and not theirs:
                self.kept.append(change)
                continue
            self.changes.append(change)
            if ours:
                self.warn(
                    f"Xung đột — {group}: {change.label}: đảng ủy đã sửa thành "
                    f"{change.shown_before}, chi bộ sửa thành {change.shown_after}; nhập gói "
                    "sẽ lấy giá trị của chi bộ."
                )

    # -- scores item by item (format 4) -----------------------------------------------------

    def _subject(self, rows: CellRows, row: str) -> tuple[Subject, str]:
        """The subject a row names and how the preview names it."""
        if row == "org":
            return Subject("org", rows.org.id), rows.org.name
        if row == "collective":
            return Subject("collective", rows.org.id), collective_title(rows.org.name)
        member, _e = rows.members[row.removeprefix("member:")]
        return Subject("member", member.id), member.full_name

    def _criteria_differ(self, rows: CellRows, current: CellData) -> bool:
        """A package scored item by item needs the very criteria set (id and text) here."""
        ours, theirs = current.criteria, self.data.criteria
        if not self.data.item_scores or theirs is None:
            return False
        if ours is not None and (ours.id, ours.checksum) == (theirs.id, theirs.checksum):
            return False
        year = self.data.year
        if ours is None:
            here = "chưa chọn bộ tiêu chí (điểm nhập dưới dạng hai tổng điểm)"
        elif ours.id == theirs.id:
            here = (
                f"cũng theo “{ours.name}” (mã {ours.id}) nhưng nội dung bộ tiêu chí hai bên "
                "khác nhau (bản của tỉnh đã được sửa ở một bên sau khi chọn)"
            )
        else:
            here = f"chấm theo bộ tiêu chí “{ours.name}” (mã {ours.id})"
        self.block(
            f"Gói chấm điểm từng mục theo bộ tiêu chí “{theirs.name}” (mã {theirs.id}), còn kỳ "
            f"đánh giá năm {year} ở đây {here}: điểm từng mục không nhập được. Hai bên chọn "
            "cùng một bộ tiêu chí (cùng nội dung) rồi xuất và nhập lại gói."
        )
        return True

    def _items(self, rows: CellRows, current: CellData) -> None:
        """Each sheet scored item by item merges as one value (who changed it since the two
        databases parted decides, as for any field), listed item by item; then the typed
        totals of a subject scored item by item give way to the items' sums."""
        d = self.data
        if d.item_scores is not None and not self._criteria_differ(rows, current):
            sheets = {(s.row, s.stage) for s in (*d.item_scores, *(current.item_scores or ()))}
            for row, stage in sorted(sheets):
                self._item_sheet(rows, row, stage, current.item_sheet(row, stage),
                                 d.item_sheet(row, stage))  # fmt: skip
        if not self.blocked:
            self._totals(rows, current)

    def _item_sheet(
        self, rows: CellRows, row: str, stage: str, mine: ItemSheetData | None,
        theirs: ItemSheetData | None,
    ) -> None:  # fmt: skip
        old = {k: (v, n) for k, v, n in (mine.entries if mine else ())}
        new = {k: (v, n) for k, v, n in (theirs.entries if theirs else ())}
        if old == new:
            return
        subject, group = self._subject(rows, row)
        touch = (row, f"items:{stage}")
        ours, cells = touch in self.commune_changed, touch in self.cell_changed
        changes = []
        for key in sorted(set(old) | set(new)):
            before, after = old.get(key), new.get(key)
            if before == after:
                continue
            label = item_scores.item_label(self.session, rows.period, subject, key)
            changes.append(
                Change(group, row, f"items:{stage}:{key}", before, after, _item_shown(before),
                       _item_shown(after), conflict=ours and cells,
                       what=f"{label} ({STAGES[stage]})")
            )  # fmt: skip
        if ours and not cells:
            self.kept += changes
            return
        self.changes += changes
        self.item_writes[(row, stage)] = new
        if ours:
            self.warn(
                f"Xung đột — {group}: điểm {STAGES[stage]} từng mục: đảng ủy đã sửa, chi bộ "
                "cũng sửa; nhập gói sẽ lấy điểm từng mục của chi bộ."
            )

    def _totals(self, rows: CellRows, current: CellData) -> None:
        """A subject whose self-assessment is scored item by item once the import is done
        keeps the items' sums: the package's typed totals for it are not taken."""
        d = self.data
        subjects: list[tuple[str, Mapping[str, Value] | None]] = [("org", d.org)]
        if rows.collective is not None:
            subjects.append(("collective", d.collective))
        subjects += [(f"member:{m.code}", m.stages) for m in d.members]
        for row, carried in subjects:
            if (row, "self") in self.item_writes:
                final = self.item_writes[(row, "self")]
            else:
                sheet = current.item_sheet(row, "self")
                final = {k: (v, n) for k, v, n in (sheet.entries if sheet else ())}
            if not final:
                continue
            subject, group = self._subject(rows, row)
            found = {k: ItemEntry(read_value(v), n) for k, (v, n) in final.items()}
            sums = item_scores.sheet_sums(self.session, rows.period, subject, found)
            fields = TOTALS["member" if subject.kind == "member" else "org"]
            self.changes = [c for c in self.changes if (c.row, c.field) not in
                            {(row, f) for f in fields}]  # fmt: skip
            self.kept = [c for c in self.kept if (c.row, c.field) not in
                         {(row, f) for f in fields}]  # fmt: skip
            for field, total in zip(fields, sums, strict=True):
                typed = (carried or {}).get(field)
                if typed is not None and typed != total:
                    self.notes.append(
                        f"{group}: {LABELS[field]} trong gói là {show(field, typed, {})}, "
                        f"nhưng đã chấm từng mục ({show(field, total, {})} theo các mục): lấy "
                        "điểm theo các mục, không lấy điểm tổng của gói."
                    )

    def _write_items(self, rows: CellRows) -> None:
        """Write each sheet the import takes through the item scores' service: the same
        checks of each value, the same locks, the part sums, logged as the import's."""
        for (row, stage), entries in self.item_writes.items():
            subject, group = self._subject(rows, row)
            found = {k: ItemEntry(read_value(v), n) for k, (v, n) in entries.items()}
            try:
                item_scores.import_entries(
                    self.session, rows.period, subject, stage, found, actor=self.actor,
                    action=IMPORT_ACTION, why=f" (nhập gói của {rows.org.name})",
                    log=self.apply,
                )  # fmt: skip
            except ServiceError as error:
                self.block(f"{group}: điểm {STAGES[stage]} từng mục: {error}")

    # -- quarterly ratings (format 5) --------------------------------------------------------

    def _quarters(self, rows: CellRows, current: CellData) -> None:
        """Each member's quarterly ratings merge as one value (who changed them since the two
        databases parted decides, as for any field), listed quarter by quarter."""
        d = self.data
        if d.quarters is None:
            return  # an older package does not carry them: the commune's stay as they are
        for row in sorted({q.row for q in (*d.quarters, *(current.quarters or ()))}):
            self._member_quarters(rows, row, current.quarter_ratings(row), d.quarter_ratings(row))

    def _member_quarters(
        self, rows: CellRows, row: str, mine: tuple[QuarterRating, ...],
        theirs: tuple[QuarterRating, ...],
    ) -> None:  # fmt: skip
        old = {r.quarter: r for r in mine}
        new = {r.quarter: r for r in theirs}
        if old == new:
            return
        member, _e = rows.members[row.removeprefix("member:")]
        group = member.full_name
        touch = (row, QUARTERS_FIELD)
        ours, cells = touch in self.commune_changed, touch in self.cell_changed
        changes = [
            Change(group, row, f"quarters:{q}", old.get(q), new.get(q),
                   _quarter_shown(old.get(q)), _quarter_shown(new.get(q)),
                   conflict=ours and cells, what=f"đánh giá theo quý — {QUARTER_NAMES[q]}")
            for q in QUARTERS
            if old.get(q) != new.get(q)
        ]  # fmt: skip
        if ours and not cells:
            self.kept += changes
            return
        self.changes += changes
        self.quarter_writes[row] = theirs
        if ours:
            self.warn(
                f"Xung đột — {group}: đánh giá theo quý: đảng ủy đã sửa, chi bộ cũng sửa; nhập "
                "gói sẽ lấy đánh giá theo quý của chi bộ."
            )

    def _write_quarters(self, rows: CellRows) -> None:
        """Write each member's quarters the import takes through the quarters' service: the
        window's checks (naming the quarter), the rule set rating the member by quarter, the
        cell's lock; logged as the import's."""
        for row, ratings in self.quarter_writes.items():
            member, _e = rows.members[row.removeprefix("member:")]
            try:
                quarters.import_quarters(
                    self.session, rows.period, member.id, ratings, actor=self.actor,
                    action=IMPORT_ACTION, why=f" (nhập gói của {rows.org.name})",
                    log=self.apply,
                )  # fmt: skip
            except ServiceError as error:
                self.block(
                    f"{member.full_name}: đánh giá theo quý trong gói không nhập được — {error}"
                )

    def _history(self, rows: CellRows, current: CellData) -> None:
        """Format 3: members' periods and discipline, and the cell's discipline, merged by
        identity (``history_records``): added or updated, never deleted."""
        pairs: list[tuple[str, str, str, tuple | None, tuple | None]] = []
        for m in self.data.members:
            here = current.member(m.code)
            assert here is not None
            for what in (history_records.PERIODS, history_records.DISCIPLINES):
                pairs.append(
                    (here.full_name, f"{what}:{m.code}", history_records.FIELDS[what],
                     getattr(here, what), getattr(m, what))
                )  # fmt: skip
        pairs.append(
            (rows.org.name, history_records.ORG_DISCIPLINES, "org_discipline",
             current.org_disciplines, self.data.org_disciplines)
        )  # fmt: skip
        for group, row, field, ours, theirs in pairs:
            if theirs is None or ours is None:
                continue  # an older package does not carry them
            changed, only_here = history_records.compare(ours, theirs)
            for before, after in changed:
                self.changes.append(
                    Change(group, row, field, before, after, show(field, before, {}),
                           show(field, after, {}))
                )  # fmt: skip
            for record in only_here:
                self.notes.append(
                    f"{group}: {LABELS[field]} {record.describe()} có ở đây nhưng không có "
                    "trong gói; giữ nguyên."
                )

    def _periods_changed(self, rows: CellRows) -> dict[int, str]:
        """The members whose periods the import writes: id → name."""
        codes = {c.row.removeprefix("periods:") for c in self.changes if c.field == "period"}
        return {rows.members[c][0].id: rows.members[c][0].full_name for c in codes}

    def _step(self, rows: CellRows) -> None:
        d = self.data
        before = CellStep(rows.cell.step)
        # The cell never moves past "submitted" by a package: the decision is the commune's.
        target = CellStep.SUBMITTED if d.step in (CellStep.SUBMITTED, CellStep.DECIDED) else d.step
        decided = rows.cell.locked or before is CellStep.DECIDED or rows.period.state in (
            PeriodState.DECIDED, PeriodState.REPORTED
        )  # fmt: skip
        if decided or before is CellStep.SUBMITTED:
            if self.changes or target is not CellStep.SUBMITTED:
                if decided:
                    self.block(
                        f"Đảng ủy đã quyết định và khóa kết quả của {rows.org.name}; không nhận "
                        "gói làm thay đổi kết quả đã quyết định (muốn sửa, phải mở khóa với lý "
                        "do trước)."
                    )
                else:
                    self.block(
                        f"{rows.org.name} đã nộp kết quả ở đây, khác với gói này. Muốn nhận "
                        "gói, đảng ủy trả lại chi bộ trước; chi bộ họp lại rồi gửi gói mới."
                    )
            return
        if target is before:
            return
        if target.number < before.number:
            self.warn(
                f"Gói đưa {rows.org.name} lùi từ bước “{before.label}” về bước “{target.label}”."
            )
        self.step_after = target
        self.changes.insert(
            0,
            Change(rows.org.name, "cell", "step", before, target, show("step", before, {}),
                   show("step", target, {})),
        )  # fmt: skip

    def _earlier_imports(self, rows: CellRows) -> None:
        exported = self.package.exported_at.isoformat()
        for at, after in self.session.execute(
            select(AuditEntry.at, AuditEntry.after).where(
                AuditEntry.action == PACKAGE_ACTION,
                AuditEntry.period_id == rows.period.id,
                AuditEntry.entity_id == rows.cell.id,
            )
        ):
            after = after or {}
            when = f"{format_date(at.date())} {at:%H:%M}"
            if after.get("checksum") == self.package.checksum:
                self.notes.append(f"Gói này đã được nhập lúc {when}.")
            elif str(after.get("exported_at", "")) > exported and self.changes:
                self.block(
                    f"Gói này xuất lúc {format_date(self.package.exported_at.date())} "
                    f"{self.package.exported_at:%H:%M}, cũ hơn gói của chi bộ đã nhập lúc "
                    f"{when}; không nhập để khỏi ghi số liệu cũ đè lên số liệu mới."
                )


def _item_shown(entry: Entry | None) -> str:
    """An item's value as the preview shows it: "đạt", "8", "7,5", with its note."""
    if entry is None:
        return "(chưa chấm)"
    value, note = entry
    shown = value_shown(read_value(value))
    if note:
        text = " ".join(note.split())
        shown += f" (ghi chú: {text if len(text) <= 60 else text[:59].rstrip() + '…'})"
    return shown


def _quarter_shown(rating: QuarterRating | None) -> str:
    """A quarter as the preview shows it: "tự chấm 95, cấp trên 92", levels by code, its note."""
    if rating is None:
        return "(chưa đánh giá)"
    parts = []
    for score, level, scored, placed in (
        (rating.self_score, rating.self_level, "tự chấm", "tự xếp loại"),
        (rating.superior_score, rating.superior_level, "cấp trên", "cấp trên xếp loại"),
    ):
        if score is not None:
            parts.append(f"{scored} {points(score)}")
        if level is not None:
            parts.append(f"{placed} {level}")
    if rating.note:
        text = " ".join(rating.note.split())
        parts.append(f"ghi chú: {text if len(text) <= 60 else text[:59].rstrip() + '…'}")
    return ", ".join(parts) or "(chưa đánh giá)"
