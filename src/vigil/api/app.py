"""The application factory: API, web workspace and public pages on one ASGI app."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from vigil import __version__, settings
from vigil.api import hot_checks, middleware, problems
from vigil.api.routers import (
    alerts,
    analysis,
    audit,
    auth,
    biometrics,
    documents,
    health,
    members,
    messaging,
    mrz,
    notices,
    persons,
    records,
    screening,
    users,
)
from vigil.biometrics.index import warm_up as biometric_warm_up
from vigil.logs import configure_logging
from vigil.persons.index import warm_up
from vigil.runtime import open_database
from vigil.screening.followup import start_escalation
from vigil.storage.engine import Database

log = logging.getLogger(__name__)


def create_app(db: Database | None = None, *, database_url: str | None = None) -> FastAPI:
    """Build the ASGI app.

    Args:
        db: an open database to serve (tests, benchmarks); the app does not close it.
        database_url: where to connect when ``db`` is not given (default: the setting).

    Returns:
        The FastAPI application, API under ``/api/v1`` and the workspace under ``/``.
    """
    owned = db is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if owned:
            app.state.db = open_database(database_url, serving=True)
            # The name index is built from the store before the first screening needs it,
            # and the biometric indexes before the first search.
            warm_up(app.state.db)
            biometric_warm_up(app.state.db)
            # Hits whose owner did not answer in time escalate (alerts to both members).
            escalation = start_escalation(app.state.db, settings.HIT_ESCALATION_SECONDS)
        # Everything built so far lives as long as the server: keep it out of the collector's
        # full passes, which otherwise stall every request for tens of milliseconds.
        gc.freeze()
        try:
            yield
        finally:
            if owned:
                escalation.set()
                app.state.db.close()

    configure_logging()
    app = FastAPI(
        title="Vigil",
        version=__version__,
        summary="Police information sharing against human trafficking and migrant smuggling.",
        openapi_url="/api/v1/openapi.json",
        docs_url="/docs" if settings.API_DOCS else None,
        redoc_url=None,
        lifespan=lifespan,
    )
    if db is not None:
        app.state.db = db
    problems.install(app)
    # Starlette tries routes in order: the border's hot paths (document checks, name
    # screening) go first.
    for router in (documents, persons, health, auth, users, members, records, audit, alerts, mrz):
        app.include_router(router.router)
    app.include_router(notices.router)
    app.include_router(biometrics.router)
    app.include_router(screening.router)
    app.include_router(messaging.router)
    app.include_router(analysis.router)
    app.include_router(notices.public_router)
    _mount_web(app)
    # The innermost middleware: a border's check answered before routing when it can be,
    # within the body limit and with the security headers as every answer.
    app.add_middleware(hot_checks.HotChecks)
    app.add_middleware(middleware.SecurityHeaders)
    app.add_middleware(middleware.BodyLimit, limit=settings.MAX_REQUEST_BYTES)
    return app


def _mount_web(app: FastAPI) -> None:
    from vigil.web.routes import mount

    mount(app)
