"""The commune's report to the province (.dgr) and the province's store of reports (issue 23).
Entry points: ``export.export_report`` (the commune writes its decided year to one file),
``importer.read_report_file``, ``preview.plan_import``, ``importer.apply_import`` and
``importer.reject_report`` (the province reads, previews, stores or refuses a report), and
``province.province_summary`` (the province's figures, in SQL) with its text and workbook in
``province_output``. Inside: ``records`` (what a report carries), ``file_format`` (the JSON
file, the exchange package's frame)."""
