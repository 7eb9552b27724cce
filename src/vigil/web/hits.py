"""Hits in the workspace: the member's hits (on its records, or from its checks) with their
deadlines, and one hit with its messages and the forms of its follow-up: the owner confirms or
denies the identity, the checking member records the action taken, either writes a note. Each
handler calls one service function; a refused form shows the hit again with the reason beside
it, as typed. The member's NCB also sets its own deadlines, in minutes by urgency."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from vigil.access.actors import Actor
from vigil.api.deps import DbDep, reading, writing
from vigil.core.pagination import page_request
from vigil.errors import InvalidInput, VigilError
from vigil.screening import followup
from vigil.screening.models import (
    ActionIn,
    ActionTaken,
    DeadlinesIn,
    HitStatus,
    Identity,
    IdentityIn,
    NoteIn,
)
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork
from vigil.web.forms import Problem, problems_of
from vigil.web.pages import error_page, to_login
from vigil.web.session import PageSession, check_csrf, current
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
NAV = "hits"
ROLES = ("owner", "checking")


@dataclass(frozen=True, slots=True)
class Filters:
    """What the list is narrowed to, as typed in its filter form."""

    role: str = ""
    status: str = ""

    def status_value(self) -> HitStatus | None:
        try:
            return HitStatus(self.status) if self.status else None
        except ValueError:
            raise InvalidInput(f"Unknown status {self.status!r}.") from None

    def link(self, cursor: str) -> str:
        """The next page's address, with the same filters."""
        fields = {"role": self.role, "status": self.status, "cursor": cursor}
        return "/hits?" + urlencode({name: value for name, value in fields.items() if value})


@dataclass(frozen=True, slots=True)
class Typed:
    """What the officer typed in the form that was refused, to show it again."""

    form: str = ""
    values: dict[str, str] = field(default_factory=dict)


@router.get("/hits")
def hits_page(
    request: Request, db: DbDep, cursor: str | None = None, role: str = "", status: str = ""
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    filters = Filters(role.strip(), status.strip())
    filter_error = None
    try:
        with reading(db) as uow:
            page = followup.list_hits(
                uow,
                actor=session.actor,
                page=page_request(cursor, PAGE_SIZE),
                role=filters.role or None,
                status=filters.status_value(),
            )
    except InvalidInput as exc:
        page, filter_error = None, exc.detail  # an unknown role or status, a tampered cursor
    except VigilError as exc:
        return error_page(request, session, exc)
    context = {
        "session": session,
        "nav": NAV,
        "page": page,
        "next_link": filters.link(page.next_cursor) if page and page.next_cursor else None,
        "filters": filters,
        "filter_error": filter_error,
        "roles": ROLES,
        "statuses": list(HitStatus),
    }
    return render(request, "hits.html", context)


@router.get("/hits/deadlines")  # before /hits/{hit_id}, which would take it for a hit
def deadlines_page(request: Request, db: DbDep, saved: bool = False) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    return _deadlines(request, db, session, saved=saved)


@router.post("/hits/deadlines")
def set_deadlines(
    request: Request,
    db: DbDep,
    csrf_token: Annotated[str, Form()] = "",
    urgent: Annotated[str, Form()] = "",
    routine: Annotated[str, Form()] = "",
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    typed = Typed("deadlines", {"urgent": urgent, "routine": routine})
    try:
        check_csrf(session, csrf_token)
        change = DeadlinesIn.model_validate({"urgent": urgent.strip() or None,
                                             "routine": routine.strip() or None})  # fmt: skip
        with writing(db) as uow:
            followup.set_deadlines(uow, actor=session.actor, change=change)
    except ValidationError as exc:
        problems, status = problems_of(exc), 422
    except VigilError as exc:
        problems, status = [Problem("", exc.detail)], exc.status
    else:
        return RedirectResponse("/hits/deadlines?saved=true", status_code=303)
    return _deadlines(request, db, session, problems=problems, typed=typed, status=status)


@router.get("/hits/{hit_id}")
def hit_page(hit_id: str, request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    return _hit(request, db, session, hit_id)


@router.post("/hits/{hit_id}/identity")
def answer_identity(
    hit_id: str,
    request: Request,
    db: DbDep,
    csrf_token: Annotated[str, Form()] = "",
    identity: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    def act(uow: UnitOfWork, actor: Actor) -> None:
        said = IdentityIn.model_validate({"identity": identity, "note": note.strip() or None})
        followup.answer_identity(
            uow, actor=actor, hit_id=hit_id, identity=Identity(said.identity), note=said.note
        )

    typed = Typed("identity", {"identity": identity, "note": note})
    return _act(request, db, hit_id, csrf_token, typed, act)


@router.post("/hits/{hit_id}/action")
def record_action(
    hit_id: str,
    request: Request,
    db: DbDep,
    csrf_token: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    def act(uow: UnitOfWork, actor: Actor) -> None:
        said = ActionIn.model_validate({"action": action, "reason": reason.strip() or None})
        followup.record_action(
            uow, actor=actor, hit_id=hit_id, action=ActionTaken(said.action), reason=said.reason
        )

    typed = Typed("action", {"action": action, "reason": reason})
    return _act(request, db, hit_id, csrf_token, typed, act)


@router.post("/hits/{hit_id}/notes")
def add_note(
    hit_id: str,
    request: Request,
    db: DbDep,
    csrf_token: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
) -> Response:
    def act(uow: UnitOfWork, actor: Actor) -> None:
        said = NoteIn.model_validate({"text": text.strip()})
        followup.add_note(uow, actor=actor, hit_id=hit_id, text=said.text)

    return _act(request, db, hit_id, csrf_token, Typed("note", {"text": text}), act)


def _act(
    request: Request,
    db: Database,
    hit_id: str,
    csrf_token: str,
    typed: Typed,
    act: Callable[[UnitOfWork, Actor], None],
) -> Response:
    """One form of the hit page: done, back to the hit; refused, the hit again with the
    reason beside the form, as typed."""
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        check_csrf(session, csrf_token)
        with writing(db) as uow:
            act(uow, session.actor)
    except ValidationError as exc:
        problems = [Problem(typed.form, p.message) for p in problems_of(exc)]
        return _hit(request, db, session, hit_id, problems=problems, typed=typed, status=422)
    except VigilError as exc:
        problems = [Problem(typed.form, exc.detail)]
        return _hit(request, db, session, hit_id, problems=problems, typed=typed,
                    status=exc.status)  # fmt: skip
    return RedirectResponse(f"/hits/{hit_id}", status_code=303)


def _hit(
    request: Request,
    db: Database,
    session: PageSession,
    hit_id: str,
    *,
    problems: list[Problem] | None = None,
    typed: Typed | None = None,
    status: int = 200,
) -> Response:
    try:
        with reading(db) as uow:
            hit = followup.get(uow, actor=session.actor, hit_id=hit_id)
    except VigilError as exc:
        return error_page(request, session, exc)
    context = {
        "session": session,
        "nav": NAV,
        "hit": hit,
        "problems": problems or [],
        "typed": typed or Typed(),
        "identities": list(Identity),
        "actions_taken": list(ActionTaken),
    }
    return render(request, "hits_hit.html", context, status_code=status)


def _deadlines(
    request: Request,
    db: Database,
    session: PageSession,
    *,
    saved: bool = False,
    problems: list[Problem] | None = None,
    typed: Typed | None = None,
    status: int = 200,
) -> Response:
    try:
        with reading(db) as uow:
            deadlines = followup.deadlines(uow, actor=session.actor)
    except VigilError as exc:
        return error_page(request, session, exc)
    context = {
        "session": session,
        "nav": NAV,
        "deadlines": deadlines,
        "saved": saved,
        "problems": problems or [],
        "typed": typed or Typed(),
    }
    return render(request, "hits_deadlines.html", context, status_code=status)
