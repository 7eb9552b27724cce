"""Actors behind recently authenticated API tokens, kept for a few seconds.

A border gate or an airline checks thousands of documents a minute with one token; reading
the token, its user and the member's networks from the database for each would cost more than
the check. Revoking a token or disabling a user in this process empties the cache at once;
another process (another API node) stops accepting it within ``settings.TOKEN_CACHE_SECONDS``.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from vigil import settings
from vigil.access.actors import Actor
from vigil.core import clock

# Enough for every token of a busy node; beyond it the oldest half is dropped.
_MAX_ENTRIES = 10_000

_lock = threading.Lock()
# Timed by Vigil's clock, so a token is never trusted past the moment the clock says.
_entries: dict[str, tuple[Actor, datetime]] = {}


def get(digest: str) -> Actor | None:
    """The actor cached for a token digest, if still fresh."""
    found = _entries.get(digest)
    if found is None:
        return None
    actor, until = found
    if clock.now() >= until:
        _entries.pop(digest, None)
        return None
    return actor


def put(digest: str, actor: Actor) -> None:
    if settings.TOKEN_CACHE_SECONDS <= 0:
        return
    with _lock:
        if len(_entries) >= _MAX_ENTRIES:
            for stale in list(_entries)[: _MAX_ENTRIES // 2]:
                _entries.pop(stale, None)
        _entries[digest] = (actor, clock.now() + timedelta(seconds=settings.TOKEN_CACHE_SECONDS))


def clear() -> None:
    """Forget every cached token (after a revocation, a disabled user, a new password)."""
    with _lock:
        _entries.clear()
