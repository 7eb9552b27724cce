"""Record and entry identifiers: UUIDv7, so that ids sort by creation time."""

from __future__ import annotations

import uuid_utils


def new_id() -> str:
    """A new time-ordered identifier as its canonical 36-character string."""
    return str(uuid_utils.uuid7())
