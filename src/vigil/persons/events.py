"""Events about person records."""

from __future__ import annotations

import dataclasses

from vigil.events import Event


@dataclasses.dataclass(frozen=True, kw_only=True)
class PersonHit(Event):
    """A screening scored a record above the checking member's threshold."""

    type = "persons.hit"
    hit_id: str
    record_id: str
    owner: str
    checking_member: str
    checked_by: str
    checked_by_role: str
    checked_at: str  # ISO 8601, UTC
    score: float
    name: str  # the record's primary name (the owner's own words)
    category: str
    # The notices in force about the record that the checking member was told of: its alert
    # points at the first, which it may read even when the person record is not shared.
    notices: list[str] = dataclasses.field(default_factory=list)
    notice_types: list[str] = dataclasses.field(default_factory=list)
    check_id: str | None = None  # the traveller check that found it, when there was one
