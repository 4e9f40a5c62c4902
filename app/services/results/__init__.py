"""Past years' results in and out of Excel: ``import_plan.plan_import`` (rows read by ``reading``,
checked against ``state``) then ``workbook.apply_import`` or ``workbook.import_results`` in one
go; ``export.export_results`` writes them out."""
