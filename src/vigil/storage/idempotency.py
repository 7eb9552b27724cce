"""SQL of idempotency keys: the stored answer to a creating request, by caller and key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from vigil.storage.tables import idempotency_keys


@dataclass(frozen=True, slots=True)
class StoredResponse:
    method: str
    path: str
    request_hash: str
    status_code: int
    response: Any


def find(conn: sa.Connection, user_id: str, key: str) -> StoredResponse | None:
    query = sa.select(idempotency_keys).where(
        idempotency_keys.c.user_id == user_id, idempotency_keys.c.key == key
    )
    row = conn.execute(query).first()
    if row is None:
        return None
    return StoredResponse(row.method, row.path, row.request_hash, row.status_code, row.response)


def save(
    conn: sa.Connection,
    *,
    user_id: str,
    key: str,
    method: str,
    path: str,
    request_hash: str,
    status_code: int,
    response: Any,
    at: datetime,
) -> None:
    conn.execute(
        idempotency_keys.insert().values(
            user_id=user_id,
            key=key,
            method=method,
            path=path,
            request_hash=request_hash,
            status_code=status_code,
            response=response,
            created_at=at,
        )
    )
