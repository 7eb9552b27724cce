"""SQL of notices and diffusions, and of their transitions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from vigil.access.envelope import Audience, Envelope
from vigil.notices.models import (
    Channel,
    Notice,
    NoticeFields,
    PersonSummary,
    State,
    Transition,
)
from vigil.records import store as records_store
from vigil.storage.tables import notice_transitions, notices, records


def insert(conn: sa.Connection, notice: Notice, ref: str | None = None) -> None:
    records_store.insert(conn, notice.envelope)
    conn.execute(notices.insert().values(id=notice.id, ref=ref, **_columns(notice)))


def existing_refs(conn: sa.Connection, keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which (owner, ref) pairs are stored as notices (a load run again skips them)."""
    refs = sorted({ref for _, ref in keys})
    found: set[tuple[str, str]] = set()
    for start in range(0, len(refs), 900):
        query = (
            sa.select(records.c.owner, notices.c.ref)
            .join(records, records.c.id == notices.c.id)
            .where(notices.c.ref.in_(refs[start : start + 900]))
        )
        found.update((owner, ref) for owner, ref in conn.execute(query))
    return found & keys


def update(conn: sa.Connection, notice: Notice, *, envelope: bool = False) -> None:
    """Write the notice's content and state; with ``envelope``, its envelope too."""
    conn.execute(notices.update().where(notices.c.id == notice.id).values(**_columns(notice)))
    if envelope:
        records_store.update(conn, notice.envelope)


def add_transition(
    conn: sa.Connection,
    *,
    notice_id: str,
    at: datetime,
    actor: str,
    member: str,
    from_state: State | None,
    to_state: State,
    reasons: str | None,
) -> None:
    conn.execute(
        notice_transitions.insert().values(
            notice_id=notice_id,
            at=at,
            actor=actor,
            member=member,
            from_state=None if from_state is None else from_state.value,
            to_state=to_state.value,
            reasons=reasons,
        )
    )


def get(conn: sa.Connection, notice_id: str, *, history: bool = False) -> Notice | None:
    row = conn.execute(sa.select(notices).where(notices.c.id == notice_id)).first()
    if row is None:
        return None
    envelope = records_store.get(conn, notice_id)
    assert envelope is not None  # the foreign key holds it
    notice = _notice(row, envelope)
    if history:
        notice = notice.model_copy(update={"history": transitions(conn, notice_id)})
    return notice


def transitions(conn: sa.Connection, notice_id: str) -> list[Transition]:
    query = (
        sa.select(notice_transitions)
        .where(notice_transitions.c.notice_id == notice_id)
        .order_by(notice_transitions.c.seq)
    )
    return [
        Transition(
            at=r.at,
            actor=r.actor,
            member=r.member,
            from_state=None if r.from_state is None else State(r.from_state),
            to_state=State(r.to_state),
            reasons=r.reasons,
        )
        for r in conn.execute(query)
    ]


def list_notices(
    conn: sa.Connection,
    *,
    visible: sa.ColumnElement[bool] | None,
    states: Sequence[State] | None = None,
    channel: Channel | None = None,
    type_: str | None = None,
    owner: str | None = None,
    person_id: str | None = None,
    public_only: bool = False,
    after: str | None = None,
    limit: int,
) -> list[Notice]:
    """Notices newest first; ``visible`` (the SQL access rule) when the caller's own access
    decides, None for the reviewers' duty and the public pages (their callers filter)."""
    query = (
        sa.select(notices)
        .join(records, records.c.id == notices.c.id)
        .where(records.c.deleted_at.is_(None))
    )
    if visible is not None:
        query = query.where(visible)
    if states is not None:
        query = query.where(notices.c.state.in_([s.value for s in states]))
    if channel is not None:
        query = query.where(notices.c.channel == channel.value)
    if type_ is not None:
        query = query.where(notices.c.type == type_)
    if owner is not None:
        query = query.where(records.c.owner == owner)
    if person_id is not None:
        query = query.where(notices.c.person_id == person_id)
    if public_only:
        query = query.where(notices.c.public_extract.is_(True))
    if after is not None:
        query = query.where(notices.c.id < after)
    rows = conn.execute(query.order_by(notices.c.id.desc()).limit(limit)).all()
    envelopes = records_store.get_many(conn, [row.id for row in rows])
    return [_notice(row, envelopes[row.id]) for row in rows]


def due_for_expiry(conn: sa.Connection, today: date, states: Sequence[State]) -> list[str]:
    """Notices in these states whose review date has passed."""
    query = (
        sa.select(notices.c.id)
        .join(records, records.c.id == notices.c.id)
        .where(
            notices.c.state.in_([s.value for s in states]),
            records.c.review_by < today,
            records.c.deleted_at.is_(None),
        )
        .order_by(notices.c.id)
    )
    return [str(i) for i in conn.execute(query).scalars()]


def _columns(notice: Notice) -> dict[str, Any]:
    return {
        "channel": notice.channel.value,
        "type": notice.type,
        "state": notice.state.value,
        "person_id": notice.person_id,
        "subject": None if notice.person is None else notice.person.model_dump(mode="json"),
        "fields": notice.fields.model_dump(mode="json", exclude_defaults=True),
        "pending": None
        if notice.pending is None
        else notice.pending.model_dump(mode="json", exclude_defaults=True),
        "public_extract": notice.public_extract,
        "requested_audience": notice.requested_audience.model_dump(),
        "published_at": notice.published_at,
        "reviewer": notice.reviewer,
    }


def _notice(row: Any, envelope: Envelope) -> Notice:
    return Notice(
        id=row.id,
        channel=Channel(row.channel),
        type=row.type,
        state=State(row.state),
        person_id=row.person_id,
        person=None if row.subject is None else PersonSummary.model_validate(row.subject),
        fields=NoticeFields.model_validate(row.fields),
        pending=None if row.pending is None else NoticeFields.model_validate(row.pending),
        public_extract=bool(row.public_extract),
        requested_audience=Audience.model_validate(row.requested_audience),
        published_at=row.published_at,
        reviewer=row.reviewer,
        envelope=envelope,
    )
