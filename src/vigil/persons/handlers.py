"""Reactions to person events: hit records and the alerts of both members."""

from __future__ import annotations

from datetime import datetime

from vigil.alerts.service import alert_members
from vigil.events import Event
from vigil.persons.events import PersonHit
from vigil.screening import store as hits_store
from vigil.storage.uow import UnitOfWork


def on_person_hit(uow: UnitOfWork, event: Event, event_id: str) -> None:
    """Record the hit and alert the checking member and the owner (once each, on replays too)."""
    assert isinstance(event, PersonHit)
    summary = {
        "name": event.name,
        "category": event.category,
        "score": round(event.score, 3),
        "checked_by_role": event.checked_by_role,
    }
    hits_store.add_hits(
        uow.conn,
        [
            {
                "id": event.hit_id,
                "kind": "person",
                "match": "hit",
                "record_id": event.record_id,
                "owner": event.owner,
                "checking_member": event.checking_member,
                "checked_by": event.checked_by,
                "checked_at": datetime.fromisoformat(event.checked_at),
                "summary": summary,
                "status": "open",
            }
        ],
    )
    alert_members(
        uow,
        event_id=event_id,
        members=[event.checking_member, event.owner],
        kind=event.type,
        title=(
            f"Person hit: {event.name} ({event.category}, score {event.score:.2f}), "
            f"screened by {event.checking_member}"
        ),
        record_id=event.record_id,
        body={
            **summary,
            "hit_id": event.hit_id,
            "checking_member": event.checking_member,
            "owner": event.owner,
        },
    )
