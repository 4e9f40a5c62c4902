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
        self.grid.clicked.connect(lambda _i: self._explain())
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet("background: #eef4fb; padding: 6px;")
        self.take_all = QPushButton("Lấy mức theo kết quả biểu quyết cho các dòng chưa đề xuất")
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
                width=210,
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
                    width=64,
                    editable=lambda r: _votable(r),
                )
            )
        columns += [
            Column(
                "Kết quả",
                lambda r: r.suggested_level or "",
                width=90,
                tooltip=lambda r: r.vote_explanation,
            ),
            Column(
                "Đề xuất",
                lambda r: r.proposed_level,
                lambda r, v: self._save_proposal(r, v),
                kind="choice",
                choices=level_choices(view, "member"),
                width=100,
                editable=lambda r: _votable(r),
            ),
            # The reason recorded with a low level: the code, its text on hover.
            Column(
                "Lý do",
                lambda r: r.low_reason,
                width=60,
                tooltip=lambda r: reason_tooltip(view.ruleset, r.low_reason),
            ),
            Column(
                "Ghi chú",
                lambda r: r.proposal_note if _votable(r) else f"Không xếp loại: {r.reason_label}",
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
            for number, column in enumerate(columns):
                if column.width:
                    self.grid.setColumnWidth(number, column.width)
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
        self.take_all.setEnabled(view.editable)
        self._explain()

    def _explain(self) -> None:
        row = self.grid.current_row()
        if row is None:
            self.explanation.setText("Chọn một dòng để xem kết quả được tính thế nào.")
            return
        parts = [p for p in (row.vote_explanation, row.suggestion_reason) if p]
        self.explanation.setText(" ".join(dict.fromkeys(parts)) or "Chưa nhập số phiếu.")

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
        counts = dict(row.vote_counts)
        counts[code] = int(value or 0)
        save: Callable[[], object] = lambda: procedure_steps.save_votes(  # noqa: E731
            self.host.db, self.year, row.subject, counts, self.host.actor()
        )
        if row.subject.kind == "member":  # the votes on the operator's own record ask too
            save = guarded(self.host, self.year, row.subject.id, "kết quả biểu quyết", save)
        self.host.run(save)

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
        save: Callable[[], object] = lambda: procedure_steps.set_proposal(  # noqa: E731
            self.host.db,
            self.year,
            row.subject,
            chosen,
            actor=self.host.actor(),
            reason=reason or None,
        )
        if row.subject.kind == "member":  # the operator's own record asks first
            save = guarded(self.host, self.year, row.subject.id, "mức đề xuất", save)
        self.host.run(save)

    def _take_suggestions(self) -> None:
        assert self.view is not None
        pending = [
            r
            for r in self._rows(self.view)
            if r.proposed_level is None and r.suggested_level is not None
        ]

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


# ---- ⑤ minutes and submission -----------------------------------------------------------


class SubmitPage(StepPage):
    def __init__(self, host: CellHost) -> None:
        super().__init__(host)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.grid = Grid(
            [
                Column(
                    "Họ và tên / tổ chức",
                    lambda r: r.full_name if isinstance(r, MemberLine) else r.name,
                    width=240,
                ),
                Column("Tự xếp loại", lambda r: r.self_level or "", width=100),
                Column(
                    "Biểu quyết",
                    lambda r: r.suggested_level or "",
                    width=100,
                    tooltip=lambda r: r.vote_explanation,
                ),
                Column("Chi bộ đề xuất", lambda r: r.proposed_level or "", width=120),
                Column("Đảng ủy quyết định", lambda r: r.decided_level or "", width=140),
                Column(
                    "Lý do mức thấp",
                    lambda r: r.low_reason,
                    width=110,
                    tooltip=lambda r: (
                        reason_tooltip(self.view.ruleset, r.low_reason) if self.view else ""
                    ),
                ),
                Column("Lý do thay đổi", lambda r: r.decision_reason),
            ]
        )
        self.submit_button = QPushButton("Nộp kết quả lên đảng ủy")
        self.submit_button.clicked.connect(self.host_advance)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.grid, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.submit_button)
        layout.addLayout(row)

    def host_advance(self) -> None:
        self.host.advance()

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
        else:
            state = (
                "Khi đủ kết quả biểu quyết và mức đề xuất, bấm “Nộp kết quả lên đảng ủy”. "
                "Sau khi nộp, chi bộ không sửa được nữa trừ khi đảng ủy trả lại."
            )
        self.summary.setText(f"Đề xuất của chi bộ: {listing}. {state}")
        self.submit_button.setEnabled(view.step is CellStep.VOTING and view.editable)
