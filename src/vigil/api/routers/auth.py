"""Signing in and out of the web workspace, and who am I."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from vigil import settings
from vigil.access import service as access
from vigil.access.models import WebSession
from vigil.api.deps import SESSION_COOKIE, ActorDep, DbDep, client_address, writing
from vigil.api.schemas import LoginIn, Me, SessionOut
from vigil.errors import Unauthenticated

router = APIRouter(prefix="/api/v1", tags=["auth"])


def cookie_secure(request: Request) -> bool:
    """Whether the session cookie is Secure: always, never, or when the request came over TLS."""
    if settings.COOKIE_SECURE == "auto":
        return request.url.scheme == "https"
    return settings.COOKIE_SECURE.lower() in {"1", "true", "yes", "on"}


def set_session_cookie(response: Response, request: Request, session: WebSession) -> None:
    """The session cookie: HTTP-only (no script reads it), SameSite=Lax, Secure over HTTPS."""
    response.set_cookie(
        SESSION_COOKIE,
        session.cookie,
        max_age=settings.SESSION_TTL_HOURS * 3600,
        httponly=True,
        secure=cookie_secure(request),
        samesite="lax",
        path="/",
    )


@router.post("/auth/login")
def login(body: LoginIn, request: Request, response: Response, db: DbDep) -> SessionOut:
    """Sign in with a login and password; sets the session cookie and returns the CSRF token."""
    with writing(db) as uow:
        result = access.attempt_login(
            uow, login=body.login, password=body.password, client=client_address(request)
        )
    if result is None:
        raise Unauthenticated("Wrong login or password.")
    actor, session = result
    set_session_cookie(response, request, session)
    return SessionOut(
        user_id=actor.user_id,
        member=actor.member,
        role=actor.role,
        name=actor.name,
        csrf_token=session.csrf_token,
        expires_at=session.expires_at,
    )


@router.post("/auth/logout", status_code=204)
def logout(request: Request, response: Response, actor: ActorDep, db: DbDep) -> None:
    """End the web session behind the cookie."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        with writing(db) as uow:
            access.logout(uow, actor=actor, cookie=cookie)
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.get("/me")
def me(actor: ActorDep) -> Me:
    """The caller's user, member, role and networks."""
    return Me(
        user_id=actor.user_id,
        member=actor.member,
        role=actor.role,
        name=actor.name,
        networks=sorted(actor.networks),
    )
