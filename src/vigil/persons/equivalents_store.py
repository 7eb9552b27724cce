"""SQL of the tables of equivalent name parts (``persons.equivalents``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from vigil.storage.dialect import fetch_all
from vigil.storage.tables import person_equivalent_sources, person_equivalents

_BATCH = 5_000


def version(conn: sa.Connection) -> int:
    """The number of the last load or removal: it only grows (a removed table keeps its row,
    with the removal's number)."""
    # Through the driver: every screening asks (a Core statement cost a quarter of a
    # millisecond, 7 % of a screening's CPU on a million records).
    rows = fetch_all(conn, "SELECT max(version) FROM person_equivalent_sources")
    return int(rows[0][0] or 0) if rows else 0


def rows(conn: sa.Connection) -> Iterator[tuple[str, str, str]]:
    """Every pair of parts, as ``(source, token, other)``."""
    t = person_equivalents
    for row in conn.execute(sa.select(t.c.source, t.c.token, t.c.other)):
        yield row.source, row.token, row.other


def sources(conn: sa.Connection) -> list[dict[str, Any]]:
    """The tables loaded (not removed), by name."""
    t = person_equivalent_sources
    query = sa.select(*_SHOWN).where(t.c.removed_at.is_(None)).order_by(t.c.source)
    return [dict(row._mapping) for row in conn.execute(query)]


_SHOWN = [
    c for c in person_equivalent_sources.c if c.name not in ("removed_at", "removed_by", "version")
]


def replace(
    conn: sa.Connection,
    *,
    name: str,
    format: str,
    file_name: str | None,
    pairs_read: int,
    lines_skipped: int,
    pairs: Iterable[tuple[str, str]],
    loaded_at: datetime,
    loaded_by: str,
) -> dict[str, Any]:
    """Store a table under ``name``, replacing what was stored under it before."""
    t = person_equivalent_sources
    number = version(conn) + 1
    conn.execute(person_equivalents.delete().where(person_equivalents.c.source == name))
    conn.execute(t.delete().where(t.c.source == name))
    kept = sorted(set(pairs))
    values = {
        "source": name,
        "format": format,
        "file_name": file_name,
        "pairs_read": pairs_read,
        "pairs_kept": len(kept),
        "lines_skipped": lines_skipped,
        "loaded_at": loaded_at,
        "loaded_by": loaded_by,
    }
    conn.execute(t.insert().values({**values, "version": number}))
    for start in range(0, len(kept), _BATCH):
        conn.execute(
            person_equivalents.insert(),
            [{"source": name, "token": a, "other": b} for a, b in kept[start : start + _BATCH]],
        )
    return values


def remove(conn: sa.Connection, name: str, *, removed_at: datetime, removed_by: str) -> bool:
    """Drop a table's pairs, and mark it removed; whether one was loaded under ``name``."""
    t = person_equivalent_sources
    number = version(conn) + 1
    marked = conn.execute(
        t.update()
        .where(t.c.source == name, t.c.removed_at.is_(None))
        .values(removed_at=removed_at, removed_by=removed_by, version=number)
    )
    if marked.rowcount == 0:
        return False
    conn.execute(person_equivalents.delete().where(person_equivalents.c.source == name))
    return True
