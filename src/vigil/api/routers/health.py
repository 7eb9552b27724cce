"""Liveness and readiness (no token needed)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from vigil.api.deps import DbDep
from vigil.storage.migrate import is_current

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(db: DbDep) -> JSONResponse:
    """The database answers and is at the newest migration."""
    try:
        current = is_current(db)
    except Exception:  # any database failure means "not ready", which is the answer asked for
        current = False
    status = 200 if current else 503
    return JSONResponse({"status": "ready" if current else "not ready"}, status_code=status)
