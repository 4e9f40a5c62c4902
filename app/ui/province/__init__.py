"""The province's side of the commune reports (issue 23) in the window: a commune sends its
decided year up (``report_export``), the province receives a report after a preview
(``report_import``) and reads the figures of every commune in the "Tỉnh" tab (``tab``). Which
years the province holds comes from ``roster.quick_read.report_years`` (plain SQL, read at
every reload of the window)."""
