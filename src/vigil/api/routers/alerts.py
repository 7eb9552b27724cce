"""The member's alert inbox and its live stream (Server-Sent Events)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from vigil import settings
from vigil.access import service as access
from vigil.access.actors import Actor
from vigil.alerts import service as alerts
from vigil.alerts.broker import broker
from vigil.alerts.models import Alert
from vigil.api.deps import ActorDep, DbDep, PageDep, reading, reauthenticate, writing
from vigil.api.schemas import PageOut, UnreadCount
from vigil.errors import InvalidInput, VigilError
from vigil.storage.engine import Database

router = APIRouter(prefix="/api/v1", tags=["alerts"])


@router.get("/alerts")
def inbox(actor: ActorDep, db: DbDep, page: PageDep, unread: bool = False) -> PageOut[Alert]:
    """The member's alerts, newest first."""
    with reading(db) as uow:
        return PageOut.of(alerts.inbox(uow, actor=actor, page=page, unread_only=unread))


@router.get("/alerts/unread-count")
def unread_count(actor: ActorDep, db: DbDep) -> UnreadCount:
    """How many of the member's alerts are unread."""
    with reading(db) as uow:
        return UnreadCount(unread=alerts.unread_count(uow, actor=actor))


@router.post("/alerts/{alert_id}/read")
def mark_read(alert_id: str, actor: ActorDep, db: DbDep) -> Alert:
    """Mark an alert read for the whole bureau."""
    with writing(db) as uow:
        return alerts.mark_read(uow, actor=actor, alert_id=alert_id)


@router.get(
    "/alerts/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def stream(
    request: Request,
    actor: ActorDep,
    db: DbDep,
    since: Annotated[int | None, Query(description="Send alerts after this seq.")] = None,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> StreamingResponse:
    """New alerts as Server-Sent Events (``event: alert``, ``id`` = the alert's seq).

    Reconnecting with ``Last-Event-ID`` (browsers do) resumes where the stream stopped.
    """
    start = _start_seq(since, last_event_id)
    if start is None:
        start = await run_in_threadpool(_latest, db, actor)
    return StreamingResponse(
        _events(request, db, actor, start),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


# Seconds between checks that a stream's token still stands (revoked, or its user disabled:
# the stream ends). From the token cache, so nearly always without the database.
_AUTH_CHECK_SECONDS = 2.0


async def _events(request: Request, db: Database, actor: Actor, after: int) -> AsyncIterator[str]:
    broker.watch(db)
    waiter = broker.subscribe(actor.member)
    _, wake, _ = waiter
    loop = asyncio.get_running_loop()
    try:
        yield "retry: 3000\n: connected\n\n"
        while not await request.is_disconnected():
            try:
                # One hop to the thread pool a wake: authenticated again, then what came since.
                actor, batch = await run_in_threadpool(_next, db, request, after)
            except VigilError:
                return
            for alert in batch:
                after = alert.seq
                yield f"id: {alert.seq}\nevent: alert\ndata: {alert.model_dump_json()}\n\n"
            looked = loop.time()
            while True:
                try:
                    await asyncio.wait_for(wake.wait(), _AUTH_CHECK_SECONDS)
                    wake.clear()
                    break
                except TimeoutError:
                    if not await _still_allowed(db, request):
                        return
                    if loop.time() - looked >= settings.ALERT_STREAM_POLL_SECONDS:
                        yield ": keep-alive\n\n"
                        break
    finally:
        broker.unsubscribe(waiter)


async def _still_allowed(db: Database, request: Request) -> bool:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and access.cached_token_actor(token.strip()) is not None:
        return True
    try:
        await run_in_threadpool(reauthenticate, db, request)
    except VigilError:
        return False
    return True


def _next(db: Database, request: Request, after: int) -> tuple[Actor, list[Alert]]:
    actor = reauthenticate(db, request)
    with reading(db) as uow:
        return actor, alerts.since(uow, actor=actor, after_seq=after)


def _latest(db: Database, actor: Actor) -> int:
    with reading(db) as uow:
        return alerts.latest_seq(uow, actor=actor)


def _start_seq(since: int | None, last_event_id: str | None) -> int | None:
    # A reconnecting browser repeats the first URL's ``since``; Last-Event-ID is newer.
    if last_event_id is not None:
        if not last_event_id.isdigit():
            raise InvalidInput("Last-Event-ID is the id of an alert event this stream sent.")
        return int(last_event_id)
    return since
