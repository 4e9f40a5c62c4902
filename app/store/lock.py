"""One running DanhGia per database file.

A lock file beside the database is locked by the operating system for as long as the process
lives (flock on Linux, a byte-range lock on Windows), so a crash never leaves a stale lock
behind. The holder's description sits after the locked first byte, where a second process can
read it to say who has the file open.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from pathlib import Path

from app.store.errors import DatabaseInUse

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class InstanceLock:
    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = lock_path(database)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Lock the database for this process or raise DatabaseInUse, writing nothing."""
        if self._fd is not None:
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            self._lock(fd)
        except OSError:
            holder = self._read_holder(fd)
            os.close(fd)
            raise DatabaseInUse(self.database, holder) from None
        info = json.dumps({"pid": os.getpid(), "host": platform.node()})
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, b" " + info.encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            self._unlock(self._fd)
        finally:
            os.close(self._fd)
            self._fd = None

    @staticmethod
    def _lock(fd: int) -> None:
        if sys.platform == "win32":
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    @staticmethod
    def _unlock(fd: int) -> None:
        if sys.platform == "win32":
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)

    @staticmethod
    def _read_holder(fd: int) -> str:
        try:
            os.lseek(fd, 1, os.SEEK_SET)
            info = json.loads(os.read(fd, 4096).decode() or "{}")
            return f"máy {info['host']}, tiến trình {info['pid']}"
        except (OSError, ValueError, KeyError):
            return ""
