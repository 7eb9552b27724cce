"""Frontline screening: hits gain their check, urgency, deadline and follow-up; hit messages;
members' own deadlines; traveller checks; offline packages.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 01:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("hits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("check_id", sa.String(length=36), nullable=True))
        batch_op.add_column(
            sa.Column("urgency", sa.String(length=10), nullable=False, server_default="routine")
        )
        batch_op.add_column(sa.Column("deadline_at", _WHEN, nullable=True))
        batch_op.add_column(sa.Column("escalated_at", _WHEN, nullable=True))
        batch_op.add_column(sa.Column("action", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("closed_at", _WHEN, nullable=True))
        batch_op.create_index("ix_hits_status_deadline", ["status", "deadline_at"], unique=False)
        batch_op.create_index("ix_hits_check_id", ["check_id"], unique=False)
    op.create_table(
        "hit_messages",
        sa.Column("seq", _SERIAL, autoincrement=True, nullable=False),
        sa.Column("hit_id", sa.String(length=36), nullable=False),
        sa.Column("member", sa.String(length=8), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=30), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(["hit_id"], ["hits.id"], name=op.f("fk_hit_messages_hit_id_hits")),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_hit_messages")),
    )
    with op.batch_alter_table("hit_messages", schema=None) as batch_op:
        batch_op.create_index("ix_hit_messages_hit_id", ["hit_id"], unique=False)
    op.create_table(
        "hit_deadlines",
        sa.Column("member", sa.String(length=8), nullable=False),
        sa.Column("urgency", sa.String(length=10), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member"], ["members.code"], name=op.f("fk_hit_deadlines_member_members")
        ),
        sa.PrimaryKeyConstraint("member", "urgency", name=op.f("pk_hit_deadlines")),
    )
    op.create_table(
        "screening_checks",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("member", sa.String(length=8), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("checked_at", _WHEN, nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("travellers", sa.Integer(), nullable=False),
        sa.Column("result", sa.String(length=10), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_checks")),
    )
    op.create_table(
        "offline_packages",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("member", sa.String(length=8), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("expires_at", _WHEN, nullable=False),
        sa.Column("base_id", sa.String(length=36), nullable=True),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offline_packages")),
    )


def downgrade() -> None:
    op.drop_table("offline_packages")
    op.drop_table("screening_checks")
    op.drop_table("hit_deadlines")
    with op.batch_alter_table("hit_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_hit_messages_hit_id")
    op.drop_table("hit_messages")
    with op.batch_alter_table("hits", schema=None) as batch_op:
        batch_op.drop_index("ix_hits_check_id")
        batch_op.drop_index("ix_hits_status_deadline")
        for column in ("closed_at", "action", "escalated_at", "deadline_at", "urgency", "check_id"):
            batch_op.drop_column(column)
