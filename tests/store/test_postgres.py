"""Server mode: the same database on PostgreSQL (issue 23). A private cluster runs for the
session (tests/postgres.py); each test gets databases of its own on it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from app.cli import main as cli
from app.domain import clock
from app.services import database as database_service
from app.services.demo import commune as demo_service
from app.services.periods import lifecycle as periods
from app.services.periods import rule_sets as rulesets
from app.services.procedure import board as procedure_board
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.services.roster import quick_read
from app.services.safekeeping import backups, maintenance
from app.services.summary import report as summary
from app.services.summary import text as summary_text
from app.store import migrations, server
from app.store.database import Database
from app.store.errors import (
    NotAFileDatabase,
    SchemaTooNew,
    ServerDatabaseForeign,
    ServerDatabaseMissing,
    ServerKeepsItsOwnBackups,
    ServerLoginRefused,
    ServerUnreachable,
    StoreError,
)
from app.store.server import ServerTarget
from tests.memory_keyring import MemoryKeyring, memory_keyring_fixture  # noqa: F401
from tests.postgres import Cluster, free_port
from tests.store.test_migrations import SAMPLE_ROWS, revisions_in_order

PgUrl = Callable[[str], str]
DECIDED = clock.today().year - 1  # the demo's last decided year


def connect(cluster: Cluster, url: str) -> psycopg.Connection:
    target = ServerTarget.parse(url)
    return psycopg.connect(
        host=target.host, port=target.port, dbname=target.dbname, user=target.user,
        password=cluster.password, autocommit=True,
    )  # fmt: skip


def counts(connection: psycopg.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'alembic_version'"
        )
    ]
    return {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


# ---- migrations -------------------------------------------------------------------------------


def test_every_migration_goes_up_and_down_on_postgresql(postgres: Cluster, pg_url: PgUrl) -> None:
    url = pg_url("none")
    target = ServerTarget.parse(url).resolved()
    order = revisions_in_order()
    for revision in order:
        migrations.upgrade(target, revision)
    with connect(postgres, url) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (order[-1],)
        ]
        tables = set(counts(connection))
    assert {"members", "organizations", "audit_log", "quarter_ratings"} <= tables
    for revision in [*reversed(order[:-1]), "base"]:
        migrations.downgrade(target, revision)
    with connect(postgres, url) as connection:
        assert counts(connection) == {}
        assert connection.execute("SELECT count(*) FROM alembic_version").fetchone() == (0,)
    migrations.upgrade(target)  # and up again, whole


def test_the_migrated_schema_is_the_models_on_postgresql(pg_url: PgUrl) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from app.store.engine import make_engine
    from app.store.models import Base

    engine = make_engine(ServerTarget.parse(pg_url("empty")).resolved())
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_each_migration_keeps_the_data_written_before_it_on_postgresql(
    postgres: Cluster, pg_url: PgUrl
) -> None:
    """The SQLite test's sample rows (tests/store/test_migrations.py), on PostgreSQL."""
    url = pg_url("none")
    target = ServerTarget.parse(url).resolved()
    order = revisions_in_order()
    with connect(postgres, url) as connection:
        # The sample rows are SQLite's SQL, which writes booleans as 0 and 1: this throwaway
        # database lets an integer be assigned to a boolean column so that they run unchanged.
        connection.execute(
            "UPDATE pg_cast SET castcontext = 'a' "
            "WHERE castsource = 'integer'::regtype AND casttarget = 'boolean'::regtype"
        )
        for index, revision in enumerate(order):
            migrations.upgrade(target, revision)
            for statement in SAMPLE_ROWS.get(revision, []):
                connection.execute(statement)
            written = counts(connection)
            if index + 1 < len(order):
                migrations.upgrade(target, order[index + 1])
                after = counts(connection)
                for table, number in written.items():
                    assert after.get(table) == number, f"{order[index + 1]} changed {table}"
        members = dict(connection.execute("SELECT id, code FROM members").fetchall())
        present = connection.execute("SELECT present FROM attendance").fetchone()
        defaults = connection.execute("SELECT of_collective, decided_by FROM org_disciplines")
        defaults_row = defaults.fetchone()
    # 0009 brings codes to capitals and leaves a collision for the user, as on SQLite.
    assert members == {1: "DV1", 2: "DV2", 3: "dv1", 4: "DV4"}
    assert present == (True,)
    assert defaults_row == (False, "")


# ---- opening a server database ------------------------------------------------------------------


def test_a_url_opens_migrates_and_reads(postgres: Cluster, pg_url: PgUrl) -> None:
    url = pg_url("none")
    with pytest.raises(ServerDatabaseMissing, match="còn trống"):
        Database.open(url)  # an empty database is filled only when asked
    assert not database_service.database_exists(database_service.location_of(url))
    with Database.open(url, create=True) as db:
        assert db.is_server and db.name == url and "@" in db.short_name
        with pytest.raises(NotAFileDatabase, match="máy chủ"):
            _ = db.path
    assert database_service.database_exists(database_service.location_of(url))
    with database_service.open_database(url) as db:  # up to date: opened as it is
        with db.session() as session:
            assert session.execute(text("SELECT 1")).scalar() == 1
        assert db.read("SELECT count(*) FROM organizations WHERE code = ?", ("X%?",)) == [(0,)]
        assert db.read("SELECT '50%', '?' WHERE ? LIKE 'a%'", ("abc",)) == [("50%", "?")]


def test_read_gives_what_sqlite_gives(engine_name: str, any_db: Database) -> None:
    """``Database.read`` (the window's first paint) answers alike on both engines."""
    rows = any_db.read(
        "SELECT established_on, code FROM organizations WHERE code LIKE ? ORDER BY code", ("CB%",)
    )
    assert rows and all(isinstance(day, str | None) for day, _code in rows)
    members = quick_read.list_members(any_db)
    assert len(members) > 500 and members[0].admitted_on is not None
    listing = quick_read.list_organizations(any_db)
    assert len(listing.tree.cells()) == 35
    assert quick_read.period_years(any_db) == [] and not quick_read.has_password(any_db)


def test_a_newer_schema_is_refused_with_the_same_message(postgres: Cluster, pg_url: PgUrl) -> None:
    url = pg_url("empty")
    with connect(postgres, url) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
        with pytest.raises(SchemaTooNew, match="phiên bản DanhGia mới hơn") as refused:
            Database.open(url)
        assert "9999" in str(refused.value) and "dữ liệu chưa bị thay đổi" in str(refused.value)
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("9999",)


def test_tables_of_another_program_are_left_alone(postgres: Cluster, pg_url: PgUrl) -> None:
    url = pg_url("none")
    with connect(postgres, url) as connection:
        connection.execute("CREATE TABLE invoices (id integer)")
    with pytest.raises(ServerDatabaseForeign, match="không do DanhGia tạo ra"):
        Database.open(url, create=True)


def test_a_database_the_server_lacks(postgres: Cluster) -> None:
    with pytest.raises(ServerDatabaseMissing, match="createdb khong_co") as missing:
        Database.open(postgres.url("khong_co"), create=True)
    assert missing.value.target == postgres.url("khong_co")


def test_an_unreachable_server_is_said_in_vietnamese_without_the_password() -> None:
    secret = "Mat-khau-rat-bi-mat-42"
    url = f"postgresql://can_bo:{secret}@127.0.0.1:{free_port()}/danhgia"
    with pytest.raises(ServerUnreachable) as refused:
        Database.open(url)
    message = str(refused.value)
    assert message.startswith("Không kết nối được máy chủ cơ sở dữ liệu")
    assert "từ chối kết nối" in message and "Chưa có gì bị thay đổi" in message
    assert f"postgresql://can_bo@127.0.0.1:{url.split(':')[-1]}" in message
    assert secret not in message and secret not in repr(refused.value.args)
    assert refused.value.__cause__ is None  # libpq's own text (and address) is not chained


def test_a_wrong_password_is_refused_and_never_shown(
    postgres: Cluster,
    pg_url: PgUrl,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = pg_url("empty")
    wrong = "sai-mat-khau-123"
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ServerLoginRefused, match="không cho người dùng “danhgia_test”") as refused:
        Database.open(url.replace("danhgia_test@", f"danhgia_test:{wrong}@"))
    assert wrong not in str(refused.value) and postgres.password not in str(refused.value)
    monkeypatch.setenv("DANHGIA_DB_PASSWORD", wrong)  # the environment's, this time
    with pytest.raises(ServerLoginRefused):
        Database.open(url)
    monkeypatch.delenv("DANHGIA_DB_PASSWORD")
    monkeypatch.delenv("PGPASSWORD", raising=False)
    with pytest.raises(ServerLoginRefused, match="DANHGIA_DB_PASSWORD"):
        Database.open(url)  # none anywhere
    monkeypatch.setenv("PGPASSWORD", postgres.password)
    with Database.open(url) as db:  # libpq's own variable is read too
        assert postgres.password not in db.name and postgres.password not in repr(db.location)
        db.read("SELECT 1")
    assert wrong not in caplog.text and postgres.password not in caplog.text


def test_a_password_in_the_url_is_used_and_never_shown(postgres: Cluster, pg_url: PgUrl) -> None:
    url = pg_url("demo")
    with_password = url.replace("danhgia_test@", f"danhgia_test:{postgres.password}@")
    with Database.open(with_password) as db:
        assert db.name == url and postgres.password not in f"{db.location!r} {db.short_name}"
        assert db.read("SELECT count(*) FROM members")[0][0] > 500
    assert server.redact(f"mở {with_password} lỗi") == f"mở {url} lỗi"


def test_the_password_comes_from_the_keyring_first(
    postgres: Cluster,
    pg_url: PgUrl,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = ServerTarget.parse(pg_url("empty"))
    monkeypatch.setenv("DANHGIA_DB_PASSWORD", "not-this-one")
    server.save_password(target, postgres.password)
    assert memory_keyring.kept == {
        ("DanhGia PostgreSQL", f"danhgia_test@127.0.0.1:{postgres.port}"): postgres.password
    }
    with Database.open(target) as db:
        assert db.read("SELECT 1") == [(1,)]
    server.forget_password(target)
    server.forget_password(target)  # twice: nothing kept is no error
    assert server.find_password(target) == "not-this-one"


# ---- the services on a server --------------------------------------------------------------------


def test_the_demo_built_on_postgresql_sums_up_as_on_sqlite(
    pg_url: PgUrl, full_demo_db: Database
) -> None:
    url = pg_url("none")
    db, orgs, members = demo_service.create_demo_database(url, "commune")
    with db:
        assert (orgs, members) == (36, len(quick_read.list_members(full_demo_db)))
        assert periods.get_period(db, DECIDED).state.is_decided
        on_server = summary.report(db, DECIDED)
        file = summary.report(full_demo_db, DECIDED)
        assert summary_text.summary_lines(on_server) == summary_text.summary_lines(file)
        assert on_server == file
        # The year under way too, cell by cell.
        for unit in ("CB01", "CB18"):
            assert summary.report(db, DECIDED + 1, unit) == summary.report(
                full_demo_db, DECIDED + 1, unit
            )


def test_a_period_and_a_self_review_on_postgresql(pg_url: PgUrl) -> None:
    year = DECIDED + 1
    with Database.open(pg_url("demo")) as db:
        periods.create_period(db, year, rulesets.get("qd366-2025"), clock.today())
        cell = procedure_board.board(db, year)[0].cell_id
        member = next(m for m in procedure_view.cell_view(db, year, cell).members if m.evaluated)
        review = procedure_steps.SelfReview(
            level="HTTNV", score_general=26.5, score_tasks=58, all_tasks_on_time=True,
            text="Hoàn thành tốt nhiệm vụ được giao",
        )  # fmt: skip
        procedure_steps.save_self_review(db, year, member.member_id, review, actor="cán bộ tỉnh")
    with Database.open(db.location) as again:  # a second window, as another clerk
        line = next(
            m
            for m in procedure_view.cell_view(again, year, cell).members
            if m.member_id == member.member_id
        )
        assert (line.self_level, line.self_score_general, line.self_score_tasks) == (
            "HTTNV",
            26.5,
            58,
        )
        assert quick_read.period_years(again) == [year]


def test_backups_of_a_server_database_are_the_servers_job(pg_url: PgUrl, tmp_path: Path) -> None:
    url = pg_url("empty")
    with Database.open(url) as db:
        with pytest.raises(ServerKeepsItsOwnBackups, match="pg_dump") as refused:
            db.backup_to(tmp_path / "x.sqlite")
        assert "người quản trị máy chủ" in str(refused.value)
        assert backups.make_backup(db, "quyet-dinh-2025") is None
        assert backups.daily_backup(db, clock.today()) is None
        with pytest.raises(ServerKeepsItsOwnBackups):
            maintenance.backup_database(db.location, tmp_path / "y.sqlite")
        with pytest.raises(ServerKeepsItsOwnBackups):
            maintenance.restore_database(db.location, tmp_path / "y.sqlite")
    assert list(tmp_path.iterdir()) == []


# ---- the command line ---------------------------------------------------------------------------


def run_cli(*argv: str) -> int:
    return cli.run(cli.parse(list(argv)))


def test_the_command_line_takes_a_url(
    postgres: Cluster, pg_url: PgUrl, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = pg_url("none")
    with_password = url.replace("danhgia_test@", f"danhgia_test:{postgres.password}@")
    assert run_cli("demo", "--db", with_password) == 0
    said = capsys.readouterr()
    assert f"Đã tạo dữ liệu mẫu trong {url}: 36 tổ chức" in said.out
    assert postgres.password not in said.out + said.err
    assert run_cli("summary", "--db", url, "--year", str(DECIDED)) == 0
    assert f"NĂM {DECIDED}" in capsys.readouterr().out
    assert run_cli("check", "--db", url) == 0
    checked = capsys.readouterr().out
    assert "Nhật ký thay đổi (chuỗi mã băm): nguyên vẹn" in checked
    assert "Kết quả: tốt." in checked
    assert run_cli("backup", "--db", url, str(tmp_path / "b.sqlite")) == 2
    assert "pg_dump" in capsys.readouterr().err
    assert not (tmp_path / "b.sqlite").exists()
    assert (
        run_cli("summary", "--db", f"postgresql://x@127.0.0.1:{free_port()}/y", "--year", "1") == 2
    )
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: Không kết nối được máy chủ") and "Traceback" not in err


def test_a_bad_address_is_said_in_vietnamese() -> None:
    for bad, why in (
        ("postgresql://u@h:99999/db", "số cổng"),
        ("postgresql://u@h:5432/", "thiếu tên cơ sở dữ liệu"),
        ("postgresql://u:secret@h/db?frobnicate=1", "không hiểu tham số frobnicate"),
    ):
        with pytest.raises(StoreError, match=why) as refused:
            database_service.location_of(bad)
        assert "secret" not in str(refused.value)
    target = ServerTarget.parse("postgres://can%20bo@[::1]/danh%20gia?sslmode=require")
    assert (target.user, target.host, target.port, target.dbname) == (
        "can bo", "::1", 5432, "danh gia",
    )  # fmt: skip
    assert target.display == "postgresql://can%20bo@[::1]:5432/danh%20gia?sslmode=require"
    socket = ServerTarget.parse("postgresql://u@/db?host=/run/postgresql")
    assert socket.host == "/run/postgresql" and socket.options == ()


def test_two_windows_saving_at_once_keep_one_audit_chain(pg_url: PgUrl) -> None:
    """Two clerks' saves at the same moment: the second waits for the first to end, then
    chains after it (without the server's lock both would chain after the same entry, and the
    chain's check would report an entry inserted)."""
    import threading
    import time

    from app.services.safekeeping import audit

    url = pg_url("empty")
    first_wrote, first_done = threading.Event(), threading.Event()
    order: list[str] = []

    def first(db: Database) -> None:
        with db.session() as session:
            audit.record(session, actor="cán bộ A", action="update", entity="x", entity_id=1,
                         summary="A")  # fmt: skip
            first_wrote.set()
            time.sleep(0.5)  # the second save starts meanwhile
            order.append("A")
        first_done.set()

    with Database.open(url) as window_a, Database.open(url) as window_b:
        thread = threading.Thread(target=first, args=(window_a,))
        thread.start()
        assert first_wrote.wait(10)
        with window_b.session() as session:
            audit.record(session, actor="cán bộ B", action="update", entity="x", entity_id=2,
                         summary="B")  # fmt: skip
            order.append("B")
        thread.join(10)
        assert first_done.is_set() and order == ["A", "B"]
        assert audit.verify_chain(window_b) == []
        entries = audit.entries(window_b)
        assert sorted(e.summary for e in entries) == ["A", "B"]


def test_connections_the_server_dropped_are_made_again(postgres: Cluster, pg_url: PgUrl) -> None:
    """A server restarted, or a network that dropped an idle connection: the next read and
    the next save connect again (``pool_pre_ping``, and ``read`` tries once more)."""
    url = pg_url("demo")
    with Database.open(url) as db:
        members = db.read("SELECT count(*) FROM members")
        with db.session() as session:
            assert session.execute(text("SELECT count(*) FROM members")).scalar() == members[0][0]
        dbname = ServerTarget.parse(url).dbname
        postgres.admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{dbname}' AND pid <> pg_backend_pid()"
        )
        assert db.read("SELECT count(*) FROM members") == members
        with db.session() as session:
            assert session.execute(text("SELECT count(*) FROM members")).scalar() == members[0][0]


def test_sqlite_placeholders_and_values_for_the_server() -> None:
    from app.store import server_schema

    sql = "SELECT '?', \"a?\", 'it''s ?' FROM t WHERE x LIKE '50%' AND y = ? AND z LIKE ?%"
    assert server_schema.driver_sql(sql) == (
        "SELECT '?', \"a?\", 'it''s ?' FROM t WHERE x LIKE '50%%' AND y = %s AND z LIKE %s%%"
    )
    import datetime as dt
    from decimal import Decimal

    values = [True, False, dt.date(2026, 1, 2), dt.datetime(2026, 1, 2, 3, 4, 5), Decimal("1.5")]
    assert [server_schema.as_sqlite_gives(v) for v in values] == [
        1, 0, "2026-01-02", "2026-01-02 03:04:05.000000", 1.5,
    ]  # fmt: skip
