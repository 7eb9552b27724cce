"""SQL of the outbox."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from vigil.core import clock
from vigil.storage.dialect import bind_value, insert_rows, locked, placeholder, run, select_rows
from vigil.storage.tables import outbox

# An event that failed this many times stays in the outbox with its last error for an operator.
MAX_ATTEMPTS = 10


@dataclass(frozen=True, slots=True)
class OutboxRow:
    seq: int
    id: str
    type: str
    payload: dict[str, Any]


def add(
    conn: sa.Connection,
    rows: Sequence[dict[str, Any]],
    *,
    attempted: Mapping[str, str | None] | None = None,
) -> None:
    """Write events to the outbox (in the caller's transaction).

    ``attempted``: events already handled in this transaction, by id, with None when they
    were handled and the error when they failed. They are written handled, or pending with
    their first attempt counted, instead of being written and then updated.
    """
    if attempted:
        now = clock.now()
        rows = [
            _attempted(row, attempted[row["id"]], now) if row["id"] in attempted else
            {**row, "handled_at": None, "attempts": 0, "last_error": None}
            for row in rows
        ]  # fmt: skip
    insert_rows(conn, outbox, rows)


def _attempted(row: dict[str, Any], error: str | None, now: datetime) -> dict[str, Any]:
    if error is None:
        return {**row, "handled_at": now, "attempts": 1, "last_error": None}
    return {**row, "handled_at": None, "attempts": 1, "last_error": error[:4000]}


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
    holds or has handled are left out. Through the driver: the group writer claims the events
    of the checks it committed, in the commit the next checks wait for."""
    if not ids:
        return []
    m = placeholder(conn.dialect)
    lock = " FOR UPDATE SKIP LOCKED" if conn.dialect.name == "postgresql" else ""
    where = f"id IN ({', '.join(m for _ in ids)}) AND handled_at IS NULL ORDER BY seq{lock}"
    rows = select_rows(conn, outbox, ("seq", "id", "type", "payload"), where, list(ids))
    return [OutboxRow(seq=r.seq, id=r.id, type=r.type, payload=dict(r.payload)) for r in rows]


def mark_handled(conn: sa.Connection, seqs: Sequence[int]) -> None:
    if seqs:
        m = placeholder(conn.dialect)
        now = bind_value(conn.dialect, outbox.c.handled_at, clock.now())
        run(
            conn,
            f"UPDATE outbox SET handled_at = {m}, attempts = attempts + 1 "
            f"WHERE seq IN ({', '.join(m for _ in seqs)})",
            (now, *seqs),
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
