"""Signing and verifying never reach for the network, even for certificates that name OCSP,
CRL and CA-issuer addresses (as every certificate from a Vietnamese CA does).

The session-wide no_network fixture of tests/conftest.py fails any TCP/UDP connect, but a
verifier in soft-fail mode could swallow that failure, so this test records name lookups and
connection attempts itself, and checks that the validation context cannot fetch.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest

from app.services.signing import verify as signing_verify
from app.services.signing.sign import Verdict, load_certificates, sign_pdf, verify_pdf
from tests.services.signing import support


@pytest.fixture
def network_attempts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    attempts: list[str] = []

    def refuse(name: str) -> Callable[..., object]:
        def record(*args: object, **kwargs: object) -> object:
            attempts.append(f"{name}{args!r}")
            raise OSError(f"no network in DanhGia: {name}")

        return record

    def refuse_connect(self: socket.socket, address: object) -> None:
        attempts.append(f"connect({address!r})")
        raise OSError("no network in DanhGia")

    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("gethostbyname"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    # A verifier in soft-fail mode would swallow the conftest guard's exception: record too.
    monkeypatch.setattr(socket.socket, "connect", refuse_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse_connect)
    return attempts


def test_certificates_with_revocation_urls_are_checked_offline(network_attempts: list[str]) -> None:
    issued = support.issued_signer("Giàng A Páo")
    signed = sign_pdf(support.minutes_pdf(), issued.source, reason="Chủ trì", location="Na Tông")
    assert verify_pdf(signed, [support.authority().pem]).verdict is Verdict.VALID
    # Without the CA the chain is incomplete; a verifier allowed to fetch would follow the
    # CA-issuer address. This one gives up quietly.
    assert verify_pdf(signed).verdict is Verdict.UNKNOWN_SIGNER
    assert network_attempts == []


def test_the_validation_context_cannot_fetch() -> None:
    (root,) = load_certificates(support.authority().pem)
    context = signing_verify._validation_context([root], None)
    assert context.fetching_allowed is False
    # Only the roots given: never the operating system's list.
    assert [c.dump() for c in context.path_builder.trust_manager.iter_certs()] == [root.dump()]
