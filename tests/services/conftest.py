"""The services' tests run on both engines: each test that opens a database runs twice, on a
SQLite file (``[sqlite]``) and on a database of the test PostgreSQL cluster (``[postgresql]``).

Here the plain fixtures are parametrised by engine: ``db_path``, ``demo_path`` and
``full_demo_path`` are where a fresh database is (a copy of the template file, or on the server
a database copied from the template there: its URL, which ``Database.open`` and ``--db`` take
as they take a path), ``db``, ``demo_db`` and ``full_demo_db`` that database opened,
``new_database`` makes another, and ``copy_of`` copies one as a cell copies the commune's
file. Any of them brings in ``engine_name``, which pytest_generate_tests below parametrises.

A test whose subject is the SQLite file itself (its bytes, a backup of it, the file a
decrypted backup restores to…) is marked ``sqlite_file``; a heavy one whose subject does not
depend on the engine (PDF layout, a demo's shape) ``engine_independent``: either runs on
SQLite alone, still named ``[sqlite]``. Nothing is skipped.

``DANHGIA_TEST_ENGINE=postgresql`` (tests/conftest.py) leaves the PostgreSQL half alone.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.store.database import Database
from tests.conftest import ALL_ON_SERVER, ENGINES

SQLITE_ONLY = ("sqlite_file", "engine_independent")
"""The markers that keep a test on SQLite alone (registered in pyproject.toml)."""

Location = Path | str
"""A SQLite file, or a server database's URL: what Database.open and ``--db`` take."""
CopyOf = Callable[[Location, str], Location]
NewDatabase = Callable[[str, str], Location]


def engines_of(definition: pytest.Function) -> tuple[str, ...]:
    if any(definition.get_closest_marker(name) for name in SQLITE_ONLY):
        return ("sqlite",)
    return ("postgresql",) if ALL_ON_SERVER else ENGINES


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine_name" in metafunc.fixturenames:
        engines = engines_of(metafunc.definition)
        metafunc.parametrize("engine_name", engines, indirect=True)


@pytest.fixture
def engine_name(request: pytest.FixtureRequest) -> str:
    """The engine of this run of the test: "sqlite" or "postgresql" (parametrised above)."""
    return str(request.param)


_TEMPLATES = {"empty": "empty_template", "demo": "demo_template", "full-demo": "full_demo_template"}


@pytest.fixture
def new_database(request: pytest.FixtureRequest, engine_name: str, tmp_path: Path) -> NewDatabase:
    """``new_database(kind, name)``: a fresh database on this run's engine, not open — a copy
    of the session's template *kind* ("empty", "demo", "full-demo"), or with "none" nothing
    at all (``Database.open(…, create=True)`` makes it): the file *name*.sqlite in the test's
    folder, or a server database's URL."""

    def make(kind: str, name: str) -> Location:
        if engine_name == "postgresql":
            return str(request.getfixturevalue("pg_url")(kind))
        target = tmp_path / f"{name}.sqlite"
        if kind == "none":
            return target
        return Path(shutil.copyfile(request.getfixturevalue(_TEMPLATES[kind]), target))

    return make


@pytest.fixture
def db_path(new_database: NewDatabase) -> Location:
    """A database migrated to the head with nothing in it, on this run's engine (not open)."""
    return new_database("empty", "test")


@pytest.fixture
def demo_path(new_database: NewDatabase) -> Location:
    """The commune demo's organisations and members, on this run's engine (not open)."""
    return new_database("demo", "demo")


@pytest.fixture
def full_demo_path(new_database: NewDatabase) -> Location:
    """The whole commune demo, on this run's engine (not open)."""
    return new_database("full-demo", "full-demo")


def _opened(location: Location) -> Iterator[Database]:
    database = Database.open(location)
    yield database
    database.close()


@pytest.fixture
def db(db_path: Location) -> Iterator[Database]:
    yield from _opened(db_path)


@pytest.fixture
def demo_db(demo_path: Location) -> Iterator[Database]:
    yield from _opened(demo_path)


@pytest.fixture
def full_demo_db(full_demo_path: Location) -> Iterator[Database]:
    yield from _opened(full_demo_path)


@pytest.fixture
def copy_of(request: pytest.FixtureRequest, tmp_path: Path) -> CopyOf:
    """``copy_of(location, name)``: a copy of the database at *location*, on its engine — a
    file *name*.sqlite beside the test's others, or a server database copied from it. Nothing
    may have it open (a server copies only a database nobody is connected to)."""

    def copy(location: Location, name: str) -> Location:
        if str(location).startswith("postgresql://"):
            return str(request.getfixturevalue("pg_url")(str(location)))
        return Path(shutil.copyfile(location, tmp_path / f"{name}.sqlite"))

    return copy
