"""Notices and diffusions, and every step of their lifecycle."""

from __future__ import annotations

import sqlalchemy as sa

from vigil.storage.tables.base import Code, Id, metadata
from vigil.storage.types import BigSerial, Json, UTCDateTime

notices = sa.Table(
    "notices",
    metadata,
    sa.Column("id", Id, sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("channel", sa.String(10), nullable=False),  # notice or diffusion
    sa.Column("type", sa.String(20), nullable=False),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("person_id", Id, sa.ForeignKey("records.id")),
    # The person's particulars as the notice states them (copied from the owner's record
    # when the notice is drafted or changed: the audience reads them, not the record).
    sa.Column("subject", Json),
    sa.Column("fields", Json, nullable=False),
    # A published notice's changes wait here for review; the published text stays in force.
    sa.Column("pending", Json),
    sa.Column("public_extract", sa.Boolean, nullable=False),
    # The envelope's audience is the owner alone until publication; then this one.
    sa.Column("requested_audience", Json, nullable=False),
    sa.Column("published_at", UTCDateTime),
    sa.Column("reviewer", sa.String(80)),
    sa.Column("ref", sa.String(200)),  # the owner's reference, for idempotent imports
    sa.Index("ix_notices_state", "state"),
    sa.Index("ix_notices_ref", "ref"),
    sa.Index("ix_notices_person_id", "person_id"),
)
notice_transitions = sa.Table(
    "notice_transitions",
    metadata,
    sa.Column("seq", BigSerial, primary_key=True, autoincrement=True),
    sa.Column("notice_id", Id, sa.ForeignKey("notices.id"), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", sa.String(80), nullable=False),
    sa.Column("member", Code, nullable=False),
    sa.Column("from_state", sa.String(20)),
    sa.Column("to_state", sa.String(20), nullable=False),
    sa.Column("reasons", sa.Text),
    sa.Index("ix_notice_transitions_notice_id", "notice_id"),
)
