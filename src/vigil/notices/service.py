"""Notices and diffusions, the owner's side and reading: draft, change, request, withdraw,
cancel, send a diffusion, expire; get and list. The reviewers' side is ``review``, the public
extracts ``public``, and the rules they all share ``lifecycle``.

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
from vigil.access.roles import allows
from vigil.core import clock
from vigil.core.countries import GS, is_member
from vigil.core.pagination import Page, PageRequest, page_of
from vigil.errors import Conflict, InvalidInput
from vigil.notices import kinds, store
from vigil.notices import review as reviewing
from vigil.notices.events import NoticePublished
from vigil.notices.lifecycle import (
    EDITABLE,
    KIND,
    WITHDRAWABLE,
    check_public,
    checked_fields,
    end,
    event_fields,
    into_force,
    is_reviewer,
    may_read,
    move,
    owned,
    private_envelope,
    publishable,
    readable,
    require_state,
    subject_of,
    title_of,
    transition,
    with_history,
)
from vigil.notices.models import (
    AWAITING_REVIEW,
    IN_FORCE,
    Action,
    Channel,
    DiffusionIn,
    Dossier,
    Notice,
    NoticeIn,
    State,
)
from vigil.records import service as records
from vigil.records import store as records_store
from vigil.storage.uow import UnitOfWork


def create(uow: UnitOfWork, *, actor: Actor, notice_in: NoticeIn, ref: str | None = None) -> Notice:
    """Draft a notice (state ``draft``): nobody but the owner sees it until it is published.

    Raises:
        Forbidden: the actor may not request notices.
        NotFound: no person record ``person_id`` the actor may see.
        InvalidInput: the type's fields are missing or foreign to it; the person is another
            member's; a public extract for a type that has none.
    """
    actor.require("notices.request")
    check_public(notice_in.type, notice_in.public_extract)
    records.check_audience(uow, notice_in.audience)
    subject = subject_of(uow, actor, notice_in.person_id)
    fields = checked_fields(notice_in.type, notice_in, person_id=notice_in.person_id)
    now = clock.now()
    envelope = records.envelope_of(
        actor=actor,
        kind=KIND,
        title=title_of(notice_in.type, subject, fields),
        envelope=private_envelope(notice_in, actor.member),
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
    transition(uow, actor, notice, None, State.DRAFT, None, "notices.create")
    return with_history(uow, notice)


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
    notice = owned(uow, owner, notice_id)
    publishable(notice, notice.fields)
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
    moved = move(
        uow, operator, moved, State.PUBLISHED if in_force else State.EXPIRED, reasons,
        "notices.migrate", True,
    )  # fmt: skip
    if in_force:
        into_force(uow, moved)
    return moved


def change(uow: UnitOfWork, *, actor: Actor, notice_id: str, notice_in: NoticeIn) -> Notice:
    """Replace what a notice says (owner only).

    A draft or a returned request is rewritten in place. A published notice keeps its
    published text in force and in screening: the changes wait for review (state
    ``modified``). The type and the person stay what they were.

    Raises:
        Conflict: the notice is in a state that cannot change, or the type or person differ.
    """
    notice = owned(uow, actor, notice_id)
    if notice.channel is not Channel.NOTICE:
        raise Conflict("A diffusion is not changed: withdraw it and send another.")
    if notice_in.type.value != notice.type or notice_in.person_id != notice.person_id:
        raise Conflict("A notice keeps its type and person; request a new notice instead.")
    check_public(notice_in.type, notice_in.public_extract)
    fields = checked_fields(notice_in.type, notice_in, person_id=notice.person_id)
    if notice.state in EDITABLE:
        records.check_audience(uow, notice_in.audience)
        subject = subject_of(uow, actor, notice.person_id)
        envelope = notice.envelope.model_copy(
            update={
                "title": title_of(notice_in.type, subject, fields),
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
        return with_history(uow, changed)
    if notice.state in IN_FORCE:
        if notice_in.audience != notice.requested_audience:
            raise Conflict(
                "A published notice's audience is not changed by modification: cancel it "
                "and request a new one."
            )
        changed = notice.model_copy(update={"pending": fields, "state": State.MODIFIED})
        store.update(uow.conn, changed)
        transition(uow, actor, notice, notice.state, State.MODIFIED, None, "notices.modify")
        return with_history(uow, changed)
    raise Conflict(f"A {notice.state.value} notice cannot be changed.")


def request(uow: UnitOfWork, *, actor: Actor, notice_id: str) -> Notice:
    """Send a draft (or a returned request) to the General Secretariat for review."""
    notice = owned(uow, actor, notice_id)
    require_state(notice, {State.DRAFT, State.RETURNED}, "requested")
    problems = kinds.problems(notice.type, notice.fields, person_id=notice.person_id)
    if problems:
        raise InvalidInput("The notice is not complete: " + "; ".join(problems) + ".")
    return move(uow, actor, notice, State.REQUESTED, None, "notices.request")


def withdraw(uow: UnitOfWork, *, actor: Actor, notice_id: str, reasons: str) -> Notice:
    """Withdraw a request before publication, or a diffusion already sent (owner only)."""
    notice = owned(uow, actor, notice_id)
    if notice.channel is Channel.DIFFUSION:
        require_state(notice, IN_FORCE, "withdrawn")
        return end(uow, actor, notice, State.WITHDRAWN, reasons, "notices.withdraw")
    require_state(notice, WITHDRAWABLE, "withdrawn")
    return move(uow, actor, notice, State.WITHDRAWN, reasons, "notices.withdraw")


def cancel(uow: UnitOfWork, *, actor: Actor, notice_id: str, reasons: str) -> Notice:
    """Cancel a published notice (owner only): it leaves screening at once, and every member
    that was told is alerted."""
    notice = owned(uow, actor, notice_id)
    if notice.channel is Channel.DIFFUSION:
        raise Conflict("A diffusion is withdrawn, not cancelled.")
    require_state(notice, IN_FORCE, "cancelled")
    return end(uow, actor, notice, State.CANCELLED, reasons, "notices.cancel")


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
    subject = subject_of(uow, actor, diffusion_in.person_id)
    fields = checked_fields(diffusion_in.type, diffusion_in, person_id=diffusion_in.person_id)
    problems = kinds.problems(diffusion_in.type, fields, person_id=diffusion_in.person_id)
    if problems:
        raise InvalidInput("; ".join(problems) + ".")
    audience = Audience.only(*to)
    now = clock.now()
    envelope = records.envelope_of(
        actor=actor,
        kind=KIND,
        title=title_of(diffusion_in.type, subject, fields, diffusion=True),
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
    transition(uow, actor, notice, None, State.PUBLISHED, None, "notices.diffuse")
    into_force(uow, notice)
    uow.emit(NoticePublished(**event_fields(notice, to)))
    return with_history(uow, notice)


def expire_due(uow: UnitOfWork, *, actor: Actor, today: date | None = None) -> list[str]:
    """Notices in force past their review date expire: out of screening, members told.
    Run daily (``vigil notices expire``); returns the ids expired."""
    actor.require("notices.expire")
    expired = []
    for notice_id in store.due_for_expiry(uow.conn, today or clock.today(), list(IN_FORCE)):
        notice = store.get(uow.conn, notice_id)
        assert notice is not None
        end(uow, actor, notice, State.EXPIRED, "Review date passed.", "notices.expire")
        expired.append(notice_id)
    return expired


def get(uow: UnitOfWork, *, actor: Actor, notice_id: str) -> Notice:
    """A notice the actor may read: its owner's, one published to its member, or one a
    reviewer handles. Anything else is "not found"."""
    notice = readable(uow, actor, notice_id)
    uow.audit(actor, "notices.read", records=[notice.id])
    return with_history(uow, notice)


def dossier(uow: UnitOfWork, *, actor: Actor, notice_id: str) -> Dossier:
    """A notice the actor may read, with what the actor may do next, and for a reviewer the
    checklist of its review (audited as a read, and as a checklist).

    Raises:
        NotFound: as ``get``.
    """
    notice = get(uow, actor=actor, notice_id=notice_id)
    checks = (
        reviewing.checklist(uow, actor=actor, notice_id=notice_id) if is_reviewer(actor) else None
    )
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
    if is_reviewer(actor):
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
    rows = [n for n in rows if may_read(actor, n)]
    result = page_of(rows, page, key=lambda n: n.id)
    query: dict[str, Any] = {
        "state": state, "type": type_, "channel": channel, "owner": owner,
        "person_id": person_id, "after": page.after,
    }  # fmt: skip
    uow.audit(actor, "notices.list", query=query, results=[n.id for n in result.items])
    return result


def _actions(actor: Actor, notice: Notice) -> list[Action]:
    """What the actor may do next, by the same rules the operations check."""
    found = []
    owner = notice.envelope.owner == actor.member and allows(actor.role, "notices.request")
    if owner and notice.channel is Channel.NOTICE:
        if notice.state in EDITABLE | IN_FORCE:
            found.append(Action.CHANGE)
        if notice.state in EDITABLE:
            found.append(Action.REQUEST)
        if notice.state in WITHDRAWABLE:
            found.append(Action.WITHDRAW)
        if notice.state in IN_FORCE:
            found.append(Action.CANCEL)
    elif owner and notice.state in IN_FORCE:
        found.append(Action.WITHDRAW)
    if is_reviewer(actor) and notice.channel is Channel.NOTICE:
        if notice.state is State.REQUESTED:
            found.append(Action.TAKE_UP)
        if notice.state in AWAITING_REVIEW:
            found.append(Action.REVIEW)
    elif is_reviewer(actor) and notice.state in IN_FORCE:
        found.append(Action.REVIEW_DIFFUSION)
    return found
