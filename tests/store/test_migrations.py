"""Every migration runs on a populated database of the schema before it and keeps its data."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from app.services.safekeeping.maintenance import check_database
from app.store import migrations
from app.store.backup import quick_check
from app.store.engine import make_engine

# Rows written at a revision, with the schema of that revision, before migrating further.
SAMPLE_ROWS: dict[str, list[str]] = {
    "0001": [
        "INSERT INTO organizations (id, code, name, kind, parent_id) "
        "VALUES (1, 'XNT', 'Đảng bộ xã Na Tông', 'dang_bo', NULL)",
        "INSERT INTO organizations (id, code, name, kind, parent_id) "
        "VALUES (2, 'CB01', 'Chi bộ bản Pá Có', 'chi_bo', 1)",
        "INSERT INTO members (id, code, full_name, name_key, admitted_on, official_on) "
        "VALUES (1, 'DV1', 'Lò Văn Pọm', 'k', '2000-05-19', '2001-05-19')",
        "INSERT INTO cell_memberships (member_id, org_id) VALUES (1, 2)",
        "INSERT INTO post_holdings (member_id, kind, title) VALUES (1, 'dang', 'Bí thư chi bộ')",
        "INSERT INTO member_periods (member_id, kind, start_on) "
        "VALUES (1, 'nghi_om', '2025-02-01')",
        "INSERT INTO disciplines (member_id, decided_on, form) "
        "VALUES (1, '2025-05-12', 'khien_trach')",
        "INSERT INTO org_disciplines (org_id, decided_on, form) "
        "VALUES (2, '2025-06-01', 'khien_trach')",
        "INSERT INTO evaluation_periods (id, year, ruleset_id, reference_date) "
        "VALUES (1, 2025, 'qd366-2025', '2025-12-31')",
    ],
    "0002": [
        "INSERT INTO member_evaluations (period_id, member_id, org_id, decided_level) "
        "VALUES (1, 1, 2, 'HTTNV')",
        "INSERT INTO org_evaluations (period_id, org_id, decided_level) VALUES (1, 2, 'HTTNV')",
    ],
    "0003": [
        "INSERT INTO meetings (id, org_evaluation_id, held_on, chair_id) "
        "VALUES (1, 1, '2025-12-15', 1)",
        "INSERT INTO attendance (meeting_id, member_id, present) VALUES (1, 1, 1)",
        "INSERT INTO audit_log (at, action, entity) VALUES ('2025-12-15 09:00', 'create', 'x')",
    ],
    "0004": [
        "INSERT INTO issued_documents (issuer_id, kind, year, subject_id, symbol, term, number, "
        "issued_on, fingerprint) VALUES (2, 'meeting-minutes', 2025, 2, 'BB/CB', 2025, 7, "
        "'2025-12-15', '3F9A-01C7')",
    ],
    "0005": [
        "INSERT INTO tally_entries (meeting_id, teller, teller_name, subject_kind, subject_id, "
        "counts) VALUES (1, 1, 'Lò Văn Pọm', 'member', 1, '{\"HTTNV\": 1}')",
        "UPDATE org_evaluations SET province_level = 'HTTNV'",
    ],
    "0006": [
        "UPDATE evaluation_periods SET meeting_due = '2025-12-10', decision_due = '2026-01-15'",
        "UPDATE member_evaluations SET remedy = 'Đã tham gia sinh hoạt đầy đủ'",
    ],
    "0007": [
        "INSERT INTO access_control (id, password_hash, set_at) "
        "VALUES (1, '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA', '2026-11-26 08:00')",
    ],
    "0008": [
        "UPDATE disciplines SET decided_by = 'Ủy ban Kiểm tra Đảng ủy', erased_on = '2026-05-12'",
        "UPDATE org_evaluations SET tasks_late_share = 0.1, member_degradation_disciplined = 1",
        # Codes as typed before 0009: one to bring to capitals, one that would collide.
        "INSERT INTO members (id, code, full_name, name_key, admitted_on) "
        "VALUES (2, ' dv2', 'Lò Thị Ín', 'k2', '2001-03-02')",
        "INSERT INTO members (id, code, full_name, name_key, admitted_on) "
        "VALUES (3, 'dv1', 'Cà Văn Xôm', 'k3', '2002-03-02')",
        "INSERT INTO organizations (id, code, name, kind, parent_id) "
        "VALUES (3, 'cb02', 'Chi bộ bản Huổi Lóng', 'chi_bo', 1)",
    ],
    "0009": [
        "INSERT INTO members (id, code, full_name, name_key, admitted_on) "
        "VALUES (4, 'DV4', 'Lường Văn Pọm', 'k4', '2003-03-02')",
    ],
    "0010": [
        "UPDATE evaluation_periods SET criteria_id = 'tinh-thu-2025', "
        "criteria_snapshot = 'id = \"tinh-thu-2025\"'",
        "INSERT INTO item_scores (period_id, subject_kind, subject_id, stage, item_key, value, "
        "note) VALUES (1, 'member', 1, 'self', 'A.1', '12', 'dự đủ 12 kỳ')",
        "INSERT INTO item_scores (period_id, subject_kind, subject_id, stage, item_key, value) "
        "VALUES (1, 'member', 1, 'self', 'A.2', 'false')",
    ],
    "0011": [
        "INSERT INTO quarter_ratings (period_id, member_id, quarter, self_score, superior_level, "
        "note) VALUES (1, 1, 1, 88.5, 'HTTNV', 'quý I')",
        "INSERT INTO quarter_ratings (period_id, member_id, quarter, self_level) "
        "VALUES (1, 1, 2, 'HTXSNV')",
    ],
    "0012": [
        "INSERT INTO commune_reports (id, commune_code, commune_name, year, ruleset_id, "
        "decision_number, decided_on, audit_count, audit_head, figures, checksum, "
        "format_version, imported_at, imported_by) VALUES (1, 'XNT', 'Đảng bộ xã Na Tông', "
        "2025, 'qd366-2025', '03-QĐ/ĐU', '2026-01-12', 120, 'ab12', '{\"members\": {}}', "
        "'sha256:00', 1, '2026-01-20 08:00', 'btc-tinh')",
        "INSERT INTO reported_organizations (report_id, code, name, kind, parent_code, "
        "summary_group, level) VALUES (1, 'CB01', 'Chi bộ bản Pá Có', 'chi_bo', 'XNT', 'main', "
        "'HTTNV')",
        "INSERT INTO reported_members (report_id, code, full_name, cell_code, grassroots_code, "
        "level) VALUES (1, 'DV1', 'Lò Văn Pọm', 'CB01', 'XNT', 'HTXSNV')",
        "INSERT INTO reported_members (report_id, code, full_name, cell_code, evaluated, "
        "not_classified_reason) VALUES (1, 'DV2', 'Lò Thị Ín', 'CB01', 0, 'exempt')",
    ],
    "0013": [
        "INSERT INTO users (id, login, full_name, role, active, created_at) "
        "VALUES (1, 'admin1', 'Nguyễn Văn An', 'admin', 1, '2026-12-08 08:00')",
        "INSERT INTO users (id, login, role, created_at) "
        "VALUES (2, 'clerk1', 'clerk', '2026-12-08 08:05')",
        "INSERT INTO user_communes (user_id, commune_code) VALUES (2, 'XNT')",
        "INSERT INTO user_communes (user_id, commune_code) VALUES (2, 'XMP')",
    ],
}


def revisions_in_order() -> list[str]:
    return list(reversed([s.revision for s in migrations.script_directory().walk_revisions()]))


def counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as connection:
        tables = [
            r[0]
            for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name != 'alembic_version'"
            )
        ]
        return {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def test_each_migration_keeps_the_data_written_before_it(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    order = revisions_in_order()
    assert order[0] == "0001"
    for index, revision in enumerate(order):
        migrations.upgrade(path, revision)
        before = counts(path)
        with closing(sqlite3.connect(path)) as connection:
            for statement in SAMPLE_ROWS.get(revision, []):
                connection.execute(statement)
            connection.commit()
        written = counts(path)
        assert sum(written.values()) >= sum(before.values())
        if index + 1 < len(order):
            migrations.upgrade(path, order[index + 1])
            after = counts(path)
            for table, number in written.items():
                assert after.get(table) == number, f"{order[index + 1]} changed {table}"
            assert quick_check(path) == "ok"


def test_every_revision_has_sample_rows() -> None:
    """A new migration must come with rows to test the next one on."""
    assert set(revisions_in_order()) <= set(SAMPLE_ROWS)


def test_new_columns_get_their_defaults_on_old_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    migrations.upgrade(path, "0001")
    with closing(sqlite3.connect(path)) as connection:
        for statement in SAMPLE_ROWS["0001"]:
            connection.execute(statement)
        connection.commit()
    migrations.upgrade(path)
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("SELECT of_collective FROM org_disciplines").fetchone() == (0,)
        assert connection.execute("SELECT decided_by, erased_on FROM disciplines").fetchone() == (
            "",
            None,
        )


def test_codes_are_brought_to_capitals_and_a_collision_is_left_and_reported(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite"
    migrations.upgrade(path, "0008")
    with closing(sqlite3.connect(path)) as connection:
        for statement in SAMPLE_ROWS["0001"] + SAMPLE_ROWS["0008"]:
            connection.execute(statement)
        connection.commit()
    migrations.upgrade(path)
    with closing(sqlite3.connect(path)) as connection:
        members = dict(connection.execute("SELECT id, code FROM members"))
        orgs = dict(connection.execute("SELECT id, code FROM organizations"))
    # "dv1" would become a second DV1: left for the user, and `danhgia check` names it.
    assert members == {1: "DV1", 2: "DV2", 3: "dv1"}
    assert orgs == {1: "XNT", 2: "CB01", 3: "CB02"}
    report = check_database(path, tmp_path / "no-backups")
    assert any("“dv1” (đảng viên)" in problem for problem in report.problems)


def test_a_period_from_before_0010_has_no_criteria_set_and_keeps_its_typed_scores(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite"
    migrations.upgrade(path, "0009")
    with closing(sqlite3.connect(path)) as connection:
        for statement in SAMPLE_ROWS["0001"] + SAMPLE_ROWS["0002"]:
            connection.execute(statement)
        connection.execute("UPDATE member_evaluations SET self_score_general = 26.5")
        connection.commit()
    migrations.upgrade(path)
    with closing(sqlite3.connect(path)) as connection:
        period = "SELECT criteria_id, criteria_snapshot FROM evaluation_periods"
        assert connection.execute(period).fetchone() == (None, "")
        score = "SELECT self_score_general FROM member_evaluations"
        assert connection.execute(score).fetchone() == (26.5,)
        assert connection.execute("SELECT count(*) FROM item_scores").fetchone() == (0,)


def test_item_scores_are_one_per_item_and_go_with_their_period(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    migrations.upgrade(path)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        for statement in SAMPLE_ROWS["0001"] + SAMPLE_ROWS["0010"]:
            connection.execute(statement)
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            connection.execute(SAMPLE_ROWS["0010"][-1])
        # The same item at the chi ủy's stage is another row.
        connection.execute(SAMPLE_ROWS["0010"][-1].replace("'self'", "'chi_uy'"))
        connection.execute("DELETE FROM evaluation_periods")
        assert connection.execute("SELECT count(*) FROM item_scores").fetchone() == (0,)


def test_0010_goes_back_down_keeping_the_rest(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "down.sqlite"
    migrations.upgrade(path)
    with closing(sqlite3.connect(path)) as connection:
        for statement in SAMPLE_ROWS["0001"] + SAMPLE_ROWS["0010"]:
            connection.execute(statement)
        connection.commit()
    engine = make_engine(path, foreign_keys=False)
    try:
        with engine.begin() as connection:
            command.downgrade(migrations.alembic_config(connection), "0009")
    finally:
        engine.dispose()
    with closing(sqlite3.connect(path)) as connection:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(evaluation_periods)")}
        assert "criteria_id" not in columns and "criteria_snapshot" not in columns
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        assert "item_scores" not in tables
        assert connection.execute("SELECT year FROM evaluation_periods").fetchone() == (2025,)
    migrations.upgrade(path)
    assert quick_check(path) == "ok"


def test_quarter_ratings_are_one_per_quarter_and_go_with_their_member(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    migrations.upgrade(path)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        for statement in SAMPLE_ROWS["0001"] + SAMPLE_ROWS["0011"]:
            connection.execute(statement)
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            connection.execute(SAMPLE_ROWS["0011"][-1])
        connection.execute("DELETE FROM members WHERE id = 1")
        assert connection.execute("SELECT count(*) FROM quarter_ratings").fetchone() == (0,)


def test_0011_goes_back_down_keeping_the_rest(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "down.sqlite"
    migrations.upgrade(path)
    with closing(sqlite3.connect(path)) as connection:
        for statement in SAMPLE_ROWS["0001"] + SAMPLE_ROWS["0010"] + SAMPLE_ROWS["0011"]:
            connection.execute(statement)
        connection.commit()
    engine = make_engine(path, foreign_keys=False)
    try:
        with engine.begin() as connection:
            command.downgrade(migrations.alembic_config(connection), "0010")
    finally:
        engine.dispose()
    with closing(sqlite3.connect(path)) as connection:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        assert "quarter_ratings" not in tables
        assert connection.execute("SELECT count(*) FROM item_scores").fetchone() == (2,)
    migrations.upgrade(path)
    assert quick_check(path) == "ok"


def test_a_commune_reports_a_year_once_and_its_rows_go_with_the_report(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    migrations.upgrade(path)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        for statement in SAMPLE_ROWS["0012"]:
            connection.execute(statement)
        row = connection.execute(
            "SELECT status, revision, replaced_reason, place_name FROM commune_reports"
        ).fetchone()
        assert row == ("accepted", 1, "", "")
        flags = "SELECT evaluated, low_level_reason FROM reported_members ORDER BY code"
        assert connection.execute(flags).fetchall() == [(1, ""), (0, "")]
        # A second report of the same commune and year is a replacement, never a second row.
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            connection.execute(SAMPLE_ROWS["0012"][0].replace("(1, 'XNT'", "(2, 'XNT'"))
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            connection.execute(SAMPLE_ROWS["0012"][2])
        connection.execute("DELETE FROM commune_reports")
        for table in ("reported_organizations", "reported_members"):
            assert connection.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)


def test_0012_goes_back_down_keeping_the_rest(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "down.sqlite"
    migrations.upgrade(path)
    with closing(sqlite3.connect(path)) as connection:
        for statement in SAMPLE_ROWS["0001"] + SAMPLE_ROWS["0011"] + SAMPLE_ROWS["0012"]:
            connection.execute(statement)
        connection.commit()
    engine = make_engine(path, foreign_keys=False)
    try:
        with engine.begin() as connection:
            command.downgrade(migrations.alembic_config(connection), "0011")
    finally:
        engine.dispose()
    with closing(sqlite3.connect(path)) as connection:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        assert not tables & {"commune_reports", "reported_organizations", "reported_members"}
        assert connection.execute("SELECT count(*) FROM quarter_ratings").fetchone() == (2,)
    migrations.upgrade(path)
    assert quick_check(path) == "ok"


def test_evaluations_from_before_0013_start_at_version_1(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    migrations.upgrade(path, "0012")
    with closing(sqlite3.connect(path)) as connection:
        for statement in SAMPLE_ROWS["0001"] + SAMPLE_ROWS["0002"]:
            connection.execute(statement)
        connection.commit()
    migrations.upgrade(path)
    with closing(sqlite3.connect(path)) as connection:
        for table in ("member_evaluations", "org_evaluations"):
            versions = connection.execute(f"SELECT DISTINCT version FROM {table}").fetchall()
            assert versions == [(1,)], table


def test_a_login_is_one_user_and_his_communes_go_with_him(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    migrations.upgrade(path)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        for statement in SAMPLE_ROWS["0013"]:
            connection.execute(statement)
        row = connection.execute("SELECT active, full_name, password_hash, created_by "
                                 "FROM users WHERE login = 'clerk1'").fetchone()  # fmt: skip
        assert row == (1, "", None, "")
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            connection.execute(SAMPLE_ROWS["0013"][1].replace("(2,", "(3,"))
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            connection.execute(SAMPLE_ROWS["0013"][2])
        connection.execute("DELETE FROM users WHERE id = 2")
        assert connection.execute("SELECT count(*) FROM user_communes").fetchone() == (0,)


def test_0013_goes_back_down_keeping_the_rest(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "down.sqlite"
    migrations.upgrade(path)
    with closing(sqlite3.connect(path)) as connection:
        for statement in (
            SAMPLE_ROWS["0001"] + SAMPLE_ROWS["0002"] + SAMPLE_ROWS["0012"] + SAMPLE_ROWS["0013"]
        ):
            connection.execute(statement)
        connection.commit()
    engine = make_engine(path, foreign_keys=False)
    try:
        with engine.begin() as connection:
            command.downgrade(migrations.alembic_config(connection), "0012")
    finally:
        engine.dispose()
    with closing(sqlite3.connect(path)) as connection:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        assert not tables & {"users", "user_communes"}
        columns = {row[1] for row in connection.execute("PRAGMA table_info(member_evaluations)")}
        assert "version" not in columns
        assert connection.execute("SELECT count(*) FROM member_evaluations").fetchone() == (1,)
        assert connection.execute("SELECT count(*) FROM commune_reports").fetchone() == (1,)
    migrations.upgrade(path)
    assert quick_check(path) == "ok"
