"""Documents in the party-document format (HD 36-HD/VPTW). Each document module is a pure
function from plain data (``app.documents.data``) to the neutral document model
(``app.documents.model``), which ``render_pdf`` prints as the signed PDF and ``render_docx``
as a Word file an office can reword.

``DOCUMENT_KINDS`` indexes them by a short kind name for the command line and the window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.documents.ballot import ballot_document, render_ballot
from app.documents.collective_report import collective_report_document, render_collective_report
from app.documents.data import (
    BallotData,
    CollectiveReportData,
    DecisionData,
    MeetingMinutesData,
    ProposalListData,
    QuarterRatingData,
    SelfReviewData,
    SummaryData,
    TallyMinutesData,
)
from app.documents.decision import decision_document, render_decision
from app.documents.meeting_minutes import meeting_minutes_document, render_meeting_minutes
from app.documents.model import Document
from app.documents.proposal_list import proposal_list_document, render_proposal_list
from app.documents.quarter_rating import quarter_rating_document, render_quarter_rating
from app.documents.self_review import render_self_review, self_review_document
from app.documents.summary_report import render_summary_report, summary_document
from app.documents.tally_minutes import render_tally_minutes, tally_minutes_document


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document: its Vietnamese title, the data it takes, the model it builds from
    that data, and its PDF renderer (``render_pdf`` of that model)."""

    kind: str
    title: str
    data_type: type
    render: Callable[[Any], bytes]
    build: Callable[[Any], Document]


DOCUMENT_KINDS: dict[str, DocumentKind] = {
    kind.kind: kind
    for kind in (
        DocumentKind(
            "self-review",
            "Bản kiểm điểm cá nhân (Mẫu 2A, 2B, 2C)",
            SelfReviewData,
            render_self_review,
            self_review_document,
        ),
        DocumentKind(
            "collective-report",
            "Báo cáo kiểm điểm tập thể (Mẫu 01)",
            CollectiveReportData,
            render_collective_report,
            collective_report_document,
        ),
        DocumentKind(
            "ballot",
            "Phiếu đánh giá, xếp loại chất lượng",
            BallotData,
            render_ballot,
            ballot_document,
        ),
        DocumentKind(
            "tally-minutes",
            "Biên bản kiểm phiếu",
            TallyMinutesData,
            render_tally_minutes,
            tally_minutes_document,
        ),
        DocumentKind(
            "meeting-minutes",
            "Biên bản hội nghị chi bộ",
            MeetingMinutesData,
            render_meeting_minutes,
            meeting_minutes_document,
        ),
        DocumentKind(
            "proposal-list",
            "Danh sách đề nghị xếp loại chất lượng",
            ProposalListData,
            render_proposal_list,
            proposal_list_document,
        ),
        DocumentKind(
            "decision",
            "Quyết định công nhận kết quả xếp loại chất lượng",
            DecisionData,
            render_decision,
            decision_document,
        ),
        DocumentKind(
            "summary",
            "Biểu tổng hợp kết quả đánh giá, xếp loại",
            SummaryData,
            render_summary_report,
            summary_document,
        ),
        DocumentKind(
            "quarter-rating",
            "Phiếu tự đánh giá, xếp loại chất lượng theo quý",
            QuarterRatingData,
            render_quarter_rating,
            quarter_rating_document,
        ),
    )
}


def render(data: Any) -> bytes:
    """Render any document data object with the renderer of its kind."""
    for kind in DOCUMENT_KINDS.values():
        if isinstance(data, kind.data_type):
            return kind.render(data)
    raise TypeError(f"Không có mẫu văn bản cho dữ liệu kiểu {type(data).__name__}.")


__all__ = ["DOCUMENT_KINDS", "DocumentKind", "render"]
