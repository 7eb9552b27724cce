"""Reactions to hit follow-up events: alerts to the members concerned."""

from __future__ import annotations

from datetime import datetime

from vigil.alerts.service import alert_members
from vigil.events import Event
from vigil.screening import store
from vigil.screening.events import HitFollowedUp, ListChecked
from vigil.storage.uow import UnitOfWork


def on_hit_followed_up(uow: UnitOfWork, event: Event, event_id: str) -> None:
    assert isinstance(event, HitFollowedUp)
    # No record on the alert: the checking member may not see the matched record itself
    # (it learnt of it through a notice); the hit is what both members share.
    alert_members(
        uow,
        event_id=event_id,
        members=event.members,
        kind=f"hits.{event.what}",
        title=event.title,
        body={"hit_id": event.hit_id, "value": event.value},
    )


def on_list_checked(uow: UnitOfWork, event: Event, event_id: str) -> None:
    assert isinstance(event, ListChecked)
    store.add_check_once(
        uow.conn,
        {
            "id": event.check_id, "member": event.member, "actor": event.actor,
            "checked_at": datetime.fromisoformat(event.checked_at), "kind": "manifest",
            "travellers": event.travellers, "result": event.result, "reference": event.reference,
        },
    )  # fmt: skip
