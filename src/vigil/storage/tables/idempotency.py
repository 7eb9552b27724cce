"""Answers kept for requests sent again with the same Idempotency-Key."""

from __future__ import annotations

import sqlalchemy as sa

from vigil.storage.tables.base import Id, metadata
from vigil.storage.types import Json, UTCDateTime

idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("user_id", Id, primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("method", sa.String(8), nullable=False),
    sa.Column("path", sa.String(500), nullable=False),
    sa.Column("request_hash", sa.String(64), nullable=False),
    sa.Column("status_code", sa.Integer, nullable=False),
    sa.Column("response", Json, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)
