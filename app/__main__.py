"""Entry point: no command opens the window; a command runs on the command line."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path


def quiet_library_warnings() -> None:
    """A library's notice to its own developers is no message for a commune clerk: pyHanko
    imports cryptography's DSA names, which cryptography marks deprecated, and every command
    that signs or checks a signature printed that warning in English."""
    warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"pyhanko(\.|$)")


def main(argv: list[str] | None = None) -> int:
    quiet_library_warnings()  # before the imports: pyHanko warns as it is imported
    from app import cli, paths

    if paths.is_portable():
        # Before anything starts Qt: its font cache goes into DuLieu/, not the PC's home.
        paths.contain_caches(paths.data_dir() / "cache")
    args = cli.parse(sys.argv[1:] if argv is None else argv)
    if args.command == "self-test":
        return self_test(args.screenshot)
    if args.command is None:
        from app.ui.shell.application import run_window

        return run_window(args.db)
    return cli.run(args)


def self_test(screenshot: Path | None) -> int:
    """``--self-test``: the checks of app/selftest.py, with the window's check handed in from
    app/ui, so the command line itself never reaches Qt."""
    from app import selftest

    def window(given: selftest.WindowCheckInput) -> list[str]:
        # Imported only now: a broken Qt fails this one check, not the whole self-test.
        from app.ui.shell.selftest_window import WindowProblem, check_main_window

        try:
            return check_main_window(
                given.database, given.settings_file, given.cell_id, given.title_part,
                given.sample, given.screenshot, given.pdf, given.scratch,
            )  # fmt: skip
        except WindowProblem as problem:
            raise selftest.CheckFailed(str(problem)) from problem

    return selftest.run(screenshot, window=window)


if __name__ == "__main__":
    sys.exit(main())
