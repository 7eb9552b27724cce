"""What every database's hit leads to: a hit record with its deadline, and an alert to both
members. (The traveller check is ``screening.check``; the follow-up ``screening.followup``.)"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from vigil import settings
from vigil.alerts.service import alert_members
from vigil.screening import store
from vigil.screening.actions import Urgency
from vigil.storage.uow import UnitOfWork


def record_hit(
    uow: UnitOfWork,
    *,
    event_id: str,
    event_type: str,
    hit_id: str,
    kind: str,
    match: str,
    record_id: str,
    owner: str,
    checking_member: str,
    checked_by: str,
    checked_at: str,
    summary: dict[str, Any],
    title: str,
    alert_record_id: str | None = None,
    check_id: str | None = None,
    urgency: Urgency = Urgency.ROUTINE,
) -> None:
    """Record the hit and alert the checking member and the owner (once each, on replays too:
    events are delivered at least once). The owner must confirm or deny the identity before
    the deadline its urgency sets, or the hit escalates.

    ``alert_record_id``: the record the alerts point at when not the one matched (a notice
    about a person: the checking member may read the notice, not always the person record).
    """
    when = datetime.fromisoformat(checked_at)
    deadline = when + timedelta(minutes=deadline_minutes(uow, owner)[urgency.value])
    store.add_hits(
        uow.conn,
        [
            {
                "id": hit_id,
                "kind": kind,
                "match": match,
                "record_id": record_id,
                "owner": owner,
                "checking_member": checking_member,
                "checked_by": checked_by,
                "checked_at": when,
                "summary": summary,
                "status": "open",
                "check_id": check_id,
                "urgency": urgency.value,
                "deadline_at": deadline,
            }
        ],
    )
    alert_members(
        uow,
        event_id=event_id,
        members=[checking_member, owner],
        kind=event_type,
        title=title,
        record_id=alert_record_id or record_id,
        body={
            **summary,
            "hit_id": hit_id,
            "match": match,
            "checking_member": checking_member,
            "owner": owner,
            "urgency": urgency.value,
            "deadline_at": deadline.isoformat(),
        },
    )


def deadline_minutes(uow: UnitOfWork, member: str) -> dict[str, int]:
    """Minutes a member has to confirm a hit, by urgency: its own, else the defaults."""
    return {**settings.HIT_DEADLINE_MINUTES, **store.deadline_minutes(uow.conn, member)}
