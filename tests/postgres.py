"""A private, throwaway PostgreSQL cluster for the test session (imported by tests/conftest.py).

The cluster lives in a temporary folder: ``initdb`` makes it, ``pg_ctl`` starts it on a free
port of 127.0.0.1 (password login, SCRAM) with a Unix socket in the same folder, and stops it
when the session ends. Durability is switched off (fsync, full-page writes): nothing in it
outlives the run.

PostgreSQL refuses to run as root. Run as root (a CI machine, a container), the server's
programs run as the ``postgres`` system user (``runuser -u postgres --``) in a folder that
user owns; run as an ordinary user, they run directly, as that user.

Each test gets a database of its own, copied from a template database migrated (and filled,
for the demo) once per session: ``CREATE DATABASE … TEMPLATE …`` copies files, which is far
faster than migrating or building the demo again.

Without PostgreSQL's programs the fixtures fail, naming the package to install: the suite
runs on both engines, and a missing server is a broken machine, not a reason to skip.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

INSTALL_HINT = "sudo apt-get install postgresql"
SUPERUSER = "danhgia_test"


class PostgresMissing(RuntimeError):
    pass


def find_binaries() -> Path:
    """The folder holding initdb, pg_ctl and postgres: ``DANHGIA_PG_BIN``, else wherever
    ``initdb`` is on PATH, else Debian's /usr/lib/postgresql/<newest>/bin."""
    given = os.environ.get("DANHGIA_PG_BIN")
    candidates: list[Path] = [Path(given)] if given else []
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    found = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted(
        (Path(p) for p in found), key=lambda p: _version_key(p.parent.name), reverse=True
    )
    for folder in candidates:
        if all((folder / name).exists() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    raise PostgresMissing(
        "PostgreSQL's server programs (initdb, pg_ctl, postgres) were not found: the tests "
        "run the store and the services on a private PostgreSQL cluster too. Install them "
        f"with:\n    {INSTALL_HINT}\n(or name their folder in DANHGIA_PG_BIN)."
    )


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """A running cluster; :meth:`start` makes one, :meth:`stop` ends it and deletes it."""

    def __init__(self, binaries: Path, root: Path, port: int, password: str, as_user: str | None):
        self.binaries = binaries
        self.root = root
        self.data = root / "data"
        self.port = port
        self.password = password
        self.as_user = as_user  # "postgres" when run as root
        self.host = "127.0.0.1"
        self._names = itertools.count(1)

    # ---- starting and stopping ----------------------------------------------------------

    @classmethod
    def start(cls) -> Cluster:
        binaries = find_binaries()
        as_user = "postgres" if os.geteuid() == 0 else None
        root = Path(tempfile.mkdtemp(prefix="danhgia-pg-"))
        if as_user:
            shutil.chown(root, as_user, as_user)
        cluster = cls(binaries, root, free_port(), secrets.token_urlsafe(18), as_user)
        try:
            cluster._init()
            cluster._run_server()
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def _command(self, *arguments: str) -> list[str]:
        prefix = ["runuser", "-u", self.as_user, "--"] if self.as_user else []
        return [*prefix, *arguments]

    def _run(self, *arguments: str, timeout: float = 120) -> None:
        result = subprocess.run(
            self._command(*arguments),
            cwd=self.root,  # the postgres user may not enter the caller's folder
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{' '.join(arguments[:2])} failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}\n{self._log_tail()}"
            )

    def _init(self, superuser: str = SUPERUSER) -> None:
        password_file = self.root / "superuser-password"
        password_file.write_text(self.password + "\n", encoding="utf-8")
        password_file.chmod(0o600)
        if self.as_user:
            shutil.chown(password_file, self.as_user, self.as_user)
        self._run(
            str(self.binaries / "initdb"),
            "--pgdata", str(self.data),
            "--username", superuser,
            "--pwfile", str(password_file),
            "--auth-local", "trust",
            "--auth-host", "scram-sha-256",
            "--encoding", "UTF8",
            # Byte order, as SQLite's BINARY collation sorts: the suite's expectations are
            # SQLite's, and the app sorts Vietnamese names itself (app/domain/collation.py).
            "--locale", "C",
            "--no-sync",
        )  # fmt: skip
        password_file.unlink()

    def _run_server(self, *, durable: bool = False) -> None:
        # The test cluster's socket is in its short /tmp folder; a data folder's path may be
        # too long for one (108 bytes), and TCP on 127.0.0.1 is what the app uses anyway.
        sockets = "''" if durable else str(self.root)
        settings = [
            f"-p {self.port}",
            f"-c listen_addresses={self.host}",
            f"-c unix_socket_directories={sockets}",
            "-c max_connections=200",
            "-c shared_buffers=64MB",
        ]
        if not durable:
            settings += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        self._run(
            str(self.binaries / "pg_ctl"),
            "start", "--wait", "--timeout", "60",
            "--pgdata", str(self.data),
            "--log", str(self.root / "server.log"),
            "--options", " ".join(settings),
        )  # fmt: skip

    def _log_tail(self) -> str:
        with contextlib.suppress(OSError):
            return (self.root / "server.log").read_text(errors="replace")[-2000:]
        return ""

    def running(self) -> bool:
        result = subprocess.run(
            self._command(str(self.binaries / "pg_ctl"), "status", "--pgdata", str(self.data)),
            cwd=self.root, capture_output=True, check=False,
        )  # fmt: skip
        return result.returncode == 0

    def halt(self, mode: str = "immediate") -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(Exception):
                self._run(
                    str(self.binaries / "pg_ctl"),
                    "stop", "--wait", "--mode", mode, "--pgdata", str(self.data),
                    timeout=60,
                )  # fmt: skip

    def stop(self) -> None:
        self.halt()
        shutil.rmtree(self.root, ignore_errors=True)

    # ---- databases --------------------------------------------------------------------

    def url(self, dbname: str, *, user: str = SUPERUSER, password: bool = False) -> str:
        """The database's URL; with *password*, the password written in it."""
        secret = f":{self.password}" if password else ""
        return f"postgresql://{user}{secret}@{self.host}:{self.port}/{dbname}"

    def admin(self, sql: str, user: str = SUPERUSER) -> list[tuple[object, ...]]:
        """Run *sql* (CREATE/DROP DATABASE: outside a transaction) on the maintenance database."""
        import psycopg

        with psycopg.connect(
            host=self.host, port=self.port, user=user, password=self.password,
            dbname="postgres", autocommit=True,
        ) as connection:  # fmt: skip
            cursor = connection.execute(sql)
            return cursor.fetchall() if cursor.description else []

    def new_name(self, prefix: str = "t") -> str:
        return f"{prefix}_{os.getpid()}_{next(self._names)}"

    def create(self, name: str, template: str | None = None) -> str:
        from_template = f' TEMPLATE "{template}"' if template else ""
        for attempt in range(50):
            try:
                self.admin(f'CREATE DATABASE "{name}"{from_template}')
                return name
            except Exception as error:
                # "source database is being accessed by other users": a connection of the
                # template's build is still closing.
                if "being accessed" not in str(error) or attempt == 49:
                    raise
                time.sleep(0.1)
        return name

    def drop(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ---- make run-server: a cluster of one's own, kept in the data folder ----------------------------
#
# `make run-server` (python -m tests.postgres run) starts a PostgreSQL cluster in the user's
# data folder (<data folder>/postgresql: made at the first run, started if it is not running),
# makes the database "danhgia" in it, and opens the app on that database, the way a province's
# office opens its server's. `make stop-server` stops the cluster; deleting the folder deletes
# it. It listens on 127.0.0.1 only; its password is in <folder>/password (0600) and reaches the
# app through DANHGIA_DB_PASSWORD, as a clerk's would from the keyring.

LOCAL_DATABASE = "danhgia"


def local_cluster(create: bool) -> Cluster | None:
    """The data folder's cluster, made first when *create*; None when there is none."""
    import getpass

    from app import paths

    if os.geteuid() == 0:
        raise SystemExit(
            "make run-server: hãy chạy bằng tài khoản người dùng thường, không phải root "
            "(PostgreSQL không chạy dưới quyền root)."
        )
    root = paths.data_dir() / "postgresql"
    binaries = find_binaries()
    if (root / "data" / "PG_VERSION").exists():
        port = int((root / "port").read_text().strip())
        password = (root / "password").read_text().strip()
        return Cluster(binaries, root, port, password, None)
    if not create:
        return None
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    cluster = Cluster(binaries, root, free_port(), secrets.token_urlsafe(18), None)
    (root / "password").write_text(cluster.password + "\n", encoding="utf-8")
    (root / "password").chmod(0o600)
    (root / "port").write_text(f"{cluster.port}\n", encoding="utf-8")
    cluster._init(superuser=getpass.getuser())
    return cluster


def run_local(argv: list[str]) -> int:
    import getpass
    import sys

    user = getpass.getuser()
    cluster = local_cluster(create=True)
    assert cluster is not None
    if not cluster.running():
        cluster._run_server(durable=True)
    known = cluster.admin(
        f"SELECT 1 FROM pg_database WHERE datname = '{LOCAL_DATABASE}'", user=user
    )
    if not known:
        cluster.admin(f'CREATE DATABASE "{LOCAL_DATABASE}"', user=user)
    url = cluster.url(LOCAL_DATABASE, user=user)
    print(f"Máy chủ PostgreSQL cục bộ: {url} (thư mục {cluster.root})", flush=True)
    environment = {**os.environ, "DANHGIA_DB_PASSWORD": cluster.password}
    command = [sys.executable, "-m", "app", "--db", url, *argv]
    return subprocess.run(command, env=environment, check=False).returncode


def stop_local() -> int:
    cluster = local_cluster(create=False)
    if cluster is not None and cluster.running():
        cluster.halt(mode="fast")
        print(f"Đã dừng máy chủ PostgreSQL cục bộ ({cluster.root}).")
    else:
        print("Máy chủ PostgreSQL cục bộ không chạy.")
    return 0


if __name__ == "__main__":
    import sys

    try:
        if sys.argv[1:2] == ["stop"]:
            sys.exit(stop_local())
        if sys.argv[1:2] == ["run"]:
            sys.exit(run_local(sys.argv[2:]))
    except PostgresMissing as missing:
        sys.exit(str(missing))
    sys.exit("usage: python -m tests.postgres run [app options…] | stop")
