"""A hit's follow-up between the member that made the check and the member that owns the
record: the owner confirms or denies the identity before the deadline (or the hit escalates),
the checking member records what it did. Everything said stays on the hit, as structured
messages that are never edited; a false hit stays visible to analysts."""

from __future__ import annotations

import logging
import threading
import time

from vigil.access.actors import Actor, operator
from vigil.core import clock
from vigil.core.pagination import Page, PageRequest, page_of
from vigil.errors import Conflict, Forbidden, InvalidInput, NotFound
from vigil.screening import store
from vigil.screening.events import HitFollowedUp
from vigil.screening.models import (
    ActionTaken,
    Deadlines,
    DeadlinesIn,
    HitRecord,
    HitStatus,
    Identity,
)
from vigil.screening.service import deadline_minutes
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork

_log = logging.getLogger(__name__)


def get(uow: UnitOfWork, *, actor: Actor, hit_id: str) -> HitRecord:
    """A hit of the actor's member (as owner or as checking member), with its messages."""
    found = _involved(uow, actor, hit_id)
    uow.audit(actor, "hits.read", records=[found.record_id], results=[found.id])
    return found


def list_hits(
    uow: UnitOfWork,
    *,
    actor: Actor,
    page: PageRequest,
    role: str | None = None,
    status: HitStatus | None = None,
) -> Page[HitRecord]:
    """The member's hits, newest first: ``role`` ``owner`` (on its records) or ``checking``
    (its checks); ``status`` ``false_hit`` lists what analysts review."""
    actor.require("hits.read")
    if role not in (None, "owner", "checking"):
        raise InvalidInput("role: owner or checking.")
    before = None
    if page.after is not None:
        try:
            before = int(page.after)
        except ValueError:
            raise InvalidInput("The cursor is not one this service gave out.") from None
    rows = store.for_member(
        uow.conn, actor.member, now=clock.now(), role=role, status=status, before_seq=before,
        limit=page.limit + 1,
    )  # fmt: skip
    seqs = {hit.id: seq for seq, hit in rows}
    result = page_of([hit for _, hit in rows], page, key=lambda h: str(seqs[h.id]))
    uow.audit(actor, "hits.list", query={"role": role, "status": status},
              results=[h.id for h in result.items])  # fmt: skip
    return result


def answer_identity(
    uow: UnitOfWork, *, actor: Actor, hit_id: str, identity: Identity, note: str | None = None
) -> HitRecord:
    """The owner confirms the traveller is the person (or the document its own), or denies
    it: a denied hit is a false hit, kept for the analysts.

    Raises:
        Forbidden: not the owner's member. Conflict: already answered.
    """
    hit = _involved(uow, actor, hit_id)
    actor.require("hits.follow")
    if actor.member != hit.owner:
        raise Forbidden("Only the member that owns the record confirms or denies the identity.")
    if hit.status is not HitStatus.OPEN:
        raise Conflict(f"The identity was answered already ({hit.status.value}).")
    status = HitStatus.CONFIRMED if identity is Identity.CONFIRMED else HitStatus.FALSE_HIT
    store.update(uow.conn, hit_id, status=status.value)
    late = " (after the deadline)" if hit.overdue else ""
    _say(uow, actor, hit, "identity", identity.value, note, [hit.checking_member],
         f"{hit.owner} {identity.value} the identity of hit {hit_id}{late}")  # fmt: skip
    return _fresh(uow, hit_id)


def record_action(
    uow: UnitOfWork, *, actor: Actor, hit_id: str, action: ActionTaken, reason: str | None = None
) -> HitRecord:
    """The checking member records what it did; the hit is then closed. An arrest waits for
    the owner's confirmation of the identity (a hit alone is not grounds for arrest).

    Raises:
        Forbidden: not the checking member. Conflict: closed already, or an arrest before
            confirmation.
    """
    hit = _involved(uow, actor, hit_id)
    actor.require("hits.follow")
    if actor.member != hit.checking_member:
        raise Forbidden("Only the member that made the check records the action taken.")
    if hit.status is HitStatus.CLOSED:
        raise Conflict(f"The hit is closed already ({hit.action}).")
    if action is ActionTaken.ARRESTED and hit.status is not HitStatus.CONFIRMED:
        raise Conflict("An arrest is recorded once the owner has confirmed the identity.")
    if action is ActionTaken.NO_ACTION and not (reason or "").strip():
        raise InvalidInput("no_action needs a reason.")
    store.update(uow.conn, hit_id, status=HitStatus.CLOSED.value, action=action.value,
                 closed_at=clock.now())  # fmt: skip
    done = action.value.replace("_", " ")
    _say(uow, actor, hit, "action", action.value, reason, [hit.owner],
         f"{hit.checking_member} recorded {done} on hit {hit_id}")  # fmt: skip
    return _fresh(uow, hit_id)


def add_note(uow: UnitOfWork, *, actor: Actor, hit_id: str, text: str) -> HitRecord:
    """A message on the hit to the other member (kept with it; never edited)."""
    hit = _involved(uow, actor, hit_id)
    actor.require("hits.follow")
    other = hit.owner if actor.member == hit.checking_member else hit.checking_member
    _say(uow, actor, hit, "note", None, text, [other],
         f"{actor.member} wrote on hit {hit_id}")  # fmt: skip
    return _fresh(uow, hit_id)


def escalate_due(uow: UnitOfWork, *, actor: Actor, limit: int = 500) -> list[str]:
    """Open hits past their deadline escalate, the ``limit`` longest overdue: both members
    are alerted again, once. ``sweep`` runs it until none is left."""
    actor.require("hits.escalate")
    now = clock.now()
    escalated = []
    for hit in store.overdue(uow.conn, now, limit):
        store.update(uow.conn, hit.id, escalated_at=now)
        minutes = round((now - hit.deadline_at).total_seconds() / 60) if hit.deadline_at else 0
        _say(uow, actor, hit, "escalation", hit.urgency.value, None,
             [hit.owner, hit.checking_member],
             f"Hit {hit.id} ({hit.urgency.value}) unanswered {minutes} min past its deadline: "
             f"{hit.owner} must confirm or deny the identity")  # fmt: skip
        escalated.append(hit.id)
    return escalated


def deadlines(uow: UnitOfWork, *, actor: Actor) -> Deadlines:
    """The minutes the actor's member has to answer a hit on its records, by urgency."""
    actor.require("hits.read")
    found = deadline_minutes(uow, actor.member)
    return Deadlines(member=actor.member, urgent=found["urgent"], routine=found["routine"])


def set_deadlines(uow: UnitOfWork, *, actor: Actor, change: DeadlinesIn) -> Deadlines:
    """A member sets its own deadlines (for hits on its records)."""
    actor.require("screening.manage")
    for urgency, minutes in change.model_dump(exclude_none=True).items():
        store.set_deadline(uow.conn, actor.member, urgency, int(minutes))
    uow.audit(actor, "hits.deadlines", query=change.model_dump(exclude_none=True))
    return deadlines(uow, actor=actor)


# Hits escalated in one transaction, and the pause between two. Each escalation holds the
# store's single writer (its message, and alerts to both members), and every border check
# waits behind it for its audit entry: 474 overdue hits escalated at once stalled the checks
# for 200 to 300 ms. Ten at a time, 20 ms apart, the checks come between: p99 10 ms, and the
# backlog takes 2.3 s (``benchmarks/escalation.py``, BENCHMARKS.md, issue 8). Without the
# pause the sweep took the writer and the interpreter back at once, and helped little.
ESCALATION_BATCH = 10
_BETWEEN_BATCHES_SECONDS = 0.02


def sweep(db: Database, stop: threading.Event | None = None) -> list[str]:
    """Escalate every overdue hit, ``ESCALATION_BATCH`` a transaction, until none is left (or
    ``stop`` is set). Run by the server every ``HIT_ESCALATION_SECONDS``, and by
    ``vigil hits escalate``."""
    escalated: list[str] = []
    while stop is None or not stop.is_set():
        with UnitOfWork(db, write=True) as uow:
            done = escalate_due(uow, actor=operator("escalation"), limit=ESCALATION_BATCH)
        escalated += done
        if len(done) < ESCALATION_BATCH:
            break
        time.sleep(_BETWEEN_BATCHES_SECONDS)  # the checks' group commits take the writer
    return escalated


def start_escalation(db: Database, every_seconds: float) -> threading.Event:
    """Sweep for overdue hits in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()

    def run() -> None:
        while not stop.wait(every_seconds):
            try:
                sweep(db, stop)
            except Exception:  # the loop must outlive a database outage; it retries
                _log.exception("hit escalation sweep failed; retrying")

    threading.Thread(target=run, name="vigil-hit-escalation", daemon=True).start()
    return stop


def _involved(uow: UnitOfWork, actor: Actor, hit_id: str) -> HitRecord:
    actor.require("hits.read")
    hit = store.get(uow.conn, hit_id, now=clock.now())
    if hit is None or actor.member not in (hit.owner, hit.checking_member):
        raise NotFound(f"No hit {hit_id}.")
    return hit


def _fresh(uow: UnitOfWork, hit_id: str) -> HitRecord:
    found = store.get(uow.conn, hit_id, now=clock.now())
    assert found is not None
    return found


def _say(
    uow: UnitOfWork,
    actor: Actor,
    hit: HitRecord,
    what: str,
    value: str | None,
    text: str | None,
    to: list[str],
    title: str,
) -> None:
    store.add_message(uow.conn, hit_id=hit.id, member=actor.member, actor=actor.ref, kind=what,
                      value=value, text=text, at=clock.now())  # fmt: skip
    uow.audit(actor, f"hits.{what}", records=[hit.record_id], results=[hit.id],
              query={"value": value})  # fmt: skip
    uow.emit(HitFollowedUp(hit_id=hit.id, what=what, value=value, members=to, title=title))
