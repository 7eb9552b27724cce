"""Members, users, tokens, sessions and networks."""

from __future__ import annotations

import sqlalchemy as sa

from vigil.storage.tables.base import Code, Id, metadata
from vigil.storage.types import BigSerial, UTCDateTime

members = sa.Table(
    "members",
    metadata,
    sa.Column("code", Code, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("member", Code, sa.ForeignKey("members.code"), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("login", sa.String(200), unique=True),
    sa.Column("password_hash", sa.String(200)),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("created_by", sa.String(80), nullable=False),
    sa.Column("disabled_at", UTCDateTime),
    sa.Index("ix_users_member_role", "member", "role"),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("user_id", Id, sa.ForeignKey("users.id"), nullable=False, index=True),
    # SHA-256 of the token: tokens carry 256 random bits, so a slow hash adds nothing.
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("prefix", sa.String(16), nullable=False),
    sa.Column("label", sa.String(200), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    sa.Column("revoked_at", UTCDateTime),
)

web_sessions = sa.Table(
    "web_sessions",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("user_id", Id, sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    sa.Column("revoked_at", UTCDateTime),
)

login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("seq", BigSerial, primary_key=True, autoincrement=True),
    sa.Column("login", sa.String(200), nullable=False),
    sa.Column("client", sa.String(64), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Index("ix_login_failures_login_at", "login", "at"),
    sa.Index("ix_login_failures_client_at", "client", "at"),
)

networks = sa.Table(
    "networks",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("created_by", sa.String(80), nullable=False),
    # expert_group (policy, trends) or operational (cases, routes), and what it is for
    sa.Column("kind", sa.String(20), nullable=False, server_default="operational"),
    sa.Column("description", sa.Text),
)

network_members = sa.Table(
    "network_members",
    metadata,
    sa.Column("network_id", Id, sa.ForeignKey("networks.id"), primary_key=True),
    sa.Column("member", Code, sa.ForeignKey("members.code"), primary_key=True),
    sa.Index("ix_network_members_member", "member"),
)

# The named users of a network's member NCBs, and who moderates it.
network_users = sa.Table(
    "network_users",
    metadata,
    sa.Column("network_id", Id, sa.ForeignKey("networks.id"), primary_key=True),
    sa.Column("user_id", Id, sa.ForeignKey("users.id"), primary_key=True),
    sa.Column("role", sa.String(10), nullable=False),  # member | moderator
)
network_requests = sa.Table(
    "network_requests",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("network_id", Id, sa.ForeignKey("networks.id"), nullable=False),
    sa.Column("member", Code, sa.ForeignKey("members.code"), nullable=False),
    sa.Column("requested_by", sa.String(80), nullable=False),
    sa.Column("requested_at", UTCDateTime, nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("status", sa.String(10), nullable=False),  # pending | approved | refused
    sa.Column("decided_by", sa.String(80)),
    sa.Column("decided_at", UTCDateTime),
    sa.Index("ix_network_requests_network_id", "network_id"),
)
