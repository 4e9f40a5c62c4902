"""The bundle's entry point: exactly ``python -m app``."""

import multiprocessing
import sys

from app.__main__ import main

if __name__ == "__main__":
    # The workers of "print everything" are this program started again by multiprocessing
    # ("spawn"); in a frozen bundle this call is what turns such a start into a worker.
    multiprocessing.freeze_support()
    sys.exit(main())
