"""The exchange package (.dgx) a cell sends to the commune. Entry points:
``package.export_package``, ``package.read_package``, ``package.plan_import`` and
``package.apply_package``. Inside:
``file_format`` (the JSON file), ``fields`` (what it carries), ``rows`` and ``records``
(a cell's period read out of a database), ``tally`` (the two tellers' entries), ``merge``
(what changes and what conflicts), ``checks`` (the window's own checks on each value),
``preview`` (the plan shown before importing) and ``write`` (writing an accepted package)."""
