"""The commune's own review, entered on the appraisal page: the đảng bộ (or its standing
committee) assesses itself, the đảng ủy's conference votes, and the commune proposes a level to
the province. The province's decision is recorded beside it (``stage_actions.record_province``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.rules import Subject
from app.services.common.errors import ServiceError
from app.services.database import Database, StoreError
from app.services.periods import criteria_sets
from app.services.procedure import commune_review, item_scores
from app.services.procedure.commune_review import CommuneReview, CommuneSubject
from app.ui.evaluation.cell.item_checklist import ItemChecklistDialog
from app.ui.evaluation.cell.item_scoring import FROM_ITEMS_TIP
from app.ui.evaluation.org_facts import UNKNOWN, OrgFactsBox

RunDialog = Callable[[QDialog], bool]
# Opens the subject's item checklist; returns the sums as stored when it was saved (None: not
# saved). Given only where the period has a criteria set.
ScoreItems = Callable[[], tuple[float | None, float | None] | None]
NO_LEVEL = "(chưa có)"


class CommuneReviewDialog(QDialog):
    """One subject's review: the self-assessed level and summary, the facts the rules read
    (for the đảng bộ), the đảng ủy's vote per level and the level proposed to the province.
    *save* writes the values; a refusal stays in the dialog, naming the field."""

    def __init__(
        self,
        subject: CommuneSubject,
        levels: Sequence[tuple[str, str]],
        scored: bool,
        save: Callable[[CommuneReview], None],
        parent: QWidget | None = None,
        *,
        score_items: ScoreItems | None = None,
        by_items: bool = False,
    ) -> None:
        super().__init__(parent)
        self.subject = subject
        self._save = save
        review = subject.review
        self.setWindowTitle(f"Tự đánh giá — {subject.title}")
        intro = QLabel(
            f"Kết quả tự kiểm điểm của <b>{subject.title}</b>, biểu quyết tại hội nghị đảng ủy "
            "và mức đề nghị cấp trên. Mức xếp loại do Ban Thường vụ tỉnh ủy quyết định."
        )
        intro.setWordWrap(True)
        self.level = self._level_box(levels, review.level)
        self.text = QPlainTextEdit(review.text)
        self.text.setPlaceholderText("Tóm tắt báo cáo kiểm điểm")
        self.text.setTabChangesFocus(True)
        self.text.setMaximumHeight(80)
        own = QFormLayout()
        own.addRow("Mức &tự xếp loại", self.level)
        own.addRow("Tóm tắt", self.text)
        self.general = self._score_box(review.score_general)
        self.tasks = self._score_box(review.score_tasks)
        if scored:
            own.addRow("Điểm chung", self.general)
            own.addRow("Điểm nhiệm vụ", self.tasks)
        # Scoring item by item, where the period has a criteria set (issue 24): the two
        # scores are then the items' sums, read-only here.
        self.score_items = score_items
        self.items_button = QPushButton("C&hấm từng mục…")  # Alt+M is "có mặt"
        self.items_button.setToolTip("Chấm điểm từng mục theo bộ tiêu chí của kỳ đánh giá")
        self.items_button.clicked.connect(self._score_items)
        self.items_button.setVisible(scored and score_items is not None)
        if scored and score_items is not None:
            own.addRow("", self.items_button)
        self._show_by_items(by_items)

        self.facts = OrgFactsBox(with_committee_facts=True)
        self.facts.show_values(review)
        self.facts.setVisible(subject.kind == "org")  # the standing committee has none

        self.votes: dict[str, QSpinBox] = {}
        vote_row = QHBoxLayout()
        for code, label in levels:
            box = QSpinBox()
            box.setRange(0, 999)
            box.setValue(review.vote_counts.get(code, 0))
            box.setToolTip(label)
            self.votes[code] = box
            short = QLabel(code)
            short.setToolTip(label)  # the level's words behind its usual abbreviation
            short.setBuddy(box)
            vote_row.addWidget(short)
            vote_row.addWidget(box)
        vote_row.addStretch(1)
        self.voters_total = self._count_box(review.voters_total)
        self.voters_present = self._count_box(review.voters_present)
        voters_row = QHBoxLayout()
        voters_row.addWidget(self.voters_total)
        present_label = QLabel("có &mặt")
        present_label.setBuddy(self.voters_present)
        voters_row.addWidget(present_label)
        voters_row.addWidget(self.voters_present)
        voters_row.addStretch(1)
        self.proposed = self._level_box(levels, review.proposed_level)
        self.proposal_note = QLineEdit(review.proposal_note)
        upward = QFormLayout()
        upward.addRow("Đảng ủy viên được biểu &quyết", voters_row)
        upward.addRow("&Biểu quyết (số phiếu)", vote_row)
        upward.addRow("Mức đề &nghị cấp trên", self.proposed)
        upward.addRow("Ghi chú đề nghị", self.proposal_note)

        self.message = QLabel(subject.closed)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #8e0000;")
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(intro)
        body_layout.addLayout(own)
        body_layout.addWidget(self.facts)
        body_layout.addLayout(upward)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.addButton("&Lưu", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setEnabled(not subject.closed)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(640, 600)

    def _show_by_items(self, by_items: bool) -> None:
        for box in (self.general, self.tasks):
            box.setReadOnly(by_items)
            box.setToolTip(FROM_ITEMS_TIP if by_items else "")

    def _score_items(self) -> None:
        if self.score_items is None:
            return
        sums = self.score_items()
        if sums is None:
            return
        general, tasks = sums
        self.general.setValue(UNKNOWN if general is None else general)
        self.tasks.setValue(UNKNOWN if tasks is None else tasks)
        self._show_by_items(True)

    @staticmethod
    def _level_box(levels: Sequence[tuple[str, str]], current: str | None) -> QComboBox:
        box = QComboBox()
        box.addItem(NO_LEVEL, None)
        for code, label in levels:
            box.addItem(label, code)
        box.setCurrentIndex(max(box.findData(current), 0))
        return box

    @staticmethod
    def _count_box(value: int | None) -> QSpinBox:
        box = QSpinBox()
        box.setRange(UNKNOWN, 999)
        box.setSpecialValueText("chưa rõ")
        box.setValue(UNKNOWN if value is None else value)
        return box

    @staticmethod
    def _score_box(value: float | None) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(UNKNOWN, 100)
        box.setDecimals(1)
        box.setSpecialValueText("chưa chấm")
        box.setValue(UNKNOWN if value is None else value)
        return box

    def values(self) -> CommuneReview:
        general, tasks = self.general.value(), self.tasks.value()
        return CommuneReview(
            level=self.level.currentData(),
            text=self.text.toPlainText().strip(),
            score_general=None if general < 0 else general,
            score_tasks=None if tasks < 0 else tasks,
            **(self.facts.values() if self.subject.kind == "org" else {}),
            voters_total=None if self.voters_total.value() < 0 else self.voters_total.value(),
            voters_present=(
                None if self.voters_present.value() < 0 else self.voters_present.value()
            ),
            vote_counts={code: box.value() for code, box in self.votes.items() if box.value()},
            proposed_level=self.proposed.currentData(),
            proposal_note=self.proposal_note.text().strip(),
        )

    def _accept(self) -> None:
        try:
            self._save(self.values())
        except (ServiceError, StoreError) as error:
            self.message.setText(f"Chưa lưu được: {error}")
            return
        self.accept()


def review_commune(
    run_dialog: RunDialog,
    parent: QWidget,
    db: Database,
    year: int,
    kind: commune_review.Kind,
    levels: Sequence[tuple[str, str]],
    scored: bool,
    actor: str,
) -> bool:
    """Show the commune's review of *kind* and save it; True when it was saved."""
    subjects = {s.kind: s for s in commune_review.load(db, year)}
    if kind not in subjects:
        return False

    subject = subjects[kind]

    def save(review: CommuneReview) -> None:
        commune_review.save(db, year, kind, review, actor)

    scored_subject = Subject("org" if kind == "org" else "collective", subject.org_id)
    score_items: ScoreItems | None = None
    by_items = False
    if criteria_sets.period_criteria(db, year) is not None:
        by_items = bool(item_scores.entered_sheets(db, year, [scored_subject]))

        def score_items() -> tuple[float | None, float | None] | None:
            try:
                checklist = ItemChecklistDialog(
                    db, year, scored_subject, subject.title, lambda: actor,
                    editable=not subject.closed, parent=parent,
                )  # fmt: skip
            except ServiceError as error:
                dialog.message.setText(str(error))
                return None
            saved = run_dialog(checklist)
            checklist.deleteLater()
            if not saved or checklist.saved is None:
                return None
            sums = (checklist.saved.general, checklist.saved.tasks)
            return tuple(None if x is None else float(x) for x in sums)  # type: ignore[return-value]

    dialog = CommuneReviewDialog(
        subject, levels, scored, save, parent, score_items=score_items, by_items=by_items
    )
    return run_dialog(dialog)
