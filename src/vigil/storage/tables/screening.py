"""Hits and their follow-up, traveller checks and offline packages."""

from __future__ import annotations

import sqlalchemy as sa

from vigil.storage.tables.base import Code, Id, metadata
from vigil.storage.types import BigSerial, Json, UTCDateTime

# A check that matched a record: the start of the follow-up between the two members.
hits = sa.Table(
    "hits",
    metadata,
    sa.Column("seq", BigSerial, primary_key=True, autoincrement=True),
    sa.Column("id", Id, nullable=False, unique=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("match", sa.String(10), nullable=False),
    sa.Column("record_id", Id, sa.ForeignKey("records.id"), nullable=False),
    sa.Column("owner", Code, nullable=False),
    sa.Column("checking_member", Code, nullable=False),
    sa.Column("checked_by", sa.String(80), nullable=False),
    sa.Column("checked_at", UTCDateTime, nullable=False),
    sa.Column("summary", Json, nullable=False),
    # open -> confirmed | false_hit -> closed (the action taken is recorded)
    sa.Column("status", sa.String(20), nullable=False),
    # The traveller check that found it (one check may find several hits).
    sa.Column("check_id", Id),
    sa.Column("urgency", sa.String(10), nullable=False, server_default="routine"),
    # The owner confirms or denies the identity before this, or the hit escalates.
    sa.Column("deadline_at", UTCDateTime),
    sa.Column("escalated_at", UTCDateTime),
    sa.Column("action", sa.String(20)),  # what the checking member did
    sa.Column("closed_at", UTCDateTime),
    sa.Index("ix_hits_owner_seq", "owner", "seq"),
    sa.Index("ix_hits_checking_member_seq", "checking_member", "seq"),
    sa.Index("ix_hits_status_deadline", "status", "deadline_at"),
    sa.Index("ix_hits_check_id", "check_id"),
)
# The follow-up on a hit between its two members: structured forms, never edited.
hit_messages = sa.Table(
    "hit_messages",
    metadata,
    sa.Column("seq", BigSerial, primary_key=True, autoincrement=True),
    sa.Column("hit_id", Id, sa.ForeignKey("hits.id"), nullable=False),
    sa.Column("member", Code, nullable=False),
    sa.Column("actor", sa.String(80), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),  # identity | action | note | escalation
    sa.Column("value", sa.String(30)),  # confirmed, denied, arrested, located, ...
    sa.Column("text", sa.Text),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Index("ix_hit_messages_hit_id", "hit_id"),
)
# A member's own deadlines to confirm a hit, by urgency (the defaults are in settings).
hit_deadlines = sa.Table(
    "hit_deadlines",
    metadata,
    sa.Column("member", Code, sa.ForeignKey("members.code"), primary_key=True),
    sa.Column("urgency", sa.String(10), primary_key=True),
    sa.Column("minutes", sa.Integer, nullable=False),
)
# One traveller check or passenger list: what it found, for the hits to point back at.
screening_checks = sa.Table(
    "screening_checks",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("member", Code, nullable=False),
    sa.Column("actor", sa.String(80), nullable=False),
    sa.Column("checked_at", UTCDateTime, nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),  # check | manifest | offline
    sa.Column("travellers", sa.Integer, nullable=False),
    sa.Column("result", sa.String(10), nullable=False),
    sa.Column("reference", sa.String(100)),  # a flight or vessel, a border post
)
# Offline screening packages a member exported for its border posts.
offline_packages = sa.Table(
    "offline_packages",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("member", Code, nullable=False),
    sa.Column("created_by", sa.String(80), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    sa.Column("base_id", Id),  # the package this one refreshes (an increment), if any
    sa.Column("records", sa.Integer, nullable=False),
    sa.Column("digest", sa.String(64), nullable=False),  # SHA-256 of the package file
)
