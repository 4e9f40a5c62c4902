"""The "Đánh giá" tab: ``tab`` (the board for a committee, the procedure for a cell), ``board``,
``appraisal`` (the commune's appraisal and decision), ``wizard`` (a new period), ``plan``,
``rule_sets``, ``quota_dialog``, ``level_dialog``, ``low_reason_dialog`` and the stage views.
A cell's own procedure lives in ``cell``."""
