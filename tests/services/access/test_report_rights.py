"""A clerk limited to some communes cannot store another commune's report, through the
service or through the command line; nothing is written, and the audit log names the user."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from app.__main__ import main
from app.services.access import users
from app.services.access.permissions import PermissionDenied
from app.services.reports import importer, preview
from app.store.database import Database
from app.store.models import AuditEntry
from tests.services.reports.helpers import export, written

IMPORT = "nhap_bao_cao_tinh"


@pytest.fixture
def reports(commune_paths: dict[str, Path], decided_year: int, tmp_path: Path) -> dict[str, Path]:
    return {
        code: export(commune_paths[code], decided_year, tmp_path / f"{code}.dgr")
        for code in ("XNT", "XMP")
    }


def _office(db: Database) -> None:
    users.add_user(db, "admin1", "admin")
    users.add_user(db, "clerk1", "clerk", communes=["XNT"], actor="admin1")
    users.add_user(db, "thanhtra", "inspector", actor="admin1")


def _plan(db: Database, file: Path) -> preview.ImportPreview:
    return preview.plan_import(db, importer.read_report_file(file))


def _actors(db: Database) -> list[tuple[str, str]]:
    with db.session() as session:
        rows = session.execute(
            select(AuditEntry.actor, AuditEntry.action)
            .where(AuditEntry.entity == "commune_report")
            .order_by(AuditEntry.id)
        ).all()
    return [tuple(r) for r in rows]


def test_through_the_service(province_db: Database, reports: dict[str, Path]) -> None:
    _office(province_db)
    before = written(province_db)
    with pytest.raises(PermissionDenied, match=r"phụ trách XNT: không được ghi .* mã XMP"):
        importer.apply_import(province_db, _plan(province_db, reports["XMP"]), actor="clerk1")
    with pytest.raises(PermissionDenied, match="chỉ được xem"):
        importer.apply_import(province_db, _plan(province_db, reports["XNT"]), actor="thanhtra")
    with pytest.raises(PermissionDenied, match="--user"):
        importer.apply_import(province_db, _plan(province_db, reports["XNT"]), actor="")
    package = importer.read_report_file(reports["XMP"])
    with pytest.raises(PermissionDenied, match="mã XMP"):
        importer.reject_report(province_db, package, "Thiếu chữ ký", actor="clerk1")
    assert written(province_db) == before

    importer.apply_import(province_db, _plan(province_db, reports["XNT"]), actor="clerk1")
    importer.apply_import(province_db, _plan(province_db, reports["XMP"]), actor="admin1")
    assert _actors(province_db) == [("clerk1", IMPORT), ("admin1", IMPORT)]


def test_single_user_mode_stores_anyone(province_db: Database, reports: dict[str, Path]) -> None:
    importer.apply_import(province_db, _plan(province_db, reports["XMP"]), actor="ai-cung-duoc")
    assert _actors(province_db) == [("ai-cung-duoc", "nhap_bao_cao_tinh")]


def test_through_the_command_line(
    province_path: Path, reports: dict[str, Path], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.delenv("DANHGIA_USER", raising=False)
    db = str(province_path)
    assert main(["user", "add", "clerk1", "--role", "clerk", "--commune", "XNT", "--db", db]) == 2
    assert "Người dùng đầu tiên phải là người quản trị" in capsys.readouterr().err
    assert main(["user", "add", "admin1", "--role", "admin", "--db", db]) == 0
    assert main(["user", "add", "clerk1", "--role", "clerk", "--commune", "XNT", "--db", db,
                 "--user", "admin1"]) == 0  # fmt: skip
    assert "Đã thêm người dùng clerk1: chuyên viên, phụ trách XNT." in capsys.readouterr().out
    assert main(["user", "list", "--db", db, "--user", "clerk1"]) == 2
    assert "Chỉ người quản trị" in capsys.readouterr().err
    assert main(["user", "list", "--db", db, "--user", "admin1"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "admin1: quản trị tỉnh",
        "clerk1: chuyên viên, phụ trách XNT",
    ]
    with Database.open(province_path) as opened:
        before = written(opened)

    xmp = str(reports["XMP"])
    assert main(["report", "import", xmp, "--yes", "--db", db]) == 2
    assert "phải cho biết ai đang làm việc" in capsys.readouterr().err
    assert main(["report", "import", xmp, "--yes", "--db", db, "--user", "ai-do"]) == 2
    assert "Không có người dùng “ai-do”" in capsys.readouterr().err
    assert main(["report", "import", xmp, "--yes", "--db", db, "--user", "clerk1"]) == 2
    said = capsys.readouterr().err
    assert "“clerk1” là chuyên viên phụ trách XNT: không được ghi dữ liệu của đảng bộ mã XMP" in (
        said
    )
    with Database.open(province_path) as opened:
        assert written(opened) == before

    monkeypatch.setenv("DANHGIA_USER", "clerk1")
    assert main(["report", "import", str(reports["XNT"]), "--yes", "--db", db]) == 0
    assert main(["report", "import", xmp, "--yes", "--db", db, "--user", "admin1"]) == 0
    with Database.open(province_path) as opened:
        assert _actors(opened) == [("clerk1", IMPORT), ("admin1", IMPORT)]


def test_on_a_server_database(pg_url: Callable[[str], str], reports: dict[str, Path]) -> None:
    """The same refusal on PostgreSQL, the province's shared database."""
    with Database.open(pg_url("empty")) as db:
        _office(db)
        before = written(db)
        with pytest.raises(PermissionDenied, match="mã XMP"):
            importer.apply_import(db, _plan(db, reports["XMP"]), actor="clerk1")
        assert written(db) == before
        importer.apply_import(db, _plan(db, reports["XNT"]), actor="clerk1")
        assert _actors(db) == [("clerk1", IMPORT)]
