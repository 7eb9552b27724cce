"""Travel document reports (SLTD) and the hits that checks find.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 19:47:12.710421
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_reports",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("issuing_state", sa.String(length=8), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("number_key", sa.String(length=40), nullable=False),
        sa.Column("ocr_key", sa.String(length=40), nullable=False),
        sa.Column("active_key", sa.String(length=80), nullable=True),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("expiry_date", sa.Date(), nullable=True),
        sa.Column("holder_surname", sa.String(length=120), nullable=True),
        sa.Column("holder_given_names", sa.String(length=120), nullable=True),
        sa.Column("holder_birth_date", sa.Date(), nullable=True),
        sa.Column("mrz", sa.String(length=100), nullable=True),
        sa.Column("recovered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recovered_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["id"], ["records.id"], name=op.f("fk_document_reports_id_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_reports")),
        sa.UniqueConstraint("active_key", name=op.f("uq_document_reports_active_key")),
    )
    with op.batch_alter_table("document_reports", schema=None) as batch_op:
        batch_op.create_index(
            "ix_document_reports_ocr_key", ["ocr_key", "issuing_state"], unique=False
        )

    op.create_table(
        "hits",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("match", sa.String(length=10), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("owner", sa.String(length=8), nullable=False),
        sa.Column("checking_member", sa.String(length=8), nullable=False),
        sa.Column("checked_by", sa.String(length=80), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "summary",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_hits_record_id_records")
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_hits")),
        sa.UniqueConstraint("id", name=op.f("uq_hits_id")),
    )
    with op.batch_alter_table("hits", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hits_checking_member_seq", ["checking_member", "seq"], unique=False
        )
        batch_op.create_index("ix_hits_owner_seq", ["owner", "seq"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("hits", schema=None) as batch_op:
        batch_op.drop_index("ix_hits_owner_seq")
        batch_op.drop_index("ix_hits_checking_member_seq")

    op.drop_table("hits")
    with op.batch_alter_table("document_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_document_reports_ocr_key")

    op.drop_table("document_reports")
