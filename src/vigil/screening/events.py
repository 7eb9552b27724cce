"""Events of a hit's follow-up: each alerts the other member (or both, on escalation)."""

from __future__ import annotations

import dataclasses

from vigil.events import Event


@dataclasses.dataclass(frozen=True, kw_only=True)
class HitFollowedUp(Event):
    """One member answered on a hit (identity, action, note), or its deadline passed."""

    type = "hits.follow_up"
    hit_id: str
    what: str  # identity | action | note | escalation
    value: str | None
    members: list[str]
    title: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class ListChecked(Event):
    """A passenger list was screened: its record is kept (written after the answer, so a
    list never holds the database's writer while officers check travellers)."""

    type = "screening.list_checked"
    check_id: str
    member: str
    actor: str
    checked_at: str  # ISO 8601, UTC
    travellers: int
    result: str
    reference: str | None
