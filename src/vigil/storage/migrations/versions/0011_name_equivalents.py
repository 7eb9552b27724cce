"""Tables of equivalent name parts (nicknames, one given name across languages and scripts)
that administrators load, and the parts they list.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 20:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "person_equivalent_sources",
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=True),
        sa.Column("pairs_read", sa.Integer(), nullable=False),
        sa.Column("pairs_kept", sa.Integer(), nullable=False),
        sa.Column("lines_skipped", sa.Integer(), nullable=False),
        sa.Column("loaded_at", _WHEN, nullable=False),
        sa.Column("loaded_by", sa.String(length=80), nullable=False),
        sa.Column("removed_at", _WHEN, nullable=True),
        sa.Column("removed_by", sa.String(length=80), nullable=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_person_equivalent_sources")),
    )
    op.create_table(
        "person_equivalents",
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("token", sa.String(length=100), nullable=False),
        sa.Column("other", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["source"],
            ["person_equivalent_sources.source"],
            name=op.f("fk_person_equivalents_source_person_equivalent_sources"),
        ),
        sa.PrimaryKeyConstraint("source", "token", "other", name=op.f("pk_person_equivalents")),
    )


def downgrade() -> None:
    op.drop_table("person_equivalents")
    op.drop_table("person_equivalent_sources")
