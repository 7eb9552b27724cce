"""Events about travel documents."""

from __future__ import annotations

import dataclasses

from vigil.events import Event


@dataclasses.dataclass(frozen=True, kw_only=True)
class DocumentHit(Event):
    """A check matched a live report: both the checking and the owning member must know."""

    type = "documents.hit"
    hit_id: str
    match: str  # hit | possible
    record_id: str
    owner: str
    checking_member: str
    checked_by: str
    checked_by_role: str
    checked_at: str  # ISO 8601, UTC
    number: str
    issuing_state: str
    document_type: str
    status: str
    check_id: str | None = None  # the traveller check that found it, when there was one
