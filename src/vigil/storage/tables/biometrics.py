"""Face and fingerprint templates, their images, searches and decisions."""

from __future__ import annotations

import sqlalchemy as sa

from vigil.storage.tables.base import Code, Id, metadata
from vigil.storage.types import BigSerial, Json, UTCDateTime

biometric_templates = sa.Table(
    "biometric_templates",
    metadata,
    sa.Column("seq", BigSerial, primary_key=True, autoincrement=True),  # the vector index's id
    sa.Column("id", Id, nullable=False, unique=True),
    # A template belongs to a person record and shares its envelope: who may see the person
    # may be shown the template as a candidate, nobody else.
    sa.Column("person_id", Id, sa.ForeignKey("records.id"), nullable=False),
    sa.Column("modality", sa.String(10), nullable=False),  # face | finger
    sa.Column("finger", sa.SmallInteger),  # ISO/IEC 19794-2 finger position, 1-10
    # A face: its 128 float32 numbers. A finger: its ISO/IEC 19794-2:2005 minutiae record.
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("quality", sa.Float, nullable=False),
    sa.Column("source", sa.String(10), nullable=False),  # image | template
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("created_by", sa.String(80), nullable=False),
    sa.Column("deleted_at", UTCDateTime),
    sa.Index("ix_biometric_templates_person_id", "person_id"),
)
# The enrolment image, only when the owner chose to keep it (examiners compare side by side).
biometric_images = sa.Table(
    "biometric_images",
    metadata,
    sa.Column("template_id", Id, sa.ForeignKey("biometric_templates.id"), primary_key=True),
    sa.Column("media_type", sa.String(40), nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)
biometric_changes = sa.Table(
    "biometric_changes",
    metadata,
    sa.Column("seq", BigSerial, primary_key=True, autoincrement=True),
    sa.Column("template_id", Id, nullable=False),
)
# A search's candidates, for the examiner's decisions; the probe itself is never stored.
biometric_searches = sa.Table(
    "biometric_searches",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("modality", sa.String(10), nullable=False),
    sa.Column("member", Code, nullable=False),
    sa.Column("actor", sa.String(80), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("candidates", Json, nullable=False),
)
biometric_decisions = sa.Table(
    "biometric_decisions",
    metadata,
    sa.Column("seq", BigSerial, primary_key=True, autoincrement=True),
    sa.Column("search_id", Id, sa.ForeignKey("biometric_searches.id"), nullable=False),
    sa.Column("person_id", Id, nullable=False),
    sa.Column("decision", sa.String(20), nullable=False),  # match | no_match | inconclusive
    sa.Column("note", sa.Text),
    sa.Column("examiner", sa.String(80), nullable=False),
    sa.Column("member", Code, nullable=False),
    sa.Column("decided_at", UTCDateTime, nullable=False),
    sa.Column("hit_id", Id),
    sa.UniqueConstraint("search_id", "person_id", name="uq_biometric_decisions_search_person"),
)
