"""Reactions to notice events: alerts to every member told (inbox and live stream)."""

from __future__ import annotations

from vigil.alerts.service import alert_members
from vigil.events import Event
from vigil.notices.events import NoticeEnded, _NoticeEvent
from vigil.storage.uow import UnitOfWork


def on_notice_event(uow: UnitOfWork, event: Event, event_id: str) -> None:
    assert isinstance(event, _NoticeEvent)
    body: dict[str, str | None] = {
        "owner": event.owner,
        "channel": event.channel,
        "notice_type": event.notice_type,
    }
    if isinstance(event, NoticeEnded):
        body |= {"state": event.state, "reasons": event.reasons}
    alert_members(
        uow,
        event_id=event_id,
        members=event.members,
        kind=event.type,
        title=event.title,
        record_id=event.notice_id,
        body=body,
    )
