"""The traces networks leave: online advertisements with their phone numbers, and money
transfers between accounts.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 04:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
_WHEN = sa.DateTime(timezone=True)
_ID = sa.String(length=36)
_CODE = sa.String(length=8)


def upgrade() -> None:
    op.create_table(
        "ads",
        sa.Column("id", _ID, nullable=False),
        sa.Column("posted_at", _WHEN, nullable=False),
        sa.Column("site", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("city", sa.String(length=120), nullable=True),
        sa.Column("country", _CODE, nullable=True),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("phones", _JSON, nullable=False),
        sa.Column("emails", _JSON, nullable=False),
        sa.Column("image_hashes", _JSON, nullable=False),
        sa.Column("ref_key", sa.String(length=210), nullable=True),
        sa.ForeignKeyConstraint(["id"], ["records.id"], name=op.f("fk_ads_id_records")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ads")),
        sa.UniqueConstraint("ref_key", name=op.f("uq_ads_ref_key")),
    )
    op.create_index("ix_ads_posted_at", "ads", ["posted_at"])
    op.create_index("ix_ads_country_posted_at", "ads", ["country", "posted_at"])
    op.create_table(
        "ad_phones",
        sa.Column("ad_id", _ID, nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["ad_id"], ["ads.id"], name=op.f("fk_ad_phones_ad_id_ads")),
        sa.PrimaryKeyConstraint("ad_id", "phone", name=op.f("pk_ad_phones")),
    )
    op.create_index("ix_ad_phones_phone", "ad_phones", ["phone"])
    op.create_table(
        "transfers",
        sa.Column("id", _ID, nullable=False),
        sa.Column("at", _WHEN, nullable=False),
        sa.Column("from_account", sa.String(length=64), nullable=False),
        sa.Column("to_account", sa.String(length=64), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("channel", sa.String(length=30), nullable=False),
        sa.Column("reference", sa.String(length=300), nullable=True),
        sa.Column("ref_key", sa.String(length=210), nullable=True),
        sa.ForeignKeyConstraint(["id"], ["records.id"], name=op.f("fk_transfers_id_records")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfers")),
        sa.UniqueConstraint("ref_key", name=op.f("uq_transfers_ref_key")),
    )
    op.create_index("ix_transfers_from_account_at", "transfers", ["from_account", "at"])
    op.create_index("ix_transfers_to_account_at", "transfers", ["to_account", "at"])


def downgrade() -> None:
    op.drop_table("transfers")
    op.drop_table("ad_phones")
    op.drop_table("ads")
