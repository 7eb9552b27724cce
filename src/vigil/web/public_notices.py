"""The public pages, for anyone and without signing in: the extracts of Red and Yellow notices
whose owners chose to publish one, and nothing beyond them (``PublicExtract``)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from vigil.api.deps import DbDep, reading
from vigil.core.pagination import page_request
from vigil.errors import InvalidInput, VigilError
from vigil.notices import public
from vigil.notices.kinds import PUBLIC_TYPES
from vigil.web.pages import error_page
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50


@router.get("/public/notices")
def public_notices_page(
    request: Request, db: DbDep, cursor: str | None = None, type: str = ""
) -> Response:
    # No session is read: these pages look the same to everyone, signed in or not.
    type_ = type.strip()
    filter_error = None
    try:
        with reading(db) as uow:
            page = public.public_extracts(
                uow, page=page_request(cursor, PAGE_SIZE), type_=type_ or None
            )
    except InvalidInput as exc:
        page, filter_error = None, exc.detail  # a type without extracts, a tampered cursor
    except VigilError as exc:
        return error_page(request, None, exc)
    next_link = None
    if page and page.next_cursor:
        query = {"type": type_, "cursor": page.next_cursor}
        next_link = "/public/notices?" + urlencode({k: v for k, v in query.items() if v})
    context = {
        "session": None,
        "nav": "public",
        "page": page,
        "type": type_,
        "types": sorted(PUBLIC_TYPES),
        "filter_error": filter_error,
        "next_link": next_link,
    }
    return render(request, "public_notices.html", context)


@router.get("/public/notices/{notice_id}")
def public_notice_page(notice_id: str, request: Request, db: DbDep) -> Response:
    try:
        with reading(db) as uow:
            extract = public.public_extract(uow, notice_id=notice_id)
    except VigilError as exc:
        return error_page(request, None, exc)
    context = {"session": None, "nav": "public", "extract": extract}
    return render(request, "public_notice.html", context)
