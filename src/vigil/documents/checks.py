"""Checking travel documents against the reports: one at the border, or a passenger manifest.

A check only reads, so it runs in a reading unit of work and never queues behind writers; a
hit leaves an event that the group writer commits with the audit entry, and the hit record and
the alerts of both members follow from it (``documents.handlers``).
"""

from __future__ import annotations

import asyncio
import functools
from collections import defaultdict
from dataclasses import dataclass, field

from vigil import settings
from vigil.access.actors import Actor
from vigil.access.roles import Role
from vigil.access.rules import can_match
from vigil.core import clock
from vigil.core.ids import new_id
from vigil.documents import store
from vigil.documents.events import DocumentHit
from vigil.documents.keys import checked_number, member_state, number_key, ocr_key
from vigil.documents.models import (
    ACTION_TEXT,
    BatchCheck,
    DocumentCheck,
    DocumentMatch,
    DocumentQuery,
    DocumentReport,
    NoticeMatch,
    PartnerCheck,
    Result,
    action_for,
)
from vigil.documents.mrz import parse_mrz
from vigil.errors import InvalidInput
from vigil.notices.models import NoticeRef
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class _Asked:
    """A query made ready for the index: the number key, its OCR key, the member state."""

    number: str
    state: str | None  # None: an MRZ issuer that is no member (UNO, XXA...) has no reports
    mrz_valid: bool | None
    # Worked out once: a manifest reads it six times a document, and folding the number for
    # each read cost a fifth of a 10,000-document manifest.
    index_key: tuple[str, str] | None = field(init=False)

    def __post_init__(self) -> None:
        key = None if self.state is None else (ocr_key(self.number), self.state)
        object.__setattr__(self, "index_key", key)


def check(
    uow: UnitOfWork, *, actor: Actor, query: DocumentQuery, check_id: str | None = None
) -> DocumentCheck | PartnerCheck:
    """Check one document against every live report the actor's member may see.

    Args:
        query: a number and issuing state, or an MRZ (its number and issuing state are read).
        check_id: the traveller check this is part of (its hits point back at it).

    Returns:
        ``hit`` on an exact match, ``possible`` on a match only after OCR confusions are folded,
        else ``none``; each match names its owner and the action to take. A partner learns the
        result alone.

    Raises:
        Forbidden: the actor's role may not check documents.
        InvalidInput: an unknown issuing state, an unreadable MRZ.
    """
    actor.require("documents.check")
    asked = _ready(query)
    key = asked.index_key
    found = store.lookup(uow.conn, [key]) if key is not None else []
    named = store.named_in_notices(uow.conn, [key]) if key is not None else []
    answer = _answer(uow, actor, asked, found, named, check_id)
    uow.audit(
        actor,
        "documents.check",
        query={"number": asked.number, "issuing_state": asked.state},
        results=_result_ids(answer),
    )
    return _for(actor, answer)


def check_in_thread(
    db: Database, *, actor: Actor, query: DocumentQuery
) -> DocumentCheck | PartnerCheck:
    """``check`` for a caller in its own thread (a worker thread, the in-process service, a
    command), answered once its audit entry is durable.

    Through the group writer when the database has one (a server's): in the batch's
    transaction, on the writer's connection, whose page cache other connections' commits do
    not empty (``GroupWriter.call``). Else (a command's database) in a reading unit of work.
    Not from inside a unit of work, nor from the writer's own thread (a handler): it would
    wait for the writer that caller holds.
    """
    writer = db.group_writer
    if writer is not None:
        answer: DocumentCheck | PartnerCheck = writer.call(
            functools.partial(check, actor=actor, query=query)
        )
        return answer
    with UnitOfWork(db, write=False) as uow:
        return check(uow, actor=actor, query=query)


async def check_from_loop(
    db: Database, *, actor: Actor, query: DocumentQuery
) -> DocumentCheck | PartnerCheck:
    """``check`` for a caller in the event loop, which must not block, answered once its
    audit entry is durable.

    Through the group writer when the database has one (a server's): its thread runs the check
    in its next batch, on its own connection, whose page cache other connections' commits do
    not empty (``GroupWriter.run``), and the loop only awaits the answer. Else (a command's
    database) in a reading unit of work whose audit entry is awaited.
    """
    writer = db.group_writer
    if writer is not None:
        run = writer.run(functools.partial(check, actor=actor, query=query))
        answer: DocumentCheck | PartnerCheck = await asyncio.wrap_future(run)
        return answer
    with UnitOfWork(db, write=False, durable_later=True) as uow:
        answer = check(uow, actor=actor, query=query)
    await uow.durable()
    return answer


def check_batch(
    uow: UnitOfWork, *, actor: Actor, queries: list[DocumentQuery], check_id: str | None = None
) -> BatchCheck:
    """Check a passenger manifest (up to ``settings.CHECK_BATCH_MAX`` documents) in one pass.

    Answers come in the order asked. Every document is validated before any is checked, so a
    bad line fails the batch with its position named rather than leaving a partial answer.

    Raises:
        Forbidden: as ``check``.
        InvalidInput: too many documents, or the lines that cannot be read (by index).
    """
    actor.require("documents.check")
    if len(queries) > settings.CHECK_BATCH_MAX:
        raise InvalidInput(
            f"A batch holds at most {settings.CHECK_BATCH_MAX} documents; got {len(queries)}."
        )
    asked = _ready_all(queries)
    found: dict[tuple[str, str], list[DocumentReport]] = defaultdict(list)
    keys = [a.index_key for a in asked if a.index_key is not None]
    for report in store.lookup(uow.conn, keys):
        found[(ocr_key(report.number), report.issuing_state)].append(report)
    named: dict[tuple[str, str], list[store.NamedDocument]] = defaultdict(list)
    for document in store.named_in_notices(uow.conn, keys):
        named[(ocr_key(document.number), document.issuing_state)].append(document)
    answers = [
        _answer(
            uow,
            actor,
            a,
            found.get(a.index_key, []) if a.index_key else [],
            named.get(a.index_key, []) if a.index_key else [],
            check_id,
        )
        for a in asked
    ]
    uow.audit(
        actor,
        "documents.check_batch",
        query=[{"number": a.number, "issuing_state": a.state} for a in asked],
        results=[i for answer in answers for i in _result_ids(answer)],
    )
    counts = {"hit": 0, "possible": 0, "none": 0}
    for answer in answers:
        counts[answer.result] += 1
    return BatchCheck(
        results=[_for(actor, a) for a in answers],
        hits=counts["hit"],
        possible=counts["possible"],
        none=counts["none"],
    )


def _ready(query: DocumentQuery) -> _Asked:
    if query.mrz is None:
        assert query.number is not None and query.issuing_state is not None
        return _Asked(checked_number(query.number), member_state(query.issuing_state), None)
    # The number as printed: a check digit that fails may be an OCR slip, which the OCR key
    # folds, or an altered document, which must still be checked.
    parsed = parse_mrz(query.mrz)
    try:
        state: str | None = member_state(parsed.issuing_state)
    except InvalidInput:
        state = None
    return _Asked(checked_number(parsed.document_number), state, parsed.valid)


def _ready_all(queries: list[DocumentQuery]) -> list[_Asked]:
    asked: list[_Asked] = []
    problems: list[str] = []
    for index, query in enumerate(queries):
        try:
            asked.append(_ready(query))
        except InvalidInput as exc:
            problems.append(f"document {index}: {exc.detail}")
    if problems:
        shown = "; ".join(problems[:20])
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        raise InvalidInput(f"{len(problems)} documents cannot be checked: {shown}{more}")
    return asked


def _answer(
    uow: UnitOfWork,
    actor: Actor,
    asked: _Asked,
    found: list[DocumentReport],
    named: list[store.NamedDocument],
    check_id: str | None = None,
) -> DocumentCheck:
    matches = [
        _match(uow, actor, asked, report, check_id)
        for report in found
        if can_match(actor, report.envelope)
    ]
    matches.sort(key=lambda m: m.match != "hit")
    notices = [
        _notice_match(uow, actor, asked, document, check_id)
        for document in named
        if can_match(actor, document.notice)
    ]
    notices.sort(key=lambda m: m.match != "hit")
    kinds = {m.match for m in matches} | {n.match for n in notices}
    result: Result = "hit" if "hit" in kinds else "possible" if kinds else "none"
    return DocumentCheck(
        result=result,
        number=asked.number,
        issuing_state=asked.state or "",
        mrz_valid=asked.mrz_valid,
        matches=matches,
        notices=notices,
    )


def _notice_match(
    uow: UnitOfWork,
    actor: Actor,
    asked: _Asked,
    document: store.NamedDocument,
    check_id: str | None,
) -> NoticeMatch:
    notice = document.notice
    match = NoticeMatch(
        match="hit" if document.number == asked.number else "possible",
        hit_id=new_id(),
        notice=NoticeRef(
            id=notice.id, type=document.notice_type, owner=notice.owner, title=notice.title
        ),
        document_type=document.document_type,
    )
    uow.emit(
        DocumentHit(
            hit_id=match.hit_id,
            match=match.match,
            record_id=notice.id,
            owner=notice.owner,
            checking_member=actor.member,
            checked_by=actor.ref,
            checked_by_role=actor.role.value,
            checked_at=clock.now().isoformat(),
            number=document.number,
            issuing_state=document.issuing_state,
            document_type=document.document_type,
            status=f"{document.notice_type} notice",
            check_id=check_id,
        )
    )
    return match


def _result_ids(answer: DocumentCheck) -> list[str]:
    return [m.report.id for m in answer.matches] + [n.notice.id for n in answer.notices]


def _match(
    uow: UnitOfWork, actor: Actor, asked: _Asked, report: DocumentReport, check_id: str | None
) -> DocumentMatch:
    kind = "hit" if number_key(report.number) == asked.number else "possible"
    action = action_for(report.status)
    match = DocumentMatch(
        match=kind,
        hit_id=new_id(),
        owner=report.envelope.owner,
        action=action,
        action_text=ACTION_TEXT[action],
        report=report,
    )
    uow.emit(_hit_event(actor, match, check_id))
    return match


def _hit_event(actor: Actor, match: DocumentMatch, check_id: str | None) -> DocumentHit:
    report = match.report
    return DocumentHit(
        hit_id=match.hit_id,
        match=match.match,
        record_id=report.id,
        owner=match.owner,
        checking_member=actor.member,
        checked_by=actor.ref,
        checked_by_role=actor.role.value,
        checked_at=clock.now().isoformat(),
        number=report.number,
        issuing_state=report.issuing_state,
        document_type=report.type.value,
        status=report.status.value,
        check_id=check_id,
    )


def _for(actor: Actor, answer: DocumentCheck) -> DocumentCheck | PartnerCheck:
    """A partner learns hit or no hit, nothing of the report or its owner (I-Checkit).

    A possible hit is "none" to a partner: an airline cannot weigh an OCR-confused number and
    must not refuse boarding on one; the owning NCB is alerted of it and follows up.
    """
    if actor.role is Role.PARTNER:
        return PartnerCheck(result="hit" if answer.result == "hit" else "none")
    return answer
