"""Person records (the nominal database) and name screening against them."""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from vigil import settings
from vigil.api.deps import ActorDep, DbDep, PageDep, json_lines, reading, reading_in_loop, writing
from vigil.api.idempotency import run_idempotent
from vigil.api.schemas import LoadOut, PageOut
from vigil.persons import bulk, equivalents_service, screening, service
from vigil.persons.equivalents import Format
from vigil.persons.models import (
    BatchScreening,
    Category,
    EquivalentsLoaded,
    EquivalentSource,
    PartnerScreening,
    Person,
    PersonIn,
    Screening,
    ScreenQuery,
)

router = APIRouter(prefix="/api/v1", tags=["persons"])

IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]


class ScreenBatchIn(BaseModel):
    queries: list[ScreenQuery] = Field(
        description=f"At most {settings.SCREEN_BATCH_MAX} names (a passenger or crew list)."
    )


@router.post("/persons", status_code=201, response_model=Person)
def record_person(
    body: PersonIn, request: Request, actor: ActorDep, db: DbDep, key: IdempotencyKey = None
) -> JSONResponse:
    """File a person record (an NCB, for its own member). Names may be plain strings."""
    return run_idempotent(
        request,
        db,
        actor,
        key=key,
        payload=body.model_dump(mode="json"),
        create=lambda uow: service.record(uow, actor=actor, person_in=body),
    )


@router.get("/persons")
def list_persons(
    actor: ActorDep,
    db: DbDep,
    page: PageDep,
    category: Category | None = None,
    owner: str | None = None,
) -> PageOut[Person]:
    """Person records the caller may see, newest first."""
    with reading(db) as uow:
        result = service.list_persons(uow, actor=actor, page=page, category=category, owner=owner)
        return PageOut.of(result)


@router.post("/persons/screen", response_model=Screening | PartnerScreening)
async def screen_person(query: ScreenQuery, actor: ActorDep, db: DbDep) -> Response:
    """Screen one name: candidates with a score and the evidence for it, hits above the
    member's threshold. A partner learns only ``{"result": "hit" | "none"}``."""
    # As the document check: in the event loop, answered once its audit entry is durable.
    async with reading_in_loop(db) as uow:
        answer = screening.screen(uow, actor=actor, query=query)
    await uow.durable()
    return Response(answer.model_dump_json(), media_type="application/json")


@router.post("/persons/screen/batch")
def screen_batch(body: ScreenBatchIn, actor: ActorDep, db: DbDep) -> BatchScreening:
    """Screen a list of names in one call; answers in the order asked."""
    with reading(db) as uow:
        return screening.screen_batch(uow, actor=actor, queries=body.queries)


@router.post(
    "/persons/import",
    response_model=LoadOut,
    openapi_extra={
        "requestBody": {
            "content": {"application/x-ndjson": {}},
            "description": "Person records as JSON Lines, each with its `ref`; the caller's "
            "own only.",
        }
    },
)
async def import_persons(request: Request, actor: ActorDep, db: DbDep) -> LoadOut:
    """Load many person records; lines already stored (same ref) are skipped, bad lines are
    listed, not fatal."""
    lines = bulk.read_lines(io.BytesIO(await json_lines(request)))
    summary = await run_in_threadpool(bulk.load, db, actor=actor, lines=lines)
    return LoadOut.of(summary)


@router.get("/persons/equivalents")
def list_equivalents(actor: ActorDep, db: DbDep) -> list[EquivalentSource]:
    """The tables of equivalent name parts loaded: every screening reads queries with them."""
    with reading(db) as uow:
        return equivalents_service.listed(uow, actor=actor)


@router.put(
    "/persons/equivalents/{source}",
    openapi_extra={
        "requestBody": {
            "content": {"text/csv": {}, "text/plain": {}},
            "description": "The table, UTF-8: nicknames CSV (`name1,relationship,name2`) or "
            "synonym lines (`a, b, c` or `a => b, c`).",
        }
    },
)
async def load_equivalents(
    source: str,
    request: Request,
    actor: ActorDep,
    db: DbDep,
    format: Format | None = None,
    file_name: str | None = None,
) -> EquivalentsLoaded:
    """Load a table of equivalent name parts under ``source`` (administrators), replacing one
    loaded under that name before. Without ``format``, its first line decides."""
    data = await request.body()

    def load() -> EquivalentsLoaded:
        with writing(db) as uow:
            return equivalents_service.load(
                uow, actor=actor, data=data, source=source, format=format, file_name=file_name
            )

    return await run_in_threadpool(load)


@router.delete("/persons/equivalents/{source}", status_code=204)
def remove_equivalents(source: str, actor: ActorDep, db: DbDep) -> Response:
    """Stop reading queries with a table (administrators)."""
    with writing(db) as uow:
        equivalents_service.remove(uow, actor=actor, source=source)
    return Response(status_code=204)


@router.get("/persons/{person_id}")
def get_person(person_id: str, actor: ActorDep, db: DbDep) -> Person:
    """One person record (404 when it does not exist or the caller may not see it)."""
    with reading(db) as uow:
        return service.get(uow, actor=actor, person_id=person_id)


@router.put("/persons/{person_id}")
def change_person(person_id: str, body: PersonIn, actor: ActorDep, db: DbDep) -> Person:
    """Replace what a record says, its envelope included (the owner's NCB only)."""
    with writing(db) as uow:
        return service.change(uow, actor=actor, person_id=person_id, person_in=body)


@router.delete("/persons/{person_id}", status_code=204)
def delete_person(person_id: str, actor: ActorDep, db: DbDep) -> Response:
    """Delete a record (the owner's NCB only): it leaves screening at once; its audit trail
    remains."""
    with writing(db) as uow:
        service.delete(uow, actor=actor, person_id=person_id)
    return Response(status_code=204)
