"""Reactions to biometric events: a confirmed match is a hit that alerts both members."""

from __future__ import annotations

from vigil.biometrics.events import BiometricHit
from vigil.events import Event
from vigil.screening.service import record_hit
from vigil.storage.uow import UnitOfWork


def on_biometric_hit(uow: UnitOfWork, event: Event, event_id: str) -> None:
    assert isinstance(event, BiometricHit)
    record_hit(
        uow,
        event_id=event_id,
        event_type=event.type,
        hit_id=event.hit_id,
        kind=event.modality,
        match="hit",
        record_id=event.record_id,
        owner=event.owner,
        checking_member=event.checking_member,
        checked_by=event.checked_by,
        checked_at=event.checked_at,
        summary={"search_id": event.search_id, "name": event.name, "score": event.score},
        title=(
            f"Biometric hit ({event.modality}) confirmed by an examiner: {event.name}, "
            f"searched by {event.checking_member}"
        ),
    )
