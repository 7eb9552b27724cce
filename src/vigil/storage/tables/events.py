"""The outbox and the members' alerts."""

from __future__ import annotations

import sqlalchemy as sa

from vigil.storage.tables.base import Code, Id, metadata
from vigil.storage.types import BigSerial, Json, UTCDateTime

outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("seq", BigSerial, primary_key=True, autoincrement=True),
    sa.Column("id", Id, nullable=False, unique=True),
    sa.Column("type", sa.String(80), nullable=False),
    sa.Column("payload", Json, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("handled_at", UTCDateTime),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text),
    sa.Index("ix_outbox_pending", "handled_at", "seq"),
)

alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("seq", BigSerial, primary_key=True, autoincrement=True),
    sa.Column("id", Id, nullable=False, unique=True),
    sa.Column("member", Code, sa.ForeignKey("members.code"), nullable=False),
    sa.Column("kind", sa.String(60), nullable=False),
    sa.Column("record_id", Id),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("body", Json, nullable=False),
    sa.Column("event_id", Id, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("read_at", UTCDateTime),
    sa.Column("read_by", Id),
    # At-least-once delivery: a replayed event cannot alert the same member twice.
    sa.UniqueConstraint("event_id", "member", "kind", name="uq_alerts_event_member_kind"),
    sa.Index("ix_alerts_member_seq", "member", "seq"),
)
