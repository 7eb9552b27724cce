"""What every workspace page does: send strangers to sign in, show errors, handle form posts
and the files they upload."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from fastapi import Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from vigil.access.actors import Actor
from vigil.api.deps import writing
from vigil.errors import InvalidInput, VigilError
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork
from vigil.web.session import PageSession, check_csrf, current
from vigil.web.templating import render


def to_login(request: Request) -> RedirectResponse:
    """Send the browser to sign in, and back here afterwards."""
    return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)


def error_page(request: Request, session: PageSession | None, exc: VigilError) -> HTMLResponse:
    """The error page, with the service's own explanation and its HTTP status."""
    return render(request, "error.html", {"session": session, "error": exc}, status_code=exc.status)


def form_post(
    request: Request,
    db: Database,
    csrf_token: str,
    act: Callable[[UnitOfWork, Actor], object],
    done: str,
) -> Response:
    """A form sent by a signed-in officer: check its CSRF token, act in one unit, go to ``done``."""
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        check_csrf(session, csrf_token)
        with writing(db) as uow:
            act(uow, session.actor)
    except VigilError as exc:
        return error_page(request, session, exc)
    return RedirectResponse(done, status_code=303)


def read_upload(upload: UploadFile | None, limit: int) -> bytes | None:
    """The bytes of an uploaded file, in memory, or None for a file input left empty (browsers
    send it as an empty part without a name). The spooled file behind the upload is closed, and
    so removed, as soon as it is read.

    Raises:
        InvalidInput: the file is larger than ``limit`` bytes.
    """
    if upload is None:
        return None
    try:
        data = upload.file.read(limit + 1)
    finally:
        upload.file.close()
    if not data and not upload.filename:
        return None
    if len(data) > limit:
        raise InvalidInput(f"The file is larger than {limit // (1024 * 1024)} MB.")
    return data
