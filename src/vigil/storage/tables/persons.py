"""Person records and what the name index follows."""

from __future__ import annotations

import sqlalchemy as sa

from vigil.storage.tables.base import Id, metadata
from vigil.storage.types import BigSerial, Json

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
