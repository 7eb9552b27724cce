"""Making alerts for members and reading a member's inbox."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from vigil.access.actors import Actor
from vigil.access.rules import can_see
from vigil.alerts import store
from vigil.alerts.broker import broker
from vigil.alerts.models import Alert
from vigil.core import clock
from vigil.core.ids import new_id
from vigil.core.pagination import Page, PageRequest, page_of
from vigil.errors import InvalidInput, NotFound
from vigil.records import store as records_store
from vigil.storage.uow import UnitOfWork


def alert_members(
    uow: UnitOfWork,
    *,
    event_id: str,
    members: Iterable[str],
    kind: str,
    title: str,
    record_id: str | None = None,
    body: dict[str, Any] | None = None,
) -> int:
    """Alert each member once per event (replays are skipped); streams wake after commit."""
    now = clock.now()
    rows = [
        {
            "id": new_id(),
            "member": member,
            "kind": kind,
            "record_id": record_id,
            "title": title[:300],
            "body": body or {},
            "event_id": event_id,
            "created_at": now,
        }
        for member in sorted(set(members))
    ]
    added = store.add(uow.conn, rows)
    if added:
        told = sorted({str(row["member"]) for row in rows})
        uow.after_commit(lambda: broker.notify(told))
    return added


def inbox(
    uow: UnitOfWork, *, actor: Actor, page: PageRequest, unread_only: bool = False
) -> Page[Alert]:
    """The actor's member's alerts, newest first, without those about records it may not see."""
    actor.require("alerts.read")
    before = _seq_cursor(page.after)
    rows = store.for_member(
        uow.conn, actor.member, before_seq=before, unread_only=unread_only, limit=page.limit + 1
    )
    result = page_of(_visible(uow, actor, rows), page, key=lambda a: str(a.seq))
    _audit_read(uow, actor, "alerts.list", result.items)
    return result


def since(uow: UnitOfWork, *, actor: Actor, after_seq: int, limit: int = 100) -> list[Alert]:
    """Alerts after ``after_seq``, oldest first: what a live stream sends next."""
    actor.require("alerts.read")
    rows = store.for_member(uow.conn, actor.member, after_seq=after_seq, limit=limit)
    visible = _visible(uow, actor, rows)
    if visible:
        _audit_read(uow, actor, "alerts.stream", visible)
    return visible


def latest_seq(uow: UnitOfWork, *, actor: Actor) -> int:
    """Where a new live stream starts: after everything already in the inbox."""
    actor.require("alerts.read")
    return store.last_seq(uow.conn, actor.member)


def unread_count(uow: UnitOfWork, *, actor: Actor) -> int:
    """How many alerts of the actor's member are unread (a badge; ids and titles not shown)."""
    actor.require("alerts.read")
    return store.unread_count(uow.conn, actor.member)


def mark_read(uow: UnitOfWork, *, actor: Actor, alert_id: str) -> Alert:
    """Mark one of the member's alerts read (for the whole bureau)."""
    actor.require("alerts.read")
    alert = store.get(uow.conn, alert_id)
    if alert is None or alert.member != actor.member or not _visible(uow, actor, [alert]):
        raise NotFound(f"No alert {alert_id}.")
    now = clock.now()
    store.mark_read(uow.conn, alert_id, actor.user_id, now)
    uow.audit(actor, "alerts.read", records=[alert_id])
    return alert.model_copy(update={"read_at": alert.read_at or now})


def _visible(uow: UnitOfWork, actor: Actor, rows: list[Alert]) -> list[Alert]:
    # An alert was made for a member when it could see the record; the owner may have narrowed
    # the audience since, so every alert about a record is checked again when it is read.
    ids = [a.record_id for a in rows if a.record_id is not None]
    envelopes = records_store.get_many(uow.conn, ids)
    return [
        a
        for a in rows
        if a.record_id is None
        or (a.record_id in envelopes and can_see(actor, envelopes[a.record_id]))
    ]


def _audit_read(uow: UnitOfWork, actor: Actor, action: str, alerts: list[Alert]) -> None:
    records = [a.record_id for a in alerts if a.record_id is not None]
    uow.audit(actor, action, records=records, results=[a.id for a in alerts])


def _seq_cursor(after: str | None) -> int | None:
    if after is None:
        return None
    try:
        return int(after)
    except ValueError:
        raise InvalidInput("The cursor is not one this service gave out.") from None
