"""Reactions to document events: hit records and the alerts of both members."""

from __future__ import annotations

from vigil.documents.events import DocumentHit
from vigil.events import Event
from vigil.screening.actions import Urgency, urgency
from vigil.screening.service import record_hit
from vigil.storage.uow import UnitOfWork


def on_document_hit(uow: UnitOfWork, event: Event, event_id: str) -> None:
    assert isinstance(event, DocumentHit)
    label = "Possible hit" if event.match == "possible" else "Hit"
    record_hit(
        uow,
        event_id=event_id,
        event_type=event.type,
        hit_id=event.hit_id,
        kind="document",
        match=event.match,
        record_id=event.record_id,
        owner=event.owner,
        checking_member=event.checking_member,
        checked_by=event.checked_by,
        checked_at=event.checked_at,
        summary={
            "number": event.number,
            "issuing_state": event.issuing_state,
            "type": event.document_type,
            "status": event.status,
            "checked_by_role": event.checked_by_role,
        },
        title=(
            f"{label}: {event.issuing_state} {event.document_type} {event.number} "
            f"({event.status}), checked by {event.checking_member}"
        ),
        check_id=event.check_id,
        # A document named in a notice is as urgent as the notice; a stolen one is routine.
        urgency=urgency([event.status.removesuffix(" notice")])
        if event.status.endswith(" notice")
        else Urgency.ROUTINE,
    )
