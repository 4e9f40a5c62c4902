"""The command line: each command prints Vietnamese; a failure exits non-zero with a message."""

from app.cli.main import parse, run

__all__ = ["parse", "run"]
