"""Domain events: collected while a service works, written to the outbox in the same
transaction, and handled after commit (at least once; handlers are idempotent)."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

EVENT_TYPES: dict[str, type[Event]] = {}


@dataclasses.dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every event. Subclasses set ``type`` and hold JSON-friendly fields only."""

    type: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("type")
        if name is not None:
            if name in EVENT_TYPES:
                raise TypeError(f"event type {name} is defined twice")
            EVENT_TYPES[name] = cls

    def payload(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def decode(type_name: str, payload: dict[str, Any]) -> Event:
    """Rebuild an event from its outbox row."""
    cls = EVENT_TYPES[type_name]
    fields = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in payload.items() if k in fields})
