"""Turning events into alerts."""

from __future__ import annotations

from vigil.alerts.service import alert_members
from vigil.events import Event
from vigil.records.events import RecordShared
from vigil.storage.uow import UnitOfWork


def on_record_shared(uow: UnitOfWork, event: Event, event_id: str) -> None:
    """Tell each member that may now see a record that it was shared with them."""
    assert isinstance(event, RecordShared)
    alert_members(
        uow,
        event_id=event_id,
        members=event.members,
        kind=event.type,
        title=event.title,
        record_id=event.record_id,
        body={"owner": event.owner, "kind": event.kind},
    )
