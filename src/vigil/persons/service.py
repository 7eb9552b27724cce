"""Person records: record, read, list, correct and delete them (the owner's rules)."""

from __future__ import annotations

from typing import Any

from vigil.access.actors import Actor
from vigil.access.envelope import Audience
from vigil.access.rules import can_see
from vigil.core import clock
from vigil.core.countries import is_member
from vigil.core.pagination import Page, PageRequest, page_of
from vigil.errors import Forbidden, InvalidInput, NotFound
from vigil.persons import bulk_store, store
from vigil.persons.models import Category, Person, PersonIn
from vigil.persons.names import script_of
from vigil.records import service as records
from vigil.records import store as records_store
from vigil.storage.uow import UnitOfWork

KIND = "person"


def record(uow: UnitOfWork, *, actor: Actor, person_in: PersonIn, ref: str | None = None) -> Person:
    """File a person record owned by the actor's member.

    A victim is restricted to its owner unless the owner names an audience itself: victims'
    data is protected by default (the UNODC and IOM rules, and INTERPOL's RPD).

    Raises:
        Forbidden: the actor may not record persons.
        InvalidInput: unknown nationalities, a network audience that does not exist.
    """
    records.check_audience(uow, person_in.audience)
    made = new_person(actor=actor, person_in=person_in)
    store.insert(uow.conn, made, ref=ref)
    uow.audit(actor, "persons.record", records=[made.id])
    return made


def new_person(*, actor: Actor, person_in: PersonIn) -> Person:
    """A person record checked against the rules, not yet stored (``record``, bulk loads)."""
    actor.require("persons.record")
    unknown = [c for c in person_in.nationalities if not is_member(c.upper())]
    if unknown:
        raise InvalidInput(f"Unknown nationalities: {', '.join(unknown)} (ISO 3166-1 alpha-3).")
    envelope_in = person_in
    if person_in.category is Category.VICTIM and "audience" not in person_in.model_fields_set:
        envelope_in = person_in.model_copy(update={"audience": Audience.only(actor.member)})
    names = [
        n if n.script else n.model_copy(update={"script": script_of(n.full)})
        for n in person_in.names
    ]
    envelope = records.envelope_of(
        actor=actor,
        kind=KIND,
        title=f"{names[0].full} ({person_in.category.value})",
        envelope=envelope_in,
    )
    return Person(
        id=envelope.id,
        names=names,
        birth_date=person_in.birth_date,
        sex=person_in.sex,
        nationalities=[c.upper() for c in person_in.nationalities],
        category=person_in.category,
        details=person_in.details(),
        envelope=envelope,
    )


def get(uow: UnitOfWork, *, actor: Actor, person_id: str) -> Person:
    """One person record the actor may see.

    Raises:
        NotFound: no such record, or one the actor may not see (the two look the same).
    """
    actor.require("records.read")
    found = _visible(uow, actor, person_id)
    uow.audit(actor, "persons.read", records=[found.id])
    return found


def list_persons(
    uow: UnitOfWork,
    *,
    actor: Actor,
    page: PageRequest,
    category: Category | None = None,
    owner: str | None = None,
) -> Page[Person]:
    """Person records the actor may see, newest first."""
    actor.require("records.read")
    rows = store.list_visible(
        uow.conn,
        records_store.visible_clause(actor),
        category=category.value if category else None,
        owner=owner.upper() if owner else None,
        after=page.after,
        limit=page.limit + 1,
    )
    rows = [r for r in rows if can_see(actor, r.envelope)]
    result = page_of(rows, page, key=lambda r: r.id)
    query: dict[str, Any] = {"category": category, "owner": owner, "after": page.after}
    uow.audit(actor, "persons.list", query=query, results=[r.id for r in result.items])
    return result


def change(uow: UnitOfWork, *, actor: Actor, person_id: str, person_in: PersonIn) -> Person:
    """Replace what a record says (owner only); the envelope's audience, handling and review
    date are replaced too, its id and history stay.

    Raises:
        NotFound, Forbidden: as ``get``; or the actor's member does not own it.
    """
    current = _owned(uow, actor, person_id)
    records.check_audience(uow, person_in.audience)
    made = new_person(actor=actor, person_in=person_in)
    changed = made.model_copy(
        update={
            "id": current.id,
            "envelope": made.envelope.model_copy(
                update={
                    "id": current.id,
                    "created_at": current.envelope.created_at,
                    "created_by": current.envelope.created_by,
                    "updated_at": clock.now(),
                }
            ),
        }
    )
    store.update(uow.conn, changed)
    uow.audit(actor, "persons.change", records=[person_id])
    return changed


def editable(uow: UnitOfWork, *, actor: Actor, person_id: str) -> Person:
    """A record the actor's member owns and the actor may change (an edit form shows it).

    Raises:
        NotFound: as ``get``. Forbidden: the actor may not change it.
    """
    found = _owned(uow, actor, person_id)
    uow.audit(actor, "persons.read", records=[found.id])
    return found


def delete(uow: UnitOfWork, *, actor: Actor, person_id: str) -> None:
    """Delete a record (owner only): it leaves screening at once; the audit trail stays."""
    _owned(uow, actor, person_id)
    records.delete(uow, actor=actor, record_id=person_id)
    store.changed(uow.conn, [person_id])


def ids_by_ref(uow: UnitOfWork, *, keys: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Person ids by their owners' references (bulk loads of records that point at persons,
    such as notices). Not audited: the loads that call it audit what they write."""
    return bulk_store.ids_by_ref(uow.conn, keys)


def link_notice(uow: UnitOfWork, *, person_id: str, notice_id: str, notice_type: str) -> None:
    """A notice about the person came into force: its audience may now match the person in
    screening, and every hit shows it. Called by the notices service in its own transaction,
    so that publication and screening change together."""
    store.link_notice(uow.conn, person_id, notice_id, notice_type)


def unlink_notice(uow: UnitOfWork, *, notice_id: str) -> None:
    """A notice left force (cancelled, withdrawn, expired): it leaves screening at once."""
    store.unlink_notice(uow.conn, notice_id)


def visible(uow: UnitOfWork, *, actor: Actor, person_id: str) -> Person:
    """A record the actor may see, not audited: for callers that audit their own read of
    what hangs on the record (its biometric templates).

    Raises:
        NotFound: as ``get``.
    """
    actor.require("records.read")
    return _visible(uow, actor, person_id)


def _visible(uow: UnitOfWork, actor: Actor, person_id: str) -> Person:
    found = store.get(uow.conn, person_id)
    if found is None or not can_see(actor, found.envelope):
        raise NotFound(f"No person record {person_id}.")
    return found


def _owned(uow: UnitOfWork, actor: Actor, person_id: str) -> Person:
    found = _visible(uow, actor, person_id)
    actor.require("persons.record")
    if found.envelope.owner != actor.member:
        raise Forbidden("Only the owning member may change its person records.")
    return found
