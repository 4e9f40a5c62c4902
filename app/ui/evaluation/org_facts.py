"""The facts the rules read about an organisation's year, entered by the user with their
grounds: disunity, targets below half, tasks on time, exceeded and behind schedule, last year's
shortcomings remedied, a member disciplined for corruption or degradation, and — for a
committee, not a cell — its government and mass organisations rated lowest. The cell's page and
the commune's own review show the same box."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.ui.common.widgets import set_tri_state, tri_state_value

UNKNOWN = -1  # a spin box's "chưa rõ"


def percent_box() -> QSpinBox:
    box = QSpinBox()
    box.setRange(UNKNOWN, 100)
    box.setSpecialValueText("chưa rõ")
    box.setSuffix(" %")
    return box


def _percent(share: float | None) -> int:
    return UNKNOWN if share is None else round(share * 100)


def _share(box: QSpinBox) -> float | None:
    return None if box.value() == UNKNOWN else box.value() / 100


class OrgFactsBox(QGroupBox):
    """The facts of one organisation; ``show_values`` reads them from any record that has the
    fields by name, ``values`` gives them back by the same names."""

    def __init__(self, with_committee_facts: bool, parent: QWidget | None = None) -> None:
        super().__init__("Căn cứ các quy tắc đọc", parent)
        self.with_committee_facts = with_committee_facts
        self.disunity = QCheckBox("Có kết luận mất đoàn kết nội bộ")
        self.below_half = QCheckBox("Hoàn thành dưới 50% chỉ tiêu, nhiệm vụ")
        self.degradation = QCheckBox("Có đảng viên bị kỷ luật do tham nhũng, suy thoái")
        self.government = QCheckBox("Chính quyền cùng cấp xếp loại mức thấp nhất")
        self.mass_orgs = QSpinBox()
        self.mass_orgs.setRange(0, 20)
        self.on_time = QCheckBox("100% nhiệm vụ đúng tiến độ")
        self.remedied = QCheckBox("Đã khắc phục hạn chế đã chỉ ra")
        for box in (self.on_time, self.remedied):
            box.setToolTip("Ô có gạch ngang: chưa rõ (không tính là có, không tính là không)")
        self.exceeded = percent_box()
        self.late = percent_box()
        self.late.setToolTip("Tỷ lệ nhiệm vụ hoàn thành chậm so với kế hoạch trong năm")
        self.note = QLineEdit()
        self.note.setPlaceholderText("Căn cứ của các ô trên (ví dụ: Kết luận số … của UBKT)")
        form = QFormLayout(self)
        for box in (self.disunity, self.below_half, self.degradation):
            form.addRow(box)
        if with_committee_facts:
            form.addRow(self.government)
            form.addRow("Số đoàn thể xếp loại thấp nhất", self.mass_orgs)
        form.addRow(self.on_time)
        form.addRow("Nhiệm vụ vượt yêu cầu", self.exceeded)
        form.addRow("Nhiệm vụ chậm tiến độ", self.late)
        form.addRow(self.remedied)
        form.addRow("Căn cứ", self.note)

    def show_values(self, record: Any) -> None:
        self.disunity.setChecked(record.disunity)
        self.below_half.setChecked(record.tasks_below_half)
        self.degradation.setChecked(record.member_degradation_disciplined)
        self.government.setChecked(getattr(record, "government_lowest", False))
        self.mass_orgs.setValue(getattr(record, "mass_orgs_lowest", 0))
        set_tri_state(self.on_time, record.all_tasks_on_time)
        set_tri_state(self.remedied, record.shortcomings_remedied)
        self.exceeded.setValue(_percent(record.tasks_exceeded_share))
        self.late.setValue(_percent(record.tasks_late_share))
        self.note.setText(record.facts_note)

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "disunity": self.disunity.isChecked(),
            "tasks_below_half": self.below_half.isChecked(),
            "member_degradation_disciplined": self.degradation.isChecked(),
            "all_tasks_on_time": tri_state_value(self.on_time),
            "shortcomings_remedied": tri_state_value(self.remedied),
            "tasks_exceeded_share": _share(self.exceeded),
            "tasks_late_share": _share(self.late),
            "facts_note": self.note.text().strip(),
        }
        if self.with_committee_facts:
            values["government_lowest"] = self.government.isChecked()
            values["mass_orgs_lowest"] = self.mass_orgs.value()
        return values


class OrgFactsDialog(QDialog):
    """The cell's facts in a dialog of their own, opened from the self-review step."""

    def __init__(self, name: str, record: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Căn cứ xếp loại — {name}")
        intro = QLabel(
            "Ghi những điều đã có kết luận hoặc số liệu; ô để trống hay “chưa rõ” không tính "
            "là có, không tính là không."
        )
        intro.setWordWrap(True)
        self.facts = OrgFactsBox(with_committee_facts=False)
        self.facts.show_values(record)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("&Lưu", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.facts)
        layout.addWidget(buttons)
