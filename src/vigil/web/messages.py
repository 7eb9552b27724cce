"""Secure messages in the workspace: the threads the officer takes part in, or the messages
holding the words searched for (found, not marked read); a new thread to members or a network;
one thread (reading it marks its messages read) with the reply form and the correction of the
member's own messages; and attachments downloaded through the session. Each handler calls one
service function; a refused message comes back as typed (HTTP 422)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from vigil.access.envelope import HANDLING_MEANING
from vigil.access.roles import forbid_unless
from vigil.api.deps import DbDep, reading, writing
from vigil.core.pagination import page_request
from vigil.errors import InvalidInput, VigilError
from vigil.messaging import networks, threads
from vigil.messaging.models import MessageType, Thread
from vigil.storage.engine import Database
from vigil.web.forms import Problem, Refusal, submit
from vigil.web.message_forms import (
    FIRST_TYPES,
    REPLY_TYPES,
    Attachments,
    MessageForm,
    ThreadForm,
    attachments_in,
)
from vigil.web.pages import error_page, to_login
from vigil.web.session import PageSession, current
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
NAV = "messages"
LANGUAGES = ("en", "fr", "es", "ar")
RELIABILITY = ("A", "B", "C", "X")
CREDIBILITY = ("1", "2", "3", "4")


def message_choices() -> dict[str, Any]:
    """What the message forms offer (the intelligence pages' reply form too)."""
    return {
        "handlings": list(HANDLING_MEANING),
        "reliabilities": RELIABILITY,
        "credibilities": CREDIBILITY,
        "message_languages": LANGUAGES,
    }


@router.get("/messages")
def threads_page(
    request: Request, db: DbDep, cursor: str | None = None, q: str | None = None
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    if q is not None:  # the search box sent, even empty: the service says what is missing
        return _search(request, db, session, q.strip()[:500])
    list_error = None
    try:
        with reading(db) as uow:
            page = threads.list_threads(
                uow, actor=session.actor, page=page_request(cursor, PAGE_SIZE)
            )
    except InvalidInput as exc:
        page, list_error = None, exc.detail  # a tampered cursor
    except VigilError as exc:
        return error_page(request, session, exc)
    context = {
        "session": session,
        "nav": NAV,
        "page": page,
        "list_error": list_error,
        "next_link": f"/messages?cursor={page.next_cursor}" if page and page.next_cursor else None,
    }
    return render(request, "messages.html", context)


def _search(request: Request, db: Database, session: PageSession, q: str) -> Response:
    """The messages page listing the messages that hold every word of ``q``, best first."""
    found, search_error = None, None
    try:
        with reading(db) as uow:  # a search does not mark what it finds read
            found = threads.search(uow, actor=session.actor, q=q,
                                   page=page_request(None, PAGE_SIZE))  # fmt: skip
    except InvalidInput as exc:
        search_error = exc.detail  # no word to search for
    except VigilError as exc:
        return error_page(request, session, exc)
    context = {
        "session": session,
        "nav": NAV,
        "q": q,
        "found": found,
        "search_error": search_error,
    }
    return render(request, "messages.html", context)


@router.get("/messages/new")
def new_thread_page(request: Request, db: DbDep, to: str = "", hit_id: str = "") -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        forbid_unless(session.actor.role, "messages.send")  # spares a form that would fail
    except VigilError as exc:
        return error_page(request, session, exc)
    form = ThreadForm(to=to, hit_id=hit_id)
    if hit_id:
        form.type = MessageType.HIT_FOLLOW_UP.value
    return _new_thread(request, db, session, form)


@router.post("/messages/new")
def start_thread(
    request: Request,
    db: DbDep,
    form: Annotated[ThreadForm, Form()],
    attachments: Attachments = [],  # noqa: B006 (FastAPI copies defaults per request)
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    made = submit(db, session, form.csrf_token, lambda uow: threads.start(
        uow, actor=session.actor,
        thread_in=form.thread_in(attachments_in(attachments))))  # fmt: skip
    if isinstance(made, Refusal):
        return _new_thread(request, db, session, form, problems=made.problems, status=made.status)
    return RedirectResponse(f"/messages/{made.id}", status_code=303)


@router.get("/messages/{thread_id}")
def thread_page(thread_id: str, request: Request, db: DbDep, correct: str = "") -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    return _thread(request, db, session, thread_id, correcting=correct)


@router.post("/messages/{thread_id}")
def send_message(
    thread_id: str,
    request: Request,
    db: DbDep,
    form: Annotated[MessageForm, Form()],
    attachments: Attachments = [],  # noqa: B006 (FastAPI copies defaults per request)
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    sent = submit(db, session, form.csrf_token, lambda uow: threads.send(
        uow, actor=session.actor, thread_id=thread_id,
        message_in=form.message_in(attachments_in(attachments))))  # fmt: skip
    if isinstance(sent, Refusal):
        return _thread(request, db, session, thread_id, form=form, problems=sent.problems,
                       status=sent.status)  # fmt: skip
    return RedirectResponse(f"/messages/{thread_id}#message-{sent.id}", status_code=303)


@router.get("/messages/{message_id}/attachments/{sha256}")
def attachment(message_id: str, sha256: str, request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        with reading(db) as uow:
            name, media_type, data = threads.attachment(
                uow, actor=session.actor, message_id=message_id, sha256=sha256
            )
    except VigilError as exc:
        return error_page(request, session, exc)
    # Downloaded, never shown inline: a file from another member is not this site's content.
    safe = "".join(c for c in name if c.isalnum() or c in "._- ") or "attachment"
    headers = {"Content-Disposition": f'attachment; filename="{safe}"', "Cache-Control": "no-store"}
    return Response(data, media_type=media_type, headers=headers)


def _new_thread(
    request: Request,
    db: Database,
    session: PageSession,
    form: ThreadForm,
    *,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    try:
        with reading(db) as uow:
            mine = networks.list_networks(uow, actor=session.actor, mine=True)
    except VigilError as exc:
        return error_page(request, session, exc)
    context = {
        "session": session,
        "nav": NAV,
        "form": form,
        "networks": mine,
        "problems": problems or [],
        "types": FIRST_TYPES,
        **message_choices(),
    }
    return render(request, "messages_new.html", context, status_code=status)


def _thread(
    request: Request,
    db: Database,
    session: PageSession,
    thread_id: str,
    *,
    form: MessageForm | None = None,
    correcting: str = "",
    problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    try:
        with writing(db) as uow:  # reading a thread marks its messages read (receipts)
            thread = threads.read(uow, actor=session.actor, thread_id=thread_id)
    except VigilError as exc:
        return error_page(request, session, exc)
    context = {
        "session": session,
        "nav": NAV,
        "thread": thread,
        "form": form or _reply_form(thread, session, correcting),
        "problems": problems or [],
        "types": REPLY_TYPES,
        "action": f"/messages/{thread.id}",
        **message_choices(),
    }
    return render(request, "messages_thread.html", context, status_code=status)


def _reply_form(thread: Thread, session: PageSession, correcting: str) -> MessageForm:
    """A reply to the last message; or, asked from one of the member's own messages, its
    correction, starting from its text."""
    for message in thread.messages:
        if message.id == correcting and message.member == session.actor.member:
            return MessageForm(type=MessageType.CORRECTION.value, corrects=message.id,
                               text=message.text, handling=message.handling)  # fmt: skip
    last = thread.messages[-1].id if thread.messages else ""
    return MessageForm(type=MessageType.REPLY.value, in_reply_to=last)
