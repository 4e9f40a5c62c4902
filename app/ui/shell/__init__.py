"""The window around everything: ``application.run_window`` (start, fonts, first start, the
database), ``main_window``, ``host`` (restoring a backup swaps window and database),
``idle_lock`` (the window's password at work), ``options_dialog``, ``qt_vi`` and ``qt_fixes``,
and ``selftest_window`` (the self-test's window check)."""
