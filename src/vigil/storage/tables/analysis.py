"""The traces networks leave, as members share them for analysis: online advertisements and
money transfers. Phones and accounts are stored normalised, so that one lookup finds every
record that names them, whichever member wrote it and however it was written."""

from __future__ import annotations

import sqlalchemy as sa

from vigil.storage.tables.base import Code, Id, metadata
from vigil.storage.types import Json, UTCDateTime

# An online advertisement (jobs, escort, travel, accommodation) a member recorded.
ads = sa.Table(
    "ads",
    metadata,
    sa.Column("id", Id, sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("posted_at", UTCDateTime, nullable=False),
    sa.Column("site", sa.String(200), nullable=False),
    sa.Column("url", sa.String(2000)),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("city", sa.String(120)),
    sa.Column("country", Code),
    sa.Column("language", sa.String(2)),
    sa.Column("phones", Json, nullable=False),  # E.164, as ad_phones holds them
    sa.Column("emails", Json, nullable=False),
    sa.Column("image_hashes", Json, nullable=False),  # perceptual hashes, hexadecimal
    # OWNER/ref of the owner's own reference: a bulk load that runs again adds nothing.
    sa.Column("ref_key", sa.String(210), unique=True),
    sa.Index("ix_ads_posted_at", "posted_at"),
    sa.Index("ix_ads_country_posted_at", "country", "posted_at"),
)
# The phone numbers each ad gives: the link between ads, and between ads and persons.
ad_phones = sa.Table(
    "ad_phones",
    metadata,
    sa.Column("ad_id", Id, sa.ForeignKey("ads.id"), primary_key=True),
    sa.Column("phone", sa.String(20), primary_key=True),
    sa.Index("ix_ad_phones_phone", "phone"),
)
# A money transfer between two accounts (bank, card, money service, crypto exchange).
transfers = sa.Table(
    "transfers",
    metadata,
    sa.Column("id", Id, sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("from_account", sa.String(64), nullable=False),
    sa.Column("to_account", sa.String(64), nullable=False),
    # Minor units (cents) of ``currency``: exact sums, in every dialect.
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("channel", sa.String(30), nullable=False),
    sa.Column("reference", sa.String(300)),
    sa.Column("ref_key", sa.String(210), unique=True),
    sa.Index("ix_transfers_from_account_at", "from_account", "at"),
    sa.Index("ix_transfers_to_account_at", "to_account", "at"),
)
