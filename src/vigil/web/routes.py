"""Workspace pages: thin handlers that call one service function and render a template."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from vigil.access import secrets
from vigil.access import service as access
from vigil.alerts import service as alerts
from vigil.api.deps import SESSION_COOKIE, DbDep, client_address, reading, writing
from vigil.api.routers.auth import cookie_secure, set_session_cookie
from vigil.core.pagination import page_request
from vigil.documents.mrz import parse_mrz
from vigil.errors import VigilError
from vigil.records import service as records
from vigil.web.analysis import router as analysis_router
from vigil.web.biometrics import router as biometrics_router
from vigil.web.document_checks import router as checks_router
from vigil.web.documents import router as documents_router
from vigil.web.enrolments import router as enrolments_router
from vigil.web.hits import router as hits_router
from vigil.web.i18n import LANGUAGES
from vigil.web.intel import router as intel_router
from vigil.web.messages import router as messages_router
from vigil.web.name_equivalents import router as equivalents_router
from vigil.web.networks import router as networks_router
from vigil.web.notice_requests import router as notice_requests_router
from vigil.web.notices import router as notices_router
from vigil.web.pages import error_page, form_post, to_login
from vigil.web.persons import router as persons_router
from vigil.web.public_notices import router as public_notices_router
from vigil.web.screening import router as screening_router
from vigil.web.session import (
    LOGIN_CSRF_COOKIE,
    check_csrf,
    check_login_csrf,
    current,
)
from vigil.web.templating import LANG_COOKIE, render

STATIC = Path(__file__).parent / "static"

router = APIRouter(include_in_schema=False)


def mount(app: FastAPI) -> None:
    """Add the workspace pages and their static files to ``app``."""
    app.include_router(router)
    # Checks before reports: /documents/check must not be read as a report id.
    app.include_router(checks_router)
    app.include_router(documents_router)
    # The tables of equivalents before the records: /persons/equivalents is not a record id.
    app.include_router(equivalents_router)
    app.include_router(persons_router)
    app.include_router(enrolments_router)
    app.include_router(biometrics_router)
    # The forms before the notices: /notices/new must not be read as a notice id.
    app.include_router(notice_requests_router)
    app.include_router(notices_router)
    app.include_router(public_notices_router)
    app.include_router(screening_router)
    app.include_router(hits_router)
    app.include_router(networks_router)
    # Each router declares /new before /{id}: /messages/new must not be read as a thread id.
    app.include_router(messages_router)
    app.include_router(intel_router)
    app.include_router(analysis_router)
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")


def _safe_next(target: str | None) -> str:
    # Only paths on this site: an open redirect would help phishing.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/inbox"


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/inbox", status_code=303)


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> HTMLResponse:
    return _login_form(request, next)


def _login_form(
    request: Request, next: str | None, *, status: int = 200, detail: str | None = None
) -> HTMLResponse:
    # No session yet, so the form's CSRF token is checked against a cookie (double submit).
    token = secrets.new_secret()
    context = {
        "csrf_token": token,
        "next": _safe_next(next),
        "detail": detail,
        "failed": status if status != 200 else None,
    }
    response = render(request, "login.html", context, status_code=status)
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=cookie_secure(request)
    )
    return response


@router.post("/login")
def login(
    request: Request,
    db: DbDep,
    login: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/inbox",
) -> Response:
    try:
        check_login_csrf(request, csrf_token)
        with writing(db) as uow:
            result = access.attempt_login(
                uow, login=login, password=password, client=client_address(request)
            )
    except VigilError as exc:
        return _login_form(request, next, status=exc.status, detail=exc.detail)
    if result is None:
        return _login_form(request, next, status=401)
    _, session = result
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session_cookie(response, request, session)
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, db: DbDep, csrf_token: Annotated[str, Form()]) -> Response:
    session = current(request, db)
    if session is not None:
        try:
            check_csrf(session, csrf_token)
        except VigilError as exc:
            return error_page(request, session, exc)
        with writing(db) as uow:
            access.logout(uow, actor=session.actor, cookie=request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/lang/{code}")
def choose_language(code: str, next: str | None = None) -> RedirectResponse:
    response = RedirectResponse(_safe_next(next), status_code=303)
    if code in LANGUAGES:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 86400, samesite="lax")
    return response


@router.get("/inbox")
def inbox_page(
    request: Request, db: DbDep, cursor: str | None = None, unread: bool = False
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        with reading(db) as uow:
            # Read before the page: the live stream starts here, so an alert committed while
            # the page renders is sent by the stream rather than lost between the two.
            since = alerts.latest_seq(uow, actor=session.actor)
            page = alerts.inbox(
                uow, actor=session.actor, page=page_request(cursor, 50), unread_only=unread
            )
    except VigilError as exc:
        return error_page(request, session, exc)
    context = {
        "session": session,
        "page": page,
        "unread": unread,
        "nav": "inbox",
        "since": since,
        "live": cursor is None,  # older pages do not grow at the top
    }
    return render(request, "inbox.html", context)


@router.post("/inbox/{alert_id}/read")
def mark_read(
    alert_id: str, request: Request, db: DbDep, csrf_token: Annotated[str, Form()]
) -> Response:
    return form_post(
        request,
        db,
        csrf_token,
        lambda uow, actor: alerts.mark_read(uow, actor=actor, alert_id=alert_id),
        "/inbox",
    )


@router.get("/records")
def records_page(
    request: Request, db: DbDep, cursor: str | None = None, review_due: bool = False
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        with reading(db) as uow:
            page = records.list_records(
                uow, actor=session.actor, page=page_request(cursor, 50), review_due=review_due
            )
    except VigilError as exc:
        return error_page(request, session, exc)
    context = {"session": session, "page": page, "review_due": review_due, "nav": "records"}
    return render(request, "records.html", context)


@router.get("/records/{record_id}")
def record_page(record_id: str, request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        with reading(db) as uow:
            record = records.get(uow, actor=session.actor, record_id=record_id)
    except VigilError as exc:
        return error_page(request, session, exc)
    return render(request, "record.html", {"session": session, "record": record, "nav": "records"})


@router.get("/mrz")
def mrz_page(request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    return render(request, "mrz.html", {"session": session, "nav": "mrz"})


@router.post("/mrz")
def read_mrz(
    request: Request,
    db: DbDep,
    csrf_token: Annotated[str, Form()],
    mrz: Annotated[str, Form(max_length=400)],
    ocr: Annotated[bool, Form()] = False,
) -> Response:
    # A form post, not a query string: an MRZ is personal data and must stay out of URLs and logs.
    session = current(request, db)
    if session is None:
        return to_login(request)
    context: dict[str, object] = {"session": session, "nav": "mrz", "text": mrz, "ocr": ocr}
    try:
        check_csrf(session, csrf_token)
        context["parsed"] = parse_mrz(mrz, ocr_tolerant=ocr)
    except VigilError as exc:
        context["error"] = exc.detail
        return render(request, "mrz.html", context, status_code=exc.status)
    return render(request, "mrz.html", context)


@router.get("/account")
def account_page(request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    with reading(db) as uow:
        tokens = access.list_tokens(uow, actor=session.actor)
    return render(request, "account.html", {"session": session, "tokens": tokens, "nav": "account"})


@router.post("/account/tokens")
def issue_token(
    request: Request,
    db: DbDep,
    csrf_token: Annotated[str, Form()],
    label: Annotated[str, Form()],
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        check_csrf(session, csrf_token)
        with writing(db) as uow:
            issued = access.issue_token(uow, actor=session.actor, label=label)
        with reading(db) as uow:
            tokens = access.list_tokens(uow, actor=session.actor)
    except VigilError as exc:
        return error_page(request, session, exc)
    context = {"session": session, "tokens": tokens, "issued": issued, "nav": "account"}
    return render(request, "account.html", context, status_code=201)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(
    token_id: str, request: Request, db: DbDep, csrf_token: Annotated[str, Form()]
) -> Response:
    return form_post(
        request,
        db,
        csrf_token,
        lambda uow, actor: access.revoke_token(uow, actor=actor, token_id=token_id),
        "/account",
    )
