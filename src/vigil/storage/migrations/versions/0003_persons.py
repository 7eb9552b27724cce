"""Person records and the change feed that keeps the name indexes current.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 22:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "persons",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("primary_name", sa.String(length=300), nullable=False),
        sa.Column("names", _JSON, nullable=False),
        sa.Column("birth_date", sa.String(length=10), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("nationalities", _JSON, nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("details", _JSON, nullable=False),
        sa.Column("ref", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["id"], ["records.id"], name=op.f("fk_persons_id_records")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_persons")),
    )
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.create_index("ix_persons_category", ["category"], unique=False)
        batch_op.create_index("ix_persons_ref", ["ref"], unique=False)
    op.create_table(
        "person_changes",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_person_changes")),
    )


def downgrade() -> None:
    op.drop_table("person_changes")
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_index("ix_persons_ref")
        batch_op.drop_index("ix_persons_category")
    op.drop_table("persons")
