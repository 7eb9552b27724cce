"""Events about record envelopes."""

from __future__ import annotations

import dataclasses

from vigil.events import Event


@dataclasses.dataclass(frozen=True, kw_only=True)
class RecordShared(Event):
    """A record became visible to members that could not see it before."""

    type = "records.shared"
    record_id: str
    owner: str
    kind: str
    title: str
    members: list[str]
