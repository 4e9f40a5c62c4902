"""The one place that knows where things live.

Data (the database, its backups, logs and settings) goes to the user's data folder unless
``--data-dir`` or ``DANHGIA_DATA_DIR`` says otherwise. Resources (fonts, rule sets) and the
migrations are read from the source checkout or, in a PyInstaller bundle, from the bundle.

On Linux (POSIX) the data folder and what the app writes into it are private to the user:
folders 0700, the database and its backups 0600, whatever the umask. On Windows nothing is
done: the user's profile (``%LOCALAPPDATA%``) is already readable by that user alone.
"""

from __future__ import annotations

import os
import sys
from contextlib import suppress
from pathlib import Path

import platformdirs

APP_NAME = "DanhGia"
DATA_DIR_ENV = "DANHGIA_DATA_DIR"
DATABASE_NAME = "danhgia.sqlite"
PORTABLE_MARKER = "portable.txt"
PORTABLE_DATA = "DuLieu"
# The private scratch folder beside a database, for the few moments a plain copy of it must
# exist (an encrypted backup being made or restored): see services/safekeeping/scratch.py.
SCRATCH_NAME = ".danhgia-tam"
POSIX = os.name != "nt"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600

_data_dir_override: Path | None = None


def set_data_dir(path: str | os.PathLike[str] | None) -> None:
    """Use *path* as the data folder for this process (the ``--data-dir`` option)."""
    global _data_dir_override
    _data_dir_override = Path(path).expanduser().resolve() if path else None


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def install_root() -> Path:
    """The folder holding ``resources/`` and ``db/``: the bundle when frozen, else the checkout."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return Path(__file__).resolve().parent.parent


def executable_dir() -> Path:
    """The folder of the program the user started (the bundle's folder when frozen)."""
    return Path(sys.executable).resolve().parent


def portable_marker() -> Path:
    """A file named so beside the executable makes the copy portable (a USB stick)."""
    return executable_dir() / PORTABLE_MARKER


def is_portable() -> bool:
    return is_frozen() and portable_marker().exists()


def data_dir() -> Path:
    """The data folder, created when missing: ``--data-dir``, else ``DANHGIA_DATA_DIR``, else
    the folder beside a portable copy, else the user's data folder."""
    if _data_dir_override is not None:
        path = _data_dir_override
    elif os.environ.get(DATA_DIR_ENV):
        path = Path(os.environ[DATA_DIR_ENV]).expanduser().resolve()
    elif is_portable():
        path = executable_dir() / PORTABLE_DATA
    else:
        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))
    return make_private_dir(path)


def default_database() -> Path:
    return data_dir() / DATABASE_NAME


def backups_dir() -> Path:
    return make_private_dir(data_dir() / "backups")


def logs_dir() -> Path:
    return make_private_dir(data_dir() / "logs")


def templates_dir() -> Path:
    """Where a province's Word templates live, one per document kind (``ballot.docx`` …):
    ``templates`` in the data folder. Not created here: no folder, no templates."""
    return data_dir() / "templates"


def criteria_dir() -> Path:
    """Where a province's criteria sets live (``*.toml``, each with its own id and, for a
    copy of a shipped set, ``based_on``): ``criteria`` in the data folder, created when
    missing, as the rule-set copies' folder is. The shipped sets are in ``resources/criteria``."""
    return make_private_dir(data_dir() / "criteria")


def scratch_dir(database: Path) -> Path:
    """Where a plain copy of *database* may briefly live: a hidden folder in the database's
    own folder (the data folder for the usual database). Not created here."""
    return Path(database).expanduser().resolve().parent / SCRATCH_NAME


def make_private_dir(path: Path) -> Path:
    """Create the folder *path* (and its parents) if missing; on POSIX make it 0700, also when
    it already existed with looser rights (data written by an older version). A folder whose
    rights cannot be changed (not ours, a FAT-formatted USB stick) is used as it is."""
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    if POSIX:
        _tighten(path, PRIVATE_DIR_MODE)
    return path


def tighten_file(path: Path) -> None:
    """On POSIX, make the existing file *path* 0600 if it is looser; never fails."""
    if POSIX:
        _tighten(path, PRIVATE_FILE_MODE)


def create_private_file(path: Path) -> Path:
    """Create *path* empty (truncating it if it exists), 0600 on POSIX, before anything is
    written into it: so the data is never readable by others, not even for a moment. (Windows:
    the profile's access list already keeps others out; the mode there means nothing.)"""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    try:
        if POSIX:
            # os.open's mode only applies to a new file, and the umask may have trimmed it.
            # A FAT-formatted USB stick refuses any mode (EPERM): the file is written anyway.
            with suppress(OSError):
                os.fchmod(fd, PRIVATE_FILE_MODE)
    finally:
        os.close(fd)
    return path


def _tighten(path: Path, mode: int) -> None:
    """Take away what the group and others may do with *path*; a stricter mode is kept."""
    with suppress(OSError):  # missing, not ours, or a file system without modes
        if path.stat().st_mode & 0o077:
            path.chmod(mode)


def settings_file() -> Path:
    return data_dir() / "settings.json"


def resources_dir() -> Path:
    return install_root() / "resources"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def rulesets_dir() -> Path:
    return resources_dir() / "rulesets"


def shipped_criteria_dir() -> Path:
    """The criteria sets that come with the app (a province's are in :func:`criteria_dir`)."""
    return resources_dir() / "criteria"


def migrations_dir() -> Path:
    return install_root() / "db"


# The user-level folders that libraries write caches and settings to unless told otherwise:
# fontconfig keeps its font cache in XDG_CACHE_HOME/fontconfig (it writes one on a machine
# where the user has none yet, the first time Qt asks for a font), Qt its own caches there.
_XDG_FOLDERS = {
    "XDG_CACHE_HOME": "cache",
    "XDG_CONFIG_HOME": "config",
    "XDG_DATA_HOME": "share",
    "XDG_STATE_HOME": "state",
}


def contain_caches(folder: Path) -> dict[str, str | None]:
    """Point the libraries' user folders (XDG) into *folder*, so that whatever they cache is
    written there and not in the user's home: for a portable copy (a USB stick in a strange PC
    must leave nothing on it) and for the self-test's scratch run. Call it before Qt starts.
    Returns the previous values for :func:`restore_environment`."""
    previous = {name: os.environ.get(name) for name in _XDG_FOLDERS}
    for name, sub in _XDG_FOLDERS.items():
        target = folder / sub
        target.mkdir(parents=True, exist_ok=True)
        os.environ[name] = str(target)
    return previous


def restore_environment(previous: dict[str, str | None]) -> None:
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
