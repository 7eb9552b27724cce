"""Events of messaging: a message sent, a report published, a network's membership changed."""

from __future__ import annotations

import dataclasses

from vigil.events import Event


@dataclasses.dataclass(frozen=True, kw_only=True)
class MessageSent(Event):
    """A message reached a thread: its other members are alerted."""

    type = "messages.sent"
    message_id: str
    thread_id: str
    members: list[str]
    title: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class ReportPublished(Event):
    """An intelligence report was published: subscribers who may see it are alerted."""

    type = "intel.report"
    report_id: str
    kind: str
    countries: list[str]
    crime_areas: list[str]
    title: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class NetworkChanged(Event):
    """A member joined or left a network (it is told; so are the network's moderators)."""

    type = "networks.changed"
    network_id: str
    name: str
    member: str
    joined: bool
