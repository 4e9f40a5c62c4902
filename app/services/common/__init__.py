"""What every feature shares: the errors the user reads (``errors``), progress and Cancel
(``progress``), a file written whole or not at all (``atomic``), the app's Excel helpers
(``workbook``, with ``workbook_guard`` checking a file before it is opened) and the helper
processes that print in parallel (``worker_pool``)."""
