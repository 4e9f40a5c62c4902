"""Keeping the data safe: ``backups`` (automatic and manual), ``secure_backup`` and
``secure_file`` (password-encrypted files), ``maintenance`` (checking and restoring a database),
``window_password`` (the window's optional password) and ``audit`` (the hash-chained log of
every change)."""
