"""A stand-in for aiohttp in the DanhGia bundle: pyHanko's network code, made inert.

pyHanko imports aiohttp when its signing and validation modules load, for the clients of
timestamp servers, OCSP responders, CRL and certificate downloads. DanhGia uses none of them:
it signs without a timestamp and verifies with ``ValidationContext(allow_fetching=False)``
(app/services/signing/verify.py), so no aiohttp code ever runs. packaging/danhgia.spec puts
this folder first on PyInstaller's search path, so this module is bundled instead of aiohttp
and its dependencies (yarl, multidict, frozenlist, propcache, aiosignal, aiohappyeyeballs,
attrs, idna): 2.1 MiB.

Every public name is a class, so what pyHanko does with aiohttp while its modules load —
annotations such as ``aiohttp.ClientSession | None``, ``except aiohttp.ClientError`` clauses —
still works; creating any of them raises, so a code path that tried to reach the network would
fail at once, and loudly, instead of connecting. The development environment and the tests use
the real aiohttp; ``danhgia --self-test`` signs and verifies a PDF in the bundle.
"""

from __future__ import annotations

from typing import Any, NoReturn


class NetworkNotBundled(RuntimeError):
    """Raised by every aiohttp name in the bundle: DanhGia has no network client."""


def _refuse(self: object, *args: Any, **kwargs: Any) -> NoReturn:
    raise NetworkNotBundled(
        f"aiohttp.{type(self).__name__}: DanhGia không dùng mạng, bản đóng gói không có aiohttp"
    )


_made: dict[str, type] = {}


def __getattr__(name: str) -> type:
    if name.startswith("__"):  # __path__, __version__ …: let importlib and friends see absence
        raise AttributeError(name)
    if name not in _made:
        # An exception class, so that pyHanko's `except (aiohttp.ClientError, …)` is valid too.
        _made[name] = type(name, (Exception,), {"__init__": _refuse, "__module__": __name__})
    return _made[name]
