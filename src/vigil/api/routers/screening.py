"""Frontline screening: one check per traveller, passenger lists, hits and their follow-up."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from vigil.access.actors import Actor
from vigil.api.deps import ActorDep, DbDep, PageDep, reading, reading_in_loop, writing
from vigil.api.schemas import PageOut
from vigil.errors import InvalidInput, validation_message
from vigil.screening import check as checking
from vigil.screening import followup, lists, offline, offline_file
from vigil.screening.models import (
    ActionIn,
    CheckAnswer,
    Deadlines,
    DeadlinesIn,
    HitRecord,
    HitStatus,
    IdentityIn,
    ManifestAnswer,
    ManifestIn,
    NoteIn,
    OfflineHit,
    PartnerAnswer,
    TravellerIn,
)
from vigil.storage.engine import Database

router = APIRouter(prefix="/api/v1", tags=["screening"])

MAX_PHOTO_BYTES = 20 * 1024 * 1024


@router.post(
    "/screening/check",
    response_model=CheckAnswer | PartnerAnswer,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/TravellerIn"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "photo": {"type": "string", "format": "binary"},
                            "mrz": {"type": "string"},
                            "name": {"type": "string"},
                            "birth_date": {"type": "string"},
                            "nationality": {"type": "string"},
                            "sex": {"type": "string"},
                            "document_number": {"type": "string"},
                            "issuing_state": {"type": "string"},
                            "direction": {"type": "string"},
                        },
                    }
                },
            }
        }
    },
)
async def check(request: Request, actor: ActorDep, db: DbDep) -> Response:
    """Check one traveller against documents, persons (with their notices) and, with a
    ``photo``, faces: ``{"result": "hit" | "possible" | "none", "hits": [...]}``."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    if content_type == "multipart/form-data":
        traveller, photo = await _multipart_traveller(request)
        # A face search stores its candidates for the examiner: a writing unit, in a thread.
        answer = await run_in_threadpool(_check_with_photo, db, actor, traveller, photo)
    else:
        traveller = _parsed(TravellerIn, await _json(request))
        # As the document check and name screening: in the event loop, answered once the
        # audit entry is durable.
        async with reading_in_loop(db) as uow:
            answer = checking.check(uow, actor=actor, traveller=traveller)
        await uow.durable()
    return Response(answer.model_dump_json(), media_type="application/json")


def _check_with_photo(
    db: Database, actor: Actor, traveller: TravellerIn, photo: bytes
) -> CheckAnswer | PartnerAnswer:
    with writing(db) as uow:
        return checking.check(uow, actor=actor, traveller=traveller, photo=photo)


@router.post(
    "/screening/manifests",
    response_model=ManifestAnswer,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/ManifestIn"}},
                "text/csv": {},
            },
            "description": "A passenger or crew list: JSON `travellers`, or CSV with a header "
            "(name or surname + given_names, birth_date, nationality, sex, document_number, "
            "issuing_state, or mrz).",
        }
    },
)
async def manifests(
    request: Request,
    actor: ActorDep,
    db: DbDep,
    reference: Annotated[str | None, Query(max_length=100)] = None,
) -> ManifestAnswer:
    """Screen a flight's or vessel's list: per-traveller answers in the order given, and a
    summary."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    if content_type == "text/csv":
        travellers = lists.read_csv(await request.body())
        manifest_in = ManifestIn(travellers=travellers, reference=reference)
    else:
        manifest_in = _parsed(ManifestIn, await _json(request))
        if reference is not None:
            manifest_in = manifest_in.model_copy(update={"reference": reference})

    def run() -> ManifestAnswer:
        # Only reads: a long list must not hold the writer while officers check travellers.
        with reading(db) as uow:
            return checking.manifest(uow, actor=actor, manifest_in=manifest_in)

    return await run_in_threadpool(run)


@router.get("/hits")
def list_hits(
    actor: ActorDep,
    db: DbDep,
    page: PageDep,
    role: Annotated[str | None, Query(description="owner or checking")] = None,
    status: HitStatus | None = None,
) -> PageOut[HitRecord]:
    """Your member's hits (on its records, or from its checks), newest first."""
    with reading(db) as uow:
        return PageOut.of(followup.list_hits(uow, actor=actor, page=page, role=role, status=status))


@router.get("/hits/{hit_id}")
def get_hit(hit_id: str, actor: ActorDep, db: DbDep) -> HitRecord:
    """One hit with its deadline and its follow-up messages."""
    with reading(db) as uow:
        return followup.get(uow, actor=actor, hit_id=hit_id)


@router.post("/hits/{hit_id}/identity")
def answer_identity(hit_id: str, body: IdentityIn, actor: ActorDep, db: DbDep) -> HitRecord:
    """The owner confirms or denies the identity (denied: a false hit)."""
    with writing(db) as uow:
        return followup.answer_identity(
            uow, actor=actor, hit_id=hit_id, identity=body.identity, note=body.note
        )


@router.post("/hits/{hit_id}/action")
def record_action(hit_id: str, body: ActionIn, actor: ActorDep, db: DbDep) -> HitRecord:
    """The checking member records the action taken (arrested, located, refused entry, child
    protected, document seized, or no action with the reason)."""
    with writing(db) as uow:
        return followup.record_action(
            uow, actor=actor, hit_id=hit_id, action=body.action, reason=body.reason
        )


@router.post("/hits/{hit_id}/notes")
def add_note(hit_id: str, body: NoteIn, actor: ActorDep, db: DbDep) -> HitRecord:
    """A message to the other member, kept on the hit."""
    with writing(db) as uow:
        return followup.add_note(uow, actor=actor, hit_id=hit_id, text=body.text)


@router.get("/screening/deadlines")
def get_deadlines(actor: ActorDep, db: DbDep) -> Deadlines:
    """Minutes your member has to answer a hit on its records, by urgency."""
    with reading(db) as uow:
        return followup.deadlines(uow, actor=actor)


@router.put("/screening/deadlines")
def set_deadlines(body: DeadlinesIn, actor: ActorDep, db: DbDep) -> Deadlines:
    """Set your member's own deadlines (minutes)."""
    with writing(db) as uow:
        return followup.set_deadlines(uow, actor=actor, change=body)


class OfflinePackageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base_id: str | None = Field(default=None, description="Refresh this package (increment).")
    days: int | None = Field(default=None, ge=1, le=90, description="Valid for (default 7).")


class OfflineHitsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hits: list[OfflineHit] = Field(min_length=1, max_length=10_000)


@router.post(
    "/screening/offline-packages",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def offline_package(body: OfflinePackageIn, actor: ActorDep, db: DbDep) -> Response:
    """A signed, encrypted package of what your member may see, for a border post offline.
    The chain's key comes once, with a full package, in ``X-Vigil-Package-Key``: carry it to
    the post apart from the file."""
    with writing(db) as uow:
        made = offline.export(uow, actor=actor, base_id=body.base_id, days=body.days)
    headers = {
        "X-Vigil-Package-Id": made.id, "X-Vigil-Package-Kind": made.kind,
        "X-Vigil-Package-Expires": made.expires_at.isoformat(),
        "Content-Disposition": f'attachment; filename="vigil-{made.id}.pkg"',
        "Cache-Control": "no-store",
    }  # fmt: skip
    if made.key is not None:
        headers["X-Vigil-Package-Key"] = made.key
    return Response(made.content, media_type="application/octet-stream", headers=headers)


@router.get("/screening/offline-signer")
def offline_signer(actor: ActorDep) -> dict[str, str]:
    """This installation's public key, that posts trust packages by (hex, Ed25519)."""
    actor.require("screening.check")
    return {"algorithm": "Ed25519", "public_key": offline_file.signer_public_key().hex()}


@router.post("/screening/offline-hits")
def offline_hits(
    body: OfflineHitsIn, actor: ActorDep, db: DbDep
) -> list[CheckAnswer | PartnerAnswer]:
    """A post back online sends its queued hits: each traveller is checked again online."""
    with reading(db) as uow:
        return offline.send_queued(uow, actor=actor, queued=body.hits)


async def _json(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"Not JSON: {exc.msg} at column {exc.colno}.") from None


def _parsed(model: type[Any], value: Any) -> Any:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise InvalidInput(validation_message(exc)) from None


async def _multipart_traveller(request: Request) -> tuple[TravellerIn, bytes]:
    form = await request.form()
    try:
        upload = form.get("photo")
        if upload is None or isinstance(upload, str):
            raise InvalidInput("A multipart check carries the traveller's `photo`.")
        photo = await upload.read(MAX_PHOTO_BYTES + 1)
        if len(photo) > MAX_PHOTO_BYTES:
            raise InvalidInput("The photo is larger than 20 MB.")
        fields = {k: v for k, v in form.items() if isinstance(v, str) and v.strip()}
    finally:
        await form.close()  # the spooled upload goes now: a probe is never kept
    number, state = fields.pop("document_number", None), fields.pop("issuing_state", None)
    if number or state:
        fields["document"] = {"number": number, "issuing_state": state}  # type: ignore[assignment]
    return _parsed(TravellerIn, fields), photo
