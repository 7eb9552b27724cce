"""Networks gain kinds, named users and join requests; secure messages, attachments and read
receipts; intelligence reports, subscriptions, and the full-text search store (FTS5 on SQLite,
a tsvector with a GIN index on PostgreSQL).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 01:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
_WHEN = sa.DateTime(timezone=True)
_ID = sa.String(length=36)
_CODE = sa.String(length=8)


def upgrade() -> None:
    with op.batch_alter_table("networks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="operational")
        )
        batch_op.add_column(sa.Column("description", sa.Text(), nullable=True))
    op.create_table(
        "network_users",
        sa.Column("network_id", _ID, nullable=False),
        sa.Column("user_id", _ID, nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(["network_id"], ["networks.id"],
                                name=op.f("fk_network_users_network_id_networks")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_network_users_user_id_users")),
        sa.PrimaryKeyConstraint("network_id", "user_id", name=op.f("pk_network_users")),
    )  # fmt: skip
    op.create_table(
        "network_requests",
        sa.Column("id", _ID, nullable=False),
        sa.Column("network_id", _ID, nullable=False),
        sa.Column("member", _CODE, nullable=False),
        sa.Column("requested_by", sa.String(length=80), nullable=False),
        sa.Column("requested_at", _WHEN, nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_by", sa.String(length=80), nullable=True),
        sa.Column("decided_at", _WHEN, nullable=True),
        sa.ForeignKeyConstraint(["network_id"], ["networks.id"],
                                name=op.f("fk_network_requests_network_id_networks")),
        sa.ForeignKeyConstraint(["member"], ["members.code"],
                                name=op.f("fk_network_requests_member_members")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_requests")),
    )  # fmt: skip
    with op.batch_alter_table("network_requests", schema=None) as batch_op:
        batch_op.create_index("ix_network_requests_network_id", ["network_id"], unique=False)
    op.create_table(
        "message_threads",
        sa.Column("id", _ID, nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("network_id", _ID, nullable=True),
        sa.Column("about", _ID, nullable=True),
        sa.Column("last_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(["id"], ["records.id"], name=op.f("fk_message_threads_id_records")),
        sa.ForeignKeyConstraint(["network_id"], ["networks.id"],
                                name=op.f("fk_message_threads_network_id_networks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_threads")),
    )  # fmt: skip
    with op.batch_alter_table("message_threads", schema=None) as batch_op:
        batch_op.create_index("ix_message_threads_last_at", ["last_at"], unique=False)
        batch_op.create_index("ix_message_threads_about", ["about"], unique=False)
    op.create_table(
        "messages",
        sa.Column("id", _ID, nullable=False),
        sa.Column("thread_id", _ID, nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("fields", _JSON, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("corrects", _ID, nullable=True),
        sa.Column("sent_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(["id"], ["records.id"], name=op.f("fk_messages_id_records")),
        sa.ForeignKeyConstraint(["thread_id"], ["message_threads.id"],
                                name=op.f("fk_messages_thread_id_message_threads")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
    )  # fmt: skip
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index("ix_messages_thread_id", ["thread_id", "sent_at"], unique=False)
    op.create_table(
        "attachment_blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_attachment_blobs")),
    )
    op.create_table(
        "message_attachments",
        sa.Column("message_id", _ID, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"],
                                name=op.f("fk_message_attachments_message_id_messages")),
        sa.ForeignKeyConstraint(["sha256"], ["attachment_blobs.sha256"],
                                name=op.f("fk_message_attachments_sha256_attachment_blobs")),
        sa.PrimaryKeyConstraint("message_id", "sha256", name=op.f("pk_message_attachments")),
    )  # fmt: skip
    op.create_table(
        "message_reads",
        sa.Column("message_id", _ID, nullable=False),
        sa.Column("user_id", _ID, nullable=False),
        sa.Column("member", _CODE, nullable=False),
        sa.Column("read_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"],
                                name=op.f("fk_message_reads_message_id_messages")),
        sa.PrimaryKeyConstraint("message_id", "user_id", name=op.f("pk_message_reads")),
    )  # fmt: skip
    op.create_table(
        "intel_reports",
        sa.Column("id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("crime_areas", _JSON, nullable=False),
        sa.Column("countries", _JSON, nullable=False),
        sa.Column("route", _JSON, nullable=False),
        sa.Column("period_from", sa.Date(), nullable=True),
        sa.Column("period_to", sa.Date(), nullable=True),
        sa.Column("indicators", _JSON, nullable=False),
        sa.Column("linked", _JSON, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("published_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(["id"], ["records.id"], name=op.f("fk_intel_reports_id_records")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_reports")),
    )
    with op.batch_alter_table("intel_reports", schema=None) as batch_op:
        batch_op.create_index("ix_intel_reports_kind", ["kind"], unique=False)
    op.create_table(
        "intel_subscriptions",
        sa.Column("id", _ID, nullable=False),
        sa.Column("member", _CODE, nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("kinds", _JSON, nullable=False),
        sa.Column("countries", _JSON, nullable=False),
        sa.Column("crime_areas", _JSON, nullable=False),
        sa.ForeignKeyConstraint(["member"], ["members.code"],
                                name=op.f("fk_intel_subscriptions_member_members")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_subscriptions")),
    )  # fmt: skip
    with op.batch_alter_table("intel_subscriptions", schema=None) as batch_op:
        batch_op.create_index("ix_intel_subscriptions_member", ["member"], unique=False)
    op.create_table(
        "search_documents",
        sa.Column("record_id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"],
                                name=op.f("fk_search_documents_record_id_records")),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_search_documents")),
    )  # fmt: skip
    if op.get_bind().dialect.name == "postgresql":
        # 'simple': no stemming, the same for the four languages of the platform.
        op.execute(
            "ALTER TABLE search_documents ADD COLUMN tsv tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED"
        )
        op.execute("CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv)")
    else:
        # Accents folded ("Libye" finds "Libye", "libye"), any script tokenised.
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(record_id UNINDEXED, body, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE IF EXISTS search_fts")
    for table in (
        "search_documents", "intel_subscriptions", "intel_reports", "message_reads",
        "message_attachments", "attachment_blobs", "messages", "message_threads",
        "network_requests", "network_users",
    ):  # fmt: skip
        op.drop_table(table)
    with op.batch_alter_table("networks", schema=None) as batch_op:
        batch_op.drop_column("description")
        batch_op.drop_column("kind")
