"""Reporting travel documents: file, correct, recover and withdraw reports (SLTD rules)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from vigil.access.actors import Actor
from vigil.access.rules import can_see
from vigil.core import clock
from vigil.core.pagination import Page, PageRequest, page_of
from vigil.documents import store
from vigil.documents.keys import active_key, checked_number, member_state
from vigil.documents.models import (
    DocumentReport,
    DocumentReportChange,
    DocumentReportIn,
    DocumentStatus,
    DocumentType,
)
from vigil.errors import Conflict, Forbidden, InvalidInput, NotFound
from vigil.records import service as records
from vigil.records import store as records_store
from vigil.storage.uow import UnitOfWork

KIND = "document"


def report(uow: UnitOfWork, *, actor: Actor, report_in: DocumentReportIn) -> DocumentReport:
    """File a report of a stolen, lost, revoked or invalidated document.

    Only the issuing state reports its documents, as SLTD requires: the actor's member must be
    the ``issuing_state``.

    Raises:
        Forbidden: the actor may not report, or its member did not issue the document.
        InvalidInput: unknown issuing state, a number without letters or digits.
        Conflict: the document already has a live report (change that one instead).
    """
    records.check_audience(uow, report_in.audience)
    made = new_report(actor=actor, report_in=report_in)
    if store.active_exists(uow.conn, _active_key(made)):
        raise Conflict(
            f"{made.issuing_state} {made.type.value} {made.number} is already reported; "
            "change or withdraw that report instead."
        )
    store.insert(uow.conn, made)
    uow.audit(actor, "documents.report", records=[made.id])
    return made


def new_report(
    *, actor: Actor, report_in: DocumentReportIn, now: datetime | None = None
) -> DocumentReport:
    """A report checked against the SLTD rules, not yet stored (``report`` and bulk loads).

    Needs no database, so bulk loads build reports in worker processes; network audiences
    are checked by the caller (``records.check_audience``).
    """
    actor.require("documents.report")
    state = member_state(report_in.issuing_state)
    if state != actor.member:
        raise Forbidden(
            f"Only the issuing state reports its documents: {actor.member} cannot report "
            f"a document issued by {state}."
        )
    number = checked_number(report_in.number)
    envelope = records.envelope_of(
        actor=actor,
        kind=KIND,
        title=_title(state, report_in.type, number, report_in.status),
        envelope=report_in,  # a report is an envelope with the document's fields
        now=now,
    )
    return DocumentReport(
        id=envelope.id,
        number=number,
        issuing_state=state,
        type=report_in.type,
        status=report_in.status,
        reported_on=report_in.reported_on,
        expiry_date=report_in.expiry_date,
        holder=report_in.holder,
        mrz=report_in.mrz,
        envelope=envelope,
    )


def get(uow: UnitOfWork, *, actor: Actor, report_id: str) -> DocumentReport:
    """One report the actor may see.

    Raises:
        NotFound: no such report, or one the actor may not see (the two look the same).
    """
    actor.require("records.read")
    found = _visible(uow, actor, report_id)
    uow.audit(actor, "documents.read", records=[found.id])
    return found


def list_reports(
    uow: UnitOfWork,
    *,
    actor: Actor,
    page: PageRequest,
    issuing_state: str | None = None,
    number: str | None = None,
    status: DocumentStatus | None = None,
) -> Page[DocumentReport]:
    """Reports the actor may see, newest first, by issuing state, number or status."""
    actor.require("records.read")
    state = member_state(issuing_state) if issuing_state else None
    rows = store.list_visible(
        uow.conn,
        records_store.visible_clause(actor),
        issuing_state=state,
        number=checked_number(number) if number else None,
        status=status.value if status else None,
        after=page.after,
        limit=page.limit + 1,
    )
    rows = [r for r in rows if can_see(actor, r.envelope)]
    result = page_of(rows, page, key=lambda r: r.id)
    query = {"issuing_state": state, "number": number, "status": status, "after": page.after}
    uow.audit(actor, "documents.list", query=query, results=[r.id for r in result.items])
    return result


def change(
    uow: UnitOfWork, *, actor: Actor, report_id: str, change: DocumentReportChange
) -> DocumentReport:
    """Correct a live report (owner only): number, type, status, dates, holder.

    Raises:
        NotFound, Forbidden: as ``get``; or the actor's member does not own it.
        Conflict: the report was recovered, or the corrected document is already reported.
    """
    current = _owned_live(uow, actor, report_id)
    updates = {name: getattr(change, name) for name in change.model_fields_set}
    if "number" in updates:
        updates["number"] = checked_number(change.number or "")
    changed = current.model_copy(update=updates)
    if (changed.type is DocumentType.BLANK) != (changed.status is DocumentStatus.STOLEN_BLANK):
        raise InvalidInput("A blank document is reported with status stolen_blank, and only it.")
    key = _active_key(changed)
    if key != _active_key(current) and store.active_exists(uow.conn, key):
        raise Conflict(
            f"{changed.issuing_state} {changed.type.value} {changed.number} is already reported."
        )
    title = _title(changed.issuing_state, changed.type, changed.number, changed.status)
    changed = changed.model_copy(
        update={
            "envelope": changed.envelope.model_copy(
                update={"title": title, "updated_at": clock.now()}
            )
        }
    )
    store.update(uow.conn, changed)
    uow.audit(
        actor,
        "documents.change",
        records=[report_id],
        query=change.model_dump(mode="json", exclude_unset=True),
    )
    return changed


def recover(uow: UnitOfWork, *, actor: Actor, report_id: str) -> DocumentReport:
    """Mark a document found again (owner only): it leaves checks, its history stays.

    Raises:
        NotFound, Forbidden: as ``change``.
        Conflict: already recovered.
    """
    current = _owned_live(uow, actor, report_id)
    now = clock.now()
    recovered = current.model_copy(
        update={
            "recovered_at": now,
            "envelope": current.envelope.model_copy(update={"updated_at": now}),
        }
    )
    store.update(uow.conn, recovered, recovered_by=actor.ref)
    uow.audit(actor, "documents.recover", records=[report_id])
    return recovered


def delete(uow: UnitOfWork, *, actor: Actor, report_id: str) -> None:
    """Withdraw a report (owner only); the audit trail keeps its history.

    Raises:
        NotFound, Forbidden: as ``change``.
    """
    _owned(uow, actor, report_id)
    records.delete(uow, actor=actor, record_id=report_id)
    store.retire(uow.conn, report_id)


def link_notice(
    uow: UnitOfWork, *, notice_id: str, notice_type: str, documents: list[tuple[str, str, str]]
) -> None:
    """A notice in force names these ``(type, number, issuing_state)`` documents: checking
    one of them shows the notice to its audience. Called by the notices service in its own
    transaction, so publication and the border change together."""
    store.link_notice(uow.conn, notice_id, notice_type, documents)


def unlink_notice(uow: UnitOfWork, *, notice_id: str) -> None:
    """The notice left force: its documents no longer show it, from this commit on."""
    store.unlink_notice(uow.conn, notice_id)


def _visible(uow: UnitOfWork, actor: Actor, report_id: str) -> DocumentReport:
    found = store.get(uow.conn, report_id)
    if found is None or not can_see(actor, found.envelope):
        raise NotFound(f"No document report {report_id}.")
    return found


def _owned(uow: UnitOfWork, actor: Actor, report_id: str) -> DocumentReport:
    found = _visible(uow, actor, report_id)
    actor.require("documents.report")
    if found.envelope.owner != actor.member:
        raise Forbidden("Only the issuing state may change its document reports.")
    return found


def _owned_live(uow: UnitOfWork, actor: Actor, report_id: str) -> DocumentReport:
    found = _owned(uow, actor, report_id)
    if found.recovered_at is not None:
        raise Conflict(f"Document report {report_id} was recovered; file a new report instead.")
    return found


def _active_key(made: DocumentReport) -> str:
    return active_key(made.issuing_state, made.type.value, made.number)


def _title(state: str, doc_type: DocumentType, number: str, status: DocumentStatus) -> str:
    return f"{state} {doc_type.value.replace('_', ' ')} {number} ({status.value.replace('_', ' ')})"


def offline_reports(uow: UnitOfWork, *, actor: Actor) -> Iterator[tuple[str, ...]]:
    """The live reports the actor may match, for an offline copy at a border post: (id,
    owner, issuing_state, type, status, number_key, ocr_key, updated_at). The caller audits
    the export."""
    actor.require("documents.check")
    return store.iter_live_visible(uow.conn, records_store.visible_clause(actor), clock.today())
