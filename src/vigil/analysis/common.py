"""What ads and transfers share: the owner's references, and the access check of a page of
rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from vigil.access.actors import Actor
from vigil.access.envelope import Envelope, EnvelopeIn
from vigil.access.rules import can_see
from vigil.records import store as records_store
from vigil.storage.uow import UnitOfWork


def ref_key(owner: str, envelope: EnvelopeIn) -> str | None:
    """``OWNER/ref`` when the owner gave its own reference (``provenance.owner_ref``): the same
    reference twice is the same record, so a load that runs again adds nothing."""
    ref = envelope.provenance.owner_ref
    return f"{owner}/{ref.strip()}" if ref and ref.strip() else None


def visible_envelopes(uow: UnitOfWork, actor: Actor, ids: Sequence[str]) -> dict[str, Envelope]:
    """The envelopes of these records that the actor may see (the SQL filter's rows checked
    again by ``can_see``, as every path does)."""
    found = records_store.get_many(uow.conn, ids)
    return {i: e for i, e in found.items() if can_see(actor, e)}


def utc(value: datetime | None) -> datetime | None:
    """A bound of a time filter in UTC, as times are stored; one without offset is UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
