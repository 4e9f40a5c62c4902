"""PDF documents in the party-document format (HD 36-HD/VPTW). Each document module is a pure
function: plain data in (``app.documents.data``), PDF bytes out.

``DOCUMENT_KINDS`` indexes them by a short kind name for the command line and the window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.documents.ballot import render_ballot
from app.documents.collective_report import render_collective_report
from app.documents.data import (
    BallotData,
    CollectiveReportData,
    DecisionData,
    MeetingMinutesData,
    ProposalListData,
    SelfReviewData,
    SummaryData,
    TallyMinutesData,
)
from app.documents.decision import render_decision
from app.documents.meeting_minutes import render_meeting_minutes
from app.documents.proposal_list import render_proposal_list
from app.documents.self_review import render_self_review
from app.documents.summary_report import render_summary_report
from app.documents.tally_minutes import render_tally_minutes


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document: its Vietnamese title, the data it takes, its renderer."""

    kind: str
    title: str
    data_type: type
    render: Callable[[Any], bytes]


DOCUMENT_KINDS: dict[str, DocumentKind] = {
    kind.kind: kind
    for kind in (
        DocumentKind(
            "self-review",
            "Bản kiểm điểm cá nhân (Mẫu 2A, 2B, 2C)",
            SelfReviewData,
            render_self_review,
        ),
        DocumentKind(
            "collective-report",
            "Báo cáo kiểm điểm tập thể (Mẫu 01)",
            CollectiveReportData,
            render_collective_report,
        ),
        DocumentKind("ballot", "Phiếu đánh giá, xếp loại chất lượng", BallotData, render_ballot),
        DocumentKind(
            "tally-minutes", "Biên bản kiểm phiếu", TallyMinutesData, render_tally_minutes
        ),
        DocumentKind(
            "meeting-minutes",
            "Biên bản hội nghị chi bộ",
            MeetingMinutesData,
            render_meeting_minutes,
        ),
        DocumentKind(
            "proposal-list",
            "Danh sách đề nghị xếp loại chất lượng",
            ProposalListData,
            render_proposal_list,
        ),
        DocumentKind(
            "decision",
            "Quyết định công nhận kết quả xếp loại chất lượng",
            DecisionData,
            render_decision,
        ),
        DocumentKind(
            "summary",
            "Biểu tổng hợp kết quả đánh giá, xếp loại",
            SummaryData,
            render_summary_report,
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
