"""Who is signed in to the workspace, and the CSRF checks of its forms."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from vigil.access import secrets
from vigil.access import service as access
from vigil.access.actors import Actor
from vigil.api.deps import SESSION_COOKIE
from vigil.errors import Forbidden, Unauthenticated
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork

LOGIN_CSRF_COOKIE = "vigil_login_csrf"


@dataclass(frozen=True, slots=True)
class PageSession:
    actor: Actor
    csrf_token: str


def current(request: Request, db: Database) -> PageSession | None:
    """The signed-in actor, or None (the page then sends the browser to sign in)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        with UnitOfWork(db, write=False) as uow:
            actor, csrf = access.authenticate_session(uow, cookie)
    except Unauthenticated:
        return None
    return PageSession(actor=actor, csrf_token=csrf)


def check_csrf(session: PageSession, submitted: str | None) -> None:
    """A form must carry the session's CSRF token (synchroniser token pattern)."""
    if not submitted or not secrets.same(submitted, session.csrf_token):
        raise Forbidden("The form has expired; reload the page and try again.")


def check_login_csrf(request: Request, submitted: str | None) -> None:
    """The sign-in form has no session yet: its token is checked against a cookie instead."""
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not submitted or not expected or not secrets.same(submitted, expected):
        raise Forbidden("The form has expired; reload the page and try again.")
