"""Notices and diffusions, their transitions, and what links notices in force to persons and
travel documents.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 01:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
_SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=True),
        sa.Column("subject", _JSON, nullable=True),
        sa.Column("fields", _JSON, nullable=False),
        sa.Column("pending", _JSON, nullable=True),
        sa.Column("public_extract", sa.Boolean(), nullable=False),
        sa.Column("requested_audience", _JSON, nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewer", sa.String(length=80), nullable=True),
        sa.Column("ref", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["id"], ["records.id"], name=op.f("fk_notices_id_records")),
        sa.ForeignKeyConstraint(
            ["person_id"], ["records.id"], name=op.f("fk_notices_person_id_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index("ix_notices_state", ["state"], unique=False)
        batch_op.create_index("ix_notices_person_id", ["person_id"], unique=False)
        batch_op.create_index("ix_notices_ref", ["ref"], unique=False)
    op.create_table(
        "notice_transitions",
        sa.Column("seq", _SERIAL, autoincrement=True, nullable=False),
        sa.Column("notice_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("member", sa.String(length=8), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=True),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notices.id"], name=op.f("fk_notice_transitions_notice_id_notices")
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_notice_transitions")),
    )
    with op.batch_alter_table("notice_transitions", schema=None) as batch_op:
        batch_op.create_index("ix_notice_transitions_notice_id", ["notice_id"], unique=False)
    op.create_table(
        "person_notices",
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("notice_id", sa.String(length=36), nullable=False),
        sa.Column("notice_type", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["records.id"], name=op.f("fk_person_notices_person_id_records")
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["records.id"], name=op.f("fk_person_notices_notice_id_records")
        ),
        sa.PrimaryKeyConstraint("person_id", "notice_id", name=op.f("pk_person_notices")),
    )
    with op.batch_alter_table("person_notices", schema=None) as batch_op:
        batch_op.create_index("ix_person_notices_notice_id", ["notice_id"], unique=False)

    op.create_table(
        "notice_documents",
        sa.Column("notice_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("issuing_state", sa.String(length=8), nullable=False),
        sa.Column("ocr_key", sa.String(length=40), nullable=False),
        sa.Column("document_type", sa.String(length=40), nullable=False),
        sa.Column("notice_type", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["records.id"], name=op.f("fk_notice_documents_notice_id_records")
        ),
        sa.PrimaryKeyConstraint(
            "notice_id", "number", "issuing_state", name=op.f("pk_notice_documents")
        ),
    )
    with op.batch_alter_table("notice_documents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notice_documents_ocr_key", ["ocr_key", "issuing_state"], unique=False
        )


def downgrade() -> None:
    op.drop_table("notice_documents")
    op.drop_table("person_notices")
    op.drop_table("notice_transitions")
    op.drop_table("notices")
