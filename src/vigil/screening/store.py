"""SQL of traveller checks, hit records and their follow-up."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from vigil.screening.actions import Urgency
from vigil.screening.models import HitMessage, HitRecord, HitStatus
from vigil.storage.dialect import insert_ignoring_duplicates, placeholder, select_rows
from vigil.storage.tables import (
    hit_deadlines,
    hit_messages,
    hits,
    offline_packages,
    screening_checks,
)


def add_hits(conn: sa.Connection, rows: Sequence[dict[str, Any]]) -> int:
    """Record hits, skipping those already recorded (events are delivered at least once)."""
    return insert_ignoring_duplicates(conn, hits, list(rows))


def add_check_once(conn: sa.Connection, row: dict[str, Any]) -> None:
    """Record a check (a replayed event adds nothing)."""
    insert_ignoring_duplicates(conn, screening_checks, [row])


def deadline_minutes(conn: sa.Connection, member: str) -> dict[str, int]:
    """The member's own deadlines, by urgency (those it did not set are absent)."""
    # Through the driver: read for every hit, in the group commit that checks wait for.
    where = f"member = {placeholder(conn.dialect)}"
    rows = select_rows(conn, hit_deadlines, ("urgency", "minutes"), where, (member,))
    return {str(row.urgency): int(row.minutes) for row in rows}


def set_deadline(conn: sa.Connection, member: str, urgency: str, minutes: int) -> None:
    conn.execute(
        hit_deadlines.delete().where(
            hit_deadlines.c.member == member, hit_deadlines.c.urgency == urgency
        )
    )
    conn.execute(hit_deadlines.insert().values(member=member, urgency=urgency, minutes=minutes))


def get(conn: sa.Connection, hit_id: str, *, now: datetime) -> HitRecord | None:
    row = conn.execute(sa.select(hits).where(hits.c.id == hit_id)).first()
    if row is None:
        return None
    return _hit(row, now).model_copy(update={"messages": messages(conn, hit_id)})


def for_member(
    conn: sa.Connection,
    member: str,
    *,
    now: datetime,
    role: str | None = None,
    status: HitStatus | None = None,
    before_seq: int | None = None,
    limit: int,
) -> list[tuple[int, HitRecord]]:
    """Hits where the member owns the record or made the check, newest first; ``role``
    keeps one side (``owner`` or ``checking``)."""
    if role == "owner":
        where = hits.c.owner == member
    elif role == "checking":
        where = hits.c.checking_member == member
    else:
        where = sa.or_(hits.c.owner == member, hits.c.checking_member == member)
    query = sa.select(hits).where(where)
    if status is not None:
        query = query.where(hits.c.status == status.value)
    if before_seq is not None:
        query = query.where(hits.c.seq < before_seq)
    rows = conn.execute(query.order_by(hits.c.seq.desc()).limit(limit)).all()
    return [(int(row.seq), _hit(row, now)) for row in rows]


def of_check(conn: sa.Connection, check_id: str, *, now: datetime) -> list[HitRecord]:
    query = sa.select(hits).where(hits.c.check_id == check_id).order_by(hits.c.seq)
    return [_hit(row, now) for row in conn.execute(query)]


def overdue(conn: sa.Connection, now: datetime, limit: int = 500) -> list[HitRecord]:
    """Open hits past their deadline that have not escalated yet."""
    query = (
        sa.select(hits)
        .where(
            hits.c.status == HitStatus.OPEN.value,
            hits.c.deadline_at < now,
            hits.c.escalated_at.is_(None),
        )
        .order_by(hits.c.deadline_at)
        .limit(limit)
    )
    return [_hit(row, now) for row in conn.execute(query)]


def update(conn: sa.Connection, hit_id: str, **values: Any) -> None:
    conn.execute(hits.update().where(hits.c.id == hit_id).values(**values))


def add_message(
    conn: sa.Connection,
    *,
    hit_id: str,
    member: str,
    actor: str,
    kind: str,
    value: str | None,
    text: str | None,
    at: datetime,
) -> None:
    conn.execute(
        hit_messages.insert().values(
            hit_id=hit_id, member=member, actor=actor, kind=kind, value=value, text=text, at=at
        )
    )


def messages(conn: sa.Connection, hit_id: str) -> list[HitMessage]:
    query = (
        sa.select(hit_messages).where(hit_messages.c.hit_id == hit_id).order_by(hit_messages.c.seq)
    )
    return [
        HitMessage(member=r.member, actor=r.actor, kind=r.kind, value=r.value, text=r.text, at=r.at)
        for r in conn.execute(query)
    ]


def _hit(row: Any, now: datetime) -> HitRecord:
    deadline = row.deadline_at
    return HitRecord(
        id=row.id,
        kind=row.kind,
        match=row.match,
        record_id=row.record_id,
        owner=row.owner,
        checking_member=row.checking_member,
        checked_by=row.checked_by,
        checked_at=row.checked_at,
        summary=dict(row.summary),
        status=HitStatus(row.status),
        check_id=row.check_id,
        urgency=Urgency(row.urgency),
        deadline_at=deadline,
        escalated_at=row.escalated_at,
        action=row.action,
        closed_at=row.closed_at,
        overdue=row.status == HitStatus.OPEN.value and deadline is not None and deadline < now,
    )


def add_offline_package(conn: sa.Connection, row: dict[str, Any]) -> None:
    conn.execute(offline_packages.insert().values(**row))


def offline_package(conn: sa.Connection, package_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        sa.select(offline_packages).where(offline_packages.c.id == package_id)
    ).first()
    return None if row is None else dict(row._mapping)
