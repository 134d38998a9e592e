"""Typed domain errors. Each carries one Swedish sentence that the TUI and CLI show as is."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: `str(error)` is the sentence for the user."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(DomainError):
    exit_code = 2

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class PermissionDenied(DomainError):
    exit_code = 3


class NotFound(DomainError):
    exit_code = 4


class Conflict(DomainError):
    exit_code = 5


class ImportRowError(ValidationError):
    """A bad row in an interchange file: names the line and the field."""

    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(f"rad {line}, fält {field}: {message}", field=field)
        self.line = line
