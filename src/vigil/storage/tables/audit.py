"""The hash-chained audit log."""

from __future__ import annotations

import sqlalchemy as sa

from vigil.storage.tables.base import Code, Id, metadata
from vigil.storage.types import Json, UTCDateTime

audit_log = sa.Table(
    "audit_log",
    metadata,
    # Assigned from audit_head under its lock, never by the database: a gap means a deletion.
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("id", Id, nullable=False, unique=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", sa.String(80), nullable=False),
    sa.Column("member", Code, nullable=False),
    sa.Column("action", sa.String(80), nullable=False),
    sa.Column("record_ids", Json, nullable=False),
    sa.Column("query_digest", sa.String(64)),
    sa.Column("result_ids", Json, nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)

audit_record_refs = sa.Table(
    "audit_record_refs",
    metadata,
    sa.Column("seq", sa.BigInteger, sa.ForeignKey("audit_log.seq"), primary_key=True),
    sa.Column("record_id", Id, primary_key=True),
    sa.Index("ix_audit_record_refs_record", "record_id", "seq"),
)

# One row: the last entry of the chain. Locking it serialises appends across processes.
audit_head = sa.Table(
    "audit_head",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)
