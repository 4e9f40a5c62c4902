"""Writing a file the user asked for so that a failure (a full USB stick, a pulled cable)
never leaves half a file where a whole one was expected: write beside it, then rename."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from app import paths
from app.services.common.errors import ServiceError

# On Windows a file another program holds open without sharing deletion (a PDF viewer, Excel,
# a virus scanner reading the new file) cannot be replaced. A scanner lets go within moments,
# so the rename is tried again for about a second before the user is told.
REPLACE_ATTEMPTS = 6
REPLACE_PAUSE = 0.2
WINDOWS = os.name == "nt"


class FileInUse(ServiceError):
    """The file to replace is held open by another program; the old one is untouched."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"Không ghi được “{path.name}”: tệp đang mở trong một chương trình khác (trình xem "
            f"PDF, Excel…). Đóng tệp đó rồi làm lại; tệp cũ vẫn nguyên.\n({path})"
        )
        self.path = path


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Call *write* with a temporary path beside *path*, then rename it into place. Raises
    FileInUse, leaving *path* as it was, when another program keeps it open."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    try:
        # What the app writes (packages, documents, workbooks) holds members' records: only
        # the user may read it (POSIX; on Windows the folder's access list decides).
        paths.create_private_file(partial)
        write(partial)
        # On the disk before the rename, so "đã lưu" is true even if the stick is pulled.
        with partial.open("rb+") as written:
            os.fsync(written.fileno())
        _replace(partial, path)
    except OSError as error:
        # The user knows the file by the name they chose, not by the temporary one beside it.
        if error.filename == os.fspath(partial):
            error.filename = os.fspath(path)
        raise
    finally:
        partial.unlink(missing_ok=True)


def _replace(partial: Path, path: Path) -> None:
    for attempt in range(REPLACE_ATTEMPTS):
        try:
            partial.replace(path)
            return
        except PermissionError:
            # Windows: the target is open elsewhere. (On Linux a rename over an open file
            # succeeds; a PermissionError there is a folder without write access.)
            if not WINDOWS:
                raise
            if attempt + 1 < REPLACE_ATTEMPTS:
                time.sleep(REPLACE_PAUSE)
    raise FileInUse(path)


def write_bytes_atomically(path: Path, data: bytes) -> None:
    write_atomically(path, lambda partial: partial.write_bytes(data))
