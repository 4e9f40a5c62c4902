"""Entry point: no command opens the window; a command runs on the command line."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from app import cli, paths

    if paths.is_portable():
        # Before anything starts Qt: its font cache goes into DuLieu/, not the PC's home.
        paths.contain_caches(paths.data_dir() / "cache")
    args = cli.parse(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        from app.ui.application import run_window

        return run_window(args.db)
    return cli.run(args)


if __name__ == "__main__":
    sys.exit(main())
