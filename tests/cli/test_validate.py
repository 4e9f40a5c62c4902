"""`danhgia validate`: the 20% quota broken, the screening list, exit codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.__main__ import main
from app.domain.rules import Subject
from app.services.periods import lifecycle as periods
from app.services.periods import rule_sets as rulesets
from app.services.procedure import levels
from app.store.database import Database


@pytest.fixture
def commune_two_years(demo_path: Path) -> tuple[Path, str]:
    """2025 decided (one member KHTNV), 2026 proposed with a third of members HTXSNV and the
    same member KHTNV again."""
    with Database.open(demo_path) as db:
        for year in (2025, 2026):
            periods.create_period(db, year, rulesets.default_for_year(year), dt.date(year, 12, 31))
        first = [e for e in periods.roster(db, 2025) if e.evaluated]
        second = [e for e in periods.roster(db, 2026) if e.evaluated]
        target = next(e for e in first if e.member_id in {s.member_id for s in second})
        for entry in first:
            level = "KHTNV" if entry is target else "HTTNV"
            levels.record_level(db, 2025, Subject("member", entry.member_id), "decided", level)
        for index, entry in enumerate(second):
            if entry.member_id == target.member_id:
                level = "KHTNV"
            else:
                level = "HTXSNV" if index % 3 == 0 else "HTTNV"
            levels.record_level(db, 2026, Subject("member", entry.member_id), "proposed", level)
    return demo_path, target.full_name


def test_a_broken_quota_exits_1_with_numbers_and_citation(
    commune_two_years: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _name = commune_two_years
    assert main(["validate", "--year", "2026", "--db", str(path)]) == 1
    out = capsys.readouterr().out
    quota_line = next(line for line in out.splitlines() if "HTXSNV, vượt mức tối đa" in line)
    assert quota_line.startswith("[PHẢI SỬA] Đảng bộ xã Na Tông có ")
    assert "(20% của " in quota_line and "HTTNV, làm tròn xuống)" in quota_line
    citation = out.splitlines()[out.splitlines().index(quota_line) + 1]
    assert citation.strip().startswith("Căn cứ: Quy định 366-QĐ/TW")  # the year's own rule set
    assert "Kết quả: " in out and "điểm phải sửa" in out


def test_a_member_khtnv_two_years_running_is_on_the_screening_list(
    commune_two_years: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, name = commune_two_years
    main(["validate", "--year", "2026", "--db", str(path)])
    out = capsys.readouterr().out
    listing = out.split("Đảng viên hai năm liền không hoàn thành nhiệm vụ")[1]
    assert f"  - {name} (" in listing


def test_within_the_rules_exits_0(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Database.open(demo_path) as db:
        periods.create_period(db, 2026, rulesets.get("qd366-2025"), dt.date(2026, 12, 31))
        entries = [e for e in periods.roster(db, 2026) if e.evaluated][:10]
        for entry in entries:
            levels.record_level(db, 2026, Subject("member", entry.member_id), "proposed", "HTNV")
    assert main(["validate", "--year", "2026", "--unit", "XNT", "--db", str(demo_path)]) == 0
    assert "không có điểm phải sửa" in capsys.readouterr().out


def test_a_year_without_a_period(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--year", "2019", "--db", str(demo_path)]) == 2
    assert "Chưa có kỳ đánh giá năm 2019" in capsys.readouterr().err


def test_an_unknown_unit(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Database.open(demo_path) as db:
        periods.create_period(db, 2026, rulesets.get("qd366-2025"), dt.date(2026, 12, 31))
    assert main(["validate", "--year", "2026", "--unit", "ZZZ", "--db", str(demo_path)]) == 2
    assert "Không có tổ chức mã “ZZZ”" in capsys.readouterr().err
