"""Steps ④ and ⑤ of a cell's procedure: the vote (ballots, counts, the proposal with its
reason) and the submission to the commune."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from app.domain.formatting import format_int
from app.domain.procedure import CellStep
from app.domain.rules import Subject
from app.domain.rules.low_reasons import reason_label
from app.services.procedure import steps as procedure_steps
from app.services.procedure.view import CellView, MemberLine, OrgLine, vote_ceiling
from app.ui.common.grid import Column, Grid
from app.ui.evaluation.cell.steps import StepPage, level_choices
from app.ui.evaluation.low_reason_dialog import ask_reason, reason_tooltip
from app.ui.roster.own_record import guarded

if TYPE_CHECKING:
    from app.ui.evaluation.cell.host import CellHost


# ---- ④ votes ----------------------------------------------------------------------------

VoteRow = MemberLine | OrgLine


class VotingPage(StepPage):
    def __init__(self, host: CellHost) -> None:
        super().__init__(host)
        self.issued = QSpinBox()
        self.returned = QSpinBox()
        self.valid = QSpinBox()
        for spin in (self.issued, self.returned, self.valid):
            spin.setRange(0, 999)
        save_ballots = QPushButton("Lưu số phiếu")
        save_ballots.clicked.connect(self._save_ballots)
        self.save_ballots = save_ballots
        self.ballots_box = QGroupBox("Số phiếu (bỏ phiếu kín)")
        ballots = QHBoxLayout(self.ballots_box)
        for label, spin in (
            ("Phát ra", self.issued),
            ("Thu về", self.returned),
            ("Hợp lệ", self.valid),
        ):
            ballots.addWidget(QLabel(label))
            ballots.addWidget(spin)
        ballots.addWidget(save_ballots)
        ballots.addStretch(1)
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.grid = Grid([])
        # The explanation follows the grid's current row however it moves (arrows, Tab,
        # Enter, a click), so it always speaks of the row the cursor is on.
        self.grid.selectionModel().currentRowChanged.connect(lambda _c, _p: self._explain())
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet("background: #eef4fb; padding: 6px;")
        self.take_all = QPushButton("Đề xuất theo kết quả biểu quyết")
        self.take_all.setToolTip(
            "Lấy mức theo kết quả biểu quyết làm mức đề xuất cho các dòng đã kiểm phiếu mà "
            "chưa có mức đề xuất."
        )
        self.take_all.clicked.connect(self._take_suggestions)
        layout = QVBoxLayout(self)
        layout.addWidget(self.ballots_box)
        layout.addWidget(self.header)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.explanation)
        row = QHBoxLayout()
        # Issue 10: the tally entered by two tellers, and the quota simulator.
        self.two_tellers = QPushButton("Hai người nhập kiểm phiếu…")
        self.two_tellers.clicked.connect(self._two_tellers)
        self.simulate = QPushButton("Mô phỏng tỷ lệ xuất sắc…")
        self.simulate.clicked.connect(self._simulate)
        row.addWidget(self.two_tellers)
        row.addWidget(self.simulate)
        row.addStretch(1)
        row.addWidget(self.take_all)
        layout.addLayout(row)

    def _two_tellers(self) -> None:
        from app.ui.evaluation.cell.tally_entry import open_tally_entry

        open_tally_entry(self.host, self, self.year, self.cell_id)

    def _simulate(self) -> None:
        from app.services.procedure import quota_simulator
        from app.ui.evaluation.quota_dialog import open_quota_dialog

        source = quota_simulator.cell_input(self.host.db, self.year, self.cell_id)
        open_quota_dialog(source, self.view.cell_name if self.view else "", self)

    def _columns(self, view: CellView) -> list[Column[VoteRow]]:
        member_scale = view.ruleset.member_levels
        columns: list[Column[VoteRow]] = [
            Column(
                "Họ và tên / tổ chức",
                lambda r: r.full_name if isinstance(r, MemberLine) else r.name,
            ),
        ]
        for level in member_scale.levels:
            code = level.code
            columns.append(
                Column(
                    level.short,
                    lambda r, c=code: r.vote_counts.get(c, 0) or None,
                    lambda r, v, c=code: self._save_vote(r, c, v),
                    kind="int",
                    editable=lambda r: _votable(r),
                )
            )
        columns += [
            Column("Kết quả", vote_result, tooltip=vote_tooltip),
            Column(
                "Đề xuất",
                lambda r: r.proposed_level,
                lambda r, v: self._save_proposal(r, v),
                kind="choice",
                choices=level_choices(view, "member"),
                editable=lambda r: _votable(r),
            ),
            # The reason recorded with a low level, in words (a sentence: it wraps); its code
            # and basis on hover.
            Column(
                "Lý do",
                lambda r: reason_label(view.ruleset, r.low_reason) if r.low_reason else "",
                tooltip=lambda r: reason_tooltip(view.ruleset, r.low_reason),
                wrap=True,
            ),
            Column(
                "Ghi chú",
                lambda r: r.proposal_note if _votable(r) else f"Không xếp loại: {r.reason_label}",
                wrap=True,
            ),
        ]
        return columns

    def _rows(self, view: CellView) -> list[VoteRow]:
        rows: list[VoteRow] = [view.cell]
        if view.collective is not None:
            rows.append(view.collective)
        rows += [m for m in view.members if m.evaluated]
        return rows

    def show_view(self, view: CellView) -> None:
        first = self.view is None or self.grid.grid_model.columnCount() == 0
        super().show_view(view)
        if first:
            columns = self._columns(view)
            self.grid.grid_model.columns = columns
            self.grid.grid_model.beginResetModel()
            self.grid.grid_model.endResetModel()
        self.grid.set_rows(self._rows(view))
        meeting = view.meeting
        secret = meeting is None or meeting.secret_ballot
        self.ballots_box.setVisible(secret)
        if meeting is not None:
            self.issued.setValue(meeting.ballots_issued or 0)
            self.returned.setValue(meeting.ballots_returned or 0)
            self.valid.setValue(meeting.ballots_valid or 0)
        ceiling, label = vote_ceiling(meeting, view.voters_present)
        self.header.setText(
            f"{format_int(view.voters)} đảng viên chính thức được biểu quyết, "
            f"{format_int(view.voters_present)} có mặt. Mỗi dòng tối đa {format_int(ceiling)} "
            f"phiếu ({label}). Tỷ lệ tính trên {format_int(view.voters)} đảng viên chính thức."
        )
        self.ballots_box.setEnabled(view.editable)
        self.take_all.setEnabled(view.editable and bool(self._pending(view)))
        self._explain()

    def _pending(self, view: CellView) -> list[VoteRow]:
        """Rows whose ballots are counted and that have no proposal yet: what "Đề xuất theo
        kết quả biểu quyết" fills in. A row not counted yet has no result to take."""
        return [
            r
            for r in self._rows(view)
            if counted(r) and r.proposed_level is None and r.suggested_level is not None
        ]

    def _explain(self) -> None:
        row = self.grid.current_row()
        if row is None:
            self.explanation.setText("Chọn một dòng để xem kết quả được tính thế nào.")
            return
        self.explanation.setText(f"{row_name(row)}: {explanation(row)}")

    def _save_ballots(self) -> None:
        values = (
            self.issued.value() or None,
            self.returned.value() or None,
            self.valid.value() or None,
        )
        self.host.run(
            lambda: procedure_steps.save_ballots(
                self.host.db, self.year, self.cell_id, *values, self.host.actor()
            )
        )

    def _save_vote(self, row: VoteRow, code: str, value: object) -> None:
        before = dict(row.vote_counts)
        counts = {**before, code: int(value or 0)}

        def saving(counts: dict[str, int]) -> Callable[[], object]:
            save: Callable[[], object] = lambda: procedure_steps.save_votes(  # noqa: E731
                self.host.db, self.year, row.subject, counts, self.host.actor()
            )
            if row.subject.kind == "member":  # the votes on the operator's own record ask too
                save = guarded(self.host, self.year, row.subject.id, "kết quả biểu quyết", save)
            return save

        label = f"số phiếu {code} của {row_name(row)}"
        self.host.run(saving(counts), undo=saving(before), label=label)

    def _reason_for(self, row: VoteRow, level: str | None) -> str | None:
        """Ask the reason for a low level the engine cannot explain; None: cancelled."""
        name = row.full_name if isinstance(row, MemberLine) else row.name
        return ask_reason(
            self.host.run_dialog, self, self.host.db, self.year, row.subject, level, name
        )

    def _save_proposal(self, row: VoteRow, level: object) -> None:
        chosen = level if isinstance(level, str) else None
        reason = self._reason_for(row, chosen)
        if reason is None:  # cancelled: nothing saved, the grid shows the old level again
            self.host.refresh()
            return

        def proposing(
            level: str | None, reason: str | None, version: int | None = None
        ) -> Callable[[], object]:
            save: Callable[[], object] = lambda: procedure_steps.set_proposal(  # noqa: E731
                self.host.db, self.year, row.subject, level, note=row.proposal_note,
                actor=self.host.actor(), reason=reason, expected_version=version,
            )  # fmt: skip
            if row.subject.kind == "member":  # the operator's own record asks first
                save = guarded(self.host, self.year, row.subject.id, "mức đề xuất", save)
            return save

        # Compared with the version read (a member's row), so that a level someone else
        # proposed meanwhile is not overwritten unasked. Undo puts back the level proposed
        # before, with the reason recorded with it.
        read = row.version if isinstance(row, MemberLine) else None
        self.host.run(
            proposing(chosen, reason or None, read),
            undo=proposing(row.proposed_level, row.low_reason or None),
            label=f"mức đề xuất của {row_name(row)}",
            overwrite=proposing(chosen, reason or None),
        )

    def _take_suggestions(self) -> None:
        assert self.view is not None
        pending = self._pending(self.view)

        reasons: dict[Subject, str] = {}
        for r in pending:  # a low level the engine cannot explain asks its reason first
            reason = self._reason_for(r, r.suggested_level)
            if reason is None:
                return
            reasons[r.subject] = reason

        def propose(r: VoteRow) -> Callable[[], object]:
            return lambda: procedure_steps.set_proposal(
                self.host.db, self.year, r.subject, r.suggested_level,
                actor=self.host.actor(), reason=reasons[r.subject] or None,
            )  # fmt: skip

        def mine(r: VoteRow) -> bool:
            return r.subject.kind == "member" and r.subject.id == own

        def take() -> None:
            # The operator's own record goes last and asks first (declining it keeps the rest).
            for r in sorted(pending, key=mine):
                if r.subject.kind == "member":
                    guarded(self.host, self.year, r.subject.id, "mức đề xuất", propose(r))()
                else:
                    propose(r)()

        guard = self.host.own_guard
        own = guard.member_id() if guard is not None else None
        self.host.run(take)


def _votable(row: VoteRow) -> bool:
    return row.evaluated


def row_name(row: VoteRow) -> str:
    return row.full_name if isinstance(row, MemberLine) else row.name


NOT_COUNTED = "chưa kiểm phiếu"


def counted(row: VoteRow) -> bool:
    """The row's ballots are counted: a tally was saved for it (all zero is a tally too)."""
    return bool(row.vote_counts)


def vote_result(row: VoteRow) -> str:
    """The level the votes give, once they are counted; no level before (the rules would
    otherwise show the self-assessed level as if it had been voted)."""
    if not row.evaluated:
        return ""
    return (row.suggested_level or "") if counted(row) else NOT_COUNTED


def vote_tooltip(row: VoteRow) -> str:
    return explanation(row) if row.evaluated else ""


def explanation(row: VoteRow) -> str:
    """How the row's result follows from its votes, said once. The engine's reason already
    begins with the vote's own explanation ("Biểu quyết — HTTNV: 7/9 phiếu …") and adds any
    rule that lowered the level; the vote explanation alone is the fallback."""
    if not row.evaluated:
        return f"Không xếp loại: {row.reason_label}." if row.reason_label else "Không xếp loại."
    if not counted(row):
        return "Chưa kiểm phiếu; kết quả và mức đề xuất theo biểu quyết có khi nhập số phiếu."
    text = row.suggestion_reason or row.vote_explanation
    return text if text.endswith(".") else text + "."


# ---- ⑤ minutes and submission -----------------------------------------------------------


class SubmitPage(StepPage):
    def __init__(self, host: CellHost) -> None:
        super().__init__(host)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        # Two-line headings: at 1366×768 the seven columns fit without scrolling sideways.
        self.grid = Grid(
            [
                Column(
                    "Họ và tên / tổ chức",
                    lambda r: r.full_name if isinstance(r, MemberLine) else r.name,
                ),
                Column("Tự xếp\nloại", lambda r: r.self_level or ""),
                Column("Biểu quyết", vote_result, tooltip=vote_tooltip),
                Column("Chi bộ\nđề xuất", lambda r: r.proposed_level or ""),
                Column("Đảng ủy\nquyết định", lambda r: r.decided_level or ""),
                Column(
                    "Lý do\nmức thấp",
                    lambda r: (
                        reason_label(self.view.ruleset, r.low_reason)
                        if r.low_reason and self.view
                        else ""
                    ),
                    tooltip=lambda r: (
                        reason_tooltip(self.view.ruleset, r.low_reason) if self.view else ""
                    ),
                    wrap=True,
                ),
                Column("Lý do\nthay đổi", lambda r: r.decision_reason, wrap=True),
            ]
        )
        # One button per action: the results are submitted with the procedure's own
        # "Nộp kết quả lên đảng ủy ▸" under the page, which this page's words point to.
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.grid, 1)

    def show_view(self, view: CellView) -> None:
        super().show_view(view)
        rows: list[VoteRow] = [view.cell]
        if view.collective is not None:
            rows.append(view.collective)
        rows += [m for m in view.members if m.evaluated]
        self.grid.set_rows(rows)
        counts: dict[str, int] = {}
        for m in view.members:
            if m.evaluated and m.proposed_level:
                counts[m.proposed_level] = counts.get(m.proposed_level, 0) + 1
        listing = ", ".join(f"{format_int(n)} {code}" for code, n in counts.items()) or "chưa có"
        if view.step is CellStep.DECIDED:
            state = "Đảng ủy đã quyết định và khóa kết quả."
        elif view.step is CellStep.SUBMITTED:
            state = "Đã nộp; đang chờ đảng ủy thẩm định."
        elif view.step is CellStep.VOTING:
            state = (
                "Khi đủ kết quả biểu quyết và mức đề xuất, bấm “Nộp kết quả lên đảng ủy” ở "
                "cuối trang. Sau khi nộp, chi bộ không sửa được nữa trừ khi đảng ủy trả lại."
            )
        else:
            state = (
                "Nộp kết quả lên đảng ủy được khi chi bộ đã xong bước ④ Biểu quyết. Sau khi "
                "nộp, chi bộ không sửa được nữa trừ khi đảng ủy trả lại."
            )
        self.summary.setText(f"Đề xuất của chi bộ: {listing}. {state}")
