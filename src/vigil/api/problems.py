"""RFC 9457 problem+json for every error, from one handler table."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from vigil.errors import TooManyRequests, Unauthenticated, VigilError

log = logging.getLogger(__name__)

PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str, instance: str, **extra: Any) -> JSONResponse:
    """A problem document; ``type`` stays about:blank (the status and title say it all)."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    body["instance"] = instance
    body.update(extra)
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="vigil"'
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


async def _vigil_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, VigilError)
    return _of_vigil_error(exc, request.url.path)


def _of_vigil_error(exc: VigilError, instance: str) -> JSONResponse:
    extra = {k: v for k, v in exc.extra.items() if k != "retry_after"}
    response = problem(exc.status, exc.title, exc.detail, instance, **extra)
    if isinstance(exc, TooManyRequests):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def response_for(exc: Exception, instance: str) -> JSONResponse | None:
    """The problem the app's handlers answer ``exc`` with, for code that runs before them
    (``api.hot_checks``); None for an unexpected error, which the caller raises on."""
    if isinstance(exc, VigilError):
        return _of_vigil_error(exc, instance)
    return None


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(422, "Invalid input", detail, request.url.path, errors=errors)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    title = HTTPStatus(exc.status_code).phrase
    response = problem(exc.status_code, title, str(exc.detail), request.url.path)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # The outermost edge: log the cause, tell the caller nothing about internals.
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem(500, "Internal error", "An unexpected error occurred.", request.url.path)


def install(app: FastAPI) -> None:
    """Register the handler table on ``app``."""
    app.add_exception_handler(VigilError, _vigil_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


__all__ = ["PROBLEM", "Unauthenticated", "install", "problem"]
