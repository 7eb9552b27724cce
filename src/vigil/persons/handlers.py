"""Reactions to person events: hit records and the alerts of both members."""

from __future__ import annotations

from vigil.events import Event
from vigil.persons.events import PersonHit
from vigil.screening.actions import urgency
from vigil.screening.service import record_hit
from vigil.storage.uow import UnitOfWork


def on_person_hit(uow: UnitOfWork, event: Event, event_id: str) -> None:
    assert isinstance(event, PersonHit)
    record_hit(
        uow,
        event_id=event_id,
        event_type=event.type,
        hit_id=event.hit_id,
        kind="person",
        match="hit",
        record_id=event.record_id,
        owner=event.owner,
        checking_member=event.checking_member,
        checked_by=event.checked_by,
        checked_at=event.checked_at,
        summary={
            "name": event.name,
            "category": event.category,
            "score": round(event.score, 3),
            "checked_by_role": event.checked_by_role,
            "notices": event.notices,
            "notice_types": event.notice_types,
        },
        alert_record_id=event.notices[0] if event.notices else None,
        check_id=event.check_id,
        urgency=urgency(event.notice_types, event.category),
        title=(
            f"Person hit: {event.name} ({event.category}, score {event.score:.2f}), "
            f"screened by {event.checking_member}"
        ),
    )
