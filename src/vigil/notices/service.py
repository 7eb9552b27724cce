"""Notices and diffusions: draft, request, review, publish, change, cancel, expire.

A notice's envelope names only its owner until a reviewer publishes it; publication gives it
the audience the owner asked for, alerts every member in it, and puts the notice on its
person in screening, all in one transaction. A diffusion is sent at once to the members it
names and reviewed afterwards. Every transition is audited and kept with its actor and
reasons.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from vigil import settings
from vigil.access.actors import Actor
from vigil.access.envelope import Audience, EnvelopeIn, checked_review_by
from vigil.access.roles import Role, allows
from vigil.access.rules import can_see
from vigil.core import clock
from vigil.core.countries import GS, is_member
from vigil.core.pagination import Page, PageRequest, page_of
from vigil.documents import service as documents
from vigil.errors import Conflict, Forbidden, InvalidInput, NotFound
from vigil.notices import compliance, kinds, store
from vigil.notices.events import NoticeEnded, NoticeModified, NoticePublished
from vigil.notices.models import (
    AWAITING_REVIEW,
    IN_FORCE,
    Action,
    Channel,
    Check,
    Checklist,
    Decision,
    DiffusionDecision,
    DiffusionIn,
    DocumentRef,
    Dossier,
    Notice,
    NoticeFields,
    NoticeIn,
    PersonSummary,
    PublicExtract,
    State,
)
from vigil.persons import screening as person_screening
from vigil.persons import service as persons
from vigil.records import service as records
from vigil.records import store as records_store
from vigil.storage.uow import UnitOfWork

KIND = "notice"
# The states a member's own notices may be changed in, before and after publication.
_EDITABLE = frozenset({State.DRAFT, State.RETURNED})
_WITHDRAWABLE = frozenset({State.DRAFT, State.REQUESTED, State.UNDER_REVIEW, State.RETURNED})


# ---- the owner's side ---------------------------------------------------------------------


def create(uow: UnitOfWork, *, actor: Actor, notice_in: NoticeIn, ref: str | None = None) -> Notice:
    """Draft a notice (state ``draft``): nobody but the owner sees it until it is published.

    Raises:
        Forbidden: the actor may not request notices.
        NotFound: no person record ``person_id`` the actor may see.
        InvalidInput: the type's fields are missing or foreign to it; the person is another
            member's; a public extract for a type that has none.
    """
    actor.require("notices.request")
    _check_public(notice_in.type, notice_in.public_extract)
    records.check_audience(uow, notice_in.audience)
    subject = _subject(uow, actor, notice_in.person_id)
    fields = _fields(notice_in.type, notice_in, person_id=notice_in.person_id)
    now = clock.now()
    envelope = records.envelope_of(
        actor=actor,
        kind=KIND,
        title=_title(notice_in.type, subject, fields),
        envelope=_private(notice_in, actor.member),
        now=now,
    )
    notice = Notice(
        id=envelope.id,
        channel=Channel.NOTICE,
        type=notice_in.type.value,
        state=State.DRAFT,
        person_id=notice_in.person_id,
        person=subject,
        fields=fields,
        public_extract=notice_in.public_extract,
        requested_audience=notice_in.audience,
        envelope=envelope,
    )
    store.insert(uow.conn, notice, ref)
    _transition(uow, actor, notice, None, State.DRAFT, None, "notices.create")
    return _with_history(uow, notice)


def migrate_published(
    uow: UnitOfWork, *, operator: Actor, owner: Actor, notice_id: str, published_on: date
) -> Notice:
    """Bring in a notice that another system reviewed and published (a migration, the demo
    world): the operator records the publication, dated as the source dated it. Nobody is
    alerted (members knew of it already); it goes into screening now, or straight to
    ``expired`` when its review date has passed.

    Raises:
        Forbidden: the operator may not migrate notices.
        Conflict: a check fails (a Red Notice below the penalty threshold).
    """
    operator.require("notices.migrate")
    notice = _owned(uow, owner, notice_id)
    _publishable(notice, notice.fields)
    # Five years from the source's publication, as if it had been published here.
    review_by = checked_review_by(None, settings.REVIEW_MAX_YEARS, published_on)
    published_at = datetime.combine(published_on, time(12), tzinfo=UTC)
    envelope = notice.envelope.model_copy(
        update={"audience": notice.requested_audience, "review_by": review_by}
    )
    in_force = review_by >= clock.today()
    moved = notice.model_copy(
        update={"envelope": envelope, "published_at": published_at, "reviewer": operator.ref}
    )
    reasons = f"Published by the source system on {published_on.isoformat()}; migrated."
    moved = _move(
        uow, operator, moved, State.PUBLISHED if in_force else State.EXPIRED, reasons,
        "notices.migrate", True,
    )  # fmt: skip
    if in_force:
        _into_force(uow, moved)
    return moved


def change(uow: UnitOfWork, *, actor: Actor, notice_id: str, notice_in: NoticeIn) -> Notice:
    """Replace what a notice says (owner only).

    A draft or a returned request is rewritten in place. A published notice keeps its
    published text in force and in screening: the changes wait for review (state
    ``modified``). The type and the person stay what they were.

    Raises:
        Conflict: the notice is in a state that cannot change, or the type or person differ.
    """
    notice = _owned(uow, actor, notice_id)
    if notice.channel is not Channel.NOTICE:
        raise Conflict("A diffusion is not changed: withdraw it and send another.")
    if notice_in.type.value != notice.type or notice_in.person_id != notice.person_id:
        raise Conflict("A notice keeps its type and person; request a new notice instead.")
    _check_public(notice_in.type, notice_in.public_extract)
    fields = _fields(notice_in.type, notice_in, person_id=notice.person_id)
    if notice.state in _EDITABLE:
        records.check_audience(uow, notice_in.audience)
        subject = _subject(uow, actor, notice.person_id)
        envelope = notice.envelope.model_copy(
            update={
                "title": _title(notice_in.type, subject, fields),
                "handling": notice_in.handling,
                "handling_text": notice_in.handling_text,
                "provenance": notice_in.provenance,
                "updated_at": clock.now(),
            }
        )
        changed = notice.model_copy(
            update={
                "fields": fields,
                "person": subject,
                "public_extract": notice_in.public_extract,
                "requested_audience": notice_in.audience,
                "envelope": envelope,
            }
        )
        store.update(uow.conn, changed, envelope=True)
        uow.audit(actor, "notices.change", records=[notice.id])
        return _with_history(uow, changed)
    if notice.state in IN_FORCE:
        if notice_in.audience != notice.requested_audience:
            raise Conflict(
                "A published notice's audience is not changed by modification: cancel it "
                "and request a new one."
            )
        changed = notice.model_copy(update={"pending": fields, "state": State.MODIFIED})
        store.update(uow.conn, changed)
        _transition(uow, actor, notice, notice.state, State.MODIFIED, None, "notices.modify")
        return _with_history(uow, changed)
    raise Conflict(f"A {notice.state.value} notice cannot be changed.")


def request(uow: UnitOfWork, *, actor: Actor, notice_id: str) -> Notice:
    """Send a draft (or a returned request) to the General Secretariat for review."""
    notice = _owned(uow, actor, notice_id)
    _require_state(notice, {State.DRAFT, State.RETURNED}, "requested")
    problems = kinds.problems(notice.type, notice.fields, person_id=notice.person_id)
    if problems:
        raise InvalidInput("The notice is not complete: " + "; ".join(problems) + ".")
    return _move(uow, actor, notice, State.REQUESTED, None, "notices.request")


def withdraw(uow: UnitOfWork, *, actor: Actor, notice_id: str, reasons: str) -> Notice:
    """Withdraw a request before publication, or a diffusion already sent (owner only)."""
    notice = _owned(uow, actor, notice_id)
    if notice.channel is Channel.DIFFUSION:
        _require_state(notice, IN_FORCE, "withdrawn")
        return _end(uow, actor, notice, State.WITHDRAWN, reasons, "notices.withdraw")
    _require_state(notice, _WITHDRAWABLE, "withdrawn")
    return _move(uow, actor, notice, State.WITHDRAWN, reasons, "notices.withdraw")


def cancel(uow: UnitOfWork, *, actor: Actor, notice_id: str, reasons: str) -> Notice:
    """Cancel a published notice (owner only): it leaves screening at once, and every member
    that was told is alerted."""
    notice = _owned(uow, actor, notice_id)
    if notice.channel is Channel.DIFFUSION:
        raise Conflict("A diffusion is withdrawn, not cancelled.")
    _require_state(notice, IN_FORCE, "cancelled")
    return _end(uow, actor, notice, State.CANCELLED, reasons, "notices.cancel")


def diffuse(uow: UnitOfWork, *, actor: Actor, diffusion_in: DiffusionIn) -> Notice:
    """Send a diffusion to the members named in ``to``: delivered at once, in screening at
    once, reviewed by the General Secretariat afterwards."""
    actor.require("notices.request")
    unknown = [c for c in diffusion_in.to if not is_member(c.upper()) or c.upper() == GS]
    if unknown:
        raise InvalidInput(f"Not members: {', '.join(unknown)} (ISO 3166-1 alpha-3).")
    to = sorted({c.upper() for c in diffusion_in.to} - {actor.member})
    if not to:
        raise InvalidInput("A diffusion goes to at least one other member.")
    subject = _subject(uow, actor, diffusion_in.person_id)
    fields = _fields(diffusion_in.type, diffusion_in, person_id=diffusion_in.person_id)
    problems = kinds.problems(diffusion_in.type, fields, person_id=diffusion_in.person_id)
    if problems:
        raise InvalidInput("; ".join(problems) + ".")
    audience = Audience.only(*to)
    now = clock.now()
    envelope = records.envelope_of(
        actor=actor,
        kind=KIND,
        title=_title(diffusion_in.type, subject, fields, diffusion=True),
        envelope=EnvelopeIn(
            audience=audience,
            handling=diffusion_in.handling,
            handling_text=diffusion_in.handling_text,
            review_by=diffusion_in.review_by,
            provenance=diffusion_in.provenance,
        ),
        now=now,
    )
    notice = Notice(
        id=envelope.id,
        channel=Channel.DIFFUSION,
        type=diffusion_in.type.value,
        state=State.PUBLISHED,
        person_id=diffusion_in.person_id,
        person=subject,
        fields=fields,
        public_extract=False,
        requested_audience=audience,
        published_at=now,
        envelope=envelope,
    )
    store.insert(uow.conn, notice)
    _transition(uow, actor, notice, None, State.PUBLISHED, None, "notices.diffuse")
    _into_force(uow, notice)
    uow.emit(NoticePublished(**_event_fields(notice, to)))
    return _with_history(uow, notice)


# ---- the General Secretariat's side --------------------------------------------------------


def take_up(uow: UnitOfWork, *, actor: Actor, notice_id: str) -> Notice:
    """A reviewer takes a request up (state ``under_review``), so others see it is in hand."""
    notice = _for_review(uow, actor, notice_id)
    _require_state(notice, {State.REQUESTED}, "under review")
    taken = notice.model_copy(update={"reviewer": actor.ref})
    return _move(uow, actor, taken, State.UNDER_REVIEW, None, "notices.take_up")


def checklist(uow: UnitOfWork, *, actor: Actor, notice_id: str) -> Checklist:
    """The computed checks of a request, or of a published notice's pending changes."""
    notice = _for_review(uow, actor, notice_id)
    fields = notice.pending or notice.fields
    similar = _similar(uow, notice)
    found = compliance.checks(notice, fields, similar)
    uow.audit(actor, "notices.checklist", records=[notice.id], results=[s.id for s in similar])
    return Checklist(notice_id=notice.id, state=notice.state, checks=found)


def review(
    uow: UnitOfWork, *, actor: Actor, notice_id: str, decision: Decision, reasons: str
) -> Notice:
    """Decide on a request, or on a published notice's changes, with reasons.

    ``publish`` is refused while a check fails (a missing field, a Red Notice below the
    penalty threshold); flags are for the reviewer to weigh. Changes that are rejected or
    returned leave the published text in force.
    """
    notice = _for_review(uow, actor, notice_id)
    if notice.channel is Channel.DIFFUSION:
        raise Conflict("A diffusion is reviewed after delivery: decide compliant or withdraw.")
    _require_state(notice, AWAITING_REVIEW, "reviewed")
    if decision is Decision.PUBLISH:
        fields = notice.pending or notice.fields
        failed = [c for c in compliance.checks(notice, fields, []) if c.status == "fail"]
        if failed:
            raise Conflict("Not publishable: " + " ".join(f"{c.id}: {c.message}" for c in failed))
    if notice.state is State.MODIFIED:
        return _decide_changes(uow, actor, notice, decision, reasons)
    if decision is Decision.REJECT:
        return _move(uow, actor, notice, State.REJECTED, reasons, "notices.reject")
    if decision is Decision.RETURN:
        return _move(uow, actor, notice, State.RETURNED, reasons, "notices.return")
    return _publish(uow, actor, notice, reasons)


def review_diffusion(
    uow: UnitOfWork, *, actor: Actor, notice_id: str, decision: DiffusionDecision, reasons: str
) -> Notice:
    """The after-the-fact review of a diffusion: it stands, or it is withdrawn (and leaves
    screening, and its recipients are told)."""
    notice = _for_review(uow, actor, notice_id)
    if notice.channel is not Channel.DIFFUSION:
        raise Conflict("A notice is reviewed before publication: publish, reject or return.")
    _require_state(notice, IN_FORCE, "reviewed")
    if decision is DiffusionDecision.WITHDRAW:
        return _end(uow, actor, notice, State.WITHDRAWN, reasons, "notices.review_withdraw")
    reviewed = notice.model_copy(update={"reviewer": actor.ref})
    store.update(uow.conn, reviewed)
    _transition(uow, actor, reviewed, notice.state, notice.state, reasons, "notices.compliant")
    return _with_history(uow, reviewed)


def expire_due(uow: UnitOfWork, *, actor: Actor, today: date | None = None) -> list[str]:
    """Notices in force past their review date expire: out of screening, members told.
    Run daily (``vigil notices expire``); returns the ids expired."""
    actor.require("notices.expire")
    expired = []
    for notice_id in store.due_for_expiry(uow.conn, today or clock.today(), list(IN_FORCE)):
        notice = store.get(uow.conn, notice_id)
        assert notice is not None
        _end(uow, actor, notice, State.EXPIRED, "Review date passed.", "notices.expire")
        expired.append(notice_id)
    return expired


# ---- reading -------------------------------------------------------------------------------


def get(uow: UnitOfWork, *, actor: Actor, notice_id: str) -> Notice:
    """A notice the actor may read: its owner's, one published to its member, or one a
    reviewer handles. Anything else is "not found"."""
    notice = _readable(uow, actor, notice_id)
    uow.audit(actor, "notices.read", records=[notice.id])
    return _with_history(uow, notice)


def dossier(uow: UnitOfWork, *, actor: Actor, notice_id: str) -> Dossier:
    """A notice the actor may read, with what the actor may do next, and for a reviewer the
    checklist of its review (audited as a read, and as a checklist).

    Raises:
        NotFound: as ``get``.
    """
    notice = get(uow, actor=actor, notice_id=notice_id)
    checks = checklist(uow, actor=actor, notice_id=notice_id) if _reviewer(actor) else None
    return Dossier(notice=notice, actions=_actions(actor, notice), checklist=checks)


def list_notices(
    uow: UnitOfWork,
    *,
    actor: Actor,
    page: PageRequest,
    state: State | None = None,
    type_: str | None = None,
    channel: Channel | None = None,
    owner: str | None = None,
    person_id: str | None = None,
) -> Page[Notice]:
    """Notices the actor may read, newest first. A reviewer lists what awaits review and
    what was decided; an NCB its own notices and those published to it."""
    actor.require("notices.read")
    states = [state] if state is not None else None
    if _reviewer(actor):
        visible = None
        if states is None:
            states = [s for s in State if s is not State.DRAFT]
        states = [s for s in states if s is not State.DRAFT]
    else:
        visible = records_store.visible_clause(actor)
    rows = store.list_notices(
        uow.conn,
        visible=visible,
        states=states,
        channel=channel,
        type_=type_,
        owner=owner.upper() if owner else None,
        person_id=person_id,
        after=page.after,
        limit=page.limit + 1,
    )
    rows = [n for n in rows if _may_read(actor, n)]
    result = page_of(rows, page, key=lambda n: n.id)
    query: dict[str, Any] = {
        "state": state, "type": type_, "channel": channel, "owner": owner,
        "person_id": person_id, "after": page.after,
    }  # fmt: skip
    uow.audit(actor, "notices.list", query=query, results=[n.id for n in result.items])
    return result


def review_queue(
    uow: UnitOfWork,
    *,
    actor: Actor,
    page: PageRequest,
    type_: str | None = None,
    channel: Channel | None = None,
) -> Page[Notice]:
    """What awaits the reviewers' decision (requests, requests in hand, changes to published
    notices), newest first.

    Raises:
        Forbidden: the actor is not a reviewer.
    """
    actor.require("notices.review")
    rows = store.list_notices(
        uow.conn,
        visible=None,
        states=sorted(AWAITING_REVIEW),
        channel=channel,
        type_=type_,
        after=page.after,
        limit=page.limit + 1,
    )
    result = page_of([n for n in rows if _may_read(actor, n)], page, key=lambda n: n.id)
    query = {"type": type_, "channel": channel, "after": page.after}
    uow.audit(actor, "notices.review_queue", query=query, results=[n.id for n in result.items])
    return result


def public_extracts(
    uow: UnitOfWork, *, page: PageRequest, type_: str | None = None
) -> Page[PublicExtract]:
    """The extracts owners chose to publish, for anyone (no login): names, birth year,
    nationalities, sex, and the charges or circumstances; nothing else of the notice."""
    if type_ is not None and type_ not in kinds.PUBLIC_TYPES:
        raise InvalidInput("Public extracts exist for red and yellow notices only.")
    rows = store.list_notices(
        uow.conn,
        visible=None,
        states=list(IN_FORCE),
        channel=Channel.NOTICE,
        type_=type_,
        public_only=True,
        after=page.after,
        limit=page.limit + 1,
    )
    extracts = [_extract(n) for n in rows if n.type in kinds.PUBLIC_TYPES]
    return page_of(extracts, page, key=lambda e: e.id)


def public_extract(uow: UnitOfWork, *, notice_id: str) -> PublicExtract:
    notice = store.get(uow.conn, notice_id)
    if (
        notice is None
        or notice.envelope.deleted
        or notice.state not in IN_FORCE
        or not notice.public_extract
        or notice.type not in kinds.PUBLIC_TYPES
    ):
        raise NotFound(f"No public notice {notice_id}.")
    return _extract(notice)


# ---- the rules behind them ----------------------------------------------------------------


def _publish(uow: UnitOfWork, actor: Actor, notice: Notice, reasons: str) -> Notice:
    now = clock.now()
    envelope = notice.envelope.model_copy(
        update={
            "audience": notice.requested_audience,
            # Review after five years at most, counted from publication (INTERPOL's RPD).
            "review_by": checked_review_by(None, settings.REVIEW_MAX_YEARS, now.date()),
            "updated_at": now,
        }
    )
    published = notice.model_copy(
        update={"envelope": envelope, "published_at": now, "reviewer": actor.ref}
    )
    published = _move(uow, actor, published, State.PUBLISHED, reasons, "notices.publish", True)
    _into_force(uow, published)
    told = sorted(records.audience_members(uow, published.envelope))
    uow.emit(NoticePublished(**_event_fields(published, told)))
    return published


def _decide_changes(
    uow: UnitOfWork, actor: Actor, notice: Notice, decision: Decision, reasons: str
) -> Notice:
    if decision is Decision.PUBLISH:
        assert notice.pending is not None
        subject = notice.person
        changed = notice.model_copy(
            update={
                "fields": notice.pending,
                "pending": None,
                "envelope": notice.envelope.model_copy(
                    update={
                        "title": _title(notice.type, subject, notice.pending),
                        "updated_at": clock.now(),
                    }
                ),
            }
        )
        changed = _move(uow, actor, changed, State.PUBLISHED, reasons, "notices.publish", True)
        told = sorted(records.audience_members(uow, changed.envelope))
        uow.emit(NoticeModified(**_event_fields(changed, told)))
        return changed
    kept = notice.model_copy(update={"pending": None})
    action = "notices.reject" if decision is Decision.REJECT else "notices.return"
    return _move(uow, actor, kept, State.PUBLISHED, reasons, action)


def _end(
    uow: UnitOfWork, actor: Actor, notice: Notice, state: State, reasons: str, action: str
) -> Notice:
    """Take a notice out of force: out of screening in this transaction, members told."""
    told = sorted(records.audience_members(uow, notice.envelope))
    ended = _move(uow, actor, notice.model_copy(update={"pending": None}), state, reasons, action)
    persons.unlink_notice(uow, notice_id=notice.id)
    documents.unlink_notice(uow, notice_id=notice.id)
    uow.emit(NoticeEnded(**_event_fields(ended, told), state=state.value, reasons=reasons))
    return ended


def _into_force(uow: UnitOfWork, notice: Notice) -> None:
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


def _move(
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
    _transition(uow, actor, moved, notice.state, state, reasons, action)
    return _with_history(uow, moved)


def _transition(
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


def _with_history(uow: UnitOfWork, notice: Notice) -> Notice:
    return notice.model_copy(update={"history": store.transitions(uow.conn, notice.id)})


def _event_fields(notice: Notice, members: list[str]) -> dict[str, Any]:
    return {
        "notice_id": notice.id,
        "channel": notice.channel.value,
        "notice_type": notice.type,
        "owner": notice.envelope.owner,
        "title": notice.envelope.title,
        "members": members,
    }


def _actions(actor: Actor, notice: Notice) -> list[Action]:
    """What the actor may do next, by the same rules the operations check."""
    found = []
    owner = notice.envelope.owner == actor.member and allows(actor.role, "notices.request")
    if owner and notice.channel is Channel.NOTICE:
        if notice.state in _EDITABLE | IN_FORCE:
            found.append(Action.CHANGE)
        if notice.state in _EDITABLE:
            found.append(Action.REQUEST)
        if notice.state in _WITHDRAWABLE:
            found.append(Action.WITHDRAW)
        if notice.state in IN_FORCE:
            found.append(Action.CANCEL)
    elif owner and notice.state in IN_FORCE:
        found.append(Action.WITHDRAW)
    if _reviewer(actor) and notice.channel is Channel.NOTICE:
        if notice.state is State.REQUESTED:
            found.append(Action.TAKE_UP)
        if notice.state in AWAITING_REVIEW:
            found.append(Action.REVIEW)
    elif _reviewer(actor) and notice.state in IN_FORCE:
        found.append(Action.REVIEW_DIFFUSION)
    return found


def check_publishable(notice_in: NoticeIn) -> None:
    """Raise ``Conflict`` when a request could not be published as it stands (bulk loads of
    published notices check before they write)."""
    fields = _fields(notice_in.type, notice_in, person_id=notice_in.person_id)
    _refuse(compliance.failures(notice_in.type.value, notice_in.person_id, fields))


def _publishable(notice: Notice, fields: NoticeFields) -> None:
    _refuse(compliance.failures(notice.type, notice.person_id, fields))


def _refuse(failed: list[Check]) -> None:
    if failed:
        raise Conflict("Not publishable: " + " ".join(f"{c.id}: {c.message}" for c in failed))


def _reviewer(actor: Actor) -> bool:
    return actor.member == GS and actor.role is Role.REVIEWER


def _may_read(actor: Actor, notice: Notice) -> bool:
    if notice.envelope.deleted:
        return False
    if _reviewer(actor):  # the review duty: every request, never a draft
        return notice.state is not State.DRAFT
    if actor.role not in (Role.NCB, Role.FRONTLINE, Role.ANALYST):
        return False
    # Until publication the envelope names the owner alone, so drafts and requests stay home.
    return can_see(actor, notice.envelope)


def _readable(uow: UnitOfWork, actor: Actor, notice_id: str) -> Notice:
    actor.require("notices.read")
    notice = store.get(uow.conn, notice_id)
    if notice is None or not _may_read(actor, notice):
        raise NotFound(f"No notice {notice_id}.")
    return notice


def _owned(uow: UnitOfWork, actor: Actor, notice_id: str) -> Notice:
    notice = _readable(uow, actor, notice_id)
    actor.require("notices.request")
    if notice.envelope.owner != actor.member:
        raise Forbidden("Only the member that requested a notice may act on it.")
    return notice


def _for_review(uow: UnitOfWork, actor: Actor, notice_id: str) -> Notice:
    actor.require("notices.review")
    return _readable(uow, actor, notice_id)


def _require_state(notice: Notice, states: set[State] | frozenset[State], goal: str) -> None:
    if notice.state not in states:
        allowed = ", ".join(sorted(s.value for s in states))
        raise Conflict(
            f"A {notice.state.value} {notice.channel.value} cannot be {goal} "
            f"(only from: {allowed})."
        )


def _check_public(type_: str, public: bool) -> None:
    if public and type_ not in kinds.PUBLIC_TYPES:
        raise InvalidInput("Only red and yellow notices may have a public extract.")


def _fields(type_: str, given: NoticeFields, *, person_id: str | None) -> NoticeFields:
    """The notice's own fields out of the request, checked against its type."""
    fields = NoticeFields.model_validate(
        given.model_dump(include=set(NoticeFields.model_fields), exclude_unset=True)
    )
    problems = kinds.problems(type_, fields, person_id=person_id)
    if problems:
        raise InvalidInput("; ".join(problems) + ".")
    return fields


def _private(notice_in: NoticeIn, owner: str) -> EnvelopeIn:
    """The envelope before publication: the owner alone; the audience waits in the row."""
    return EnvelopeIn(
        audience=Audience.only(owner),
        handling=notice_in.handling,
        handling_text=notice_in.handling_text,
        review_by=notice_in.review_by,
        provenance=notice_in.provenance,
    )


def _subject(uow: UnitOfWork, actor: Actor, person_id: str | None) -> PersonSummary | None:
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


def _title(
    type_: str, subject: PersonSummary | None, fields: NoticeFields, *, diffusion: bool = False
) -> str:
    label = f"{type_.replace('_', ' ').title()} {'diffusion' if diffusion else 'notice'}"
    if subject is not None:
        return f"{label}: {subject.names[0]}"
    about = fields.modus_operandi or fields.threat or fields.circumstances or fields.summary
    about = about or fields.un_reference or ""
    return f"{label}: {about[:120]}" if about else label


def _similar(uow: UnitOfWork, notice: Notice) -> list[compliance.Similar]:
    person = notice.person
    if person is None:
        return []
    found = person_screening.alike(
        uow,
        names=person.names,
        birth_date=person.birth_date,
        sex=person.sex,
        nationalities=person.nationalities,
        min_score=settings.SCREEN_THRESHOLD,
    )
    return [
        compliance.Similar(id=a.id, owner=a.owner, name=a.name, score=a.score, notices=a.notices)
        for a in found
    ]


def _extract(notice: Notice) -> PublicExtract:
    person = notice.person
    assert notice.published_at is not None
    birth = person.birth_date if person else None
    return PublicExtract(
        id=notice.id,
        type=notice.type,
        requesting_member=notice.envelope.owner,
        names=person.names if person else [],
        birth_year=int(birth[:4]) if birth else None,
        sex=person.sex if person else None,
        nationalities=person.nationalities if person else [],
        charges=notice.fields.charges,
        circumstances=notice.fields.circumstances,
        minor=notice.fields.minor,
        published_at=notice.published_at,
    )
