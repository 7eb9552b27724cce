"""SQL of alerts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from vigil.alerts.models import Alert
from vigil.storage.dialect import insert_ignoring_duplicates
from vigil.storage.tables import alerts


def add(conn: sa.Connection, rows: Sequence[dict[str, Any]]) -> int:
    """Insert alerts; one already made from the same event for the same member is skipped."""
    return insert_ignoring_duplicates(conn, alerts, rows)


def for_member(
    conn: sa.Connection,
    member: str,
    *,
    before_seq: int | None = None,
    after_seq: int | None = None,
    unread_only: bool = False,
    limit: int,
) -> list[Alert]:
    """A member's alerts: newest first, or oldest first when reading on from ``after_seq``."""
    query = sa.select(alerts).where(alerts.c.member == member)
    if unread_only:
        query = query.where(alerts.c.read_at.is_(None))
    if after_seq is not None:
        query = query.where(alerts.c.seq > after_seq).order_by(alerts.c.seq)
    else:
        if before_seq is not None:
            query = query.where(alerts.c.seq < before_seq)
        query = query.order_by(alerts.c.seq.desc())
    return [_alert(row) for row in conn.execute(query.limit(limit))]


def get(conn: sa.Connection, alert_id: str) -> Alert | None:
    row = conn.execute(sa.select(alerts).where(alerts.c.id == alert_id)).first()
    return None if row is None else _alert(row)


def mark_read(conn: sa.Connection, alert_id: str, user_id: str, at: datetime) -> None:
    conn.execute(
        alerts.update()
        .where(alerts.c.id == alert_id, alerts.c.read_at.is_(None))
        .values(read_at=at, read_by=user_id)
    )


def unread_count(conn: sa.Connection, member: str) -> int:
    query = sa.select(sa.func.count()).where(alerts.c.member == member, alerts.c.read_at.is_(None))
    return int(conn.scalar(query) or 0)


def last_seq(conn: sa.Connection, member: str) -> int:
    query = sa.select(sa.func.max(alerts.c.seq)).where(alerts.c.member == member)
    return int(conn.scalar(query) or 0)


def _alert(row: Any) -> Alert:
    return Alert(
        seq=row.seq,
        id=row.id,
        member=row.member,
        kind=row.kind,
        record_id=row.record_id,
        title=row.title,
        body=dict(row.body),
        created_at=row.created_at,
        read_at=row.read_at,
    )
