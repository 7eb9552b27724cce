"""Events about notices and diffusions: each alerts the members told of the notice."""

from __future__ import annotations

import dataclasses

from vigil.events import Event


@dataclasses.dataclass(frozen=True, kw_only=True)
class _NoticeEvent(Event):
    notice_id: str
    channel: str
    notice_type: str
    owner: str
    title: str
    members: list[str]  # every member to alert (the owner is told through its own paths)


@dataclasses.dataclass(frozen=True, kw_only=True)
class NoticePublished(_NoticeEvent):
    """A notice was published, or a diffusion sent: its audience learns of it."""

    type = "notices.published"


@dataclasses.dataclass(frozen=True, kw_only=True)
class NoticeModified(_NoticeEvent):
    """Changes to a published notice were accepted on review."""

    type = "notices.modified"


@dataclasses.dataclass(frozen=True, kw_only=True)
class NoticeEnded(_NoticeEvent):
    """A notice left force (cancelled, withdrawn, expired): those told must stop acting on it."""

    type = "notices.ended"
    state: str
    reasons: str | None = None
