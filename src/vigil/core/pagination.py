"""Cursor pagination: opaque cursors that name the last item seen, never an offset."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from vigil.errors import InvalidInput

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Where a page starts (after ``after``, a sort key) and how long it is."""

    after: str | None = None
    limit: int = DEFAULT_LIMIT


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of items and the cursor of the next, if there is one."""

    items: list[T] = field(default_factory=list)
    next_cursor: str | None = None


def encode_cursor(key: str) -> str:
    """The opaque cursor for a sort key."""
    raw = json.dumps({"after": key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    """The sort key inside a cursor; a cursor that was tampered with is invalid input."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        after = data["after"]
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise InvalidInput("The cursor is not one this service gave out.") from exc
    if not isinstance(after, str):
        raise InvalidInput("The cursor is not one this service gave out.")
    return after


def page_request(cursor: str | None, limit: int | None) -> PageRequest:
    """Validate a client's cursor and limit into a page request."""
    size = DEFAULT_LIMIT if limit is None else limit
    if not 1 <= size <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}.")
    return PageRequest(after=decode_cursor(cursor) if cursor else None, limit=size)


def page_of(rows: list[T], request: PageRequest, key: Callable[[T], str]) -> Page[T]:
    """Cut ``rows`` (fetched with ``limit + 1``) into a page whose cursor names its last item."""
    if len(rows) > request.limit:
        kept = rows[: request.limit]
        return Page(items=kept, next_cursor=encode_cursor(key(kept[-1])))
    return Page(items=rows, next_cursor=None)
