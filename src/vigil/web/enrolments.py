"""A person's faces and fingers on its record page: what is enrolled, and for the owner's NCB
the enrolment forms and the delete buttons. Each handler calls one service function; a refused
photo or print shows the record again with the service's reason beside the file (HTTP 422)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from vigil.access.actors import Actor
from vigil.api.deps import DbDep, reading, writing
from vigil.api.routers.biometrics import MAX_UPLOAD_BYTES
from vigil.biometrics import service as biometrics
from vigil.biometrics.fingerprints import FINGERS
from vigil.errors import InvalidInput, VigilError
from vigil.persons import service as persons
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork
from vigil.web.pages import error_page, form_post, read_upload, to_login
from vigil.web.session import PageSession, check_csrf, current
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)

NAV = "persons"

UploadField = Annotated[UploadFile | None, File()]
Checkbox = Annotated[bool, Form()]


@dataclass(frozen=True, slots=True)
class Refused:
    """An enrolment form as it was sent, shown again with the service's reason. A file input
    cannot be filled in again by the page: the name of the file refused is said instead.

    ``form`` is "face" or "finger"; ``field`` the input at fault ("image", "template", or ""
    for the form as a whole)."""

    form: str
    field: str
    reason: str
    file_name: str = ""
    finger: str = ""
    keep_image: bool = False


def record_page(
    request: Request,
    db: Database,
    session: PageSession,
    person_id: str,
    *,
    refused: Refused | None = None,
    status: int = 200,
) -> Response:
    """The person record page, with the faces and fingers enrolled on it."""
    try:
        with reading(db) as uow:
            person = persons.get(uow, actor=session.actor, person_id=person_id)
            enrolled = biometrics.templates(uow, actor=session.actor, person_id=person_id)
    except VigilError as exc:
        return error_page(request, session, exc)
    context = {
        "session": session,
        "nav": NAV,
        "person": person,
        "templates": enrolled,
        "fingers": FINGERS,
        "refused": refused,
    }
    return render(request, "persons_record.html", context, status_code=status)


@router.post("/persons/{person_id}/faces")
def enrol_face(
    person_id: str,
    request: Request,
    db: DbDep,
    csrf_token: Annotated[str, Form()] = "",
    image: UploadField = None,
    keep_image: Checkbox = False,
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    name = (image.filename or "") if image else ""
    try:
        check_csrf(session, csrf_token)
        data = read_upload(image, MAX_UPLOAD_BYTES) or b""  # empty: the service says so
        media_type = (image.content_type if image else None) or "application/octet-stream"
        with writing(db) as uow:
            biometrics.enrol_face(
                uow, actor=session.actor, person_id=person_id, image=data,
                media_type=media_type, keep_image=keep_image,
            )  # fmt: skip
    except InvalidInput as exc:
        refused = Refused("face", "image", exc.detail, file_name=name, keep_image=keep_image)
        return record_page(request, db, session, person_id, refused=refused, status=exc.status)
    except VigilError as exc:
        return error_page(request, session, exc)
    return RedirectResponse(f"/persons/{person_id}#person-biometrics", status_code=303)


@router.post("/persons/{person_id}/fingerprints")
def enrol_fingerprint(
    person_id: str,
    request: Request,
    db: DbDep,
    csrf_token: Annotated[str, Form()] = "",
    finger: Annotated[str, Form()] = "",
    image: UploadField = None,
    template: UploadField = None,
    keep_image: Checkbox = False,
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    picture: bytes | None = None
    record: bytes | None = None
    try:
        check_csrf(session, csrf_token)
        picture = read_upload(image, MAX_UPLOAD_BYTES)
        record = read_upload(template, MAX_UPLOAD_BYTES)
        media_type = (image.content_type if image else None) or "image/png"
        with writing(db) as uow:
            biometrics.enrol_fingerprint(
                uow, actor=session.actor, person_id=person_id, finger=form_number(finger),
                image=picture, template=record, media_type=media_type, keep_image=keep_image,
            )  # fmt: skip
    except InvalidInput as exc:
        field, upload = file_at_fault(picture, record, image, template)
        refused = Refused(
            "finger", field, exc.detail, file_name=(upload.filename or "") if upload else "",
            finger=finger, keep_image=keep_image,
        )  # fmt: skip
        return record_page(request, db, session, person_id, refused=refused, status=exc.status)
    except VigilError as exc:
        return error_page(request, session, exc)
    return RedirectResponse(f"/persons/{person_id}#person-biometrics", status_code=303)


@router.post("/persons/{person_id}/templates/{template_id}/delete")
def delete_template(
    person_id: str,
    template_id: str,
    request: Request,
    db: DbDep,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    def act(uow: UnitOfWork, actor: Actor) -> None:
        biometrics.delete_template(uow, actor=actor, template_id=template_id)

    return form_post(request, db, csrf_token, act, f"/persons/{person_id}#person-biometrics")


def form_number(text: str) -> int:
    """A number chosen in a form (a finger position, a count); anything else is 0, which the
    service refuses with the numbers it takes."""
    text = text.strip()
    return int(text) if text.isdigit() else 0


def file_at_fault(
    picture: bytes | None,
    record: bytes | None,
    image: UploadFile | None,
    template: UploadFile | None,
) -> tuple[str, UploadFile | None]:
    """The file input a refused print is said beside (``image`` or ``template``): the one
    file sent; with none or both, the form as a whole ("")."""
    if picture is not None and record is None:
        return "image", image
    if record is not None and picture is None:
        return "template", template
    return "", None
