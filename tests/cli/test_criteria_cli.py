"""`danhgia criteria list` and `danhgia criteria choose` (issue 24): the sets found, and the
one a year's period scores by, chosen or dropped from the command line as on the board."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.__main__ import main
from app.services.periods import criteria_sets
from app.services.safekeeping import audit
from app.store.database import Database
from tests.services.procedure.criteria_support import YEAR, open_period, write_copy


@pytest.fixture
def period_path(demo_path: Path) -> Path:
    with Database.open(demo_path) as db:
        open_period(db)
    return demo_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_list_choose_and_drop(period_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ("--db", str(period_path))
    code, said = run(capsys, "criteria", "list", "--year", str(YEAR), *db)
    assert code == 0
    assert said.startswith("qd366-2025: Khung tiêu chí chấm điểm theo Quy định 366-QĐ/TW")
    assert "kèm chương trình, độ tin cậy chưa chắc" in said
    assert f"Kỳ đánh giá năm {YEAR} chưa chọn bộ tiêu chí (nhập hai tổng điểm)." in said

    code, said = run(capsys, "criteria", "choose", "--year", str(YEAR), "qd366-2025", *db)
    assert code == 0
    assert said.startswith(f"Kỳ đánh giá năm {YEAR} chấm điểm từng mục theo “Khung tiêu chí")
    with Database.open(period_path) as opened:
        kept = criteria_sets.period_criteria(opened, YEAR)
        assert kept is not None and kept.criteria.id == "qd366-2025"
        [entry] = [e for e in audit.entries(opened) if e.action == "chon_bo_tieu_chi"]
        assert entry.actor  # the user who ran the command
    code, said = run(capsys, "criteria", "list", "--year", str(YEAR), *db)
    assert "(kỳ đang dùng)" in said

    code, said = run(capsys, "criteria", "choose", "--year", str(YEAR), "--none", *db)
    assert code == 0 and "nhập hai tổng điểm" in said
    with Database.open(period_path) as opened:
        assert criteria_sets.period_criteria(opened, YEAR) is None


def test_a_province_copy_is_listed_first_and_a_wrong_id_is_refused(
    period_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_copy()
    db = ("--db", str(period_path))
    code, said = run(capsys, "criteria", "list", *db)
    assert code == 0 and said.startswith("tinh-thu-2025: ") and ", của tỉnh," in said
    code, said = run(capsys, "criteria", "choose", "--year", str(YEAR), "khong-co", *db)
    assert code == 1
    assert said == "Không đổi được: Không có bộ tiêu chí “khong-co”\n"
    # A year without a period: nothing to choose for.
    code, said = run(capsys, "criteria", "choose", "--year", str(YEAR + 1), "qd366-2025", *db)
    assert (code, said) == (1, f"Không đổi được: Chưa có kỳ đánh giá năm {YEAR + 1}\n")
