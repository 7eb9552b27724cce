"""``Idempotency-Key`` on creating POSTs: a retried request gets the first answer again."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from vigil.access.actors import Actor
from vigil.core import clock
from vigil.errors import Conflict, InvalidInput
from vigil.storage import idempotency as store
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork

MAX_KEY_LENGTH = 200


def run_idempotent(
    request: Request,
    db: Database,
    actor: Actor,
    *,
    key: str | None,
    payload: Any,
    create: Callable[[UnitOfWork], Any],
    status_code: int = 201,
    secret_fields: Iterable[str] = (),
) -> JSONResponse:
    """Run ``create`` in a writing unit of work, once per (caller, key).

    The stored answer is saved in the same transaction as the effect, so a crash cannot leave
    one without the other. Secrets in the answer (a new token) are never stored: a replay
    answers with them blanked, and says so in ``Idempotent-Replayed``.
    """
    fields = tuple(secret_fields)
    if key is not None and not 1 <= len(key) <= MAX_KEY_LENGTH:
        raise InvalidInput(f"Idempotency-Key has 1 to {MAX_KEY_LENGTH} characters.")
    fingerprint = _fingerprint(request, payload)
    try:
        with UnitOfWork(db, write=True) as uow:
            if key is not None:
                stored = store.find(uow.conn, actor.user_id, key)
                if stored is not None:
                    return _replay(stored, request, fingerprint)
            body = jsonable_encoder(create(uow))
            if key is not None:
                store.save(
                    uow.conn,
                    user_id=actor.user_id,
                    key=key,
                    method=request.method,
                    path=request.url.path,
                    request_hash=fingerprint,
                    status_code=status_code,
                    response=_blank(body, fields),
                    at=clock.now(),
                )
    except IntegrityError as exc:
        # Two requests with one key at once (PostgreSQL): the loser retries and gets a replay.
        raise Conflict("A request with this Idempotency-Key is in progress; retry.") from exc
    return JSONResponse(body, status_code=status_code)


def _replay(stored: store.StoredResponse, request: Request, fingerprint: str) -> JSONResponse:
    if (stored.method, stored.path, stored.request_hash) != (
        request.method,
        request.url.path,
        fingerprint,
    ):
        raise Conflict("This Idempotency-Key was used for a different request.")
    return JSONResponse(
        stored.response, status_code=stored.status_code, headers={"Idempotent-Replayed": "true"}
    )


def _fingerprint(request: Request, payload: Any) -> str:
    canonical = json.dumps(jsonable_encoder(payload), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{request.method} {request.url.path} {canonical}".encode()).hexdigest()


def _blank(body: Any, fields: tuple[str, ...]) -> Any:
    if not fields or not isinstance(body, dict):
        return body
    return {k: (None if k in fields else v) for k, v in body.items()}
