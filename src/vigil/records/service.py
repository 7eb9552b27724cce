"""Operations on record envelopes that every domain shares."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from vigil import settings
from vigil.access.actors import Actor
from vigil.access.envelope import (
    Audience,
    AudienceKind,
    Envelope,
    EnvelopeIn,
    Handling,
    Provenance,
    checked_review_by,
    handling_problem,
)
from vigil.access.roles import Role
from vigil.access.rules import can_see
from vigil.core import clock
from vigil.core.countries import members
from vigil.core.ids import new_id
from vigil.core.pagination import Page, PageRequest, page_of
from vigil.errors import Conflict, Forbidden, InvalidInput, NotFound
from vigil.records import store
from vigil.records.events import RecordShared
from vigil.storage.uow import UnitOfWork


class EnvelopeChange(BaseModel):
    """What an owner may change on a record it shares; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    audience: Audience | None = None
    handling: Handling | None = None
    handling_text: str | None = Field(default=None, max_length=2000)
    review_by: date | None = None
    provenance: Provenance | None = None


def register(
    uow: UnitOfWork,
    *,
    actor: Actor,
    kind: str,
    title: str,
    envelope: EnvelopeIn,
    announce: bool = False,
) -> Envelope:
    """Create the envelope of a new record owned by the actor's member.

    Domains call this when they create a record, then store their content under the same id.
    With ``announce``, every member who may see it is alerted (notices, diffusions).

    Raises:
        InvalidInput: the audience names unknown networks, or the review date is out of range.
    """
    record = new_envelope(uow, actor=actor, kind=kind, title=title, envelope=envelope)
    store.insert(uow.conn, record)
    uow.audit(actor, f"{kind}.create", records=[record.id])
    if announce:
        _announce(uow, record, audience_members(uow, record))
    return record


def new_envelope(
    uow: UnitOfWork, *, actor: Actor, kind: str, title: str, envelope: EnvelopeIn
) -> Envelope:
    """The envelope of a new record, checked but not stored (for domains that store it with
    their content)."""
    check_audience(uow, envelope.audience)
    return envelope_of(actor=actor, kind=kind, title=title, envelope=envelope)


def envelope_of(
    *, actor: Actor, kind: str, title: str, envelope: EnvelopeIn, now: datetime | None = None
) -> Envelope:
    """A new envelope owned by the actor's member, without the database: bulk loads build
    these in worker processes (one ``now`` per batch), then check network audiences with
    ``check_audience``."""
    now = now or clock.now()
    return Envelope(
        id=new_id(),
        kind=kind,
        owner=actor.member,
        title=title[:300],
        created_by=actor.ref,
        created_at=now,
        updated_at=now,
        audience=envelope.audience,
        handling=envelope.handling,
        handling_text=envelope.handling_text,
        # Today from the same reading of the clock (bulk loads make millions of envelopes).
        review_by=checked_review_by(envelope.review_by, settings.REVIEW_MAX_YEARS, now.date()),
        provenance=envelope.provenance,
    )


def get(uow: UnitOfWork, *, actor: Actor, record_id: str) -> Envelope:
    """The envelope of one record the actor may see.

    Raises:
        NotFound: no such record, or one the actor may not see (the two look the same).
    """
    actor.require("records.read")
    record = visible(uow, actor=actor, record_id=record_id)
    uow.audit(actor, "records.read", records=[record.id])
    return record


def visible(uow: UnitOfWork, *, actor: Actor, record_id: str) -> Envelope:
    """The envelope if the actor may see it; ``NotFound`` otherwise. Not audited: callers do."""
    record = store.get(uow.conn, record_id)
    if record is None or not can_see(actor, record):
        raise NotFound(f"No record {record_id}.")
    return record


def list_records(
    uow: UnitOfWork,
    *,
    actor: Actor,
    page: PageRequest,
    kind: str | None = None,
    owner: str | None = None,
    review_due: bool = False,
) -> Page[Envelope]:
    """Envelopes the actor may see, newest first; ``review_due`` keeps those past review."""
    actor.require("records.read")
    rows = store.list_visible(
        uow.conn,
        actor,
        kind=kind,
        owner=owner,
        review_before=clock.today() if review_due else None,
        after=page.after,
        limit=page.limit + 1,
    )
    rows = [r for r in rows if can_see(actor, r)]
    result = page_of(rows, page, key=lambda r: r.id)
    query = {"kind": kind, "owner": owner, "review_due": review_due, "after": page.after}
    uow.audit(actor, "records.list", query=query, results=[r.id for r in result.items])
    return result


def change_envelope(
    uow: UnitOfWork, *, actor: Actor, record_id: str, change: EnvelopeChange
) -> Envelope:
    """Change who may see a record, its handling code, review date or provenance (owner only).

    Members who could not see the record before and can now are alerted.

    Raises:
        NotFound: the actor may not see the record.
        Forbidden: the actor's member does not own it, or its role may not manage records.
    """
    record = _owned(uow, actor, record_id)
    _not_managed(record)
    updates = {name: getattr(change, name) for name in change.model_fields_set}
    if "audience" in updates:
        check_audience(uow, change.audience or record.audience)
    if "review_by" in updates:
        updates["review_by"] = checked_review_by(change.review_by, settings.REVIEW_MAX_YEARS)
    changed = record.model_copy(update={**updates, "updated_at": clock.now()})
    problem = handling_problem(changed.handling, changed.handling_text)
    if problem is not None:
        raise InvalidInput(problem)
    before = audience_members(uow, record)
    store.update(uow.conn, changed)
    uow.audit(actor, "records.envelope", records=[record_id], query=change.model_dump(mode="json"))
    newly = sorted(audience_members(uow, changed) - before)
    if newly:
        _announce(uow, changed, set(newly))
    return changed


def delete(uow: UnitOfWork, *, actor: Actor, record_id: str) -> None:
    """Withdraw a record from the exchange (owner only); the audit trail keeps its history."""
    _not_managed(_owned(uow, actor, record_id))
    store.mark_deleted(uow.conn, record_id, clock.now())
    uow.audit(actor, "records.delete", records=[record_id])


def audience_members(uow: UnitOfWork, record: Envelope) -> set[str]:
    """Members other than the owner whose officers may see the record, decided by ``can_see``."""
    nets: dict[str, frozenset[str]] = {}
    if record.audience.kind is AudienceKind.NETWORKS:
        for network in record.audience.codes:
            for code in store.network_member_codes(uow.conn, [network]):
                nets[code] = nets.get(code, frozenset()) | {network}
    return {
        m.code
        for m in members()
        if m.code != record.owner
        and can_see(
            Actor(
                user_id="-",
                member=m.code,
                role=Role.NCB,
                name="-",
                networks=nets.get(m.code, frozenset()),
            ),
            record,
        )
    }


def _owned(uow: UnitOfWork, actor: Actor, record_id: str) -> Envelope:
    record = visible(uow, actor=actor, record_id=record_id)
    actor.require("records.manage")
    if record.owner != actor.member:
        raise Forbidden("Only the member that owns a record may change it.")
    return record


# Kinds whose envelope only their own domain changes: a notice's audience is set by its
# review (publishing it here would skip the review), and it ends by cancellation.
_MANAGED = {"notice": "A notice's audience is set by its review; cancel or withdraw it instead."}


def _not_managed(record: Envelope) -> None:
    reason = _MANAGED.get(record.kind)
    if reason is not None:
        raise Conflict(reason)


def check_audience(uow: UnitOfWork, audience: Audience) -> None:
    """Raise ``InvalidInput`` when the audience names networks that do not exist."""
    if audience.kind is not AudienceKind.NETWORKS:
        return
    unknown = set(audience.codes) - store.existing_networks(uow.conn, list(audience.codes))
    if unknown:
        raise InvalidInput(f"Unknown networks: {', '.join(sorted(unknown))}.")


def _announce(uow: UnitOfWork, record: Envelope, recipients: set[str]) -> None:
    uow.emit(
        RecordShared(
            record_id=record.id,
            owner=record.owner,
            kind=record.kind,
            title=record.title,
            members=sorted(recipients),
        )
    )
