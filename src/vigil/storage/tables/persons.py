"""Person records and what the name index follows."""

from __future__ import annotations

import sqlalchemy as sa

from vigil.storage.tables.base import Id, metadata
from vigil.storage.types import BigSerial, Json, UTCDateTime

# Person records (the nominal database). The name index is built from these rows in memory
# (persons/index.py); person_changes tells every process which rows to read again.
persons = sa.Table(
    "persons",
    metadata,
    sa.Column("id", Id, sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("primary_name", sa.String(300), nullable=False),
    sa.Column("names", Json, nullable=False),
    # YYYY, YYYY-MM or YYYY-MM-DD: police often know only the year.
    sa.Column("birth_date", sa.String(10)),
    sa.Column("sex", sa.String(1)),
    sa.Column("nationalities", Json, nullable=False),
    sa.Column("category", sa.String(20), nullable=False),
    sa.Column("details", Json, nullable=False),
    sa.Column("ref", sa.String(200)),
    sa.Index("ix_persons_category", "category"),
    sa.Index("ix_persons_ref", "ref"),  # bulk loads skip the lines already stored
)

# Every write to a person, in order: name indexes in every process follow it (at least once).
person_changes = sa.Table(
    "person_changes",
    metadata,
    sa.Column("seq", BigSerial, primary_key=True, autoincrement=True),
    sa.Column("person_id", Id, nullable=False),
)

# The notices in force about a person: they widen who may match it in screening to each
# notice's audience, and every hit on it shows them (kept by the persons domain).
person_notices = sa.Table(
    "person_notices",
    metadata,
    sa.Column("person_id", Id, sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("notice_id", Id, sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("notice_type", sa.String(20), nullable=False),
    sa.Index("ix_person_notices_notice_id", "notice_id"),
)

# Tables of equivalent name parts an administrator loaded (persons/equivalents.py): each
# source once, replaced whole when loaded again; a removed one keeps its row. ``version`` is
# the number of the row's last load or removal, and only grows: each process's name index
# reads the parts again when the highest one changes.
person_equivalent_sources = sa.Table(
    "person_equivalent_sources",
    metadata,
    sa.Column("source", sa.String(100), primary_key=True),
    sa.Column("format", sa.String(20), nullable=False),
    sa.Column("file_name", sa.String(300)),
    sa.Column("pairs_read", sa.Integer, nullable=False),  # pairs of names as the table lists them
    sa.Column("pairs_kept", sa.Integer, nullable=False),  # pairs of parts that sound different
    sa.Column("lines_skipped", sa.Integer, nullable=False),
    sa.Column("loaded_at", UTCDateTime, nullable=False),
    sa.Column("loaded_by", sa.String(80), nullable=False),
    sa.Column("removed_at", UTCDateTime),
    sa.Column("removed_by", sa.String(80)),
    sa.Column("version", sa.BigInteger, nullable=False),
)
# The parts themselves, as the name engine reads them (lower-case Latin tokens).
person_equivalents = sa.Table(
    "person_equivalents",
    metadata,
    sa.Column(
        "source",
        sa.String(100),
        sa.ForeignKey("person_equivalent_sources.source"),
        primary_key=True,
    ),
    sa.Column("token", sa.String(100), primary_key=True),
    sa.Column("other", sa.String(100), primary_key=True),
)
