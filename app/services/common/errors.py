"""Errors the services raise for the user to read, in Vietnamese."""

from __future__ import annotations

from app.domain.member_checks import FieldProblem


class ServiceError(Exception):
    """Something the user asked for cannot be done; the message says why."""


class ValidationError(ServiceError):
    """The data entered has problems; each names its field."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.label}: {p.message}" for p in problems))


class NotFound(ServiceError):
    pass


class LockedError(ServiceError):
    """The record has been decided and locked."""
