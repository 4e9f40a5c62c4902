"""The marks beside each cell in the tree and on the board: where the cell stands."""

from __future__ import annotations

from app.domain.procedure import CellStep

STEP_MARKS = {
    CellStep.PREPARATION: "○",
    CellStep.SELF_REVIEW: "◐",
    CellStep.MEETING: "◐",
    CellStep.VOTING: "◐",
    CellStep.SUBMITTED: "●",
    CellStep.RETURNED: "↺",
    CellStep.DECIDED: "✓",
}

# What each mark means, for the legend under the tree and the marks' tooltips.
MARK_MEANINGS = {
    "○": "chưa bắt đầu",
    "◐": "đang làm",
    "●": "đã nộp",
    "↺": "bị trả lại",
    "✓": "đã quyết định",
}
