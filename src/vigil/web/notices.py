"""Notices in the workspace: the list, the reviewers' queue, one notice with its history and
checklist, and the buttons of its lifecycle (request, withdraw, cancel, take up, decide). Each
handler calls one service function; a refused action shows the notice again with the reason
beside the form that failed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from vigil.access.actors import Actor
from vigil.api.deps import DbDep, reading, writing
from vigil.core.pagination import Page, page_request
from vigil.errors import InvalidInput, VigilError
from vigil.notices import review as reviewing
from vigil.notices import service
from vigil.notices.kinds import KINDS
from vigil.notices.models import (
    AWAITING_REVIEW,
    Channel,
    Decision,
    DiffusionDecision,
    DiffusionReviewIn,
    DiffusionType,
    Notice,
    NoticeType,
    ReasonsIn,
    ReviewIn,
    State,
)
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork
from vigil.web.forms import Problem, problems_of
from vigil.web.pages import error_page, to_login
from vigil.web.session import PageSession, check_csrf, current
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
NAV = "notices"


@dataclass(frozen=True, slots=True)
class Filters:
    """What the list is narrowed to, as typed in its filter form."""

    type: str = ""
    state: str = ""
    channel: str = ""

    def type_value(self) -> str | None:
        if self.type and self.type not in KINDS:
            raise InvalidInput(f"Unknown notice or diffusion type {self.type!r}.")
        return self.type or None

    def state_value(self) -> State | None:
        try:
            return State(self.state) if self.state else None
        except ValueError:
            raise InvalidInput(f"Unknown state {self.state!r}.") from None

    def channel_value(self) -> Channel | None:
        try:
            return Channel(self.channel) if self.channel else None
        except ValueError:
            raise InvalidInput(f"Unknown channel {self.channel!r}.") from None

    def link(self, path: str, cursor: str) -> str:
        """The next page's address, with the same filters."""
        fields = {"type": self.type, "state": self.state, "channel": self.channel}
        fields["cursor"] = cursor
        return f"{path}?" + urlencode({name: value for name, value in fields.items() if value})


@router.get("/notices")
def notices_page(
    request: Request,
    db: DbDep,
    cursor: str | None = None,
    type: str = "",
    state: str = "",
    channel: str = "",
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    filters = Filters(type.strip(), state.strip(), channel.strip())

    def listed(uow: UnitOfWork) -> Page[Notice]:
        return service.list_notices(
            uow,
            actor=session.actor,
            page=page_request(cursor, PAGE_SIZE),
            state=filters.state_value(),
            type_=filters.type_value(),
            channel=filters.channel_value(),
        )

    return _list(request, db, session, filters, listed, queue=False)


@router.get("/notices/review")
def review_queue_page(
    request: Request, db: DbDep, cursor: str | None = None, type: str = "", channel: str = ""
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    filters = Filters(type=type.strip(), channel=channel.strip())

    def listed(uow: UnitOfWork) -> Page[Notice]:
        return reviewing.review_queue(
            uow,
            actor=session.actor,
            page=page_request(cursor, PAGE_SIZE),
            type_=filters.type_value(),
            channel=filters.channel_value(),
        )

    return _list(request, db, session, filters, listed, queue=True)


@router.get("/notices/{notice_id}")
def notice_page(notice_id: str, request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    return _notice(request, db, session, notice_id)


@router.post("/notices/{notice_id}/request")
def request_notice(
    notice_id: str, request: Request, db: DbDep, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    def act(uow: UnitOfWork, actor: Actor) -> None:
        service.request(uow, actor=actor, notice_id=notice_id)

    return _act(request, db, notice_id, csrf_token, "request", act)


@router.post("/notices/{notice_id}/withdraw")
def withdraw_notice(
    notice_id: str,
    request: Request,
    db: DbDep,
    csrf_token: Annotated[str, Form()] = "",
    reasons: Annotated[str, Form()] = "",
) -> Response:
    def act(uow: UnitOfWork, actor: Actor) -> None:
        said = ReasonsIn(reasons=reasons.strip()).reasons
        service.withdraw(uow, actor=actor, notice_id=notice_id, reasons=said)

    return _act(request, db, notice_id, csrf_token, "withdraw", act)


@router.post("/notices/{notice_id}/cancel")
def cancel_notice(
    notice_id: str,
    request: Request,
    db: DbDep,
    csrf_token: Annotated[str, Form()] = "",
    reasons: Annotated[str, Form()] = "",
) -> Response:
    def act(uow: UnitOfWork, actor: Actor) -> None:
        said = ReasonsIn(reasons=reasons.strip()).reasons
        service.cancel(uow, actor=actor, notice_id=notice_id, reasons=said)

    return _act(request, db, notice_id, csrf_token, "cancel", act)


@router.post("/notices/{notice_id}/take-up")
def take_up_notice(
    notice_id: str, request: Request, db: DbDep, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    def act(uow: UnitOfWork, actor: Actor) -> None:
        reviewing.take_up(uow, actor=actor, notice_id=notice_id)

    return _act(request, db, notice_id, csrf_token, "take_up", act)


@router.post("/notices/{notice_id}/review")
def review_notice(
    notice_id: str,
    request: Request,
    db: DbDep,
    csrf_token: Annotated[str, Form()] = "",
    decision: Annotated[str, Form()] = "",
    reasons: Annotated[str, Form()] = "",
) -> Response:
    def act(uow: UnitOfWork, actor: Actor) -> None:
        said = ReviewIn.model_validate({"decision": decision, "reasons": reasons.strip()})
        reviewing.review(
            uow, actor=actor, notice_id=notice_id, decision=said.decision, reasons=said.reasons
        )

    return _act(request, db, notice_id, csrf_token, "review", act)


@router.post("/diffusions/{notice_id}/review")
def review_diffusion(
    notice_id: str,
    request: Request,
    db: DbDep,
    csrf_token: Annotated[str, Form()] = "",
    decision: Annotated[str, Form()] = "",
    reasons: Annotated[str, Form()] = "",
) -> Response:
    def act(uow: UnitOfWork, actor: Actor) -> None:
        said = DiffusionReviewIn.model_validate({"decision": decision, "reasons": reasons.strip()})
        reviewing.review_diffusion(
            uow, actor=actor, notice_id=notice_id, decision=said.decision, reasons=said.reasons
        )

    return _act(request, db, notice_id, csrf_token, "review_diffusion", act)


def _list(
    request: Request,
    db: Database,
    session: PageSession,
    filters: Filters,
    listed: Callable[[UnitOfWork], Page[Notice]],
    *,
    queue: bool,
) -> Response:
    """The list page (or the reviewers' queue), with its filters."""
    filter_error = None
    try:
        with reading(db) as uow:
            page = listed(uow)
    except InvalidInput as exc:
        page, filter_error = None, exc.detail  # an unknown type or state, a tampered cursor
    except VigilError as exc:
        return error_page(request, session, exc)
    path = "/notices/review" if queue else "/notices"
    context = {
        "session": session,
        "nav": NAV,
        "queue": queue,
        "path": path,
        "page": page,
        "next_link": filters.link(path, page.next_cursor) if page and page.next_cursor else None,
        "filters": filters,
        "filter_error": filter_error,
        "types": [*NoticeType, *DiffusionType],
        "states": sorted(AWAITING_REVIEW) if queue else list(State),
        "channels": list(Channel),
    }
    return render(request, "notices.html", context)


def _act(
    request: Request,
    db: Database,
    notice_id: str,
    csrf_token: str,
    action: str,
    act: Callable[[UnitOfWork, Actor], None],
) -> Response:
    """One button of the notice page: done, back to the notice; refused, the notice again
    with the reason beside the button's form."""
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        check_csrf(session, csrf_token)
        with writing(db) as uow:
            act(uow, session.actor)
    except ValidationError as exc:
        problems, status = [Problem(action, p.message) for p in problems_of(exc)], 422
    except VigilError as exc:
        problems, status = [Problem(action, exc.detail)], exc.status
    else:
        return RedirectResponse(f"/notices/{notice_id}", status_code=303)
    return _notice(request, db, session, notice_id, problems=problems, status=status)


def _notice(
    request: Request,
    db: Database,
    session: PageSession,
    notice_id: str,
    *,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    try:
        with reading(db) as uow:
            dossier = service.dossier(uow, actor=session.actor, notice_id=notice_id)
    except VigilError as exc:
        return error_page(request, session, exc)
    context = {
        "session": session,
        "nav": NAV,
        "dossier": dossier,
        "notice": dossier.notice,
        "kind": KINDS[dossier.notice.type],
        "problems": problems or [],
        "decisions": list(Decision),
        "diffusion_decisions": list(DiffusionDecision),
    }
    return render(request, "notices_notice.html", context, status_code=status)
