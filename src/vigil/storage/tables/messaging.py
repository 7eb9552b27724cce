"""Secure messaging, intelligence reports and their full-text search rows."""

from __future__ import annotations

import sqlalchemy as sa

from vigil.storage.tables.base import Code, Id, metadata
from vigil.storage.types import Json, UTCDateTime

# Secure messaging: a thread is a record (its envelope says who takes part); each message is a
# record of its own (its handling code and grading), never edited, only corrected.
message_threads = sa.Table(
    "message_threads",
    metadata,
    sa.Column("id", Id, sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("network_id", Id, sa.ForeignKey("networks.id")),
    sa.Column("about", Id),  # the record the thread discusses (an intelligence report...)
    sa.Column("last_at", UTCDateTime, nullable=False),
    sa.Index("ix_message_threads_last_at", "last_at"),
    sa.Index("ix_message_threads_about", "about"),
)
messages = sa.Table(
    "messages",
    metadata,
    sa.Column("id", Id, sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("thread_id", Id, sa.ForeignKey("message_threads.id"), nullable=False),
    sa.Column("type", sa.String(30), nullable=False),
    sa.Column("fields", Json, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("language", sa.String(2)),
    sa.Column("corrects", Id),  # the message this one corrects
    sa.Column("sent_at", UTCDateTime, nullable=False),
    sa.Index("ix_messages_thread_id", "thread_id", "sent_at"),
)
# Attachments by content: one blob per SHA-256, however many messages carry it.
attachment_blobs = sa.Table(
    "attachment_blobs",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)
message_attachments = sa.Table(
    "message_attachments",
    metadata,
    sa.Column("message_id", Id, sa.ForeignKey("messages.id"), primary_key=True),
    sa.Column("sha256", sa.String(64), sa.ForeignKey("attachment_blobs.sha256"), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("media_type", sa.String(100), nullable=False),
)
message_reads = sa.Table(
    "message_reads",
    metadata,
    sa.Column("message_id", Id, sa.ForeignKey("messages.id"), primary_key=True),
    sa.Column("user_id", Id, primary_key=True),
    sa.Column("member", Code, nullable=False),
    sa.Column("read_at", UTCDateTime, nullable=False),
)
intel_reports = sa.Table(
    "intel_reports",
    metadata,
    sa.Column("id", Id, sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),  # threat | trend | route | modus_operandi
    sa.Column("crime_areas", Json, nullable=False),
    sa.Column("countries", Json, nullable=False),  # every country named, the route's included
    sa.Column("route", Json, nullable=False),
    sa.Column("period_from", sa.Date),
    sa.Column("period_to", sa.Date),
    sa.Column("indicators", Json, nullable=False),
    sa.Column("linked", Json, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("language", sa.String(2)),
    sa.Column("published_at", UTCDateTime, nullable=False),
    sa.Index("ix_intel_reports_kind", "kind"),
)
# What each member wants to hear of: reports of these kinds, countries and crime areas.
intel_subscriptions = sa.Table(
    "intel_subscriptions",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("member", Code, sa.ForeignKey("members.code"), nullable=False),
    sa.Column("created_by", sa.String(80), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("kinds", Json, nullable=False),
    sa.Column("countries", Json, nullable=False),
    sa.Column("crime_areas", Json, nullable=False),
    sa.Index("ix_intel_subscriptions_member", "member"),
)
# Full-text search over messages and reports: which records are searchable, and their kind.
# The words are indexed per dialect by the migrations: an FTS5 table on SQLite, a tsvector
# column with a GIN index on PostgreSQL (``messaging/fulltext.py`` writes and reads both).
search_documents = sa.Table(
    "search_documents",
    metadata,
    sa.Column("record_id", Id, sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("kind", sa.String(40), nullable=False),
    # A broad search reads one kind's records newest first (ids grow with time).
    sa.Index("ix_search_documents_kind_record_id", "kind", "record_id"),
)
