"""The few statements whose SQL differs between SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite


def insert_ignoring_duplicates(
    conn: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]
) -> int:
    """Insert rows, skipping any that collide with a unique key; returns how many went in."""
    if not rows:
        return 0
    stmt: Any
    if conn.dialect.name == "postgresql":
        stmt = postgresql.insert(table).on_conflict_do_nothing()
    else:
        stmt = sqlite.insert(table).on_conflict_do_nothing()
    result = conn.execute(stmt, list(rows))
    return int(result.rowcount or 0)


def locked(stmt: sa.Select[Any], conn: sa.Connection, *, skip_locked: bool = False) -> Any:
    """``SELECT ... FOR UPDATE`` where the database has row locks.

    SQLite has none and needs none: a writer there holds the whole database (BEGIN IMMEDIATE).
    """
    if conn.dialect.name == "postgresql":
        return stmt.with_for_update(skip_locked=skip_locked)
    return stmt
