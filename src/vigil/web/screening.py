"""The frontline page: one check of a traveller (MRZ or document, name, and optionally a face
photo) with the one answer and what to do, and a passenger list checked at once. Both are form
posts: an MRZ, a name or a list never goes in an address. A photo is read into memory, handed
to the check and forgotten: it is never written anywhere."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError

from vigil import settings
from vigil.access.roles import forbid_unless
from vigil.api.deps import DbDep, reading, writing
from vigil.errors import InvalidInput, VigilError
from vigil.screening import check as checking
from vigil.screening import lists
from vigil.screening.models import CheckAnswer, ManifestIn, PartnerAnswer, TravellerIn
from vigil.storage.engine import Database
from vigil.web.forms import Problem, problems_of
from vigil.web.pages import error_page, read_upload, to_login
from vigil.web.session import PageSession, check_csrf, current
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)

NAV = "screening"
MAX_PHOTO_BYTES = 20 * 1024 * 1024
MAX_LIST_BYTES = 20 * 1024 * 1024
DIRECTIONS = ("arrival", "departure", "transit")
UploadField = Annotated[UploadFile | None, File()]


class TravellerForm(BaseModel):
    """The traveller form as typed, all text: shown again with the answer or the refusal."""

    csrf_token: str = ""
    mrz: str = ""
    document_number: str = ""
    issuing_state: str = ""
    name: str = ""
    birth_date: str = ""
    nationality: str = ""
    sex: str = ""
    direction: str = ""

    def traveller(self) -> TravellerIn:
        """The traveller the form describes (``ValidationError`` names the fields at fault)."""
        number, state = self.document_number.strip(), self.issuing_state.strip().upper()
        fields: dict[str, Any] = {
            "mrz": self.mrz.strip(), "name": self.name.strip(),
            "birth_date": self.birth_date.strip(), "nationality": self.nationality.strip().upper(),
            "sex": self.sex, "direction": self.direction,
        }  # fmt: skip
        if number or state:
            fields["document"] = {"number": number, "issuing_state": state}
        return TravellerIn.model_validate({k: v for k, v in fields.items() if v})


@router.get("/screening")
def screening_page(request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        forbid_unless(session.actor.role, "screening.check")  # spares a form that would fail
    except VigilError as exc:
        return error_page(request, session, exc)
    return render(request, "screening.html", _context(session, TravellerForm()))


@router.post("/screening")
def check_traveller(
    request: Request,
    db: DbDep,
    form: Annotated[TravellerForm, Form()],
    photo: UploadField = None,
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    context = _context(session, form)
    try:
        # Read before anything else: the spooled upload is closed, and so gone, at once.
        image = read_upload(photo, MAX_PHOTO_BYTES)
        check_csrf(session, form.csrf_token)
        traveller = form.traveller()
        answer = _check(db, session, traveller, image)
        partner = isinstance(answer, PartnerAnswer)
        context.update(answer=answer, partner=partner, with_photo=image is not None)
    except ValidationError as exc:
        context["problems"] = problems_of(exc)
        return render(request, "screening.html", context, status_code=422)
    except VigilError as exc:
        context["problems"] = [Problem("", exc.detail)]
        return render(request, "screening.html", context, status_code=exc.status)
    return render(request, "screening.html", context)


def _check(
    db: Database, session: PageSession, traveller: TravellerIn, photo: bytes | None
) -> CheckAnswer | PartnerAnswer:
    if photo is None:
        with reading(db) as uow:
            return checking.check(uow, actor=session.actor, traveller=traveller)
    # A face search records its candidates for the examiner (never the photo): a writing unit.
    with writing(db) as uow:
        return checking.check(uow, actor=session.actor, traveller=traveller, photo=photo)


def _context(session: PageSession, form: TravellerForm) -> dict[str, Any]:
    return {
        "session": session,
        "nav": NAV,
        "form": form,
        "problems": [],
        "directions": DIRECTIONS,
    }


@router.get("/screening/manifest")
def manifest_page(request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        forbid_unless(session.actor.role, "screening.check")
    except VigilError as exc:
        return error_page(request, session, exc)
    return render(request, "screening_manifest.html", _list_context(session, "", ""))


@router.post("/screening/manifest")
def check_manifest(
    request: Request,
    db: DbDep,
    csrf_token: Annotated[str, Form()] = "",
    reference: Annotated[str, Form()] = "",
    direction: Annotated[str, Form()] = "",
    manifest: UploadField = None,
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    context = _list_context(session, reference, direction)
    try:
        check_csrf(session, csrf_token)
        data = read_upload(manifest, MAX_LIST_BYTES)
        if data is None:
            raise InvalidInput("Choose a passenger list to upload.")
        context["filename"] = manifest.filename if manifest else ""
        listed = lists.read_list(data, context["filename"] or "").model_dump(exclude_none=True)
        # What the form says of the flight or vessel, over what the file says.
        given = {"reference": reference.strip(), "direction": direction}
        manifest_in = ManifestIn.model_validate(listed | {k: v for k, v in given.items() if v})
        with reading(db) as uow:  # the list's record is written after, by its event
            answer = checking.manifest(uow, actor=session.actor, manifest_in=manifest_in)
    except ValidationError as exc:
        context["error"] = "; ".join(p.message for p in problems_of(exc))
        return render(request, "screening_manifest.html", context, status_code=422)
    except VigilError as exc:
        context["error"] = exc.detail
        return render(request, "screening_manifest.html", context, status_code=exc.status)
    rows = list(zip(manifest_in.travellers, answer.results, strict=True))
    context.update(answer=answer, rows=rows)
    return render(request, "screening_manifest.html", context)


def _list_context(session: PageSession, reference: str, direction: str) -> dict[str, Any]:
    return {
        "session": session,
        "nav": NAV,
        "reference": reference,
        "direction": direction,
        "directions": DIRECTIONS,
        "limit": settings.MANIFEST_MAX,
    }
