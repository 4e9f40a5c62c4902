"""The rule-set window: see the period's rule set, copy one and adjust it for a province."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from PySide6.QtWidgets import QDialog, QLineEdit

from app.services.periods import lifecycle as periods
from app.services.periods import rule_sets as rulesets
from app.ui.evaluation.rule_sets import AdjustDialog, RuleSetDialog, parse_ratio
from app.ui.shell.main_window import MainWindow

from .keyboard import clear_and_type, type_text


def test_parse_ratio_reads_what_users_type() -> None:
    assert parse_ratio("20%") == Fraction(1, 5)
    assert parse_ratio("0,25") == Fraction(1, 4)
    assert parse_ratio("2/3") == Fraction(2, 3)
    assert parse_ratio("25") == Fraction(1, 4)
    assert parse_ratio("hai mươi") is None


def test_the_period_rule_set_is_shown_with_levels_and_citations(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    periods.create_period(window.db, 2026, rulesets.get("qd366-2025"), dt.date(2026, 12, 31))
    shown: list[RuleSetDialog] = []
    monkeypatch.setattr(window, "run_dialog", lambda d: shown.append(d) or False)
    window.show_rulesets()
    [dialog] = shown
    assert dialog.picker.currentText().startswith("Kỳ đánh giá năm 2026: Quy định 366-QĐ/TW")
    levels = dialog.tabs.widget(0)
    texts = {levels.item(r, 1).text() for r in range(levels.rowCount())}
    assert {"Hoàn thành xuất sắc nhiệm vụ", "Không hoàn thành nhiệm vụ", "Miễn sinh hoạt"} <= texts
    checks = dialog.tabs.widget(2)
    citations = [checks.item(r, 3).text() for r in range(checks.rowCount())]
    assert any("Hướng dẫn 21-HD/BTCTW" in c for c in citations)
    labels = [checks.item(r, 0).text() for r in range(checks.rowCount())]
    assert "Nghỉ ốm dài ngày (R4)" in labels


def test_copy_and_adjust_for_a_province(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    periods.create_period(window.db, 2026, rulesets.get("qd366-2025"), dt.date(2026, 12, 31))
    dialog = RuleSetDialog({2026: periods.ruleset_of(window.db, 2026)})
    qtbot.addWidget(dialog)
    dialog.picker.setCurrentIndex(
        next(i for i, c in enumerate(dialog.items) if c.ruleset.id == "qd366-2025" and i > 0)
    )

    def fill(adjust: QDialog) -> bool:
        assert isinstance(adjust, AdjustDialog)
        clear_and_type(adjust.new_id, "qd366-dienbien")
        clear_and_type(adjust.new_name, "Quy định 366 — hướng dẫn của Tỉnh ủy Điện Biên")
        row = next(i for i, p in enumerate(adjust.params) if p.path == "member_quota.rate")
        editor = adjust.editors[row]
        assert isinstance(editor, QLineEdit) and editor.text() == "20%"
        clear_and_type(editor, "25%")
        assert adjust.changes() == {"member_quota.rate": Fraction(1, 4)}
        adjust.save()
        return adjust.result() == QDialog.DialogCode.Accepted

    dialog.run = fill  # type: ignore[method-assign]
    dialog.copy_current()
    current = dialog.current()
    assert current.editable and current.ruleset.id == "qd366-dienbien"
    assert current.ruleset.member_quota is not None
    assert current.ruleset.member_quota.rate == Fraction(1, 4)
    assert "điều chỉnh của qd366-2025" in dialog.picker.currentText()
    # The period created before keeps the rule set it was created with.
    assert periods.ruleset_of(window.db, 2026).member_quota.rate == Fraction(1, 5)


def test_a_bad_value_is_named(qtbot) -> None:  # type: ignore[no-untyped-def]
    adjust = AdjustDialog(rulesets.get("qd132-2018"), copy=True)
    qtbot.addWidget(adjust)
    row = next(i for i, p in enumerate(adjust.params) if p.path == "vote.thresholds.HTXSNV")
    editor = adjust.editors[row]
    assert isinstance(editor, QLineEdit)
    clear_and_type(editor, "nhiều")
    adjust.save()
    assert "không phải tỷ lệ" in adjust.errors.text()
    clear_and_type(adjust.new_id, "Bản Sao!")
    type_text(editor, "")
    clear_and_type(editor, "2/3")
    adjust.save()
    assert "Mã" in adjust.errors.text() or "id" in adjust.errors.text()
    assert adjust.result() != QDialog.DialogCode.Accepted
