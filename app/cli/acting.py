"""Who a command acts as, for the audit log and the permission checks."""

from __future__ import annotations

import argparse
import getpass


def actor_of(args: argparse.Namespace) -> str:
    """The acting user's login (``--user`` or DANHGIA_USER, checked when the database was
    opened), or, in single-user mode without one, the computer's user name."""
    given: str | None = getattr(args, "acting_user", None)
    if given:
        return given
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment (a service account)
        return ""
