"""Events about biometrics."""

from __future__ import annotations

import dataclasses

from vigil.events import Event


@dataclasses.dataclass(frozen=True, kw_only=True)
class BiometricHit(Event):
    """An examiner confirmed a candidate of a search as a match: both members must know."""

    type = "biometrics.hit"
    hit_id: str
    search_id: str
    modality: str
    record_id: str  # the person
    owner: str
    checking_member: str
    checked_by: str
    checked_at: str  # ISO 8601, UTC
    name: str
    score: float
