"""Evaluation periods: ``lifecycle`` (creating a period, freezing its rosters), ``rule_sets``
(the shipped and adjusted rule sets), ``criteria_sets`` (the shipped and the province's
criteria sets, and the one a period keeps), ``item_sheets`` (scores item by item as stored,
read back), ``facts`` (a period's records in the rule engine's shape), ``validation`` and
``validation_text`` (every rule run on the current levels, and said in Vietnamese),
``carry_over`` (last year's shortcomings brought into this year)."""
