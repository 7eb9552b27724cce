"""The owner's notice forms in the workspace: the type chooser, the form of each notice type,
its edit, and the diffusion form. Each handler calls one service function; a refused form
comes back as typed (HTTP 422), each reason beside its input."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from vigil.access.envelope import HANDLING_MEANING
from vigil.access.roles import forbid_unless
from vigil.api.deps import DbDep, reading, writing
from vigil.errors import Forbidden, NotFound, VigilError
from vigil.notices import service
from vigil.notices.kinds import KINDS, PUBLIC_TYPES
from vigil.notices.models import Action, Channel, DiffusionType, NoticeType
from vigil.storage.engine import Database
from vigil.web.forms import Problem
from vigil.web.notice_forms import SANCTIONS, NoticeForm, Refused, group_key
from vigil.web.pages import error_page, to_login
from vigil.web.session import PageSession, check_csrf, current
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)

NAV = "notices"


@router.get("/notices/new")
def new_notice_page(request: Request, db: DbDep, type: str = "", person_id: str = "") -> Response:
    return _blank(request, db, Channel.NOTICE, type, person_id)


@router.post("/notices/new")
def create_notice(request: Request, db: DbDep, form: Annotated[NoticeForm, Form()]) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        check_csrf(session, form.csrf_token)
        notice_in = form.notice_in()
        with writing(db) as uow:
            made = service.create(uow, actor=session.actor, notice_in=notice_in)
    except (Refused, VigilError) as exc:
        return _refused(request, session, Channel.NOTICE, form, exc)
    return RedirectResponse(f"/notices/{made.id}", status_code=303)


@router.get("/notices/{notice_id}/edit")
def edit_notice_page(notice_id: str, request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        with reading(db) as uow:
            dossier = service.dossier(uow, actor=session.actor, notice_id=notice_id)
        if Action.CHANGE not in dossier.actions:
            raise Forbidden("Only the member that requested a notice changes it, and not once "
                            "it has ended.")  # fmt: skip
    except VigilError as exc:
        return error_page(request, session, exc)
    form = NoticeForm.of(dossier.notice)
    return _form(request, session, Channel.NOTICE, form, notice_id=notice_id)


@router.post("/notices/{notice_id}/edit")
def change_notice(
    notice_id: str, request: Request, db: DbDep, form: Annotated[NoticeForm, Form()]
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        check_csrf(session, form.csrf_token)
        notice_in = form.notice_in()
        with writing(db) as uow:
            service.change(uow, actor=session.actor, notice_id=notice_id, notice_in=notice_in)
    except (Refused, VigilError) as exc:
        return _refused(request, session, Channel.NOTICE, form, exc, notice_id=notice_id)
    return RedirectResponse(f"/notices/{notice_id}", status_code=303)


@router.get("/diffusions/new")
def new_diffusion_page(
    request: Request, db: DbDep, type: str = "", person_id: str = ""
) -> Response:
    return _blank(request, db, Channel.DIFFUSION, type, person_id)


@router.post("/diffusions/new")
def send_diffusion(request: Request, db: DbDep, form: Annotated[NoticeForm, Form()]) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        check_csrf(session, form.csrf_token)
        diffusion_in = form.diffusion_in()
        with writing(db) as uow:
            made = service.diffuse(uow, actor=session.actor, diffusion_in=diffusion_in)
    except (Refused, VigilError) as exc:
        return _refused(request, session, Channel.DIFFUSION, form, exc)
    return RedirectResponse(f"/notices/{made.id}", status_code=303)


def _types(channel: Channel) -> list[StrEnum]:
    return list(NoticeType) if channel is Channel.NOTICE else list(DiffusionType)


def _blank(
    request: Request, db: Database, channel: Channel, type_: str, person_id: str
) -> Response:
    """The type chooser, or the empty form of the chosen type."""
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        forbid_unless(session.actor.role, "notices.request")  # spares a form that would fail
    except VigilError as exc:
        return error_page(request, session, exc)
    form = NoticeForm(type=type_, person_id=person_id.strip())
    if type_ not in _types(channel):
        status = 422 if type_ else 200  # an address naming no type of this channel
        return _form(request, session, channel, form, status=status, choose=True)
    return _form(request, session, channel, form)


def _refused(
    request: Request,
    session: PageSession,
    channel: Channel,
    form: NoticeForm,
    exc: Refused | VigilError,
    *,
    notice_id: str | None = None,
) -> Response:
    """The form again, as typed, with the reasons beside the inputs at fault."""
    if isinstance(exc, Refused):
        problems, status = exc.problems, 422
    elif isinstance(exc, NotFound) and notice_id is None:
        # The only record a new notice names is its person: one this member cannot see.
        problems, status = [Problem("person_id", exc.detail)], 422
    else:
        problems, status = [Problem("", exc.detail)], exc.status
    choose = form.type not in _types(channel)
    return _form(
        request, session, channel, form, notice_id=notice_id, problems=problems, status=status,
        choose=choose,
    )  # fmt: skip


def _form(
    request: Request,
    session: PageSession,
    channel: Channel,
    form: NoticeForm,
    *,
    notice_id: str | None = None,
    problems: list[Problem] | None = None,
    status: int = 200,
    choose: bool = False,
) -> Response:
    kind = None if choose else KINDS[form.type]
    context = {
        "session": session,
        "nav": NAV,
        "channel": channel.value,
        "form": form,
        "notice_id": notice_id,
        "kind": kind,
        "rows": form.shown() if kind else [],
        "groups": [group_key(names) for names in kind.any_of] if kind else [],
        "public": channel is Channel.NOTICE and form.type in PUBLIC_TYPES,
        "types": _types(channel),
        "choose": choose,
        "problems": problems or [],
        "handlings": list(HANDLING_MEANING),
        "sanctions": SANCTIONS,
    }
    return render(request, "notices_form.html", context, status_code=status)
