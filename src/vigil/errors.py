"""The error family raised by services; ``api`` maps each to an HTTP status in one table."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError


class VigilError(Exception):
    """A failure the caller can act on; ``detail`` is safe to show to the actor."""

    status = 500
    title = "Internal error"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class InvalidInput(VigilError):
    status = 422
    title = "Invalid input"


class NotFound(VigilError):
    """Also what a record the actor may not see looks like: never "forbidden"."""

    status = 404
    title = "Not found"


class Unauthenticated(VigilError):
    status = 401
    title = "Authentication required"


class Forbidden(VigilError):
    """The actor's role may not do this at all (never used to hide a record's existence)."""

    status = 403
    title = "Forbidden"


class Conflict(VigilError):
    status = 409
    title = "Conflict"


class TooManyRequests(VigilError):
    status = 429
    title = "Too many requests"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail, retry_after=retry_after)
        self.retry_after = retry_after


def validation_message(exc: ValidationError) -> str:
    """A pydantic error as one line for a person: up to three fields, each with its problem."""
    parts = []
    for error in exc.errors()[:3]:
        where = ".".join(str(part) for part in error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)
