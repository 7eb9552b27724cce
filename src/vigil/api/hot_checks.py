"""The border's document check, answered before the framework's routing when it can be.

``POST /api/v1/documents/check`` is nearly all of a border's traffic, and FastAPI's path to
the route (routing, dependency solving, a ``Request``, the exception middleware, a
``Response``) cost a third of a served check's CPU: 1.07-1.09 ms a check with it, 0.72-0.77 ms
without (one worker, the small world, a 2 vCPU AMD EPYC; BENCHMARKS.md, issue 4). This
middleware, the innermost, answers the common case itself: a bearer token authenticated a
moment ago (``access.cached_token_actor``) and a JSON body that is a valid ``DocumentQuery``.
It runs the route's own function (``routers.documents.answer_check``) and sends the same
answer; the body limit and the security headers apply as to every answer.

Anything else goes on to the app unchanged, its body replayed: no bearer token (a session
cookie), a token not seen a moment ago, an invalid body, another content type. So
authentication against the database, validation and their problem documents stay in one
place. An error raised by the check itself is answered as the app's handlers answer it
(``problems.response_for``).
"""

from __future__ import annotations

import orjson
from fastapi.security.utils import get_authorization_scheme_param
from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vigil.access import service as access
from vigil.access.actors import Actor
from vigil.api import problems
from vigil.api.routers.documents import answer_check
from vigil.documents.models import DocumentQuery

PATH = "/api/v1/documents/check"

# A check's body is a number and a state, or an MRZ (at most 400 characters): bigger bodies
# are left to the app, whose limit and errors apply.
_MOST_BYTES = 4096


class HotChecks:
    """Answers a document check with a cached token and a valid body; else calls ``app``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        actor = _cached_actor(scope["headers"])
        if actor is None:
            await self.app(scope, receive, send)
            return
        body, whole = await _body(receive)
        query = _query(body) if whole else None
        if query is None:
            await self.app(scope, _replayed(body, receive), send)
            return
        try:
            answer = await answer_check(scope["app"].state.db, actor, query)
        except Exception as exc:  # answered as the app's handlers answer it, or raised on
            response = problems.response_for(exc, PATH)
            if response is None:
                raise
            await response(scope, receive, send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-length", str(len(answer)).encode()),
                    (b"content-type", b"application/json"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": answer})


def _cached_actor(headers: list[tuple[bytes, bytes]]) -> Actor | None:
    """The actor behind a bearer token seen a moment ago, when the body is JSON; else None."""
    authorization = content_type = None
    for name, value in headers:
        # The first of each, as the app reads them.
        if name == b"authorization" and authorization is None:
            authorization = value
        elif name == b"content-type" and content_type is None:
            content_type = value
    if authorization is None or content_type is None:
        return None
    if content_type.split(b";")[0].strip().lower() != b"application/json":
        return None
    # Split as the app's ``HTTPBearer`` splits it (Starlette decodes headers as Latin-1).
    scheme, token = get_authorization_scheme_param(authorization.decode("latin-1"))
    if scheme.lower() != "bearer" or not token:
        return None  # a token goes before a session cookie; without one the app decides
    return access.cached_token_actor(token)


async def _body(receive: Receive) -> tuple[list[Message], bool]:
    """The request's messages, up to ``_MOST_BYTES`` of body, and whether they hold the whole
    body (not when it is longer, or the client left)."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, False  # a disconnect: the app sees it
        size += len(message.get("body", b""))
        if not message.get("more_body", False):
            return messages, True
        if size > _MOST_BYTES:
            return messages, False


def _query(messages: list[Message]) -> DocumentQuery | None:
    """The body as the route would take it (JSON, then the model), or None if it is not one."""
    try:
        data = orjson.loads(b"".join(m.get("body", b"") for m in messages))
        return DocumentQuery.model_validate(data)
    except (orjson.JSONDecodeError, ValidationError):
        return None


def _replayed(messages: list[Message], receive: Receive) -> Receive:
    """``receive`` as if nothing had been read: the messages read first, then the rest."""
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay
