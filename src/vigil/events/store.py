"""SQL of the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from vigil.core import clock
from vigil.storage.dialect import locked
from vigil.storage.tables import outbox

# An event that failed this many times stays in the outbox with its last error for an operator.
MAX_ATTEMPTS = 10


@dataclass(frozen=True, slots=True)
class OutboxRow:
    seq: int
    id: str
    type: str
    payload: dict[str, Any]


def add(conn: sa.Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Write events to the outbox (in the caller's transaction)."""
    if rows:
        conn.execute(outbox.insert(), list(rows))


def pending_seqs(conn: sa.Connection, *, limit: int) -> list[int]:
    """Sequence numbers of events not yet handled, oldest first."""
    query = (
        sa.select(outbox.c.seq)
        .where(outbox.c.handled_at.is_(None), outbox.c.attempts < MAX_ATTEMPTS)
        .order_by(outbox.c.seq)
        .limit(limit)
    )
    return list(conn.scalars(query))


def claim(conn: sa.Connection, seq: int) -> OutboxRow | None:
    """Lock one pending event for handling; None when another worker has it or it is done."""
    query = sa.select(outbox).where(outbox.c.seq == seq, outbox.c.handled_at.is_(None))
    row = conn.execute(locked(query, conn, skip_locked=True)).first()
    if row is None:
        return None
    return OutboxRow(seq=row.seq, id=row.id, type=row.type, payload=dict(row.payload))


def claim_ids(conn: sa.Connection, ids: Sequence[str]) -> list[OutboxRow]:
    """Lock the pending events among ``ids`` for handling, oldest first; those another worker
    holds or has handled are left out."""
    if not ids:
        return []
    query = (
        sa.select(outbox)
        .where(outbox.c.id.in_(list(ids)), outbox.c.handled_at.is_(None))
        .order_by(outbox.c.seq)
    )
    rows = conn.execute(locked(query, conn, skip_locked=True))
    return [OutboxRow(seq=r.seq, id=r.id, type=r.type, payload=dict(r.payload)) for r in rows]


def mark_handled(conn: sa.Connection, seqs: Sequence[int]) -> None:
    if seqs:
        conn.execute(
            outbox.update()
            .where(outbox.c.seq.in_(list(seqs)))
            .values(handled_at=clock.now(), attempts=outbox.c.attempts + 1)
        )


def mark_failed(conn: sa.Connection, seq: int, error: str) -> None:
    conn.execute(
        outbox.update()
        .where(outbox.c.seq == seq)
        .values(attempts=outbox.c.attempts + 1, last_error=error[:4000])
    )


def failed(conn: sa.Connection) -> list[dict[str, Any]]:
    """Events that reached the attempt limit, for an operator to look at."""
    query = sa.select(outbox).where(
        outbox.c.handled_at.is_(None), outbox.c.attempts >= MAX_ATTEMPTS
    )
    return [dict(row._mapping) for row in conn.execute(query)]
