"""A keyring held in memory, for tests of the server password (what the operating system's
keyring would hold); the ``memory_keyring`` fixture puts it in place for one test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


class MemoryKeyring:
    """A keyring for the test: what the OS keyring would hold."""

    priority = 1

    def __init__(self) -> None:
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, user: str) -> str | None:
        return self.kept.get((service, user))

    def set_password(self, service: str, user: str, password: str) -> None:
        self.kept[(service, user)] = password

    def delete_password(self, service: str, user: str) -> None:
        from keyring.errors import PasswordDeleteError

        if self.kept.pop((service, user), None) is None:
            raise PasswordDeleteError(user)


@pytest.fixture(name="memory_keyring")
def memory_keyring_fixture() -> Iterator[MemoryKeyring]:
    import keyring
    from keyring.backend import KeyringBackend

    class Backend(MemoryKeyring, KeyringBackend):
        pass

    previous = keyring.get_keyring()
    backend = Backend()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
