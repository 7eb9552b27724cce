"""Stolen and lost travel documents, and the documents named in notices."""

from __future__ import annotations

import sqlalchemy as sa

from vigil.storage.tables.base import Code, Id, metadata
from vigil.storage.types import UTCDateTime

# Stolen, lost, revoked and invalidated travel documents (SLTD), one row per report record.
document_reports = sa.Table(
    "document_reports",
    metadata,
    sa.Column("id", Id, sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("issuing_state", Code, nullable=False),
    sa.Column("type", sa.String(20), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("number", sa.String(40), nullable=False),
    # The number without separators, upper case: an exact match is a hit.
    sa.Column("number_key", sa.String(40), nullable=False),
    # The number with OCR confusions folded (O->0, I->1...): a match only here is "possible".
    sa.Column("ocr_key", sa.String(40), nullable=False),
    # state:type:number while the report is live, NULL once recovered or deleted; unique, so the
    # same document is reported once and a bulk load that runs again adds nothing.
    sa.Column("active_key", sa.String(80), unique=True),
    sa.Column("reported_on", sa.Date),
    sa.Column("expiry_date", sa.Date),
    sa.Column("holder_surname", sa.String(120)),
    sa.Column("holder_given_names", sa.String(120)),
    sa.Column("holder_birth_date", sa.Date),
    sa.Column("mrz", sa.String(100)),
    sa.Column("recovered_at", UTCDateTime),
    sa.Column("recovered_by", sa.String(80)),
    sa.Index("ix_document_reports_ocr_key", "ocr_key", "issuing_state"),
)

# The travel documents named in notices in force: checking one shows the notice (kept by the
# documents domain, looked up by the same keys as the reports).
notice_documents = sa.Table(
    "notice_documents",
    metadata,
    sa.Column("notice_id", Id, sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("number", sa.String(40), primary_key=True),  # number_key
    sa.Column("issuing_state", Code, primary_key=True),
    sa.Column("ocr_key", sa.String(40), nullable=False),
    sa.Column("document_type", sa.String(40), nullable=False),
    sa.Column("notice_type", sa.String(20), nullable=False),
    sa.Index("ix_notice_documents_ocr_key", "ocr_key", "issuing_state"),
)
