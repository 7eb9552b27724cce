"""SQL of the audit log: appending to the chain, walking it, and entries about a record."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from vigil.audit.models import GENESIS, AuditView, ChainedEntry, PendingEntry, entry_hash
from vigil.storage.dialect import insert_rows, locked, placeholder
from vigil.storage.tables import audit_head, audit_log, audit_record_refs


def append(
    conn: sa.Connection,
    entries: Sequence[PendingEntry],
    *,
    known_head: tuple[int, str] | None = None,
) -> tuple[int, str]:
    """Append entries to the chain inside the caller's transaction; returns the new head.

    The head row is locked before anything is written, so appends from every process and node
    are serialised and the chain stays linear; the lock is held until the caller commits. A
    writer that appended last (``known_head``) claims the row with a conditional UPDATE, which
    takes the same lock and saves reading it; when another writer moved the head meanwhile,
    the UPDATE matches nothing and the head is read under lock as usual.
    """
    if not entries:
        return known_head if known_head is not None else head(conn)
    if known_head is not None:
        rows, refs, new_head = _chain(entries, known_head)
        m = placeholder(conn.dialect)
        claimed = conn.exec_driver_sql(
            f"UPDATE audit_head SET seq = {m}, hash = {m} "
            f"WHERE id = 1 AND seq = {m} AND hash = {m}",
            (new_head[0], new_head[1], known_head[0], known_head[1]),
        )
        if claimed.rowcount == 1:
            _insert(conn, rows, refs)
            return new_head
    row = conn.execute(locked(sa.select(audit_head).where(audit_head.c.id == 1), conn)).first()
    current = (row.seq, row.hash) if row is not None else (0, GENESIS)
    rows, refs, new_head = _chain(entries, current)
    if row is None:
        conn.execute(audit_head.insert().values(id=1, seq=new_head[0], hash=new_head[1]))
    else:
        conn.execute(
            audit_head.update()
            .where(audit_head.c.id == 1)
            .values(seq=new_head[0], hash=new_head[1])
        )
    _insert(conn, rows, refs)
    return new_head


def _chain(
    entries: Sequence[PendingEntry], after: tuple[int, str]
) -> tuple[list[dict[str, Any]], list[dict[str, str | int]], tuple[int, str]]:
    """The rows that continue the chain after ``after``, their record references, the new head."""
    seq, prev = after
    rows: list[dict[str, Any]] = []
    refs: list[dict[str, str | int]] = []
    for entry in entries:
        seq += 1
        digest = entry_hash(seq, prev, entry)
        rows.append(
            {
                "seq": seq,
                "id": entry.id,
                "at": entry.at,
                "actor": entry.actor,
                "member": entry.member,
                "action": entry.action,
                "record_ids": list(entry.record_ids),
                "query_digest": entry.query_digest,
                "result_ids": list(entry.result_ids),
                "prev_hash": prev,
                "hash": digest,
            }
        )
        refs.extend({"seq": seq, "record_id": r} for r in dict.fromkeys(entry.record_ids))
        prev = digest
    return rows, refs, (seq, prev)


def _insert(
    conn: sa.Connection, rows: list[dict[str, Any]], refs: list[dict[str, str | int]]
) -> None:
    # Through the driver: the group writer appends for every read, and SQLAlchemy's statement
    # handling would cost it more than the insert.
    insert_rows(conn, audit_log, rows)
    insert_rows(conn, audit_record_refs, refs)


def head(conn: sa.Connection) -> tuple[int, str]:
    """The last sequence number and hash of the chain."""
    row = conn.execute(sa.select(audit_head.c.seq, audit_head.c.hash)).first()
    return (row.seq, row.hash) if row is not None else (0, GENESIS)


def walk(conn: sa.Connection, *, batch: int = 5000) -> Iterator[ChainedEntry]:
    """Every entry in chain order, streamed in batches by key (memory stays flat)."""
    last = 0
    while True:
        rows = conn.execute(
            sa.select(audit_log)
            .where(audit_log.c.seq > last)
            .order_by(audit_log.c.seq)
            .limit(batch)
        ).all()
        if not rows:
            return
        for row in rows:
            yield ChainedEntry(
                seq=row.seq,
                id=row.id,
                at=row.at,
                actor=row.actor,
                member=row.member,
                action=row.action,
                record_ids=tuple(row.record_ids),
                query_digest=row.query_digest,
                result_ids=tuple(row.result_ids),
                prev_hash=row.prev_hash,
                hash=row.hash,
            )
        last = rows[-1].seq


def about_record(
    conn: sa.Connection, record_id: str, *, before_seq: int | None, limit: int
) -> list[AuditView]:
    """Entries that name ``record_id``, newest first."""
    query = (
        sa.select(audit_log)
        .join(audit_record_refs, audit_record_refs.c.seq == audit_log.c.seq)
        .where(audit_record_refs.c.record_id == record_id)
        .order_by(audit_log.c.seq.desc())
        .limit(limit)
    )
    if before_seq is not None:
        query = query.where(audit_log.c.seq < before_seq)
    return [
        AuditView(
            seq=row.seq,
            id=row.id,
            at=row.at,
            actor=row.actor,
            member=row.member,
            action=row.action,
            record_ids=list(row.record_ids),
            result_ids=list(row.result_ids),
            query_digest=row.query_digest,
        )
        for row in conn.execute(query)
    ]
