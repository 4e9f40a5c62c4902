"""`danhgia report export | import | summary`, through the program's entry point."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.__main__ import main
from app.store.database import Database
from tests.services.reports.helpers import PASSWORD, change_levels, written


def _run(*argv: str) -> int:
    return main(list(argv))


def _written(location: Path) -> dict[str, object]:
    with Database.open(location) as db:
        return written(db)


def test_export_preview_import_replace_and_sum_up(
    commune_paths: dict[str, Path], province_path: Path, decided_year: int, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    year = str(decided_year)
    xnt, xmp = commune_paths["XNT"], commune_paths["XMP"]
    report = tmp_path / f"bao-cao-XNT-{year}.dgr"
    assert _run("report", "export", "--year", year, "-o", str(report), "--db", str(xnt)) == 0
    said = capsys.readouterr().out
    assert f"Đã xuất báo cáo năm {year} của Đảng bộ xã Na Tông" in said and "Mã kiểm tra" in said

    # The preview writes nothing.
    before = _written(province_path)
    assert _run("report", "import", str(report), "--db", str(province_path)) == 0
    said = capsys.readouterr().out
    assert said.startswith("Báo cáo mới: tỉnh chưa có báo cáo năm")
    assert said.rstrip().endswith("Chưa ghi gì; thêm --yes để lưu báo cáo.")
    assert _written(province_path) == before

    assert _run("report", "import", str(report), "--yes", "--db", str(province_path)) == 0
    assert f"Đã nhập báo cáo năm {year} của Đảng bộ xã Na Tông" in capsys.readouterr().out
    other = tmp_path / "xmp.dgr"
    assert _run("report", "export", "--year", year, "-o", str(other), "--db", str(xmp)) == 0
    assert _run("report", "import", str(other), "--yes", "--db", str(province_path)) == 0
    capsys.readouterr()

    # A corrected report: without --reason nothing is written, with it the report is replaced.
    change_levels(xnt, decided_year, "HTTNV", "HTNV", 1)
    corrected = tmp_path / "xnt-sua.dgr"
    assert _run("report", "export", "--year", year, "-o", str(corrected), "--db", str(xnt)) == 0
    capsys.readouterr()
    before = _written(province_path)
    assert _run("report", "import", str(corrected), "--yes", "--db", str(province_path)) == 1
    said = capsys.readouterr().out
    assert "THAY THẾ" in said and "1 đảng viên có thay đổi:" in said
    assert "cần --reason" in said
    assert _written(province_path) == before
    assert (
        _run("report", "import", str(corrected), "--yes", "--reason", "Sửa mức một đảng viên",
             "--db", str(province_path))
        == 0
    )  # fmt: skip
    assert "Đã thay thế báo cáo năm" in capsys.readouterr().out

    assert _run("report", "summary", "--year", year, "--db", str(province_path)) == 0
    said = capsys.readouterr().out
    assert "Đã nhận báo cáo của 2 đảng bộ; chưa báo cáo: 0." in said
    assert "XNT — Đảng bộ xã Na Tông" in said and "XMP — Đảng bộ xã Mường Phăng" in said
    workbook = tmp_path / "tong-hop.xlsx"
    assert _run("report", "summary", "--year", year, "--format", "xlsx", "-o", str(workbook),
                "--db", str(province_path)) == 0  # fmt: skip
    assert "từ báo cáo của 2 đảng bộ" in capsys.readouterr().out
    book = load_workbook(workbook, read_only=True)
    assert book.sheetnames[:5] == ["Toàn tỉnh", "Từng đảng bộ", "Vượt tỷ lệ", "Chưa báo cáo",
                                   "Sàng lọc"]  # fmt: skip
    rows = list(book["Từng đảng bộ"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["XMP", "XNT"]
    book.close()


def test_refusals_on_the_command_line_write_nothing(
    commune_paths: dict[str, Path], province_path: Path, decided_year: int, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    xnt = str(commune_paths["XNT"])
    undecided = tmp_path / "nam-nay.dgr"
    year = str(decided_year + 1)
    assert _run("report", "export", "--year", year, "-o", str(undecided), "--db", xnt) == 2
    assert "chưa được quyết định" in capsys.readouterr().err
    assert not undecided.exists()

    monkeypatch.setenv("DANHGIA_PASSWORD", PASSWORD)
    sealed = tmp_path / "mat-khau.dgr"
    assert _run("report", "export", "--year", str(decided_year), "-o", str(sealed), "--password",
                "--db", xnt) == 0  # fmt: skip
    assert "Báo cáo đã được mã hóa" in capsys.readouterr().out
    before = _written(province_path)
    monkeypatch.setenv("DANHGIA_PASSWORD", PASSWORD + "!")
    assert _run("report", "import", str(sealed), "--yes", "--db", str(province_path)) == 2
    assert "mật khẩu không đúng" in capsys.readouterr().err
    damaged = tmp_path / "hong.dgr"
    data = bytearray(sealed.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    monkeypatch.setenv("DANHGIA_PASSWORD", PASSWORD)
    assert _run("report", "import", str(damaged), "--yes", "--db", str(province_path)) == 2
    assert "Lỗi:" in capsys.readouterr().err
    assert _written(province_path) == before
    assert _run("report", "import", str(sealed), "--yes", "--db", str(province_path)) == 0
    assert "Đã nhập báo cáo" in capsys.readouterr().out
