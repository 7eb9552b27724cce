"""Travel document reports (SLTD) and checks against them."""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from vigil import settings
from vigil.access.actors import Actor
from vigil.api.deps import ActorDep, DbDep, PageDep, reading, writing
from vigil.api.idempotency import run_idempotent
from vigil.api.schemas import LoadOut, PageOut
from vigil.documents import bulk, checks, service
from vigil.documents.models import (
    BatchCheck,
    DocumentCheck,
    DocumentQuery,
    DocumentReport,
    DocumentReportChange,
    DocumentReportIn,
    DocumentStatus,
    PartnerCheck,
)
from vigil.errors import InvalidInput
from vigil.storage.engine import Database

router = APIRouter(prefix="/api/v1", tags=["documents"])

IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]


class Created(BaseModel):
    id: str


class BatchIn(BaseModel):
    documents: list[DocumentQuery] = Field(
        description=f"At most {settings.CHECK_BATCH_MAX} documents, each a number and issuing "
        "state or an MRZ."
    )


@router.post("/documents", status_code=201, response_model=Created)
def report_document(
    body: DocumentReportIn, request: Request, actor: ActorDep, db: DbDep, key: IdempotencyKey = None
) -> JSONResponse:
    """Report a stolen, lost, revoked or invalidated document (the issuing state's NCB only)."""
    return run_idempotent(
        request,
        db,
        actor,
        key=key,
        payload=body.model_dump(mode="json"),
        create=lambda uow: Created(id=service.report(uow, actor=actor, report_in=body).id),
    )


@router.get("/documents")
def list_documents(
    actor: ActorDep,
    db: DbDep,
    page: PageDep,
    issuing_state: str | None = None,
    number: str | None = None,
    status: DocumentStatus | None = None,
) -> PageOut[DocumentReport]:
    """Reports the caller may see, newest first."""
    with reading(db) as uow:
        result = service.list_reports(
            uow, actor=actor, page=page, issuing_state=issuing_state, number=number, status=status
        )
        return PageOut.of(result)


@router.post("/documents/check", response_model=DocumentCheck | PartnerCheck)
async def check_document(query: DocumentQuery, actor: ActorDep, db: DbDep) -> Response:
    """Check one document: ``hit``, ``possible`` (only after OCR confusions) or ``none``.

    A partner learns only the result; the owning member is alerted of every hit."""
    return Response(await answer_check(db, actor, query), media_type="application/json")


async def answer_check(db: Database, actor: Actor, query: DocumentQuery) -> bytes:
    """A check's answer as JSON, once its audit entry is durable: the route's work, which
    ``api.hot_checks`` also runs for the common case before the framework's routing."""
    # The hot path at borders: the event loop awaits the answer, which the group writer's
    # thread makes in its next batch, durable with the check's audit entry.
    answer = await checks.check_from_loop(db, actor=actor, query=query)
    return answer.model_dump_json().encode()


@router.post("/documents/check/batch")
def check_batch(body: BatchIn, actor: ActorDep, db: DbDep) -> BatchCheck:
    """Check a passenger manifest in one call; answers in the order asked."""
    with reading(db) as uow:
        return checks.check_batch(uow, actor=actor, queries=body.documents)


@router.post(
    "/documents/import",
    response_model=LoadOut,
    openapi_extra={
        "requestBody": {
            "content": {"application/x-ndjson": {}, "text/csv": {}},
            "description": "Reports as JSON Lines or CSV (header row), the caller's own only.",
        }
    },
)
async def import_documents(request: Request, actor: ActorDep, db: DbDep) -> LoadOut:
    """Load many reports; lines already stored are skipped, bad lines are listed, not fatal."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    if content_type not in ("application/x-ndjson", "application/jsonl", "text/csv"):
        raise InvalidInput("Send JSON Lines (application/x-ndjson) or CSV (text/csv).")
    body = await request.body()
    lines = bulk.read_lines(io.BytesIO(body), bulk.format_of(content_type))
    summary = await run_in_threadpool(bulk.load, db, actor=actor, lines=lines)
    return LoadOut.of(summary)


@router.get("/documents/{report_id}")
def get_document(report_id: str, actor: ActorDep, db: DbDep) -> DocumentReport:
    """One report (404 when it does not exist or the caller may not see it)."""
    with reading(db) as uow:
        return service.get(uow, actor=actor, report_id=report_id)


@router.patch("/documents/{report_id}")
def change_document(
    report_id: str, body: DocumentReportChange, actor: ActorDep, db: DbDep
) -> DocumentReport:
    """Correct a live report (the owner's NCB only)."""
    with writing(db) as uow:
        return service.change(uow, actor=actor, report_id=report_id, change=body)


@router.post("/documents/{report_id}/recover")
def recover_document(report_id: str, actor: ActorDep, db: DbDep) -> DocumentReport:
    """The document was found again: it leaves checks, its report stays on record."""
    with writing(db) as uow:
        return service.recover(uow, actor=actor, report_id=report_id)


@router.delete("/documents/{report_id}", status_code=204)
def delete_document(report_id: str, actor: ActorDep, db: DbDep) -> Response:
    """Withdraw a report (the owner's NCB only); its audit trail remains."""
    with writing(db) as uow:
        service.delete(uow, actor=actor, report_id=report_id)
    return Response(status_code=204)
