"""The one place that knows where things live.

Data (the database, its backups, logs and settings) goes to the user's data folder unless
``--data-dir`` or ``DANHGIA_DATA_DIR`` says otherwise. Resources (fonts, rule sets) and the
migrations are read from the source checkout or, in a PyInstaller bundle, from the bundle.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "DanhGia"
DATA_DIR_ENV = "DANHGIA_DATA_DIR"
DATABASE_NAME = "danhgia.sqlite"
PORTABLE_MARKER = "portable.txt"
PORTABLE_DATA = "DuLieu"

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
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database() -> Path:
    return data_dir() / DATABASE_NAME


def backups_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def logs_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def settings_file() -> Path:
    return data_dir() / "settings.json"


def resources_dir() -> Path:
    return install_root() / "resources"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def rulesets_dir() -> Path:
    return resources_dir() / "rulesets"


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
