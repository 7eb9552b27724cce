"""Biometric templates (faces, fingerprints), kept images, the change feed of the vector
indexes, searches and the examiners' decisions.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 01:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
_SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "biometric_templates",
        sa.Column("seq", _SERIAL, autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("modality", sa.String(length=10), nullable=False),
        sa.Column("finger", sa.SmallInteger(), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("quality", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("deleted_at", _WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["records.id"], name=op.f("fk_biometric_templates_person_id_records")
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_biometric_templates")),
        sa.UniqueConstraint("id", name=op.f("uq_biometric_templates_id")),
    )
    with op.batch_alter_table("biometric_templates", schema=None) as batch_op:
        batch_op.create_index("ix_biometric_templates_person_id", ["person_id"], unique=False)
    op.create_table(
        "biometric_images",
        sa.Column("template_id", sa.String(length=36), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["biometric_templates.id"],
            name=op.f("fk_biometric_images_template_id_biometric_templates"),
        ),
        sa.PrimaryKeyConstraint("template_id", name=op.f("pk_biometric_images")),
    )
    op.create_table(
        "biometric_changes",
        sa.Column("seq", _SERIAL, autoincrement=True, nullable=False),
        sa.Column("template_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_biometric_changes")),
    )
    op.create_table(
        "biometric_searches",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("modality", sa.String(length=10), nullable=False),
        sa.Column("member", sa.String(length=8), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("candidates", _JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_biometric_searches")),
    )
    op.create_table(
        "biometric_decisions",
        sa.Column("seq", _SERIAL, autoincrement=True, nullable=False),
        sa.Column("search_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("examiner", sa.String(length=80), nullable=False),
        sa.Column("member", sa.String(length=8), nullable=False),
        sa.Column("decided_at", _WHEN, nullable=False),
        sa.Column("hit_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["search_id"],
            ["biometric_searches.id"],
            name=op.f("fk_biometric_decisions_search_id_biometric_searches"),
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_biometric_decisions")),
        sa.UniqueConstraint("search_id", "person_id", name="uq_biometric_decisions_search_person"),
    )


def downgrade() -> None:
    op.drop_table("biometric_decisions")
    op.drop_table("biometric_searches")
    op.drop_table("biometric_changes")
    op.drop_table("biometric_images")
    with op.batch_alter_table("biometric_templates", schema=None) as batch_op:
        batch_op.drop_index("ix_biometric_templates_person_id")
    op.drop_table("biometric_templates")
