"""Shared fixtures. The Qt platform and the data folder are set before anything imports Qt."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

# A headless run aborts without this; it must be set before the first QApplication exists.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
# The whole run gets an empty home of its own: no test may pass because of something the
# developer's machine has cached (a font cache, a Qt setting), and none may leave anything in
# the real home. Subprocesses inherit it.
_SESSION_HOME = Path(tempfile.mkdtemp(prefix="danhgia-test-home-"))
os.environ["HOME"] = str(_SESSION_HOME)
for _name, _folder in (
    ("XDG_CACHE_HOME", ".cache"),
    ("XDG_CONFIG_HOME", ".config"),
    ("XDG_DATA_HOME", ".local/share"),
    ("XDG_STATE_HOME", ".local/state"),
    ("XDG_RUNTIME_DIR", "run"),
):
    (_SESSION_HOME / _folder).mkdir(parents=True, exist_ok=True)
    os.environ[_name] = str(_SESSION_HOME / _folder)
(_SESSION_HOME / "run").chmod(0o700)  # Qt refuses a runtime folder others can read
# Every test lives on the same day, whatever the machine's calendar says (app/domain/clock.py):
# the demo takes its years from it, and no test may start failing on 1 January. A test that
# cares about the day sets its own with clock.fixed(…).
SESSION_TODAY = "2026-11-25"
os.environ["DANHGIA_TODAY"] = SESSION_TODAY
# Nor the user's keyring (a server database's password, app/store/server.py): the null keyring
# holds nothing; a test that needs one sets its own.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
# Nothing a test does may touch the real user's data folder.
_SESSION_DATA = Path(tempfile.mkdtemp(prefix="danhgia-test-data-"))
os.environ["DANHGIA_DATA_DIR"] = str(_SESSION_DATA)

import pytest  # noqa: E402

from app.store.database import Database  # noqa: E402
from tests.postgres import Cluster, PostgresMissing  # noqa: E402

# The built bundle's tests need the bundle: `make package-test` names it; the default run leaves
# them out rather than skipping them.
collect_ignore = [] if os.environ.get("DANHGIA_BUNDLE") else ["packaging/test_bundle.py"]

NETWORK_FAMILIES = {socket.AF_INET, socket.AF_INET6}


class NetworkAccessError(AssertionError):
    pass


NETWORK_ATTEMPTS: list[str] = []


@pytest.fixture(autouse=True, scope="session")
def no_network() -> Iterator[None]:
    """The app never uses the network: any TCP/UDP connect during the suite raises, and is
    recorded so that a library swallowing the error still fails the test (see below)."""
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex

    def refuse(address: object) -> NetworkAccessError:
        NETWORK_ATTEMPTS.append(repr(address))
        return NetworkAccessError(f"network connection attempted to {address!r}")

    def guarded(self: socket.socket, address: object) -> object:
        if self.family in NETWORK_FAMILIES:
            raise refuse(address)
        return original_connect(self, address)

    def guarded_ex(self: socket.socket, address: object) -> object:
        if self.family in NETWORK_FAMILIES:
            raise refuse(address)
        return original_connect_ex(self, address)

    socket.socket.connect = guarded  # type: ignore[method-assign]
    socket.socket.connect_ex = guarded_ex  # type: ignore[method-assign]
    yield
    socket.socket.connect = original_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = original_connect_ex  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def no_network_attempt_left(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test during which anything tried to connect, even if the error was caught."""
    NETWORK_ATTEMPTS.clear()
    yield
    expected = request.node.get_closest_marker("network_probe") is not None
    if NETWORK_ATTEMPTS and not expected:
        attempts = ", ".join(NETWORK_ATTEMPTS)
        NETWORK_ATTEMPTS.clear()
        pytest.fail(f"network connection attempted during the test: {attempts}")


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own data folder: settings, backups and rule-set copies never leak
    from one test into another."""
    path = tmp_path / "data"
    monkeypatch.setenv("DANHGIA_DATA_DIR", str(path))
    return path


@pytest.fixture(scope="session")
def template_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="danhgia-templates-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _template(template_dir: Path, name: str, fill: object = None) -> Path:
    path = template_dir / f"{name}.sqlite"
    if not path.exists():
        with Database.open(path, create=True) as db:
            if callable(fill):
                fill(db)
    return path


@pytest.fixture(scope="session")
def empty_template(template_dir: Path) -> Path:
    """A database migrated to the current head, with no data."""
    return _template(template_dir, "empty")


@pytest.fixture(scope="session")
def demo_template(template_dir: Path) -> Path:
    """The commune demo's organisations and members (no evaluation periods), once per session."""
    from app.services.demo.commune import create_demo

    return _template(
        template_dir, "demo", lambda db: create_demo(db, "commune", with_periods=False)
    )


@pytest.fixture(scope="session")
def full_demo_template(template_dir: Path) -> Path:
    """The whole commune demo as `danhgia demo` makes it: last year decided, this year under
    way with cells at every step."""
    from app.services.demo.commune import create_demo

    return _template(template_dir, "full-demo", lambda db: create_demo(db, "commune"))


def _copy(template: Path, target: Path) -> Path:
    shutil.copyfile(template, target)
    return target


@pytest.fixture
def db_path(tmp_path: Path, empty_template: Path) -> Path:
    return _copy(empty_template, tmp_path / "test.sqlite")


# DANHGIA_TEST_ENGINE=postgresql: the plain fixtures below (db, demo_db, full_demo_db) give
# server databases too, to see what of the rest of the suite runs on PostgreSQL (a test that
# reads the file itself fails then). The suite's own two-engine tests use any_db & co.
ALL_ON_SERVER = os.environ.get("DANHGIA_TEST_ENGINE") == "postgresql"


@pytest.fixture
def db(db_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    if ALL_ON_SERVER:
        yield from _any(request, "postgresql", "empty", "db_path")
        return
    database = Database.open(db_path)
    yield database
    database.close()


@pytest.fixture
def demo_path(tmp_path: Path, demo_template: Path) -> Path:
    return _copy(demo_template, tmp_path / "demo.sqlite")


@pytest.fixture
def full_demo_path(tmp_path: Path, full_demo_template: Path) -> Path:
    return _copy(full_demo_template, tmp_path / "full-demo.sqlite")


@pytest.fixture
def full_demo_db(full_demo_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    if ALL_ON_SERVER:
        yield from _any(request, "postgresql", "full-demo", "db_path")
        return
    database = Database.open(full_demo_path)
    yield database
    database.close()


@pytest.fixture
def demo_db(demo_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    if ALL_ON_SERVER:
        yield from _any(request, "postgresql", "demo", "db_path")
        return
    database = Database.open(demo_path)
    yield database
    database.close()


# ---- PostgreSQL: the same tests on a server database (tests/postgres.py) -----------------------

ENGINES = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """A private PostgreSQL cluster for the session, started at the first test that needs it.
    Its password is where the app looks for one (DANHGIA_DB_PASSWORD), as on a clerk's PC
    whose keyring has none. Fails, naming the package to install, when PostgreSQL is missing."""
    try:
        cluster = Cluster.start()
    except PostgresMissing as missing:
        pytest.fail(str(missing), pytrace=False)
    previous = os.environ.get("DANHGIA_DB_PASSWORD")
    os.environ["DANHGIA_DB_PASSWORD"] = cluster.password
    try:
        yield cluster
    finally:
        if previous is None:
            os.environ.pop("DANHGIA_DB_PASSWORD", None)
        else:
            os.environ["DANHGIA_DB_PASSWORD"] = previous
        cluster.stop()


_PG_TEMPLATES: dict[str, str] = {}


def _pg_template(cluster: Cluster, name: str, fill: object = None) -> str:
    """A template database migrated to the head (and filled by *fill*), once per session."""
    if name not in _PG_TEMPLATES:
        dbname = cluster.create(cluster.new_name(f"tpl_{name}"))
        with Database.open(cluster.url(dbname), create=True) as db:
            if callable(fill):
                fill(db)
        _PG_TEMPLATES[name] = dbname
    return _PG_TEMPLATES[name]


def _demo(db: Database) -> None:
    from app.services.demo.commune import create_demo

    create_demo(db, "commune", with_periods=False)


def _full_demo(db: Database) -> None:
    from app.services.demo.commune import create_demo

    create_demo(db, "commune")


_FILLS = {"empty": None, "demo": _demo, "full-demo": _full_demo}


# Databases of the tests that have ended, oldest first, dropped a few tests later: a window of a
# test may still read its database from a timer while Qt deletes it, after the test's end (a
# SQLite file is still there then; a dropped database is not).
_PG_FINISHED: list[list[str]] = []
_PG_KEPT_TESTS = 5


@pytest.fixture
def pg_url(postgres: Cluster) -> Iterator[Callable[[str], str]]:
    """``pg_url(kind)``: the URL of a fresh database on the test cluster, copied from the
    session's template *kind* ("empty", "demo", "full-demo", or "none": a database with
    nothing in it), or from a database this test made (*kind* is its URL; nothing may be
    connected to it then, as to a file being copied). Dropped a few tests later, or with
    the cluster."""
    while len(_PG_FINISHED) >= _PG_KEPT_TESTS:
        for name in _PG_FINISHED.pop(0):
            postgres.drop(name)
    made: list[str] = []
    _PG_FINISHED.append(made)

    def make(kind: str = "empty") -> str:
        if kind.startswith("postgresql://"):
            template: str | None = kind.rsplit("/", 1)[1]
        else:
            template = None if kind == "none" else _pg_template(postgres, kind, _FILLS[kind])
        made.append(postgres.create(postgres.new_name(), template))
        return postgres.url(made[-1])

    yield make


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    """Each test that asks runs twice: on a SQLite file and on a PostgreSQL server database."""
    return str(request.param)


def _any(request: pytest.FixtureRequest, engine: str, kind: str, file: str) -> Iterator[Database]:
    if engine == "sqlite":
        location: object = request.getfixturevalue(file)
    else:
        location = request.getfixturevalue("pg_url")(kind)
    database = Database.open(location)
    yield database
    database.close()


@pytest.fixture
def any_db(request: pytest.FixtureRequest, engine_name: str) -> Iterator[Database]:
    """The commune demo's organisations and members (as ``demo_db``), on each engine."""
    yield from _any(request, engine_name, "demo", "demo_path")


@pytest.fixture
def any_full_demo_db(request: pytest.FixtureRequest, engine_name: str) -> Iterator[Database]:
    """The whole commune demo (as ``full_demo_db``), on each engine."""
    yield from _any(request, engine_name, "full-demo", "full_demo_path")


@pytest.fixture
def any_empty_db(request: pytest.FixtureRequest, engine_name: str) -> Iterator[Database]:
    """A database migrated to the head with nothing in it (as ``db``), on each engine."""
    yield from _any(request, engine_name, "empty", "db_path")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_SESSION_DATA, ignore_errors=True)
    shutil.rmtree(_SESSION_HOME, ignore_errors=True)
