"""``python -m tests.benchmarks [--quick] [--repeat N]``: see ``runner``."""

from tests.benchmarks.runner import main

raise SystemExit(main())
