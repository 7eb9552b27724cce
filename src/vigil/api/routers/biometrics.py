"""Biometrics: enrol faces and fingerprints on person records, search 1:N, decide."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile
from fastapi.concurrency import run_in_threadpool

from vigil.access.actors import Actor
from vigil.api.deps import ActorDep, DbDep, reading, writing
from vigil.biometrics import service
from vigil.biometrics.models import DecisionIn, ExaminerDecision, Search, Template
from vigil.errors import InvalidInput
from vigil.storage.engine import Database

router = APIRouter(prefix="/api/v1", tags=["biometrics"])

# Uploads larger than this are refused before they are read into memory.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

ImageFile = Annotated[UploadFile, File(description="A JPEG or PNG photo.")]
OptionalFile = Annotated[UploadFile | None, File()]
KeepImage = Annotated[
    bool, Form(description="Keep the image for examiners (otherwise only the template is kept).")
]


async def _read(upload: UploadFile | None) -> bytes | None:
    """The upload's bytes, in memory; the spooled file behind it is closed (and so removed)
    as soon as they are read."""
    if upload is None:
        return None
    try:
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
    finally:
        await upload.close()
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
    return data


@router.post("/persons/{person_id}/faces", status_code=201)
async def enrol_face(
    person_id: str, image: ImageFile, actor: ActorDep, db: DbDep, keep_image: KeepImage = False
) -> Template:
    """Enrol a face on a person record (the owner's NCB); refused photos say why."""
    data = await _read(image)
    assert data is not None
    media_type = image.content_type or "application/octet-stream"

    def run() -> Template:
        with writing(db) as uow:
            return service.enrol_face(
                uow, actor=actor, person_id=person_id, image=data, media_type=media_type,
                keep_image=keep_image,
            )  # fmt: skip

    return await run_in_threadpool(run)


@router.post("/persons/{person_id}/fingerprints", status_code=201)
async def enrol_fingerprint(
    person_id: str,
    actor: ActorDep,
    db: DbDep,
    finger: Annotated[int, Form(ge=1, le=10, description="1 right thumb ... 10 left little.")],
    image: OptionalFile = None,
    template: OptionalFile = None,
    keep_image: KeepImage = False,
) -> Template:
    """Enrol one finger from an image (500 ppi) or an ISO/IEC 19794-2 template."""
    picture, record = await _read(image), await _read(template)
    media_type = (image.content_type if image else None) or "image/png"

    def run() -> Template:
        with writing(db) as uow:
            return service.enrol_fingerprint(
                uow, actor=actor, person_id=person_id, finger=finger, image=picture,
                template=record, media_type=media_type, keep_image=keep_image,
            )  # fmt: skip

    return await run_in_threadpool(run)


@router.get("/persons/{person_id}/biometrics")
def person_templates(person_id: str, actor: ActorDep, db: DbDep) -> list[Template]:
    """The faces and fingers enrolled on a person record."""
    with reading(db) as uow:
        return service.templates(uow, actor=actor, person_id=person_id)


@router.delete("/biometrics/templates/{template_id}", status_code=204)
def delete_template(template_id: str, actor: ActorDep, db: DbDep) -> Response:
    """Delete an enrolled face or finger (the owner's NCB): erased, out of search at once."""
    with writing(db) as uow:
        service.delete_template(uow, actor=actor, template_id=template_id)
    return Response(status_code=204)


@router.get(
    "/biometrics/templates/{template_id}/image",
    response_class=Response,
    responses={200: {"content": {"image/*": {}}}},
)
def template_image(template_id: str, actor: ActorDep, db: DbDep) -> Response:
    """The enrolment image kept with a template (examiners who may see its person)."""
    with reading(db) as uow:
        media_type, data = service.image(uow, actor=actor, template_id=template_id)
    return Response(data, media_type=media_type, headers={"Cache-Control": "no-store"})


@router.post("/biometrics/faces/search")
async def search_faces(
    image: ImageFile,
    actor: ActorDep,
    db: DbDep,
    limit: Annotated[int, Form(ge=1, le=service.MAX_CANDIDATES)] = 10,
) -> Search:
    """Search a photo: ranked candidates for an examiner. The photo is not kept."""
    data = await _read(image)
    assert data is not None
    return await run_in_threadpool(_search_faces, db, actor, data, limit)


def _search_faces(db: Database, actor: Actor, data: bytes, limit: int) -> Search:
    with writing(db) as uow:  # the search and its candidates are stored for the examiner
        return service.search_faces(uow, actor=actor, image=data, limit=limit)


@router.post("/biometrics/fingerprints/search")
async def search_fingerprints(
    actor: ActorDep,
    db: DbDep,
    image: OptionalFile = None,
    template: OptionalFile = None,
    finger: Annotated[int | None, Form(ge=1, le=10)] = None,
    limit: Annotated[int, Form(ge=1, le=service.MAX_CANDIDATES)] = 10,
) -> Search:
    """Search a print (image or template): ranked candidates for an examiner. Not kept."""
    picture, record = await _read(image), await _read(template)

    def run() -> Search:
        with writing(db) as uow:
            return service.search_fingerprints(
                uow, actor=actor, image=picture, template=record, finger=finger, limit=limit
            )

    return await run_in_threadpool(run)


@router.get("/biometrics/searches/{search_id}")
def get_search(search_id: str, actor: ActorDep, db: DbDep) -> Search:
    """A search of your member with its candidates and the decisions taken."""
    with reading(db) as uow:
        return service.get_search(uow, actor=actor, search_id=search_id)


@router.post("/biometrics/searches/{search_id}/candidates/{person_id}/decision", status_code=201)
def decide(
    search_id: str, person_id: str, body: DecisionIn, actor: ActorDep, db: DbDep
) -> ExaminerDecision:
    """The examiner's decision on a candidate: ``match`` (a hit: both members are alerted),
    ``no_match`` or ``inconclusive``."""
    with writing(db) as uow:
        return service.decide(
            uow, actor=actor, search_id=search_id, person_id=person_id,
            decision=body.decision, note=body.note,
        )  # fmt: skip
