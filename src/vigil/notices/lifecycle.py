"""The rules every notice operation shares: who may read and act, the states an operation
starts from, moving a notice on (stored, audited, kept in its history), putting it into force
and ending it (screening and alerts change in the same transaction)."""

from __future__ import annotations

from typing import Any

from vigil.access.actors import Actor
from vigil.access.envelope import Audience, EnvelopeIn
from vigil.access.roles import Role
from vigil.access.rules import can_see
from vigil.core import clock
from vigil.core.countries import GS, is_member
from vigil.documents import service as documents
from vigil.errors import Conflict, Forbidden, InvalidInput, NotFound
from vigil.notices import compliance, kinds, store
from vigil.notices.events import NoticeEnded
from vigil.notices.models import (
    Check,
    DocumentRef,
    Notice,
    NoticeFields,
    NoticeIn,
    PersonSummary,
    State,
)
from vigil.persons import service as persons
from vigil.records import service as records
from vigil.storage.uow import UnitOfWork

KIND = "notice"
# The states a member's own notices may be changed in, before and after publication.


EDITABLE = frozenset({State.DRAFT, State.RETURNED})


WITHDRAWABLE = frozenset({State.DRAFT, State.REQUESTED, State.UNDER_REVIEW, State.RETURNED})


def end(
    uow: UnitOfWork, actor: Actor, notice: Notice, state: State, reasons: str, action: str
) -> Notice:
    """Take a notice out of force: out of screening in this transaction, members told."""
    told = sorted(records.audience_members(uow, notice.envelope))
    ended = move(uow, actor, notice.model_copy(update={"pending": None}), state, reasons, action)
    persons.unlink_notice(uow, notice_id=notice.id)
    documents.unlink_notice(uow, notice_id=notice.id)
    uow.emit(NoticeEnded(**event_fields(ended, told), state=state.value, reasons=reasons))
    return ended


def into_force(uow: UnitOfWork, notice: Notice) -> None:
    """Put the notice on its person and its person's documents, for every later screening."""
    if notice.person_id is not None:
        persons.link_notice(
            uow, person_id=notice.person_id, notice_id=notice.id, notice_type=notice.type
        )
    if notice.person is not None and notice.person.documents:
        documents.link_notice(
            uow,
            notice_id=notice.id,
            notice_type=notice.type,
            documents=[(d.type, d.number, d.issuing_state) for d in notice.person.documents],
        )


def move(
    uow: UnitOfWork,
    actor: Actor,
    notice: Notice,
    state: State,
    reasons: str | None,
    action: str,
    envelope: bool = False,
) -> Notice:
    moved = notice.model_copy(update={"state": state})
    store.update(uow.conn, moved, envelope=envelope)
    transition(uow, actor, moved, notice.state, state, reasons, action)
    return with_history(uow, moved)


def transition(
    uow: UnitOfWork,
    actor: Actor,
    notice: Notice,
    from_state: State | None,
    to_state: State,
    reasons: str | None,
    action: str,
) -> None:
    store.add_transition(
        uow.conn,
        notice_id=notice.id,
        at=clock.now(),
        actor=actor.ref,
        member=actor.member,
        from_state=from_state,
        to_state=to_state,
        reasons=reasons,
    )
    query = {"from": from_state, "to": to_state, "reasons": reasons}
    uow.audit(actor, action, records=[notice.id], query=query)


def with_history(uow: UnitOfWork, notice: Notice) -> Notice:
    return notice.model_copy(update={"history": store.transitions(uow.conn, notice.id)})


def event_fields(notice: Notice, members: list[str]) -> dict[str, Any]:
    return {
        "notice_id": notice.id,
        "channel": notice.channel.value,
        "notice_type": notice.type,
        "owner": notice.envelope.owner,
        "title": notice.envelope.title,
        "members": members,
    }


def check_publishable(notice_in: NoticeIn) -> None:
    """Raise ``Conflict`` when a request could not be published as it stands (bulk loads of
    published notices check before they write)."""
    fields = checked_fields(notice_in.type, notice_in, person_id=notice_in.person_id)
    refuse(compliance.failures(notice_in.type.value, notice_in.person_id, fields))


def publishable(notice: Notice, fields: NoticeFields) -> None:
    refuse(compliance.failures(notice.type, notice.person_id, fields))


def refuse(failed: list[Check]) -> None:
    if failed:
        raise Conflict("Not publishable: " + " ".join(f"{c.id}: {c.message}" for c in failed))


def is_reviewer(actor: Actor) -> bool:
    return actor.member == GS and actor.role is Role.REVIEWER


def may_read(actor: Actor, notice: Notice) -> bool:
    if notice.envelope.deleted:
        return False
    if is_reviewer(actor):  # the review duty: every request, never a draft
        return notice.state is not State.DRAFT
    if actor.role not in (Role.NCB, Role.FRONTLINE, Role.ANALYST):
        return False
    # Until publication the envelope names the owner alone, so drafts and requests stay home.
    return can_see(actor, notice.envelope)


def readable(uow: UnitOfWork, actor: Actor, notice_id: str) -> Notice:
    actor.require("notices.read")
    notice = store.get(uow.conn, notice_id)
    if notice is None or not may_read(actor, notice):
        raise NotFound(f"No notice {notice_id}.")
    return notice


def owned(uow: UnitOfWork, actor: Actor, notice_id: str) -> Notice:
    notice = readable(uow, actor, notice_id)
    actor.require("notices.request")
    if notice.envelope.owner != actor.member:
        raise Forbidden("Only the member that requested a notice may act on it.")
    return notice


def for_review(uow: UnitOfWork, actor: Actor, notice_id: str) -> Notice:
    actor.require("notices.review")
    return readable(uow, actor, notice_id)


def require_state(notice: Notice, states: set[State] | frozenset[State], goal: str) -> None:
    if notice.state not in states:
        allowed = ", ".join(sorted(s.value for s in states))
        raise Conflict(
            f"A {notice.state.value} {notice.channel.value} cannot be {goal} "
            f"(only from: {allowed})."
        )


def check_public(type_: str, public: bool) -> None:
    if public and type_ not in kinds.PUBLIC_TYPES:
        raise InvalidInput("Only red and yellow notices may have a public extract.")


def checked_fields(type_: str, given: NoticeFields, *, person_id: str | None) -> NoticeFields:
    """The notice's own fields out of the request, checked against its type."""
    fields = NoticeFields.model_validate(
        given.model_dump(include=set(NoticeFields.model_fields), exclude_unset=True)
    )
    problems = kinds.problems(type_, fields, person_id=person_id)
    if problems:
        raise InvalidInput("; ".join(problems) + ".")
    return fields


def private_envelope(notice_in: NoticeIn, owner: str) -> EnvelopeIn:
    """The envelope before publication: the owner alone; the audience waits in the row."""
    return EnvelopeIn(
        audience=Audience.only(owner),
        handling=notice_in.handling,
        handling_text=notice_in.handling_text,
        review_by=notice_in.review_by,
        provenance=notice_in.provenance,
    )


def subject_of(uow: UnitOfWork, actor: Actor, person_id: str | None) -> PersonSummary | None:
    """The person's particulars as the notice states them: from a record the actor's member
    owns (a member asks for help about its own case)."""
    if person_id is None:
        return None
    person = persons.get(uow, actor=actor, person_id=person_id)
    if person.envelope.owner != actor.member:
        raise InvalidInput("A notice is about a person record of the requesting member's own.")
    return PersonSummary(
        id=person.id,
        names=[n.full for n in person.names],
        birth_date=person.birth_date,
        sex=person.sex,
        nationalities=list(person.nationalities),
        category=person.category.value,
        documents=[
            DocumentRef(type=i.type, number=i.number, issuing_state=i.issuing_state.upper())
            for i in person.details.identifiers
            if i.issuing_state and is_member(i.issuing_state.upper())
        ],
    )


def title_of(
    type_: str, subject: PersonSummary | None, fields: NoticeFields, *, diffusion: bool = False
) -> str:
    label = f"{type_.replace('_', ' ').title()} {'diffusion' if diffusion else 'notice'}"
    if subject is not None:
        return f"{label}: {subject.names[0]}"
    about = fields.modus_operandi or fields.threat or fields.circumstances or fields.summary
    about = about or fields.un_reference or ""
    return f"{label}: {about[:120]}" if about else label
