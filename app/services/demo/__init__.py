"""The demo commune (or former district): ``commune.create_demo`` builds the organisations and
members (names from ``names``), past years' decided results (``history``) and this year's
periods part-way through the procedure (``procedure``)."""
