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
        # Flat events field by field: ``dataclasses.asdict`` copies every value deeply, and a
        # hit's event is built in the check that an officer waits for.
        names = _FIELD_NAMES.get(type(self))
        if names is None:
            names = _FIELD_NAMES[type(self)] = tuple(f.name for f in dataclasses.fields(self))
        fields = {name: getattr(self, name) for name in names}
        if all(type(value) in _PLAIN for value in fields.values()):
            return fields
        return dataclasses.asdict(self)


_PLAIN = frozenset({str, int, float, bool, type(None)})

_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def decode(type_name: str, payload: dict[str, Any]) -> Event:
    """Rebuild an event from its outbox row."""
    cls = EVENT_TYPES[type_name]
    fields = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in payload.items() if k in fields})
