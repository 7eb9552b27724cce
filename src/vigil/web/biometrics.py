"""Biometric search in the workspace: a photo or a print searched 1:N, the examiner's candidate
view (the probe side by side with each candidate's kept enrolment image), the decision on each
candidate, a search looked at again later, and the kept enrolment images. Each handler calls
one service function.

The probe is read in memory, searched, and sent back inside the answer as a data: URL: it is
never stored (not in the database, not on disk, not in the session), so that leaving the page
forgets it, as the service does (INTERPOL's Biometric Hub deletes search images after use)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from vigil.access.roles import forbid_unless
from vigil.api.deps import DbDep, reading, writing
from vigil.api.routers.biometrics import MAX_UPLOAD_BYTES
from vigil.biometrics import images, service
from vigil.biometrics.fingerprints import FINGERS
from vigil.biometrics.models import Decision, DecisionIn, Search
from vigil.errors import InvalidInput, VigilError, validation_message
from vigil.storage.engine import Database
from vigil.web.enrolments import file_at_fault, form_number
from vigil.web.pages import error_page, read_upload, to_login
from vigil.web.session import PageSession, check_csrf, current
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)

NAV = "biometrics"
LIMITS = (10, 20, 50)

UploadField = Annotated[UploadFile | None, File()]
FormText = Annotated[str, Form()]


@dataclass(frozen=True, slots=True)
class Probe:
    """What the candidates are compared with, from memory: the image as a data: URL, or None
    for a template (or an image type a browser does not show)."""

    source: str  # "image" or "template"
    file_name: str
    src: str | None = None


@dataclass(frozen=True, slots=True)
class Asked:
    """The search form as it was sent, shown again with the reason when it is refused."""

    form: str = ""  # "face" or "finger"
    field: str = ""  # "image", "template", or "" for the form
    reason: str = ""
    file_name: str = ""
    finger: str = ""
    limit: str = "10"


@dataclass(frozen=True, slots=True)
class DecisionRefused:
    """A decision form as it was sent, shown again beside its candidate with the reason."""

    person_id: str
    reason: str
    decision: str = ""
    note: str = ""


@router.get("/biometrics/search")
def search_page(request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        forbid_unless(session.actor.role, "biometrics.search")  # spares a form that would fail
    except VigilError as exc:
        return error_page(request, session, exc)
    return _search_form(request, session, Asked())


@router.post("/biometrics/search/face")
def search_face(
    request: Request,
    db: DbDep,
    csrf_token: FormText = "",
    image: UploadField = None,
    limit: FormText = "10",
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    name = (image.filename or "") if image else ""
    try:
        check_csrf(session, csrf_token)
        data = read_upload(image, MAX_UPLOAD_BYTES) or b""  # empty: the service says so
        with writing(db) as uow:  # the search and its candidates are kept for the examiner
            search = service.search_faces(
                uow, actor=session.actor, image=data, limit=form_number(limit)
            )
    except InvalidInput as exc:
        asked = Asked("face", "image", exc.detail, file_name=name, limit=limit)
        return _search_form(request, session, asked, status=exc.status)
    except VigilError as exc:
        return error_page(request, session, exc)
    probe = Probe("image", name, _data_url(data))
    return _candidates(request, session, search, probe)


@router.post("/biometrics/search/finger")
def search_finger(
    request: Request,
    db: DbDep,
    csrf_token: FormText = "",
    image: UploadField = None,
    template: UploadField = None,
    finger: FormText = "",
    limit: FormText = "10",
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
        position = form_number(finger) if finger.strip() else None
        with writing(db) as uow:
            search = service.search_fingerprints(
                uow, actor=session.actor, image=picture, template=record, finger=position,
                limit=form_number(limit),
            )  # fmt: skip
    except InvalidInput as exc:
        field, upload = file_at_fault(picture, record, image, template)
        asked = Asked(
            "finger", field, exc.detail, file_name=(upload.filename or "") if upload else "",
            finger=finger, limit=limit,
        )  # fmt: skip
        return _search_form(request, session, asked, status=exc.status)
    except VigilError as exc:
        return error_page(request, session, exc)
    if picture is not None and image is not None:
        probe = Probe("image", image.filename or "", _data_url(picture))
    else:
        probe = Probe("template", (template.filename or "") if template else "")
    return _candidates(request, session, search, probe)


@router.get("/biometrics/searches/{search_id}")
def search_record_page(search_id: str, request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    return _search_record(request, db, session, search_id)


@router.post("/biometrics/searches/{search_id}/candidates/{person_id}/decision")
def decide(
    search_id: str,
    person_id: str,
    request: Request,
    db: DbDep,
    csrf_token: FormText = "",
    decision: FormText = "",
    note: FormText = "",
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        check_csrf(session, csrf_token)
        said = DecisionIn.model_validate({"decision": decision, "note": note.strip() or None})
        with writing(db) as uow:
            service.decide(
                uow, actor=session.actor, search_id=search_id, person_id=person_id,
                decision=said.decision, note=said.note,
            )  # fmt: skip
    except ValidationError as exc:
        reason, status = validation_message(exc), 422
    except VigilError as exc:
        reason, status = exc.detail, exc.status
    else:
        done = f"/biometrics/searches/{search_id}#candidate-{person_id}"
        return RedirectResponse(done, status_code=303)
    refused = DecisionRefused(person_id, reason, decision, note)
    return _search_record(request, db, session, search_id, refused=refused, status=status)


@router.get("/biometrics/templates/{template_id}/image")
def template_image(template_id: str, request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        with reading(db) as uow:
            _, data = service.image(uow, actor=session.actor, template_id=template_id)
    except VigilError as exc:
        return error_page(request, session, exc)
    shown = _image_type(data) or "application/octet-stream"
    return Response(data, media_type=shown, headers={"Cache-Control": "no-store"})


def _search_form(
    request: Request, session: PageSession, asked: Asked, *, status: int = 200
) -> Response:
    context = {
        "session": session,
        "nav": NAV,
        "asked": asked,
        "fingers": FINGERS,
        "limits": LIMITS,
    }
    return render(request, "biometrics_search.html", context, status_code=status)


def _search_record(
    request: Request,
    db: Database,
    session: PageSession,
    search_id: str,
    *,
    refused: DecisionRefused | None = None,
    status: int = 200,
) -> Response:
    """A search seen again: its candidates and the decisions taken, without its probe."""
    try:
        with reading(db) as uow:
            search = service.get_search(uow, actor=session.actor, search_id=search_id)
    except VigilError as exc:
        return error_page(request, session, exc)
    return _candidates(request, session, search, None, refused=refused, status=status)


def _candidates(
    request: Request,
    session: PageSession,
    search: Search,
    probe: Probe | None,
    *,
    refused: DecisionRefused | None = None,
    status: int = 200,
) -> Response:
    """The examiner's view: the probe (when the answer still holds it) beside each candidate."""
    context = {
        "session": session,
        "nav": NAV,
        "search": search,
        "probe": probe,
        "refused": refused,
        "decisions": list(Decision),
        "fingers": FINGERS,
    }
    return render(request, "biometrics_candidates.html", context, status_code=status)


def _data_url(data: bytes) -> str | None:
    """The probe as a data: URL for the page to show, never written anywhere (None for an
    image a browser does not show, such as TIFF)."""
    media_type = _image_type(data)
    if media_type is None:
        return None
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def _image_type(data: bytes) -> str | None:
    return images.shown_type(data)
