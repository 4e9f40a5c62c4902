"""`danhgia package export` and `danhgia package import [--yes]`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from app.__main__ import main
from app.domain.procedure import CellStep
from app.services.periods import lifecycle as periods
from app.services.procedure import board as procedure_board
from app.services.procedure import steps as procedure_steps
from app.services.safekeeping import audit
from app.store.database import Database
from app.store.models import Organization


def _audit_count(path: Path) -> int:
    with Database.open(path) as db:
        return len(audit.entries(db))


@pytest.fixture
def cell_package(full_demo_path: Path, tmp_path: Path) -> tuple[int, str, Path]:
    """(year, cell code, the cell's copy) after the cell submitted its results in its copy."""
    copy = tmp_path / "ban-sao-chi-bo.sqlite"
    shutil.copy(full_demo_path, copy)
    with Database.open(copy) as db:
        year = periods.list_periods(db)[-1].year
        cell = next(r.cell_id for r in procedure_board.board(db, year) if r.step is CellStep.VOTING)
        procedure_steps.advance(db, year, cell, "Bí thư chi bộ")
        with db.session() as session:
            org = session.get(Organization, cell)
            assert org is not None
            code = org.code
    return year, code, copy


def test_export_preview_then_import(
    cell_package: tuple[int, str, Path], full_demo_path: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    year, code, copy = cell_package
    out = tmp_path / f"chi-bo-{code}.dgx"
    assert main(["package", "export", "--year", str(year), "--unit", code, "-o", str(out),
                 "--db", str(copy)]) == 0  # fmt: skip
    said = capsys.readouterr().out
    assert f"Đã xuất gói dữ liệu năm {year}" in said and "Mã kiểm tra" in said

    before = _audit_count(full_demo_path)
    assert main(["package", "import", str(out), "--db", str(full_demo_path)]) == 0
    said = capsys.readouterr().out
    assert "Sẽ thay đổi (1):" in said and "bước “Biểu quyết” → “Đã nộp”" in said
    assert said.rstrip().endswith("Chưa ghi gì; thêm --yes để nhập.")
    assert _audit_count(full_demo_path) == before

    assert main(["package", "import", str(out), "--yes", "--db", str(full_demo_path)]) == 0
    assert "Đã nhập gói của" in capsys.readouterr().out
    assert _audit_count(full_demo_path) > before
    with Database.open(full_demo_path) as db:
        steps = {r.cell_name: r.step for r in procedure_board.board(db, year)}
        with db.session() as session:
            name = session.scalar(select(Organization.name).where(Organization.code == code))
    assert steps[name] is CellStep.SUBMITTED

    after = _audit_count(full_demo_path)
    assert main(["package", "import", str(out), "--yes", "--db", str(full_demo_path)]) == 0
    said = capsys.readouterr().out
    assert "Không có gì thay đổi" in said and "đã được nhập lúc" in said
    assert _audit_count(full_demo_path) == after


def test_an_altered_package_is_refused_and_nothing_written(
    cell_package: tuple[int, str, Path], full_demo_path: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    year, code, copy = cell_package
    out = tmp_path / "goi.dgx"
    main(["package", "export", "--year", str(year), "--unit", code, "-o", str(out),
          "--db", str(copy)])  # fmt: skip
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x01
    out.write_bytes(bytes(data))
    capsys.readouterr()
    before = _audit_count(full_demo_path)
    assert main(["package", "import", str(out), "--yes", "--db", str(full_demo_path)]) == 2
    err = capsys.readouterr().err
    assert "Lỗi:" in err and ("đã bị thay đổi" in err or "bị hỏng" in err)
    assert _audit_count(full_demo_path) == before


def test_a_blocked_package_exits_with_1(
    cell_package: tuple[int, str, Path], demo_path: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    year, code, copy = cell_package
    out = tmp_path / "goi.dgx"
    main(["package", "export", "--year", str(year), "--unit", code, "-o", str(out),
          "--db", str(copy)])  # fmt: skip
    capsys.readouterr()
    assert main(["package", "import", str(out), "--yes", "--db", str(demo_path)]) == 1
    said = capsys.readouterr().out
    assert "KHÔNG NHẬP ĐƯỢC" in said and f"chưa có kỳ đánh giá năm {year}" in said
    assert said.rstrip().endswith("Không nhập gì.")


def test_export_needs_a_cell(
    full_demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Database.open(full_demo_path) as db:
        year = periods.list_periods(db)[-1].year
        with db.session() as session:
            top = session.scalar(select(Organization.code).where(Organization.parent_id.is_(None)))
    out = tmp_path / "goi.dgx"
    assert main(["package", "export", "--year", str(year), "--unit", str(top), "-o", str(out),
                 "--db", str(full_demo_path)]) == 2  # fmt: skip
    assert "không phải chi bộ" in capsys.readouterr().err
    assert main(["package", "export", "--year", str(year), "--unit", "KHONGCO", "-o", str(out),
                 "--db", str(full_demo_path)]) == 2  # fmt: skip
    assert "Không có tổ chức mã" in capsys.readouterr().err
    assert not out.exists()
