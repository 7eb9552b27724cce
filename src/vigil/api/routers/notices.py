"""Notices and diffusions: request, review, publish, cancel; and the public extracts."""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from vigil.api.deps import ActorDep, DbDep, PageDep, json_lines, reading, writing
from vigil.api.idempotency import run_idempotent
from vigil.api.schemas import LoadOut, PageOut
from vigil.notices import bulk, public, service
from vigil.notices import review as reviewing
from vigil.notices.models import (
    Channel,
    Checklist,
    DiffusionIn,
    DiffusionReviewIn,
    Notice,
    NoticeIn,
    PublicExtract,
    ReasonsIn,
    ReviewIn,
    State,
)

router = APIRouter(prefix="/api/v1", tags=["notices"])
public_router = APIRouter(prefix="/api/v1/public", tags=["public"])

IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]


@router.post("/notices", status_code=201, response_model=Notice)
def create_notice(
    body: NoticeIn, request: Request, actor: ActorDep, db: DbDep, key: IdempotencyKey = None
) -> JSONResponse:
    """Draft a notice (state ``draft``, seen by its owner alone until published)."""
    return run_idempotent(
        request,
        db,
        actor,
        key=key,
        payload=body.model_dump(mode="json"),
        create=lambda uow: service.create(uow, actor=actor, notice_in=body),
    )


@router.get("/notices")
def list_notices(
    actor: ActorDep,
    db: DbDep,
    page: PageDep,
    state: State | None = None,
    type: Annotated[str | None, Query(description="red, yellow, ... or a diffusion type")] = None,
    channel: Channel | None = None,
    owner: str | None = None,
    person_id: str | None = None,
) -> PageOut[Notice]:
    """Notices the caller may read, newest first (reviewers: requests and decisions)."""
    with reading(db) as uow:
        result = service.list_notices(
            uow,
            actor=actor,
            page=page,
            state=state,
            type_=type,
            channel=channel,
            owner=owner,
            person_id=person_id,
        )
        return PageOut.of(result)


@router.post(
    "/notices/import",
    response_model=LoadOut,
    openapi_extra={
        "requestBody": {
            "content": {"application/x-ndjson": {}},
            "description": "Notices as JSON Lines, each with its `ref` and its person as "
            "`person_id` or `person_ref`; drafts or requests, the caller's own only.",
        }
    },
)
async def import_notices(request: Request, actor: ActorDep, db: DbDep) -> LoadOut:
    """Load many notices (drafts, or requests for review); lines already stored (same ref) are
    skipped, bad lines are listed, not fatal."""
    lines = bulk.read_lines(io.BytesIO(await json_lines(request)))
    summary = await run_in_threadpool(bulk.load, db, actor=actor, lines=lines)
    return LoadOut.of(summary)


@router.get("/notices/{notice_id}")
def get_notice(notice_id: str, actor: ActorDep, db: DbDep) -> Notice:
    """One notice with its history (404 when it does not exist or the caller may not read it)."""
    with reading(db) as uow:
        return service.get(uow, actor=actor, notice_id=notice_id)


@router.put("/notices/{notice_id}")
def change_notice(notice_id: str, body: NoticeIn, actor: ActorDep, db: DbDep) -> Notice:
    """Rewrite a draft or returned request; on a published notice, propose changes for review."""
    with writing(db) as uow:
        return service.change(uow, actor=actor, notice_id=notice_id, notice_in=body)


@router.post("/notices/{notice_id}/request")
def request_notice(notice_id: str, actor: ActorDep, db: DbDep) -> Notice:
    """Send the draft to the General Secretariat for review."""
    with writing(db) as uow:
        return service.request(uow, actor=actor, notice_id=notice_id)


@router.post("/notices/{notice_id}/take-up")
def take_up(notice_id: str, actor: ActorDep, db: DbDep) -> Notice:
    """A reviewer takes a request up (state ``under_review``)."""
    with writing(db) as uow:
        return reviewing.take_up(uow, actor=actor, notice_id=notice_id)


@router.get("/notices/{notice_id}/checklist")
def checklist(notice_id: str, actor: ActorDep, db: DbDep) -> Checklist:
    """The computed checks of a request (reviewers): ``pass``, ``flag`` or ``fail`` each."""
    with reading(db) as uow:
        return reviewing.checklist(uow, actor=actor, notice_id=notice_id)


@router.post("/notices/{notice_id}/review")
def review(notice_id: str, body: ReviewIn, actor: ActorDep, db: DbDep) -> Notice:
    """A reviewer's decision, ``publish``, ``reject`` or ``return``, with reasons."""
    with writing(db) as uow:
        return reviewing.review(
            uow, actor=actor, notice_id=notice_id, decision=body.decision, reasons=body.reasons
        )


@router.post("/notices/{notice_id}/cancel")
def cancel(notice_id: str, body: ReasonsIn, actor: ActorDep, db: DbDep) -> Notice:
    """Cancel a published notice: out of screening at once, the members told are alerted."""
    with writing(db) as uow:
        return service.cancel(uow, actor=actor, notice_id=notice_id, reasons=body.reasons)


@router.post("/notices/{notice_id}/withdraw")
def withdraw(notice_id: str, body: ReasonsIn, actor: ActorDep, db: DbDep) -> Notice:
    """Withdraw a request before publication, or a diffusion already sent."""
    with writing(db) as uow:
        return service.withdraw(uow, actor=actor, notice_id=notice_id, reasons=body.reasons)


@router.post("/diffusions", status_code=201, response_model=Notice)
def diffuse(
    body: DiffusionIn, request: Request, actor: ActorDep, db: DbDep, key: IdempotencyKey = None
) -> JSONResponse:
    """Send a diffusion to the members in ``to``: delivered at once, reviewed afterwards."""
    return run_idempotent(
        request,
        db,
        actor,
        key=key,
        payload=body.model_dump(mode="json"),
        create=lambda uow: service.diffuse(uow, actor=actor, diffusion_in=body),
    )


@router.post("/diffusions/{notice_id}/review")
def review_diffusion(notice_id: str, body: DiffusionReviewIn, actor: ActorDep, db: DbDep) -> Notice:
    """A reviewer's after-the-fact decision on a diffusion: ``compliant`` or ``withdraw``."""
    with writing(db) as uow:
        return reviewing.review_diffusion(
            uow, actor=actor, notice_id=notice_id, decision=body.decision, reasons=body.reasons
        )


@public_router.get("/notices")
def public_notices(
    db: DbDep,
    page: PageDep,
    type: Annotated[str | None, Query(description="red or yellow")] = None,
) -> PageOut[PublicExtract]:
    """The public extracts of Red and Yellow notices (no login)."""
    with reading(db) as uow:
        return PageOut.of(public.public_extracts(uow, page=page, type_=type))


@public_router.get("/notices/{notice_id}")
def public_notice(notice_id: str, db: DbDep) -> PublicExtract:
    """One public extract (no login)."""
    with reading(db) as uow:
        return public.public_extract(uow, notice_id=notice_id)
