"""The envelope of every shared record; each domain keeps its content in its own table keyed
by the same id, so that access can be filtered in one place."""

from __future__ import annotations

import sqlalchemy as sa

from vigil.storage.tables.base import Code, Id, metadata
from vigil.storage.types import UTCDateTime

records = sa.Table(
    "records",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("owner", Code, sa.ForeignKey("members.code"), nullable=False),
    sa.Column("created_by", sa.String(80), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("audience_kind", sa.String(10), nullable=False),
    sa.Column("handling", sa.String(2), nullable=False),
    sa.Column("handling_text", sa.Text),
    sa.Column("review_by", sa.Date, nullable=False),
    sa.Column("source_agency", sa.String(200)),
    sa.Column("owner_ref", sa.String(200)),
    sa.Column("source_reliability", sa.String(1)),
    sa.Column("information_credibility", sa.String(1)),
    sa.Column("deleted_at", UTCDateTime),
    sa.Index("ix_records_owner_kind", "owner", "kind"),
    sa.Index("ix_records_review_by", "review_by"),
    sa.Index("ix_records_kind_id", "kind", "id"),
)

# The members (audience only/except) or networks (audience networks) an envelope names.
record_audience = sa.Table(
    "record_audience",
    metadata,
    sa.Column("record_id", Id, sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("code", sa.String(36), primary_key=True),
    sa.Index("ix_record_audience_code", "code"),
)
