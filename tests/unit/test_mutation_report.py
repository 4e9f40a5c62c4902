"""`make mutate`'s verdict fails when a survivor is listed nowhere or the score falls."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mutation import report

RESULTS = {"a.x_f__mutmut_1": "killed", "a.x_f__mutmut_2": "survived", "a.x_g__mutmut_1": "killed"}


def verdict(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, listed: str) -> int:
    accepted = tmp_path / "accepted.toml"
    accepted.write_text(listed, encoding="utf-8")
    monkeypatch.setattr(report, "ACCEPTED", accepted)
    monkeypatch.setattr(report, "_results", lambda: dict(RESULTS))
    monkeypatch.setattr(report, "_diff", lambda name: f"      diff of {name}")
    return report.main()


def test_an_unlisted_survivor_fails_with_its_diff(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert verdict(monkeypatch, tmp_path, "floor = 0.5\n") == 1
    out = capsys.readouterr().out
    assert "Score: 2/3 = 66.7% (floor 50.0%)" in out
    assert "survived [NEW] a.x_f__mutmut_2" in out and "diff of a.x_f__mutmut_2" in out


def test_listed_survivors_pass_and_say_what_they_are(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listed = 'floor = 0.6\n[open]\n"a.x_f__mutmut_2" = "no test sets it"\n'
    assert verdict(monkeypatch, tmp_path, listed) == 0
    assert "survived [open] a.x_f__mutmut_2 — no test sets it" in capsys.readouterr().out
    listed = 'floor = 0.6\n[equivalent]\n"a.x_f__mutmut_2" = "same value"\n'
    assert verdict(monkeypatch, tmp_path, listed) == 0


def test_a_score_below_the_floor_fails(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listed = 'floor = 0.7\n[open]\n"a.x_f__mutmut_2" = "no test sets it"\n'
    assert verdict(monkeypatch, tmp_path, listed) == 1
    assert "fell below the floor 70.0%" in capsys.readouterr().out


def test_no_results_is_not_a_pass(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(report, "_results", dict)
    assert report.main() == 2


def test_an_unfinished_run_is_not_a_pass(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(RESULTS, "a.x_h__mutmut_1", "not checked")
    listed = 'floor = 0.6\n[open]\n"a.x_f__mutmut_2" = "no test sets it"\n'
    assert verdict(monkeypatch, tmp_path, listed) == 1
    out = capsys.readouterr().out
    assert "Score: 2/3 = 66.7%" in out
    assert "1 mutant(s) not run yet" in out
