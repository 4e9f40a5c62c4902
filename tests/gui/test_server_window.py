"""The window on a database on a PostgreSQL server (issue 23): it shows the commune as on a
file, names the server in its title, and says that backups are the server's."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from app.services import database
from app.services.roster import quick_read
from app.settings import Settings
from app.store.database import Database
from app.ui.common import ask
from app.ui.common.tasks import SyncRunner
from app.ui.shell import application
from app.ui.shell.first_start import FirstStartDialog
from app.ui.shell.main_window import MainWindow

from .conftest import AUTUMN_DAY


@pytest.fixture
def server_window(
    qtbot: QtBot, pg_url: Callable[[str], str], settings: Settings
) -> Iterator[MainWindow]:
    db = database.open_database(pg_url("full-demo"))
    main = MainWindow(db, settings, SyncRunner(), today=lambda: AUTUMN_DAY)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    qtbot.waitExposed(main)
    yield main
    db.close()


def test_the_window_shows_the_commune_on_the_server(server_window: MainWindow) -> None:
    db = server_window.db
    assert db.is_server
    assert server_window.windowTitle() == (
        f"DanhGia — Đảng bộ xã Na Tông — máy chủ {db.location.dbname} @ 127.0.0.1"
    )
    assert server_window.members.model.rowCount() == len(quick_read.list_members(db)) > 500
    assert server_window.counts_label.text().startswith("35 chi bộ · ")


def test_backups_are_the_servers_in_the_window(
    server_window: MainWindow, said: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ask, "save_file", lambda *_a: pytest.fail("no file is asked for"))
    server_window.run_dialog = lambda _d: pytest.fail("no dialog")  # type: ignore[method-assign]
    server_window.restore_requested = lambda _backup: pytest.fail("nothing to restore")
    server_window.backup()
    server_window.restore_backup()
    assert len(said) == 2 and all(m.startswith("Sao lưu và khôi phục: ") for m in said)
    assert "pg_dump" in said[0] and server_window.db.name in said[0]
    server_window.show_data_folder()
    assert server_window.db.name in said[-1] and "pg_dump" in said[-1]
    server_window.close()  # the daily backup on close: none of a server database
    assert not list(tmp_path.rglob("*.sqlite"))


def test_an_empty_server_database_gets_the_first_start(
    pg_url: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = pg_url("none")
    shown: list[str] = []

    def first(dialog: QDialog) -> bool:
        assert isinstance(dialog, FirstStartDialog)
        shown.extend(label.text() for label in dialog.findChildren(QLabel))
        dialog.demo_button.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    real = application.first_start
    monkeypatch.setattr(application, "first_start", lambda path: real(path, first))
    db = application.open_database(database.location_of(url))
    assert isinstance(db, Database)
    with db:
        assert db.is_server and len(quick_read.list_members(db)) > 500
    assert any("máy chủ PostgreSQL" in text for text in shown)
    assert any(url in text for text in shown)
    # Opened again, it is the commune's database: no first start.
    monkeypatch.setattr(application, "first_start", lambda path: pytest.fail("first start"))
    again = application.open_database(database.location_of(url))
    assert again is not None
    again.close()


def test_an_unreachable_server_is_said_at_start(said: list[str]) -> None:
    from tests.postgres import free_port

    url = f"postgresql://can_bo:bi-mat@127.0.0.1:{free_port()}/danhgia"
    assert application.open_database(database.location_of(url)) is None
    assert len(said) == 1 and said[0].startswith(
        "Không mở được cơ sở dữ liệu: Không kết nối được máy chủ"
    )
    assert "bi-mat" not in said[0]
