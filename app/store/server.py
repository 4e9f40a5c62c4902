"""A database on a PostgreSQL server: its address, its password, and how it is shown.

The province's office keeps one database on a server for several clerks; a commune keeps its
SQLite file. A server database is named by a URL, ``postgresql://user@host:port/dbname``
(``postgres://`` and ``postgresql+psycopg://`` are accepted too, and libpq's own parameters
after ``?``, such as ``sslmode=require``).

The password is never part of what is kept or shown. It is looked up when the database is
opened: in the operating system's keyring (service :data:`KEYRING_SERVICE`, user
``user@host:port``), else in the environment (``DANHGIA_DB_PASSWORD``, then ``PGPASSWORD``).
A URL that carries a password is accepted, but the password is dropped from everything the
app displays or logs (:meth:`ServerTarget.__str__`, :func:`redact`).

Nothing here imports SQLAlchemy, psycopg or keyring at import time.
"""

from __future__ import annotations

import getpass
import logging
import os
import re
from contextlib import suppress
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from app.store.errors import ServerAddressInvalid

if TYPE_CHECKING:
    from sqlalchemy import URL

log = logging.getLogger(__name__)

SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
DEFAULT_PORT = 5432
KEYRING_SERVICE = "DanhGia PostgreSQL"
PASSWORD_ENVIRONMENT = ("DANHGIA_DB_PASSWORD", "PGPASSWORD")
CONNECT_TIMEOUT_SECONDS = 10
# libpq parameters a URL may carry after "?"; anything else is refused rather than ignored.
_ALLOWED_OPTIONS = frozenset(
    {
        "sslmode", "sslrootcert", "sslcert", "sslkey", "sslcrl", "target_session_attrs",
        "connect_timeout", "application_name", "options", "host", "hostaddr", "gssencmode",
        "channel_binding", "keepalives", "keepalives_idle",
    }
)  # fmt: skip
_URL_PASSWORD = re.compile(r"(?i)(postgres(?:ql)?(?:\+\w+)?://[^:/@\s]*):[^/\s]*@")
# scheme://[user[:password]@][host or [v6]][:port]/dbname[?query]: a URL of libpq's kind, read
# here rather than with urllib (the app imports no networking module; see the architecture
# test): its parts are percent-encoded, as ``display`` writes them.
_URL = re.compile(
    r"^(?P<scheme>[A-Za-z][\w+.-]*)://"
    r"(?:(?P<user>[^:@/?]*)(?::(?P<password>[^/?]*))?@)?"  # to the last "@"
    r"(?P<host>\[[^\]]*\]|[^:/?]*)"
    r"(?::(?P<port>[^/?]*))?"
    r"(?:/(?P<dbname>[^?]*))?"
    r"(?:\?(?P<query>.*))?$",
    re.DOTALL,
)
_PLAIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def is_server_url(value: object) -> bool:
    """Whether *value* (a string, or what the command line gave) names a server database."""
    if not isinstance(value, str):
        return False
    scheme, sep, _rest = value.strip().partition("://")
    return bool(sep) and scheme.lower() in SCHEMES


@dataclass(frozen=True)
class ServerTarget:
    """Where a server database is and who connects to it. ``str()`` of it never shows the
    password; :meth:`with_password` gives a copy that knows it."""

    host: str
    port: int
    dbname: str
    user: str
    options: tuple[tuple[str, str], ...] = ()
    password: str | None = field(default=None, repr=False, compare=False)

    @classmethod
    def parse(cls, url: str) -> ServerTarget:
        """The target named by *url*; ServerAddressInvalid (in Vietnamese, without the
        password) when it is not a usable PostgreSQL address."""
        text = url.strip()
        shown = redact(text)
        parts = _URL.match(text)
        if not is_server_url(text) or parts is None:
            raise ServerAddressInvalid(shown, "địa chỉ phải bắt đầu bằng postgresql://")
        port_text = parts["port"] or ""
        if port_text and not (port_text.isascii() and port_text.isdigit()):
            raise ServerAddressInvalid(shown, "số cổng không hợp lệ")
        port = int(port_text) if port_text else DEFAULT_PORT
        if not 0 < port < 65536:
            raise ServerAddressInvalid(shown, "số cổng không hợp lệ")
        dbname = _unquote(parts["dbname"] or "")
        if not dbname or "/" in dbname:
            raise ServerAddressInvalid(shown, "thiếu tên cơ sở dữ liệu sau dấu “/”")
        options: dict[str, str] = {}
        for pair in filter(None, (parts["query"] or "").split("&")):
            key, _, value = pair.partition("=")
            options[_unquote(key)] = _unquote(value)
        unknown = sorted(set(options) - _ALLOWED_OPTIONS)
        if unknown:
            raise ServerAddressInvalid(shown, f"không hiểu tham số {', '.join(unknown)}")
        # A Unix socket folder comes as ?host=/run/postgresql, libpq's own spelling.
        socket = options.pop("host", "")
        host = _unquote(parts["host"].strip("[]")).lower() or socket or "localhost"
        user, password = parts["user"], parts["password"]
        return cls(
            host=host,
            port=port,
            dbname=dbname,
            user=_unquote(user) if user else _default_user(),
            options=tuple(options.items()),
            password=_unquote(password) if password is not None else None,
        )

    @property
    def display(self) -> str:
        """``postgresql://user@host:port/dbname``: what the window and messages show."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        if self.host.startswith("/"):  # a Unix socket folder: libpq's own spelling
            host, query = "", [*self.options, ("host", self.host)]
        else:
            query = list(self.options)
        url = f"postgresql://{_quote(self.user)}@{host}:{self.port}/{_quote(self.dbname)}"
        return url + ("?" + "&".join(f"{_quote(k)}={_quote(v)}" for k, v in query) if query else "")

    def __str__(self) -> str:
        return self.display

    @property
    def keyring_user(self) -> str:
        """The name its password is kept under in the keyring: a password belongs to a user
        on a server, whichever of its databases they open."""
        return f"{self.user}@{self.host}:{self.port}"

    def with_password(self, password: str | None) -> ServerTarget:
        return replace(self, password=password)

    def resolved(self) -> ServerTarget:
        """This target with its password looked up (see the module's docstring) when the URL
        carried none. With none found anywhere, libpq may still find one in ``~/.pgpass``."""
        if self.password is not None:
            return self
        return self.with_password(find_password(self))

    def secrets(self) -> tuple[str, ...]:
        """What must never be shown: the password, when known."""
        return (self.password,) if self.password else ()

    def connect_arguments(self, *, read_only: bool = False) -> dict[str, Any]:
        """Keyword arguments for ``psycopg.connect``."""
        arguments: dict[str, Any] = {
            "host": self.host,
            "port": self.port,
            "dbname": self.dbname,
            "user": self.user,
            "connect_timeout": CONNECT_TIMEOUT_SECONDS,
            "application_name": "DanhGia",
        }
        arguments.update(dict(self.options))
        if self.password is not None:
            arguments["password"] = self.password
        if read_only:
            arguments["options"] = (
                arguments.get("options", "") + " -c default_transaction_read_only=on"
            ).strip()
        return arguments

    def sqlalchemy_url(self) -> URL:
        """SQLAlchemy's URL of the database, without libpq's options (see ``make_server_engine``,
        which passes them as connection arguments); its text shows the password as ***."""
        from sqlalchemy import URL

        return URL.create(
            "postgresql+psycopg",
            username=self.user,
            password=self.password,
            host=self.host,
            port=self.port,
            database=self.dbname,
        )


def _unquote(text: str) -> str:
    """*text* with its %XX escapes decoded (UTF-8); a stray "%" is kept as it is."""
    if "%" not in text:
        return text
    out, index = bytearray(), 0
    while index < len(text):
        escape = text[index + 1 : index + 3]
        if (
            text[index] == "%"
            and len(escape) == 2
            and all(c in "0123456789abcdefABCDEF" for c in escape)
        ):
            out.append(int(escape, 16))
            index += 3
        else:
            out += text[index].encode("utf-8")
            index += 1
    return out.decode("utf-8", errors="replace")


def _quote(text: str) -> str:
    """*text* percent-encoded for a URL's part (what ``_unquote`` reads back)."""
    return "".join(
        char if char in _PLAIN else "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))
        for char in text
    )


def _default_user() -> str:
    """libpq's own default: the operating system's user name (PGUSER when set)."""
    try:
        return os.environ.get("PGUSER") or getpass.getuser()
    except Exception:  # no user name to be found (a container without /etc/passwd entry)
        return "postgres"


def redact(text: str, secrets: tuple[str, ...] | list[str] = ()) -> str:
    """*text* without a password written in a ``postgresql://user:password@…`` URL, and without
    any of *secrets* wherever they appear."""
    text = _URL_PASSWORD.sub(r"\1@", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


# ---- the password ---------------------------------------------------------------------------


def find_password(target: ServerTarget) -> str | None:
    """The password of *target*'s user: the keyring first, then the environment."""
    password = _from_keyring(target)
    if password:
        return password
    for name in PASSWORD_ENVIRONMENT:
        if os.environ.get(name):
            return os.environ[name]
    return None


def _from_keyring(target: ServerTarget) -> str | None:
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, target.keyring_user)
    except Exception as error:  # no keyring on this machine, a locked one, a D-Bus failure
        log.info("no password from the keyring for %s: %s", target.keyring_user, type(error))
        return None


def keyring_usable() -> bool:
    """Whether the operating system has a keyring a password can be kept in."""
    try:
        import keyring

        backend = keyring.get_keyring()
        return float(getattr(backend, "priority", 0)) > 0  # fail: 0, null: -1
    except Exception as error:  # a broken keyring package or D-Bus: as good as none
        log.info("no keyring: %s", type(error).__name__)
        return False


def save_password(target: ServerTarget, password: str) -> None:
    """Keep *password* in the operating system's keyring for *target*'s user (the dialog
    "Kết nối máy chủ…" calls this); raises keyring's error when there is no keyring."""
    import keyring

    keyring.set_password(KEYRING_SERVICE, target.keyring_user, password)


def forget_password(target: ServerTarget) -> None:
    """Remove *target*'s password from the keyring; nothing happens when none was kept."""
    try:
        import keyring
        from keyring.errors import PasswordDeleteError

        with suppress(PasswordDeleteError):  # none was kept
            keyring.delete_password(KEYRING_SERVICE, target.keyring_user)
    except Exception as error:
        log.info("could not forget the password of %s: %s", target.keyring_user, type(error))


# ---- connecting -----------------------------------------------------------------------------


def connect(target: ServerTarget, *, read_only: bool = False) -> Any:
    """A psycopg connection to *target* (autocommit), or the StoreError that says in Vietnamese
    why there is none: ServerUnreachable, ServerLoginRefused, ServerDatabaseMissing."""
    import psycopg

    try:
        connection = psycopg.connect(**target.connect_arguments(read_only=read_only))
    except psycopg.Error as error:
        raise connection_error(target, error) from None  # libpq's text may echo the address
    connection.autocommit = True
    return connection


# SQLSTATEs of a refused login: invalid_password, invalid_authorization_specification (no
# pg_hba.conf line for this user and address), insufficient_privilege (no CONNECT right).
_LOGIN_REFUSED = frozenset({"28P01", "28000", "42501"})
_NO_DATABASE = "3D000"  # invalid_catalog_name: no database of that name


def connection_error(target: ServerTarget, error: BaseException) -> Exception:
    """The StoreError to raise for *error*, psycopg's (or SQLAlchemy's wrapping it), met while
    connecting to *target*. The password never appears in it."""
    from app.store.errors import ServerDatabaseMissing, ServerLoginRefused, ServerUnreachable

    original = getattr(error, "orig", None) or error
    state = getattr(original, "sqlstate", None)
    text = str(original)
    lowered = text.lower()
    # A refusal while connecting comes as libpq's text, without a SQLSTATE: "password
    # authentication failed", "fe_sendauth: no password supplied", "no pg_hba.conf entry",
    # 'role "x" does not exist', 'database "x" does not exist'.
    if (
        state in _LOGIN_REFUSED
        or "password" in lowered
        or "pg_hba.conf" in lowered
        or re.search(r'role "[^"]*" does not exist', text)
    ):
        return ServerLoginRefused(target, target.user)
    if state == _NO_DATABASE or re.search(r'database "[^"]*" does not exist', text):
        return ServerDatabaseMissing(target, target.dbname)
    return ServerUnreachable(target, _reason(text, target))


def _reason(text: str, target: ServerTarget) -> str:
    """The gist of libpq's English message, for the details in parentheses."""
    lowered = text.lower()
    for needle, said in (
        ("connection refused", "máy chủ từ chối kết nối ở cổng này"),
        ("timeout expired", "quá thời gian chờ máy chủ trả lời"),
        ("timed out", "quá thời gian chờ máy chủ trả lời"),
        ("could not translate host name", "không tìm thấy máy chủ có tên này"),
        ("name or service not known", "không tìm thấy máy chủ có tên này"),
        ("no route to host", "không có đường mạng tới máy chủ"),
        ("network is unreachable", "không có đường mạng tới máy chủ"),
        ("no such file or directory", "không thấy máy chủ trên máy này"),
        ("the database system is starting up", "máy chủ đang khởi động"),
        ("the database system is shutting down", "máy chủ đang dừng"),
        ("too many clients", "máy chủ đã đủ số kết nối"),
        ("ssl", "lỗi kết nối mã hóa SSL"),
    ):
        if needle in lowered:
            return said
    line = text.strip().splitlines()[-1] if text.strip() else ""
    return redact(line, target.secrets())[:200]
