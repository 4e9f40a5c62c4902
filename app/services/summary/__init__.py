"""A year's results at any node of the tree: ``report.summarize`` (with ``load`` reading the
store and ``figures`` counting), ``text`` (plain text), ``export`` (PDF and Excel) and
``committee_view`` (the committee's picture of the year, "Bức tranh xếp loại")."""
