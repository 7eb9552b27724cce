"""Every table, in one MetaData: the schema Alembic migrates and the stores query.

One module per domain; this package re-exports them all, so a store imports its tables from
``vigil.storage.tables`` and Alembic sees the whole schema through ``metadata``.
"""

from __future__ import annotations

from vigil.storage.tables.access import (
    api_tokens,
    login_failures,
    members,
    network_members,
    network_requests,
    network_users,
    networks,
    users,
    web_sessions,
)
from vigil.storage.tables.analysis import ad_phones, ads, transfers
from vigil.storage.tables.audit import audit_head, audit_log, audit_record_refs
from vigil.storage.tables.base import Code, Id, metadata
from vigil.storage.tables.biometrics import (
    biometric_changes,
    biometric_decisions,
    biometric_images,
    biometric_searches,
    biometric_templates,
)
from vigil.storage.tables.documents import document_reports, notice_documents
from vigil.storage.tables.events import alerts, outbox
from vigil.storage.tables.idempotency import idempotency_keys
from vigil.storage.tables.messaging import (
    attachment_blobs,
    intel_reports,
    intel_subscriptions,
    message_attachments,
    message_reads,
    message_threads,
    messages,
    search_documents,
)
from vigil.storage.tables.notices import notice_transitions, notices
from vigil.storage.tables.persons import (
    person_changes,
    person_equivalent_sources,
    person_equivalents,
    person_notices,
    persons,
)
from vigil.storage.tables.records import record_audience, records
from vigil.storage.tables.screening import (
    hit_deadlines,
    hit_messages,
    hits,
    offline_packages,
    screening_checks,
)

__all__ = [
    "Code",
    "Id",
    "ad_phones",
    "ads",
    "alerts",
    "api_tokens",
    "attachment_blobs",
    "audit_head",
    "audit_log",
    "audit_record_refs",
    "biometric_changes",
    "biometric_decisions",
    "biometric_images",
    "biometric_searches",
    "biometric_templates",
    "document_reports",
    "hit_deadlines",
    "hit_messages",
    "hits",
    "idempotency_keys",
    "intel_reports",
    "intel_subscriptions",
    "login_failures",
    "members",
    "message_attachments",
    "message_reads",
    "message_threads",
    "messages",
    "metadata",
    "network_members",
    "network_requests",
    "network_users",
    "networks",
    "notice_documents",
    "notice_transitions",
    "notices",
    "offline_packages",
    "outbox",
    "person_changes",
    "person_equivalent_sources",
    "person_equivalents",
    "person_notices",
    "persons",
    "record_audience",
    "records",
    "screening_checks",
    "search_documents",
    "transfers",
    "users",
    "web_sessions",
]
