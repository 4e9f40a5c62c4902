"""The window on a shared database (issue 23): with users in it, the window signs in and works
as that user; a clerk limited to other communes cannot write this commune's records nor
receive another commune's report through the window; and a save made from an old reading —
someone else changed the record meanwhile — is not written unasked: the user reads who changed
what, and reloads or overwrites. The conflict is tried on a SQLite file and on a PostgreSQL
server database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.domain.procedure import CellStep
from app.services import database
from app.services.access import users
from app.services.access.permissions import own_commune
from app.services.procedure import board as procedure_board
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.settings import Settings
from app.store.database import Database
from app.store.models import AuditEntry
from app.ui.common import ask
from app.ui.common.tasks import SyncRunner
from app.ui.evaluation.cell.steps import SelfReviewPage
from app.ui.files.password_dialogs import AskPasswordDialog
from app.ui.province.report_import import ReceiveReportDialog
from app.ui.shell.main_window import MainWindow
from app.ui.shell.sign_in import SignedIn, sign_in

from .conftest import AUTUMN_DAY

YEAR = AUTUMN_DAY.year
PASSWORDS = {"admin1": "Quản trị tỉnh 2026", "clerk_here": "Chuyên viên xã này",
             "clerk_other": "Chuyên viên xã khác"}  # fmt: skip


def _office(db: Database) -> str:
    """Users on *db*: an administrator, a clerk of its commune, a clerk of another."""
    with db.session() as session:
        code = own_commune(session)
    users.add_user(db, "admin1", "admin", password=PASSWORDS["admin1"])
    users.add_user(db, "clerk_here", "clerk", communes=[code or "XNT"], actor="admin1",
                   password=PASSWORDS["clerk_here"])  # fmt: skip
    users.add_user(db, "clerk_other", "clerk", communes=["XKHAC"], actor="admin1",
                   password=PASSWORDS["clerk_other"])  # fmt: skip
    return code


def _signed(db: Database, login: str) -> SignedIn:
    return SignedIn(users.sign_in(db, login, PASSWORDS[login]))


def _window(qtbot: QtBot, db: Database, settings: Settings, who: SignedIn | None) -> MainWindow:
    main = MainWindow(db, settings, SyncRunner(), today=lambda: AUTUMN_DAY, signed_in=who)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    qtbot.waitExposed(main)
    return main


def _self_review_member(db: Database) -> tuple[int, int]:
    cell = next(
        r.cell_id for r in procedure_board.board(db, YEAR) if r.step is CellStep.SELF_REVIEW
    )
    view = procedure_view.cell_view(db, YEAR, cell)
    return cell, next(m.member_id for m in view.members if m.evaluated)


def _line(db: Database, cell: int, member: int) -> procedure_view.MemberLine:
    return procedure_view.cell_view(db, YEAR, cell).member(member)


def _open_member(window: MainWindow, cell: int, member: int) -> SelfReviewPage:
    window.open_cell(cell)
    procedure = window.evaluation.cell
    procedure.open_step(1)
    page = procedure.self_review
    row = [m.member_id for m in page.grid.grid_model.rows].index(member)
    page.grid.setCurrentIndex(page.grid.grid_model.index(row, 0))
    page._show_member()
    return page


def _type_note_and_enter(qtbot: QtBot, page: SelfReviewPage, text: str) -> None:
    """The member box's "Căn cứ" line, typed and saved with Enter (as a clerk does)."""
    page.note.setFocus()
    page.note.setText(text)  # Vietnamese text: set, not key-clicked (see tests/gui/keyboard)
    QApplication.processEvents()
    qtbot.keyClick(page.note, Qt.Key.Key_Return)  # Enter saves, as the box's button
    QApplication.processEvents()


# ---- signing in --------------------------------------------------------------------------


def test_a_database_with_users_asks_who_signs_in(
    full_demo_db: Database, settings: Settings, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert sign_in(full_demo_db, settings) == SignedIn(None)  # no users: nothing asked
    _office(full_demo_db)
    tries: list[str] = []

    def answer(login: str, password: str) -> Callable[[QDialog], bool]:
        def fill(dialog: QDialog) -> bool:
            assert isinstance(dialog, AskPasswordDialog) and dialog.login_field is not None
            tries.append(dialog.error.text() if dialog.error.isVisibleTo(dialog) else "")
            dialog.login_field.setText(login)
            dialog.field.setText(password)
            return True

        return fill

    answers = iter([answer("clerk_here", "sai rồi"), answer("clerk_here", PASSWORDS["clerk_here"])])
    signed = sign_in(full_demo_db, settings, lambda d: next(answers)(d))
    assert signed is not None and signed.login == "clerk_here"
    assert tries == ["", "Tên đăng nhập hoặc mật khẩu không đúng. Còn 2 lần thử."]
    assert settings.get("last_login") == "clerk_here"  # the login, never the password
    assert PASSWORDS["clerk_here"] not in Path(settings.path).read_text(encoding="utf-8")

    window = _window(qtbot, full_demo_db, settings, signed)
    assert window.actor() == "clerk_here"
    assert window.windowTitle().endswith(" — clerk_here (chuyên viên)")

    warned: list[str] = []
    monkeypatch.setattr(ask, "warn", lambda _p, title, text, details="": warned.append(text))
    wrong = answer("clerk_here", "vẫn sai")
    assert sign_in(full_demo_db, settings, wrong) is None  # three wrong tries: the app closes
    assert warned and "Đã thử 3 lần" in warned[0]


# ---- who may write -----------------------------------------------------------------------


def test_a_clerk_of_another_commune_cannot_write_here_through_the_window(
    full_demo_db: Database, settings: Settings, qtbot: QtBot
) -> None:
    code = _office(full_demo_db)
    cell, member = _self_review_member(full_demo_db)
    before = _line(full_demo_db, cell, member).facts_note

    other = _window(qtbot, full_demo_db, settings, _signed(full_demo_db, "clerk_other"))
    assert other.saved_label.text() == "Chỉ xem: không ghi được dữ liệu của đảng bộ này"
    assert f"phụ trách XKHAC: không được ghi dữ liệu của đảng bộ mã {code}" in (
        other.saved_label.toolTip()
    )
    page = _open_member(other, cell, member)
    _type_note_and_enter(qtbot, page, "Kết luận số 12 của UBKT")
    banner = other.evaluation.cell.banner
    assert banner.isVisibleTo(other)
    assert f"phụ trách XKHAC: không được ghi dữ liệu của đảng bộ mã {code}" in banner.text()
    assert _line(full_demo_db, cell, member).facts_note == before  # nothing written
    other.close()

    here = _window(qtbot, full_demo_db, settings, _signed(full_demo_db, "clerk_here"))
    assert here.saved_label.text() == "Dữ liệu được lưu ngay khi nhập"
    page = _open_member(here, cell, member)
    _type_note_and_enter(qtbot, page, "Kết luận số 12 của UBKT")
    assert _line(full_demo_db, cell, member).facts_note == "Kết luận số 12 của UBKT"
    with full_demo_db.session() as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
    assert last.actor == "clerk_here"


def test_a_clerk_cannot_receive_another_communes_report_in_the_window(
    full_window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    empty_template: Path,
) -> None:  # fmt: skip
    from tests.gui.test_province_window import _answer, _export, _receive
    from tests.services.reports.helpers import written

    monkeypatch.setattr(ask, "inform", lambda *_a: None)
    file = _export(full_window, tmp_path / "bao-cao.dgr", monkeypatch, None)  # commune XNT
    path = tmp_path / "tinh.sqlite"
    path.write_bytes(empty_template.read_bytes())
    province_db = Database.open(path)
    try:
        users.add_user(province_db, "admin1", "admin", password=PASSWORDS["admin1"])
        users.add_user(province_db, "clerk_other", "clerk", communes=["XKHAC"], actor="admin1",
                       password=PASSWORDS["clerk_other"])  # fmt: skip
        province = _window(qtbot, province_db, Settings(tmp_path / "tinh.json"),
                           _signed(province_db, "clerk_other"))  # fmt: skip
        before = written(province_db)
        problems: list[str] = []

        def receive(dialog: QDialog) -> bool:
            assert isinstance(dialog, ReceiveReportDialog)
            dialog.receive_button.click()
            problems.append(dialog.problem.text())
            return dialog.result() == QDialog.DialogCode.Accepted

        shown = _receive(province, file, monkeypatch, receive)
        assert [type(d).__name__ for d in shown] == ["ReceiveReportDialog"]
        assert "phụ trách XKHAC: không được ghi dữ liệu của đảng bộ mã XNT" in problems[0]
        assert written(province_db) == before  # nothing stored, nothing logged
        _answer(province)
        province.close()
    finally:
        province_db.close()


# ---- conflicting saves -------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def two_clients(
    request: pytest.FixtureRequest, full_demo_path: Path, pg_url: Callable[[str], str],
    tmp_path: Path,
) -> Iterator[tuple[Database, Database]]:  # fmt: skip
    """The window's database and a second client of it (another PC on the same database)."""
    if request.param == "postgresql":
        mine = database.open_database(pg_url("full-demo"))
        theirs = Database.open(mine.location)
    else:
        path = tmp_path / "xa.sqlite"
        path.write_bytes(full_demo_path.read_bytes())
        mine = Database.open(path)
        theirs = Database(mine.location, None)  # beside the instance lock, as a second PC
    yield mine, theirs
    theirs.close()
    mine.close()


def test_a_save_over_someone_elses_newer_one_asks_first(
    two_clients: tuple[Database, Database], settings: Settings, qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    mine, theirs = two_clients
    cell, member = _self_review_member(mine)
    window = _window(qtbot, mine, settings, None)
    page = _open_member(window, cell, member)

    def lan_writes(text: str) -> None:  # the other clerk, on the other PC
        line = _line(theirs, cell, member)
        review = page._review_of(line, text=text)
        procedure_steps.save_self_review(theirs, YEAR, member, review, "lan", line.version)

    asked: list[str] = []
    choice: list[bool] = []
    monkeypatch.setattr(ask, "confirm", lambda _p, _t, text, *_a: asked.append(text) or choice[0])

    # Lan saves first; my Enter, from the older reading, asks. "Tải lại bản mới": hers stays,
    # the page shows it, and what I typed is not written.
    lan_writes("Bản tự kiểm điểm do đồng chí Lan nhập.")
    choice.append(False)
    _type_note_and_enter(qtbot, page, "Căn cứ tôi nhập")
    assert len(asked) == 1
    assert "lan đã thay đổi “" in asked[0] and "Chưa ghi gì" in asked[0]
    assert "Ghi đè bằng bản anh/chị vừa nhập (bản tự kiểm điểm của " in asked[0]
    line = _line(mine, cell, member)
    assert line.self_review == "Bản tự kiểm điểm do đồng chí Lan nhập."
    assert line.facts_note != "Căn cứ tôi nhập"
    assert page.text.toPlainText() == "Bản tự kiểm điểm do đồng chí Lan nhập."  # reloaded
    assert "Đã tải lại bản mới." in window.evaluation.cell.banner.text()

    # Now read afresh, my save goes through without a question.
    _type_note_and_enter(qtbot, page, "Căn cứ tôi nhập")
    assert len(asked) == 1
    assert _line(mine, cell, member).facts_note == "Căn cứ tôi nhập"

    # Lan changes it again; this time I overwrite with mine, knowingly.
    lan_writes("Đồng chí Lan sửa lần hai.")
    choice[0] = True
    _type_note_and_enter(qtbot, page, "Căn cứ tôi sửa")
    assert len(asked) == 2 and "lan đã thay đổi" in asked[1]
    line = _line(mine, cell, member)
    assert line.facts_note == "Căn cứ tôi sửa"
    assert line.self_review == "Bản tự kiểm điểm do đồng chí Lan nhập."  # mine, as I read it
    with mine.session() as session:
        actors = session.scalars(
            select(AuditEntry.actor).order_by(AuditEntry.id.desc()).limit(4)
        ).all()
    assert actors[0] == window.actor() and "lan" in actors


def test_a_decision_over_someone_elses_newer_one_asks_first(
    two_clients: tuple[Database, Database], settings: Settings, qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """The commune's appraisal page: a level decided meanwhile by another clerk is not
    overwritten unasked."""
    from app.services.procedure import appraisal
    from app.ui.evaluation.level_dialog import LevelDialog
    from tests.gui.test_low_reason_window import cell_at, member_item

    mine, theirs = two_clients
    cell = cell_at(mine, YEAR, CellStep.SUBMITTED)
    subject = next(
        m.subject for m in procedure_view.cell_view(mine, YEAR, cell).members
        if m.evaluated and m.proposed_level == "HTTNV"
    )  # fmt: skip
    window = _window(qtbot, mine, settings, None)
    window.show_appraisal()
    page = window.evaluation.appraisal
    appraisal.change_level(theirs, YEAR, subject, "HTNV", "Theo kết luận kiểm tra", "lan")

    def decide(dialog: QDialog) -> bool:
        assert isinstance(dialog, LevelDialog)
        dialog.level.setCurrentIndex(dialog.level.findData("HTXSNV"))
        dialog.reason.setText("Có thành tích đột xuất")
        return True

    asked: list[str] = []
    told: list[str] = []
    choice: list[bool] = [False]
    monkeypatch.setattr(ask, "confirm", lambda _p, _t, text, *_a: asked.append(text) or choice[0])
    monkeypatch.setattr(ask, "inform", lambda _p, title, text: told.append(f"{title}: {text}"))
    page.run_dialog = decide  # type: ignore[method-assign]

    def decided() -> str | None:
        view = appraisal.appraisal_view(mine, YEAR)
        return next(r.decided_level for r in view.rows if r.subject == subject)

    page.tree.setCurrentItem(member_item(page, subject))  # the row as read before Lan's change
    page.change_selected()
    assert len(asked) == 1 and "lan đã thay đổi" in asked[0] and "(mức quyết định)" in asked[0]
    assert told and told[0].startswith("Đã tải lại bản mới: Không lưu được:")
    assert decided() == "HTNV"  # Lan's stands

    appraisal.change_level(theirs, YEAR, subject, "HTTNV", "Giữ như chi bộ đề xuất", "lan")
    choice[0] = True  # this time: overwrite, knowingly
    page.tree.setCurrentItem(member_item(page, subject))
    page.change_selected()
    assert len(asked) == 2
    assert decided() == "HTXSNV"
