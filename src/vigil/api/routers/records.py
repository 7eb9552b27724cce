"""Record envelopes, whatever their kind."""

from __future__ import annotations

from fastapi import APIRouter, Response

from vigil.access.envelope import Envelope
from vigil.api.deps import ActorDep, DbDep, PageDep, reading, writing
from vigil.api.schemas import PageOut
from vigil.records import service as records
from vigil.records.service import EnvelopeChange

router = APIRouter(prefix="/api/v1", tags=["records"])


@router.get("/records")
def list_records(
    actor: ActorDep,
    db: DbDep,
    page: PageDep,
    kind: str | None = None,
    owner: str | None = None,
    review_due: bool = False,
) -> PageOut[Envelope]:
    """Envelopes the caller may see, newest first; ``review_due`` keeps those past review."""
    with reading(db) as uow:
        result = records.list_records(
            uow, actor=actor, page=page, kind=kind, owner=owner, review_due=review_due
        )
        return PageOut.of(result)


@router.get("/records/{record_id}")
def get_record(record_id: str, actor: ActorDep, db: DbDep) -> Envelope:
    """One record's envelope (404 when it does not exist or the caller may not see it)."""
    with reading(db) as uow:
        return records.get(uow, actor=actor, record_id=record_id)


@router.patch("/records/{record_id}/envelope")
def change_envelope(record_id: str, change: EnvelopeChange, actor: ActorDep, db: DbDep) -> Envelope:
    """Change audience, handling, review date or provenance (the owner's NCB only)."""
    with writing(db) as uow:
        return records.change_envelope(uow, actor=actor, record_id=record_id, change=change)


@router.delete("/records/{record_id}", status_code=204)
def delete_record(record_id: str, actor: ActorDep, db: DbDep) -> Response:
    """Withdraw a record from the exchange (the owner's NCB only); its audit trail remains."""
    with writing(db) as uow:
        records.delete(uow, actor=actor, record_id=record_id)
    return Response(status_code=204)
