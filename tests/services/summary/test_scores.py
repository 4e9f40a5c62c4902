"""The summary's score distribution (issue 24): those evaluated by band of the rule set's 100
points (its own thresholds), counted from the stored self-scores; the same figures in the
text, the PDF and the workbook; none where the rule set does not score."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from app.domain import clock
from app.services.summary import export, scores, text
from app.services.summary import report as summary
from app.store.database import Database
from app.store.models import EvaluationPeriod, MemberEvaluation

LAST_YEAR = clock.today().year - 1  # the demo's decided year


def own_count(db: Database, year: int) -> dict[str, int]:
    """The bands counted one member at a time in Python, as a check on the SQL."""
    with db.session() as session:
        period = session.scalar(select(EvaluationPeriod).where(EvaluationPeriod.year == year))
        assert period is not None
        rows = session.execute(
            select(MemberEvaluation.self_score_general, MemberEvaluation.self_score_tasks).where(
                MemberEvaluation.period_id == period.id, MemberEvaluation.evaluated.is_(True)
            )
        ).all()
    found = {"≥90": 0, "70–90": 0, "50–70": 0, "<50": 0, "none": 0}
    for general, tasks in rows:
        if general is None or tasks is None:
            found["none"] += 1
            continue
        total = general + tasks
        key = (
            "≥90" if total >= 90 else "70–90" if total >= 70 else "50–70" if total >= 50 else "<50"
        )
        found[key] += 1
    return found


def test_members_by_band_are_counted_from_their_scores(any_full_demo_db: Database) -> None:
    report = summary.report(any_full_demo_db, LAST_YEAR)
    dist = report.summary.member_scores
    assert dist is not None
    assert [b.label for b in dist.rows] == [
        "Từ 90 điểm trở lên", "Từ 70 đến dưới 90 điểm", "Từ 50 đến dưới 70 điểm",
        "Dưới 50 điểm", "Chưa có điểm",
    ]  # fmt: skip
    assert [b.count for b in dist.rows] == list(own_count(any_full_demo_db, LAST_YEAR).values())
    assert dist.evaluated == report.summary.members.evaluated
    assert sum(b.count for b in dist.rows) == dist.evaluated
    # The commune's summary is the sum of its cells'.
    cells = [c.member_scores for c in report.children]
    assert [sum(c.rows[i].count for c in cells if c) for i in range(5)] == [
        b.count for b in dist.rows
    ]


def test_text_pdf_and_workbook_print_the_same_bands(
    any_full_demo_db: Database, tmp_path: Path
) -> None:
    report = summary.report(any_full_demo_db, LAST_YEAR)
    dist = report.summary.member_scores
    assert dist is not None
    plain = "\n".join(text.summary_lines(report))
    printed = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(export.render_pdf(report))).pages
    )
    export.write_workbook(report, tmp_path / "tong-hop.xlsx")
    sheet = list(load_workbook(tmp_path / "tong-hop.xlsx", read_only=True)["Theo điểm"].values)
    assert "KẾT QUẢ CHẤM ĐIỂM (THANG 100 ĐIỂM)" in printed
    for band in dist.rows:
        count = f"{band.count:,}".replace(",", ".")
        assert f"- {band.label}" in plain and f"{count}" in plain
        assert f"{band.label} {count} {band.share}" in printed, band
        assert (band.label, band.count, band.share) in [tuple(r[:3]) for r in sheet]


def test_the_bands_follow_the_rule_sets_thresholds() -> None:
    rs = summary.rulesets.get("qd366-2025")
    assert scores.bands_of(rs, "member") == ((90, None), (70, 90), (50, 70), (0, 50))
    assert rs.score is not None
    moved = dataclasses.replace(
        rs, score=dataclasses.replace(rs.score, thresholds={"HTXSNV": 95, "HTTNV": 75})
    )
    assert [scores.band_label(b) for b in scores.bands_of(moved, "member")] == [
        "Từ 95 điểm trở lên", "Từ 75 đến dưới 95 điểm", "Dưới 75 điểm",
    ]  # fmt: skip
    unscored = dataclasses.replace(rs, score=dataclasses.replace(rs.score, enabled=False))
    assert scores.bands_of(unscored, "member") == ()
    assert scores.distribution("Đảng viên", unscored, "member", {}) is None


def test_the_screening_heading_never_stays_alone_at_the_foot_of_a_page(
    any_full_demo_db: Database,
) -> None:
    pdf = export.render_pdf(summary.report(any_full_demo_db, LAST_YEAR))
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]
    [page] = [text for text in pages if "DIỆN SÀNG LỌC" in text]
    # On the page of its heading: the list's header (or the sentence that it is empty), and
    # the signature that closes the summary.
    assert "Họ và tên" in page or "Không có đảng viên nào" in page
    assert "(Ký, ghi rõ họ tên)" in page
