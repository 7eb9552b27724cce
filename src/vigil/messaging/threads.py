"""Secure messages: threads between members or within a network, messages of structured
types with their handling code and grading, attachments by content hash, read receipts. A
message is never edited once sent: it is followed by a correction."""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from vigil.access.actors import Actor
from vigil.access.envelope import HANDLING_MEANING, Audience, AudienceKind, Envelope, EnvelopeIn
from vigil.access.envelope import Provenance as Grading
from vigil.access.rules import can_see
from vigil.core import clock
from vigil.core.pagination import Page, PageRequest, page_of
from vigil.errors import Forbidden, InvalidInput, NotFound
from vigil.messaging import fulltext, store
from vigil.messaging.events import MessageSent
from vigil.messaging.models import (
    MAX_ATTACHMENT_BYTES,
    Message,
    MessageIn,
    MessageType,
    Thread,
    ThreadIn,
)
from vigil.records import service as records
from vigil.records import store as records_store
from vigil.storage.uow import UnitOfWork

THREAD = "thread"
MESSAGE = "message"


def start(uow: UnitOfWork, *, actor: Actor, thread_in: ThreadIn) -> Thread:
    """A thread to members (``to``, the sender's member included) or to a network the
    sender's member belongs to, with its first message."""
    actor.require("messages.send")
    if thread_in.network_id is not None:
        if thread_in.network_id not in actor.networks:
            raise NotFound(f"No network {thread_in.network_id} of yours.")
        audience = Audience(kind=AudienceKind.NETWORKS, codes=(thread_in.network_id,))
    else:
        audience = Audience.only(*sorted(set(thread_in.to) | {actor.member}))
    return _open(uow, actor, thread_in.subject, audience, thread_in.network_id,
                 thread_in.about, thread_in.message)  # fmt: skip


def start_about(
    uow: UnitOfWork, *, actor: Actor, record: Envelope, subject: str, message_in: MessageIn
) -> Thread:
    """The thread discussing a record (a report), with the record's own audience; the record's
    thread when it has one already."""
    existing = store.thread_about(uow.conn, record.id)
    if existing is not None:
        send(uow, actor=actor, thread_id=existing, message_in=message_in)
        return read(uow, actor=actor, thread_id=existing)
    network = record.audience.codes[0] if record.audience.kind is AudienceKind.NETWORKS else None
    return _open(uow, actor, subject, record.audience, network, record.id, message_in)


def send(uow: UnitOfWork, *, actor: Actor, thread_id: str, message_in: MessageIn) -> Message:
    """A message in a thread the actor takes part in; its other members are alerted.

    Raises:
        NotFound: no such thread the actor may see. InvalidInput: a reply or correction that
            names no message of the thread, a correction of another member's message, an
            attachment too large or not base64, a hit the member is not part of.
    """
    actor.require("messages.send")
    thread = _visible_thread(uow, actor, thread_id)
    _check_references(uow, actor, thread_id, message_in)
    now = clock.now()
    envelope = records.envelope_of(
        actor=actor, kind=MESSAGE, title=f"{thread.subject}: {message_in.type.value}",
        envelope=EnvelopeIn(
            audience=thread.envelope.audience, handling=message_in.handling,
            handling_text=message_in.handling_text,
            provenance=Grading(source_reliability=message_in.source_reliability,
                               information_credibility=message_in.information_credibility),
        ),
        now=now,
    )  # fmt: skip
    records_store.insert(uow.conn, envelope)
    store.insert_message(
        uow.conn,
        {
            "id": envelope.id, "thread_id": thread_id, "type": message_in.type.value,
            "fields": message_in.fields(), "text": message_in.text,
            "language": message_in.language, "corrects": message_in.corrects, "sent_at": now,
        },
    )  # fmt: skip
    for attachment in message_in.attachments:
        data = _decoded(attachment.content_base64, attachment.name)
        digest = hashlib.sha256(data).hexdigest()
        store.store_blob(uow.conn, digest, data)
        store.attach(uow.conn, envelope.id, digest, attachment.name, attachment.media_type)
    fulltext.index_text(uow.conn, envelope.id, MESSAGE, f"{thread.subject}\n{message_in.text}")
    store.touch_thread(uow.conn, thread_id, now)
    uow.audit(actor, "messages.send", records=[thread_id, envelope.id])
    others = sorted(records.audience_members(uow, thread.envelope) | {thread.envelope.owner})
    uow.emit(MessageSent(message_id=envelope.id, thread_id=thread_id,
                         members=[m for m in others if m != actor.member],
                         title=f"{actor.member}: {thread.subject}"))  # fmt: skip
    return _messages(uow, [store.get_message_row(uow.conn, envelope.id)])[0]


def read(uow: UnitOfWork, *, actor: Actor, thread_id: str) -> Thread:
    """A thread with its messages; reading marks them read by the actor (read receipts)."""
    actor.require("messages.read")
    thread = _visible_thread(uow, actor, thread_id)
    rows = store.message_rows(uow.conn, thread_id)
    now = clock.now()
    store.mark_read(uow.conn, [{"message_id": r.id, "user_id": actor.user_id,
                                "member": actor.member, "read_at": now} for r in rows])  # fmt: skip
    uow.audit(actor, "messages.read", records=[thread_id, *(r.id for r in rows)])
    return thread.model_copy(update={"messages": _messages(uow, rows)})


def list_threads(uow: UnitOfWork, *, actor: Actor, page: PageRequest) -> Page[Thread]:
    """Threads the actor takes part in, newest first."""
    actor.require("messages.read")
    rows = store.list_threads(uow.conn, records_store.visible_clause(actor), after=page.after,
                              limit=page.limit + 1)  # fmt: skip
    envelopes = records_store.get_many(uow.conn, [r.id for r in rows])
    threads = [_thread(r, envelopes[r.id]) for r in rows if can_see(actor, envelopes[r.id])]
    result = page_of(threads, page, key=lambda t: t.id)
    uow.audit(actor, "messages.list", results=[t.id for t in result.items])
    return result


def search(uow: UnitOfWork, *, actor: Actor, q: str, page: PageRequest) -> Page[Message]:
    """Messages the actor may see that hold every word of ``q``: best first, or newest first
    for a broad search (``fulltext.search``); each names its thread. Finding a message is
    audited as a search, and does not mark it read.

    Raises:
        InvalidInput: no word to search for.
    """
    actor.require("messages.read")
    if not q.strip():
        raise InvalidInput("q: give the words to search for.")
    visible = records_store.visible_clause(actor)
    ids = fulltext.search(uow.conn, q, visible, kinds=[MESSAGE], limit=page.limit)
    envelopes = records_store.get_many(uow.conn, ids)
    rows = store.message_rows_by_id(uow.conn, ids)
    seen = [rows[i] for i in ids if i in rows and can_see(actor, envelopes[i])]
    found = _messages(uow, seen, envelopes)
    subjects = store.thread_subjects(uow.conn, sorted({m.thread_id for m in found}))
    found = [m.model_copy(update={"thread_subject": subjects.get(m.thread_id)}) for m in found]
    uow.audit(actor, "messages.search", query={"q": q}, results=[m.id for m in found])
    return Page(items=found, next_cursor=None)


def attachment(
    uow: UnitOfWork, *, actor: Actor, message_id: str, sha256: str
) -> tuple[str, str, bytes]:
    """An attachment of a message the actor may see: (name, media type, content)."""
    actor.require("messages.read")
    envelope = records_store.get(uow.conn, message_id)
    if envelope is None or not can_see(actor, envelope):
        raise NotFound(f"No message {message_id}.")
    found = store.attachment(uow.conn, message_id, sha256)
    if found is None:
        raise NotFound(f"No attachment {sha256} on message {message_id}.")
    uow.audit(actor, "messages.attachment", records=[message_id], query={"sha256": sha256})
    return found


def _open(
    uow: UnitOfWork,
    actor: Actor,
    subject: str,
    audience: Audience,
    network_id: str | None,
    about: str | None,
    first: MessageIn,
) -> Thread:
    if about is not None:
        record = records_store.get(uow.conn, about)
        if record is None or not can_see(actor, record):
            raise NotFound(f"No record {about}.")
    records.check_audience(uow, audience)
    now = clock.now()
    envelope = records.envelope_of(actor=actor, kind=THREAD, title=subject,
                                   envelope=EnvelopeIn(audience=audience), now=now)  # fmt: skip
    records_store.insert(uow.conn, envelope)
    row = {"id": envelope.id, "subject": subject, "network_id": network_id, "about": about,
           "last_at": now}  # fmt: skip
    store.insert_thread(uow.conn, row)
    uow.audit(actor, "messages.start", records=[envelope.id])
    send(uow, actor=actor, thread_id=envelope.id, message_in=first)
    return read(uow, actor=actor, thread_id=envelope.id)


def _visible_thread(uow: UnitOfWork, actor: Actor, thread_id: str) -> Thread:
    row = store.get_thread_row(uow.conn, thread_id)
    envelope = records_store.get(uow.conn, thread_id) if row is not None else None
    if row is None or envelope is None or not can_see(actor, envelope):
        raise NotFound(f"No thread {thread_id}.")
    return _thread(row, envelope)


def _thread(row: Any, envelope: Envelope) -> Thread:
    return Thread(
        id=row.id, subject=row.subject, network_id=row.network_id,
        about=row.about, last_at=row.last_at, envelope=envelope,
    )  # fmt: skip


def _check_references(uow: UnitOfWork, actor: Actor, thread_id: str, m: MessageIn) -> None:
    for name in ("in_reply_to", "corrects"):
        target = getattr(m, name)
        if target is None:
            continue
        row = store.get_message_row(uow.conn, target)
        if row is None or row.thread_id != thread_id:
            raise InvalidInput(f"{name}: no message {target} in this thread.")
        if name == "corrects":
            original = records_store.get(uow.conn, target)
            if original is None or original.owner != actor.member:
                raise Forbidden("A member corrects its own messages only.")
    if m.type is MessageType.HIT_FOLLOW_UP and m.hit_id is not None:
        from vigil.screening import followup  # a hit the member is part of, or "not found"

        followup.get(uow, actor=actor, hit_id=m.hit_id)


def _decoded(content: str, name: str) -> bytes:
    try:
        data = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(f"attachment {name}: not base64.") from None
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput(f"attachment {name}: larger than {MAX_ATTACHMENT_BYTES // 1048576} MB.")
    if not data:
        raise InvalidInput(f"attachment {name}: empty.")
    return data


def _messages(
    uow: UnitOfWork, rows: list[Any], envelopes: dict[str, Envelope] | None = None
) -> list[Message]:
    ids = [r.id for r in rows]
    if envelopes is None:
        envelopes = records_store.get_many(uow.conn, ids)
    attachments = store.attachments_of(uow.conn, ids)
    receipts = store.receipts_of(uow.conn, ids)
    corrected: dict[str, list[str]] = {}
    for r in rows:
        if r.corrects:
            corrected.setdefault(r.corrects, []).append(r.id)
    found = []
    for r in rows:
        e = envelopes[r.id]
        grade = "".join(x for x in (e.provenance.source_reliability,
                                    e.provenance.information_credibility) if x) or None  # fmt: skip
        found.append(
            Message(
                id=r.id, thread_id=r.thread_id, type=MessageType(r.type),
                fields=dict(r.fields), text=r.text, language=r.language,
                sender=e.created_by, member=e.owner, sent_at=r.sent_at,
                handling=e.handling, handling_text=e.handling_text,
                handling_meaning=HANDLING_MEANING[e.handling], grading=grade,
                corrects=r.corrects, corrected_by=corrected.get(r.id, []),
                attachments=attachments.get(r.id, []), read_by=receipts.get(r.id, []),
            )
        )  # fmt: skip
    return found
