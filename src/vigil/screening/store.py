"""SQL of hit records: what a check matched, for both members' follow-up."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from vigil.storage.dialect import insert_ignoring_duplicates
from vigil.storage.tables import hits


def add_hits(conn: sa.Connection, rows: Sequence[dict[str, Any]]) -> int:
    """Record hits, skipping those already recorded (events are delivered at least once)."""
    return insert_ignoring_duplicates(conn, hits, list(rows))
