"""A private scratch folder for the moments a plain copy of the database must exist.

An encrypted backup is made from a plain SQLite copy, and an encrypted backup is restored
through its decrypted copy. That copy is the whole database in clear, so it never goes to the
system's temporary folder (shared, often 0755, never cleaned after a crash): it goes to a
hidden folder beside the database (``paths.scratch_dir``; the data folder for the usual
database), whose rights are already those of the database itself. The folder is 0700 and the
copy 0600 on POSIX; it is deleted when the work ends, whether it succeeded or not, and what a
crash (a killed process, a power cut) left there is swept the next time the database is
opened (``services.database.open_database``).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from app import paths


@contextmanager
def private_folder(database: Path, prefix: str) -> Iterator[Path]:
    """A fresh private folder inside the scratch folder of *database*, deleted with everything
    in it when the block ends (also when it raises)."""
    root = paths.make_private_dir(paths.scratch_dir(database))
    # mkdtemp makes the folder 0700 under a unique name: two pieces of work never share one.
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        with suppress(OSError):  # another piece of work may still be using the root
            root.rmdir()


def sweep(database: Path) -> None:
    """Delete whatever a crash left in the scratch folder of *database*. Cheap when there is
    nothing (one stat), and it never fails: a leftover that cannot be deleted now is tried
    again at the next open."""
    try:
        root = paths.scratch_dir(database)
        if root.exists():
            shutil.rmtree(root, ignore_errors=True)
    except OSError:
        pass
