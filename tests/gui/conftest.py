"""A main window on a copy of the demo commune, with background work run synchronously."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.domain import clock
from app.settings import Settings
from app.store.database import Database
from app.ui.common import ask
from app.ui.common.tasks import SyncRunner
from app.ui.shell.application import make_application
from app.ui.shell.main_window import MainWindow

TODAY = clock.today()  # the session's day (tests/conftest.py)
# The whole demo's year under way is seen in late November, while cells are at every step.
AUTUMN_DAY = dt.date(TODAY.year, 11, 25)


@pytest.fixture(scope="session")
def qapp_cls():  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    return QApplication


@pytest.fixture(autouse=True)
def app_setup(qapp):  # type: ignore[no-untyped-def]
    """The same fonts and Vietnamese Qt words as the real start."""
    make_application()
    return qapp


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "settings.json")


@pytest.fixture
def window(qtbot: QtBot, demo_db: Database, settings: Settings) -> Iterator[MainWindow]:
    main = MainWindow(demo_db, settings, SyncRunner(), today=lambda: TODAY)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    qtbot.waitExposed(main)
    yield main


@pytest.fixture
def full_window(qtbot: QtBot, full_demo_db: Database, settings: Settings) -> Iterator[MainWindow]:
    """A main window on the whole demo (last year decided, this year under way), seen on
    ``AUTUMN_DAY``."""
    main = MainWindow(full_demo_db, settings, SyncRunner(), today=lambda: AUTUMN_DAY)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    qtbot.waitExposed(main)
    yield main


@pytest.fixture(autouse=True)
def _reserve_full() -> None:
    """The window tops up PySide6's lost references every few seconds (app/ui/shell/qt_fixes);
    a test does a clerk's hour of work in seconds without the timer running, so it tops up
    before each test."""
    from app.ui.shell import qt_fixes

    qt_fixes.top_up()


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the window tells the user (ask.inform and ask.warn), "title: text", in order."""
    messages: list[str] = []
    monkeypatch.setattr(ask, "inform", lambda _p, title, text: messages.append(f"{title}: {text}"))
    monkeypatch.setattr(
        ask, "warn", lambda _p, title, text, details="": messages.append(f"{title}: {text}")
    )
    return messages
