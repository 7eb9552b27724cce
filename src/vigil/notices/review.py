"""The General Secretariat's side: the review queue, taking a request up, the checklist, the
decision (publish, reject, return) and the after-the-fact review of diffusions. Nothing is
published without a reviewer's decision."""

from __future__ import annotations

from vigil import settings
from vigil.access.actors import Actor
from vigil.access.envelope import checked_review_by
from vigil.core import clock
from vigil.core.pagination import Page, PageRequest, page_of
from vigil.errors import Conflict
from vigil.notices import compliance, store
from vigil.notices.events import NoticeModified, NoticePublished
from vigil.notices.lifecycle import (
    end,
    event_fields,
    for_review,
    into_force,
    may_read,
    move,
    require_state,
    title_of,
    transition,
    with_history,
)
from vigil.notices.models import (
    AWAITING_REVIEW,
    IN_FORCE,
    Channel,
    Checklist,
    Decision,
    DiffusionDecision,
    Notice,
    State,
)
from vigil.persons import screening as person_screening
from vigil.records import service as records
from vigil.storage.uow import UnitOfWork


def take_up(uow: UnitOfWork, *, actor: Actor, notice_id: str) -> Notice:
    """A reviewer takes a request up (state ``under_review``), so others see it is in hand."""
    notice = for_review(uow, actor, notice_id)
    require_state(notice, {State.REQUESTED}, "under review")
    taken = notice.model_copy(update={"reviewer": actor.ref})
    return move(uow, actor, taken, State.UNDER_REVIEW, None, "notices.take_up")


def checklist(uow: UnitOfWork, *, actor: Actor, notice_id: str) -> Checklist:
    """The computed checks of a request, or of a published notice's pending changes."""
    notice = for_review(uow, actor, notice_id)
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
    notice = for_review(uow, actor, notice_id)
    if notice.channel is Channel.DIFFUSION:
        raise Conflict("A diffusion is reviewed after delivery: decide compliant or withdraw.")
    require_state(notice, AWAITING_REVIEW, "reviewed")
    if decision is Decision.PUBLISH:
        fields = notice.pending or notice.fields
        failed = [c for c in compliance.checks(notice, fields, []) if c.status == "fail"]
        if failed:
            raise Conflict("Not publishable: " + " ".join(f"{c.id}: {c.message}" for c in failed))
    if notice.state is State.MODIFIED:
        return _decide_changes(uow, actor, notice, decision, reasons)
    if decision is Decision.REJECT:
        return move(uow, actor, notice, State.REJECTED, reasons, "notices.reject")
    if decision is Decision.RETURN:
        return move(uow, actor, notice, State.RETURNED, reasons, "notices.return")
    return _publish(uow, actor, notice, reasons)


def review_diffusion(
    uow: UnitOfWork, *, actor: Actor, notice_id: str, decision: DiffusionDecision, reasons: str
) -> Notice:
    """The after-the-fact review of a diffusion: it stands, or it is withdrawn (and leaves
    screening, and its recipients are told)."""
    notice = for_review(uow, actor, notice_id)
    if notice.channel is not Channel.DIFFUSION:
        raise Conflict("A notice is reviewed before publication: publish, reject or return.")
    require_state(notice, IN_FORCE, "reviewed")
    if decision is DiffusionDecision.WITHDRAW:
        return end(uow, actor, notice, State.WITHDRAWN, reasons, "notices.review_withdraw")
    reviewed = notice.model_copy(update={"reviewer": actor.ref})
    store.update(uow.conn, reviewed)
    transition(uow, actor, reviewed, notice.state, notice.state, reasons, "notices.compliant")
    return with_history(uow, reviewed)


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
    result = page_of([n for n in rows if may_read(actor, n)], page, key=lambda n: n.id)
    query = {"type": type_, "channel": channel, "after": page.after}
    uow.audit(actor, "notices.review_queue", query=query, results=[n.id for n in result.items])
    return result


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
    published = move(uow, actor, published, State.PUBLISHED, reasons, "notices.publish", True)
    into_force(uow, published)
    told = sorted(records.audience_members(uow, published.envelope))
    uow.emit(NoticePublished(**event_fields(published, told)))
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
                        "title": title_of(notice.type, subject, notice.pending),
                        "updated_at": clock.now(),
                    }
                ),
            }
        )
        changed = move(uow, actor, changed, State.PUBLISHED, reasons, "notices.publish", True)
        told = sorted(records.audience_members(uow, changed.envelope))
        uow.emit(NoticeModified(**event_fields(changed, told)))
        return changed
    kept = notice.model_copy(update={"pending": None})
    action = "notices.reject" if decision is Decision.REJECT else "notices.return"
    return move(uow, actor, kept, State.PUBLISHED, reasons, action)


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
