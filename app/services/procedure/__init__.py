"""A cell's procedure and the commune's appraisal. ``steps`` holds every entry and every move
between steps (returning a cell included), ``view`` what the window shows of a cell, ``board``
every cell of a period at a glance, ``levels`` and ``low_reasons`` record a level and why it
is low, ``item_scores`` the scores item by item and a period's criteria set,
``double_tally`` the two tellers, ``appraisal`` the commune's decisions, ``stages``
every stage side by side, ``quota_simulator`` the HTXSNV quota, ``plan_dates`` and
``cell_marks`` where each cell stands."""
