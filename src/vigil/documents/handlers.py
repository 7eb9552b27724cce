"""Reactions to document events: hit records and the alerts of both members."""

from __future__ import annotations

from datetime import datetime

from vigil.alerts.service import alert_members
from vigil.documents.events import DocumentHit
from vigil.events import Event
from vigil.screening import store as hits_store
from vigil.storage.uow import UnitOfWork


def on_document_hit(uow: UnitOfWork, event: Event, event_id: str) -> None:
    """Record the hit and alert the checking member and the owner (once each, on replays too)."""
    assert isinstance(event, DocumentHit)
    summary = {
        "number": event.number,
        "issuing_state": event.issuing_state,
        "type": event.document_type,
        "status": event.status,
        "checked_by_role": event.checked_by_role,
    }
    hits_store.add_hits(
        uow.conn,
        [
            {
                "id": event.hit_id,
                "kind": "document",
                "match": event.match,
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
    label = "Possible hit" if event.match == "possible" else "Hit"
    alert_members(
        uow,
        event_id=event_id,
        members=[event.checking_member, event.owner],
        kind=event.type,
        title=(
            f"{label}: {event.issuing_state} {event.document_type} {event.number} "
            f"({event.status}), checked by {event.checking_member}"
        ),
        record_id=event.record_id,
        body={
            **summary,
            "hit_id": event.hit_id,
            "match": event.match,
            "checking_member": event.checking_member,
            "owner": event.owner,
        },
    )
