"""Run a DanhGia program with nothing of this machine's user in reach, and see what it wrote.

A run gets a fresh HOME, temporary folder and XDG folders (all inside one test folder) and only
PATH and LANG from the outside; ``Snapshot`` lists the files under a folder before and after,
so a test can assert that every file the program wrote is where it should be."""

from __future__ import annotations

import os
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

XDG = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR")


@dataclass(frozen=True)
class Isolated:
    """The user's folders of an isolated run: HOME (XDG defaults fall under it) and TMPDIR."""

    home: Path
    tmp: Path

    @classmethod
    def make(cls, root: Path) -> Isolated:
        home, tmp = root / "home", root / "tmp"
        home.mkdir(parents=True)
        tmp.mkdir(parents=True)
        return cls(home, tmp)

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "HOME": str(self.home),
            "TMPDIR": str(self.tmp),
            "TEMP": str(self.tmp),
            "TMP": str(self.tmp),
        }
        # Windows: the user's folders follow the profile.
        for name in ("USERPROFILE", "APPDATA", "LOCALAPPDATA"):
            env[name] = str(self.home / name)
        for name in ("SYSTEMROOT", "WINDIR"):
            if name in os.environ:
                env[name] = os.environ[name]
        env.update(extra)
        return env

    def roots(self) -> tuple[Path, ...]:
        return (self.home, self.tmp)


def bare_fontconfig(folder: Path, fonts: Path) -> Path:
    """A fontconfig configuration as a user on a newly set-up machine meets it: a folder of
    fonts whose cache nobody has written yet, and the user's cache folder as the only place to
    write it (the system's cache, prepared by the package manager, is left out). A program run
    with it writes a font cache into the user's home, unless it keeps its caches elsewhere.
    Independent of this machine's fonts and caches."""
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><dir>{fonts}</dir>"
        '<cachedir prefix="xdg">fontconfig</cachedir></fontconfig>\n',
        encoding="utf-8",
    )
    return config


def run(command: list[str], env: dict[str, str], cwd: Path, timeout: int = 300) -> str:
    """Run *command*; return its output, or fail with it."""
    result = subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{command} exited {result.returncode}:\n{output}"
    return output


def files_under(*roots: Path) -> set[Path]:
    """Every file, link and folder under *roots*."""
    found: set[Path] = set()
    for root in roots:
        for folder, dirs, files in os.walk(root):
            found.update(Path(folder) / name for name in (*dirs, *files))
    return found


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height
