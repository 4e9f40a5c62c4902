"""Issue 19, items 3 and 4 on the demo commune at 1366×768: the reasons of low levels read as
words (their codes only on hover), the quota cites the period's own rule set, the summary of
the year under way says its figures are provisional, and the commune's decision of a year not
yet decided prints as a draft with no figures posing as its result."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QTreeWidget, QTreeWidgetItem, QTreeWidgetItemIterator
from sqlalchemy import select

from app.domain import clock
from app.domain.rules import RuleSet
from app.services.periods import lifecycle as periods
from app.services.printing import documents as printing
from app.services.procedure import low_reason_choice, quota_simulator, stages
from app.store.database import Database
from app.store.models import Organization
from app.ui.evaluation.appraisal import COLUMNS, REASON, SUBJECT_ROLE
from app.ui.evaluation.level_dialog import LevelDialog
from app.ui.evaluation.low_reason_dialog import LowReasonDialog
from app.ui.evaluation.quota_dialog import QuotaDialog
from app.ui.reports.summary import NOT_YET, PROVISIONAL
from app.ui.shell.main_window import MainWindow

THIS_YEAR = clock.today().year  # the demo's year under way (QĐ 366)
LAST_YEAR = THIS_YEAR - 1  # decided
SHOTS = os.environ.get("DANHGIA_SHOTS")  # a folder: save screenshots there to look at them


def _shot(widget: object, name: str) -> None:
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, name))  # type: ignore[attr-defined]


def reason_codes(rs: RuleSet) -> re.Pattern[str]:
    """Any of the rule set's reason codes (R1…R9, DIEM, TYLE, HC, NV, KHAC) as a word."""
    assert rs.low_levels is not None
    codes = sorted((r.code for r in rs.low_levels.reasons), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, codes)) + r")(?![\w-])")


def items(tree: QTreeWidget) -> Iterator[QTreeWidgetItem]:
    """Every line of the tree, folded ones too."""
    it = QTreeWidgetItemIterator(tree)
    while it.value():
        yield it.value()
        it += 1


def test_the_appraisal_page_shows_reasons_in_words(full_window: MainWindow) -> None:
    full_window.show_appraisal()
    page = full_window.evaluation.appraisal
    assert page.view is not None
    rs = page.view.ruleset
    codes = reason_codes(rs)
    labels = {r.label for r in rs.low_levels.reasons} if rs.low_levels else set()
    shown_reasons = []
    for item in items(page.tree):
        for column in range(len(COLUMNS)):
            assert not codes.search(item.text(column)), (item.text(0), item.text(column))
        if item.text(REASON):
            shown_reasons.append(item)
    assert shown_reasons, "the demo's year has low levels with a reason"
    for item in shown_reasons:
        assert item.text(REASON) in labels
        assert codes.search(item.toolTip(REASON)), "the code stays on hover"
        assert "Căn cứ:" in item.toolTip(REASON)
    # The current row's reason, in full under the tree, in words.
    page.tree.setCurrentItem(shown_reasons[0])
    assert not page.detail.isHidden()
    assert shown_reasons[0].text(REASON) in page.detail.text()
    assert not codes.search(page.detail.text())
    # Nothing of the page's own lines is a code either.
    for label in (page.title, page.quota_text, page.banner):
        assert not codes.search(label.text())
    _shot(page, "appraisal.png")


def test_the_reason_chooser_lists_words(full_window: MainWindow) -> None:
    db = full_window.db
    full_window.show_appraisal()
    page = full_window.evaluation.appraisal
    assert page.view is not None
    codes = reason_codes(page.view.ruleset)
    members = [r.subject for r in page.view.rows if r.subject.kind == "member"]
    asked = next(
        s
        for s in members
        if (q := low_reason_choice.question(db, THIS_YEAR, s, "KHTNV")) is not None and q.asks
    )
    item = next(i for i in items(page.tree) if i.data(0, SUBJECT_ROLE) == asked)
    page.tree.setCurrentItem(item)
    seen: list[LevelDialog] = []

    def look(dialog: QDialog) -> bool:
        assert isinstance(dialog, LevelDialog)
        dialog.level.setCurrentIndex(dialog.level.findData("KHTNV"))
        combo = dialog.low_reason.combo
        texts = [combo.itemText(i) for i in range(combo.count())]
        assert texts and not any(codes.search(t) for t in texts), texts
        assert "Còn hạn chế, khuyết điểm chưa khắc phục" in texts
        for i in range(combo.count()):
            tip = combo.itemData(i, Qt.ItemDataRole.ToolTipRole)
            assert f"(mã {combo.itemData(i)})" in tip  # the code, on hover only
        hint = dialog.low_reason.hint
        assert not hint.isHidden() and not codes.search(hint.text())
        assert "bị kỷ luật trong năm" in hint.text()
        assert not codes.search(dialog.low_reason.heading.text())
        dialog.show()
        _shot(dialog, "level-dialog.png")
        seen.append(dialog)
        return False

    page.run_dialog = look  # type: ignore[method-assign]
    page.change_selected()
    assert len(seen) == 1

    # The vote step's dialog asks the same way.
    question = low_reason_choice.question(db, THIS_YEAR, asked, "KHTNV")
    assert question is not None
    dialog = LowReasonDialog(question, item.text(0))
    combo = dialog.picker.combo
    assert not any(codes.search(combo.itemText(i)) for i in range(combo.count()))
    assert not codes.search(dialog.picker.hint.text())


def test_a_reason_the_engine_knows_is_named_in_words(full_window: MainWindow) -> None:
    db = full_window.db
    rs = periods.ruleset_of(db, THIS_YEAR)
    codes = reason_codes(rs)
    known = [
        r for r in stages.stage_rows(db, THIS_YEAR) if r.subject.kind == "member" and r.low_reason
    ]
    automatic = None
    for row in known:
        level = row.level("decided") or row.level("proposed")
        question = low_reason_choice.question(db, THIS_YEAR, row.subject, level)
        if question is not None and question.automatic:
            automatic = question
            break
    assert automatic is not None, "the demo has a low level the engine explains"
    assert not codes.search(automatic.automatic_text)
    dialog = LowReasonDialog(automatic, "Đảng viên")
    heading = dialog.picker.heading
    assert automatic.automatic_text in heading.text() and not codes.search(heading.text())
    assert automatic.automatic in heading.toolTip()


def test_the_quota_cites_the_period_s_own_rule_set(full_window: MainWindow) -> None:
    db = full_window.db
    assert periods.ruleset_of(db, THIS_YEAR).id.startswith("qd366")
    source = quota_simulator.commune_input(db, THIS_YEAR)
    dialog = QuotaDialog(source, "Đảng bộ xã Na Tông", full_window)
    dialog.show()
    citation = dialog.limit.text().split("căn cứ:", 1)[1]
    assert "366-QĐ/TW" in citation and "124" not in citation
    assert "366" in dialog.ruleset.text() and "124" not in dialog.ruleset.text()
    # The whole "chuyển … xuống HTTNV" button is readable: not cut at the dialog's width.
    button = dialog.lower_button
    assert button.width() >= button.sizeHint().width()
    # It fits a 1366×768 screen (the headless screen is smaller: its own size is no guide).
    least = dialog.minimumSizeHint()
    assert least.width() <= 1366 and least.height() <= 700
    _shot(dialog, "quota.png")
    dialog.close()
    # The appraisal page's quota line cites the same.
    full_window.show_appraisal()
    tip = full_window.evaluation.appraisal.quota_text.toolTip()
    assert "366-QĐ/TW" in tip and "124" not in tip


def test_the_summary_of_the_year_under_way_is_provisional(full_window: MainWindow) -> None:
    window = full_window
    window.select_root()
    window.show_tab(window.summary_page)
    tab = window.summary
    tab.year.setCurrentIndex(tab.year.findData(THIS_YEAR))
    assert tab.report is not None and tab.report.summary.year == THIS_YEAR
    assert not tab.provisional.isHidden()
    assert PROVISIONAL in tab.provisional.text()
    assert f"So sánh với năm {LAST_YEAR}" in tab.provisional.text()
    headers = [tab.figures.horizontalHeaderItem(c).text() for c in range(6)]
    assert "tạm thời" in headers[1] and "tạm thời" in headers[5]
    # A cell with no level yet shows "chưa có", not four zeros.
    level_columns = range(2, tab.detail.columnCount() - 1)
    pending = [
        r
        for r in range(tab.detail.rowCount())
        if all(tab.detail.item(r, c).text() == NOT_YET for c in level_columns)
    ]
    assert pending, "the demo has cells that have not proposed yet"
    assert all(tab.detail.item(r, c).text() != "0" for r in pending for c in level_columns)
    _shot(window, "summary.png")

    # The decided year is not labelled.
    tab.year.setCurrentIndex(tab.year.findData(LAST_YEAR))
    assert tab.provisional.isHidden()
    assert "tạm thời" not in tab.figures.horizontalHeaderItem(1).text()
    assert not any(
        tab.detail.item(r, c).text() == NOT_YET
        for r in range(tab.detail.rowCount())
        for c in level_columns
    )


def _commune(db: Database) -> int:
    with db.session() as session:
        found = session.scalar(select(Organization.id).where(Organization.parent_id.is_(None)))
    assert found is not None
    return found


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_the_decision_of_a_year_not_decided_is_a_draft_without_zeros(
    full_demo_db: Database,
) -> None:
    db = full_demo_db
    assert not periods.get_period(db, THIS_YEAR).state.is_decided
    rendered = printing.render_document(db, THIS_YEAR, "decision", _commune(db), issue=True)
    pages = _pages(rendered.pdf)
    assert all("DỰ THẢO" in page for page in pages)
    assert rendered.number == ""  # a draft takes no number from the register
    article1 = " ".join(pages).split("Điều 1.", 1)[1].split("Điều 2.", 1)[0]
    # No level with "0 … (0%)" posing as the year's result, and nobody "not classified"
    # who is only not decided yet.
    assert not re.search(r": 0 (?:tổ chức|tập thể|đồng chí) \(0%\)", article1), article1
    assert "không xếp loại" not in article1
    assert "chưa có mức xếp loại được quyết định" in article1 or "chưa quyết định" in article1
    annex = " ".join(pages).split("PHỤ LỤC", 1)[1]
    assert "Không xếp loại" not in annex and "Chưa quyết định" in annex


def test_the_summary_exported_from_the_tab_for_the_year_under_way_is_a_draft(
    full_window: MainWindow,
    tmp_path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    from app.ui.common import ask

    window = full_window
    window.select_root()
    window.show_tab(window.summary_page)
    tab = window.summary
    monkeypatch.setattr(ask, "inform", lambda *_a: None)
    for year, draft in ((THIS_YEAR, True), (LAST_YEAR, False)):
        tab.year.setCurrentIndex(tab.year.findData(year))
        target = tmp_path / f"tong-hop-{year}.pdf"
        monkeypatch.setattr(ask, "save_file", lambda *_a, target=target: target)
        tab.export_pdf()
        text = " ".join(_pages(target.read_bytes()))
        assert ("DỰ THẢO" in text) is draft, year
        assert ("số liệu tạm thời" in text) is draft, year
