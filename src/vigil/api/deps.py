"""Dependencies shared by routers: the database, the actor, pages, units of work."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from vigil.access import secrets
from vigil.access import service as access
from vigil.access.actors import Actor
from vigil.api.turns import turns
from vigil.core.pagination import PageRequest, page_request
from vigil.errors import Forbidden, InvalidInput, Unauthenticated
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork

SESSION_COOKIE = "vigil_session"
CSRF_HEADER = "X-CSRF-Token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

bearer = HTTPBearer(auto_error=False, description="An API token: `vigil users add` prints one.")


# Dependencies that do no I/O are async: a sync one costs each request a hop to the threadpool.
async def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


DbDep = Annotated[Database, Depends(get_db)]


async def get_actor(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor:
    """The caller, from a bearer token or (for the web workspace) a session cookie.

    A token seen a moment ago is answered from memory; otherwise the database is read in the
    threadpool, so the event loop never waits on it. The cookie and the CSRF header are read
    from the request, not declared as dependencies: every API call pays for each dependency.
    """
    token = credentials.credentials if credentials is not None else None
    if token is not None:
        cached = access.cached_token_actor(token)
        if cached is not None:
            return cached
    return await run_in_threadpool(
        authenticate,
        request.app.state.db,
        request.method,
        token=token,
        cookie=request.cookies.get(SESSION_COOKIE),
        csrf=request.headers.get(CSRF_HEADER),
    )


def authenticate(
    db: Database, method: str, *, token: str | None, cookie: str | None, csrf: str | None
) -> Actor:
    """Authenticate by token, else by session cookie.

    A cookie travels with every request the browser makes, so unsafe methods authenticated
    by cookie must also carry the session's CSRF token in a header.
    """
    with UnitOfWork(db, write=False) as uow:
        if token is not None:
            return access.authenticate_token(uow, token)
        if cookie:
            actor, expected = access.authenticate_session(uow, cookie)
            if method not in _SAFE_METHODS and not (csrf and secrets.same(csrf, expected)):
                raise Forbidden("The CSRF token is missing or wrong.")
            return actor
    raise Unauthenticated("Send an API token: Authorization: Bearer <token>.")


def reauthenticate(db: Database, request: Request) -> Actor:
    """Authenticate a long-lived request again (a stream stops when its token is revoked);
    a token seen a moment ago is answered from memory, as ``get_actor`` does."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        cached = access.cached_token_actor(token.strip())
        if cached is not None:
            return cached
    return authenticate(
        db,
        "GET",
        token=token.strip() if scheme.lower() == "bearer" and token.strip() else None,
        cookie=request.cookies.get(SESSION_COOKIE),
        csrf=None,
    )


ActorDep = Annotated[Actor, Depends(get_actor)]


async def get_page(
    cursor: Annotated[
        str | None, Query(description="From the previous page's next_cursor.")
    ] = None,
    limit: Annotated[int | None, Query(description="Items per page, 1 to 500.")] = None,
) -> PageRequest:
    return page_request(cursor, limit)


PageDep = Annotated[PageRequest, Depends(get_page)]


def reading(db: Database) -> UnitOfWork:
    """A read-only unit of work: its audit entries are durable before the answer leaves."""
    return UnitOfWork(db, write=False)


@asynccontextmanager
async def reading_in_loop(db: Database) -> AsyncIterator[UnitOfWork]:
    """A read-only unit for the event loop, in its turn (``api.turns``): short indexed reads
    only, then ``await uow.durable()`` before answering (the hot paths of name screening and
    the traveller check; the document check is run by the group writer's thread instead)."""
    async with turns().turn():
        with UnitOfWork(db, write=False, durable_later=True) as uow:
            yield uow


def writing(db: Database) -> UnitOfWork:
    """A writing unit of work: one commit, events handled after it."""
    return UnitOfWork(db, write=True)


def client_address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


JSON_LINES = ("application/x-ndjson", "application/jsonl")


async def json_lines(request: Request) -> bytes:
    """The body of a bulk load sent as JSON Lines, or ``InvalidInput`` for another type."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    if content_type not in JSON_LINES:
        raise InvalidInput("Send JSON Lines (application/x-ndjson).")
    return await request.body()
