"""The tables of equivalent name parts in the workspace: officers see what is loaded (it
changes what a screening finds); administrators load a table from a file and remove one.
Each handler calls one service function."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from vigil.api.deps import DbDep, reading, writing
from vigil.errors import InvalidInput, VigilError
from vigil.persons import equivalents_service
from vigil.persons.equivalents import Format
from vigil.web.pages import error_page, form_post, read_upload, to_login
from vigil.web.session import PageSession, check_csrf, current
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)

_PAGE = "persons_equivalents.html"
# The largest table a page takes (synonames' 23,450 pairs are 0.6 MB).
_LARGEST = 32 * 1024 * 1024


def _context(session: PageSession, db: DbDep) -> dict[str, Any]:
    with reading(db) as uow:
        tables = equivalents_service.listed(uow, actor=session.actor)
    return {"session": session, "nav": "persons", "tables": tables, "formats": list(Format)}


@router.get("/persons/equivalents")
def equivalents_page(request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        context = _context(session, db)
    except VigilError as exc:
        return error_page(request, session, exc)
    return render(request, _PAGE, context)


@router.post("/persons/equivalents")
def load_equivalents(
    request: Request,
    db: DbDep,
    csrf_token: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "",
    table_format: Annotated[str, Form(alias="format")] = "",
    table: Annotated[UploadFile | None, File()] = None,
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        check_csrf(session, csrf_token)
        data = read_upload(table, _LARGEST)
        if data is None or table is None:
            raise InvalidInput("Choose a file holding the table.")
        with writing(db) as uow:
            loaded = equivalents_service.load(
                uow, actor=session.actor, data=data, source=source.strip() or None,
                format=table_format or None, file_name=table.filename,
            )  # fmt: skip
    except VigilError as exc:
        return _refused(request, db, session, exc, source)
    context = _context(session, db)
    context["loaded"] = loaded
    return render(request, _PAGE, context)


def _refused(
    request: Request, db: DbDep, session: PageSession, exc: VigilError, source: str
) -> Response:
    try:
        context = _context(session, db)
    except VigilError:
        return error_page(request, session, exc)
    context.update(error=exc.detail, source=source)
    return render(request, _PAGE, context, status_code=exc.status)


@router.post("/persons/equivalents/{source}/remove")
def remove_equivalents(
    source: str, request: Request, db: DbDep, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    return form_post(
        request, db, csrf_token,
        lambda uow, actor: equivalents_service.remove(uow, actor=actor, source=source),
        "/persons/equivalents",
    )  # fmt: skip
