"""Every table, in one MetaData: the schema Alembic migrates and the stores query."""

from __future__ import annotations

import sqlalchemy as sa

from vigil.storage.types import BigSerial, Json, UTCDateTime

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Id = sa.String(36)
Code = sa.String(8)

members = sa.Table(
    "members",
    metadata,
    sa.Column("code", Code, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("member", Code, sa.ForeignKey("members.code"), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("login", sa.String(200), unique=True),
    sa.Column("password_hash", sa.String(200)),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("created_by", sa.String(80), nullable=False),
    sa.Column("disabled_at", UTCDateTime),
    sa.Index("ix_users_member_role", "member", "role"),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("user_id", Id, sa.ForeignKey("users.id"), nullable=False, index=True),
    # SHA-256 of the token: tokens carry 256 random bits, so a slow hash adds nothing.
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("prefix", sa.String(16), nullable=False),
    sa.Column("label", sa.String(200), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    sa.Column("revoked_at", UTCDateTime),
)

web_sessions = sa.Table(
    "web_sessions",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("user_id", Id, sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    sa.Column("revoked_at", UTCDateTime),
)

login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("seq", BigSerial, primary_key=True, autoincrement=True),
    sa.Column("login", sa.String(200), nullable=False),
    sa.Column("client", sa.String(64), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Index("ix_login_failures_login_at", "login", "at"),
    sa.Index("ix_login_failures_client_at", "client", "at"),
)

networks = sa.Table(
    "networks",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("created_by", sa.String(80), nullable=False),
    # expert_group (policy, trends) or operational (cases, routes), and what it is for
    sa.Column("kind", sa.String(20), nullable=False, server_default="operational"),
    sa.Column("description", sa.Text),
)

network_members = sa.Table(
    "network_members",
    metadata,
    sa.Column("network_id", Id, sa.ForeignKey("networks.id"), primary_key=True),
    sa.Column("member", Code, sa.ForeignKey("members.code"), primary_key=True),
    sa.Index("ix_network_members_member", "member"),
)

# The envelope of every shared record; each domain keeps its content in its own table keyed
# by the same id, so that access can be filtered in one place.
# The named users of a network's member NCBs, and who moderates it.
network_users = sa.Table(
    "network_users",
    metadata,
    sa.Column("network_id", Id, sa.ForeignKey("networks.id"), primary_key=True),
    sa.Column("user_id", Id, sa.ForeignKey("users.id"), primary_key=True),
    sa.Column("role", sa.String(10), nullable=False),  # member | moderator
)
network_requests = sa.Table(
    "network_requests",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("network_id", Id, sa.ForeignKey("networks.id"), nullable=False),
    sa.Column("member", Code, sa.ForeignKey("members.code"), nullable=False),
    sa.Column("requested_by", sa.String(80), nullable=False),
    sa.Column("requested_at", UTCDateTime, nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("status", sa.String(10), nullable=False),  # pending | approved | refused
    sa.Column("decided_by", sa.String(80)),
    sa.Column("decided_at", UTCDateTime),
    sa.Index("ix_network_requests_network_id", "network_id"),
)
records = sa.Table(
    "records",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("owner", Code, sa.ForeignKey("members.code"), nullable=False),
    sa.Column("created_by", sa.String(80), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("audience_kind", sa.String(10), nullable=False),
    sa.Column("handling", sa.String(2), nullable=False),
    sa.Column("handling_text", sa.Text),
    sa.Column("review_by", sa.Date, nullable=False),
    sa.Column("source_agency", sa.String(200)),
    sa.Column("owner_ref", sa.String(200)),
    sa.Column("source_reliability", sa.String(1)),
    sa.Column("information_credibility", sa.String(1)),
    sa.Column("deleted_at", UTCDateTime),
    sa.Index("ix_records_owner_kind", "owner", "kind"),
    sa.Index("ix_records_review_by", "review_by"),
    sa.Index("ix_records_kind_id", "kind", "id"),
)

# The members (audience only/except) or networks (audience networks) an envelope names.
record_audience = sa.Table(
    "record_audience",
    metadata,
    sa.Column("record_id", Id, sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("code", sa.String(36), primary_key=True),
    sa.Index("ix_record_audience_code", "code"),
)

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

# A check that matched a record: the start of the follow-up between the two members.
notices = sa.Table(
    "notices",
    metadata,
    sa.Column("id", Id, sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("channel", sa.String(10), nullable=False),  # notice or diffusion
    sa.Column("type", sa.String(20), nullable=False),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("person_id", Id, sa.ForeignKey("records.id")),
    # The person's particulars as the notice states them (copied from the owner's record
    # when the notice is drafted or changed: the audience reads them, not the record).
    sa.Column("subject", Json),
    sa.Column("fields", Json, nullable=False),
    # A published notice's changes wait here for review; the published text stays in force.
    sa.Column("pending", Json),
    sa.Column("public_extract", sa.Boolean, nullable=False),
    # The envelope's audience is the owner alone until publication; then this one.
    sa.Column("requested_audience", Json, nullable=False),
    sa.Column("published_at", UTCDateTime),
    sa.Column("reviewer", sa.String(80)),
    sa.Column("ref", sa.String(200)),  # the owner's reference, for idempotent imports
    sa.Index("ix_notices_state", "state"),
    sa.Index("ix_notices_ref", "ref"),
    sa.Index("ix_notices_person_id", "person_id"),
)
notice_transitions = sa.Table(
    "notice_transitions",
    metadata,
    sa.Column("seq", BigSerial, primary_key=True, autoincrement=True),
    sa.Column("notice_id", Id, sa.ForeignKey("notices.id"), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", sa.String(80), nullable=False),
    sa.Column("member", Code, nullable=False),
    sa.Column("from_state", sa.String(20)),
    sa.Column("to_state", sa.String(20), nullable=False),
    sa.Column("reasons", sa.Text),
    sa.Index("ix_notice_transitions_notice_id", "notice_id"),
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
# Secure messaging: a thread is a record (its envelope says who takes part); each message is a
# record of its own (its handling code and grading), never edited, only corrected.
message_threads = sa.Table(
    "message_threads",
    metadata,
    sa.Column("id", Id, sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("network_id", Id, sa.ForeignKey("networks.id")),
    sa.Column("about", Id),  # the record the thread discusses (an intelligence report...)
    sa.Column("last_at", UTCDateTime, nullable=False),
    sa.Index("ix_message_threads_last_at", "last_at"),
    sa.Index("ix_message_threads_about", "about"),
)
messages = sa.Table(
    "messages",
    metadata,
    sa.Column("id", Id, sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("thread_id", Id, sa.ForeignKey("message_threads.id"), nullable=False),
    sa.Column("type", sa.String(30), nullable=False),
    sa.Column("fields", Json, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("language", sa.String(2)),
    sa.Column("corrects", Id),  # the message this one corrects
    sa.Column("sent_at", UTCDateTime, nullable=False),
    sa.Index("ix_messages_thread_id", "thread_id", "sent_at"),
)
# Attachments by content: one blob per SHA-256, however many messages carry it.
attachment_blobs = sa.Table(
    "attachment_blobs",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)
message_attachments = sa.Table(
    "message_attachments",
    metadata,
    sa.Column("message_id", Id, sa.ForeignKey("messages.id"), primary_key=True),
    sa.Column("sha256", sa.String(64), sa.ForeignKey("attachment_blobs.sha256"), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("media_type", sa.String(100), nullable=False),
)
message_reads = sa.Table(
    "message_reads",
    metadata,
    sa.Column("message_id", Id, sa.ForeignKey("messages.id"), primary_key=True),
    sa.Column("user_id", Id, primary_key=True),
    sa.Column("member", Code, nullable=False),
    sa.Column("read_at", UTCDateTime, nullable=False),
)
intel_reports = sa.Table(
    "intel_reports",
    metadata,
    sa.Column("id", Id, sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),  # threat | trend | route | modus_operandi
    sa.Column("crime_areas", Json, nullable=False),
    sa.Column("countries", Json, nullable=False),  # every country named, the route's included
    sa.Column("route", Json, nullable=False),
    sa.Column("period_from", sa.Date),
    sa.Column("period_to", sa.Date),
    sa.Column("indicators", Json, nullable=False),
    sa.Column("linked", Json, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("language", sa.String(2)),
    sa.Column("published_at", UTCDateTime, nullable=False),
    sa.Index("ix_intel_reports_kind", "kind"),
)
# What each member wants to hear of: reports of these kinds, countries and crime areas.
intel_subscriptions = sa.Table(
    "intel_subscriptions",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("member", Code, sa.ForeignKey("members.code"), nullable=False),
    sa.Column("created_by", sa.String(80), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("kinds", Json, nullable=False),
    sa.Column("countries", Json, nullable=False),
    sa.Column("crime_areas", Json, nullable=False),
    sa.Index("ix_intel_subscriptions_member", "member"),
)
# Full-text search over messages and reports: FTS5 on SQLite, a tsvector column with a GIN
# index on PostgreSQL (created by the migration, per dialect); this is the plain row store.
search_documents = sa.Table(
    "search_documents",
    metadata,
    sa.Column("record_id", Id, sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
)
hits = sa.Table(
    "hits",
    metadata,
    sa.Column("seq", BigSerial, primary_key=True, autoincrement=True),
    sa.Column("id", Id, nullable=False, unique=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("match", sa.String(10), nullable=False),
    sa.Column("record_id", Id, sa.ForeignKey("records.id"), nullable=False),
    sa.Column("owner", Code, nullable=False),
    sa.Column("checking_member", Code, nullable=False),
    sa.Column("checked_by", sa.String(80), nullable=False),
    sa.Column("checked_at", UTCDateTime, nullable=False),
    sa.Column("summary", Json, nullable=False),
    # open -> confirmed | false_hit -> closed (the action taken is recorded)
    sa.Column("status", sa.String(20), nullable=False),
    # The traveller check that found it (one check may find several hits).
    sa.Column("check_id", Id),
    sa.Column("urgency", sa.String(10), nullable=False, server_default="routine"),
    # The owner confirms or denies the identity before this, or the hit escalates.
    sa.Column("deadline_at", UTCDateTime),
    sa.Column("escalated_at", UTCDateTime),
    sa.Column("action", sa.String(20)),  # what the checking member did
    sa.Column("closed_at", UTCDateTime),
    sa.Index("ix_hits_owner_seq", "owner", "seq"),
    sa.Index("ix_hits_checking_member_seq", "checking_member", "seq"),
    sa.Index("ix_hits_status_deadline", "status", "deadline_at"),
    sa.Index("ix_hits_check_id", "check_id"),
)
# The follow-up on a hit between its two members: structured forms, never edited.
hit_messages = sa.Table(
    "hit_messages",
    metadata,
    sa.Column("seq", BigSerial, primary_key=True, autoincrement=True),
    sa.Column("hit_id", Id, sa.ForeignKey("hits.id"), nullable=False),
    sa.Column("member", Code, nullable=False),
    sa.Column("actor", sa.String(80), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),  # identity | action | note | escalation
    sa.Column("value", sa.String(30)),  # confirmed, denied, arrested, located, ...
    sa.Column("text", sa.Text),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Index("ix_hit_messages_hit_id", "hit_id"),
)
# A member's own deadlines to confirm a hit, by urgency (the defaults are in settings).
hit_deadlines = sa.Table(
    "hit_deadlines",
    metadata,
    sa.Column("member", Code, sa.ForeignKey("members.code"), primary_key=True),
    sa.Column("urgency", sa.String(10), primary_key=True),
    sa.Column("minutes", sa.Integer, nullable=False),
)
# One traveller check or passenger list: what it found, for the hits to point back at.
screening_checks = sa.Table(
    "screening_checks",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("member", Code, nullable=False),
    sa.Column("actor", sa.String(80), nullable=False),
    sa.Column("checked_at", UTCDateTime, nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),  # check | manifest | offline
    sa.Column("travellers", sa.Integer, nullable=False),
    sa.Column("result", sa.String(10), nullable=False),
    sa.Column("reference", sa.String(100)),  # a flight or vessel, a border post
)
# Offline screening packages a member exported for its border posts.
offline_packages = sa.Table(
    "offline_packages",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("member", Code, nullable=False),
    sa.Column("created_by", sa.String(80), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    sa.Column("base_id", Id),  # the package this one refreshes (an increment), if any
    sa.Column("records", sa.Integer, nullable=False),
    sa.Column("digest", sa.String(64), nullable=False),  # SHA-256 of the package file
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    # Assigned from audit_head under its lock, never by the database: a gap means a deletion.
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("id", Id, nullable=False, unique=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", sa.String(80), nullable=False),
    sa.Column("member", Code, nullable=False),
    sa.Column("action", sa.String(80), nullable=False),
    sa.Column("record_ids", Json, nullable=False),
    sa.Column("query_digest", sa.String(64)),
    sa.Column("result_ids", Json, nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)

audit_record_refs = sa.Table(
    "audit_record_refs",
    metadata,
    sa.Column("seq", sa.BigInteger, sa.ForeignKey("audit_log.seq"), primary_key=True),
    sa.Column("record_id", Id, primary_key=True),
    sa.Index("ix_audit_record_refs_record", "record_id", "seq"),
)

# One row: the last entry of the chain. Locking it serialises appends across processes.
audit_head = sa.Table(
    "audit_head",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)

outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("seq", BigSerial, primary_key=True, autoincrement=True),
    sa.Column("id", Id, nullable=False, unique=True),
    sa.Column("type", sa.String(80), nullable=False),
    sa.Column("payload", Json, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("handled_at", UTCDateTime),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text),
    sa.Index("ix_outbox_pending", "handled_at", "seq"),
)

alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("seq", BigSerial, primary_key=True, autoincrement=True),
    sa.Column("id", Id, nullable=False, unique=True),
    sa.Column("member", Code, sa.ForeignKey("members.code"), nullable=False),
    sa.Column("kind", sa.String(60), nullable=False),
    sa.Column("record_id", Id),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("body", Json, nullable=False),
    sa.Column("event_id", Id, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("read_at", UTCDateTime),
    sa.Column("read_by", Id),
    # At-least-once delivery: a replayed event cannot alert the same member twice.
    sa.UniqueConstraint("event_id", "member", "kind", name="uq_alerts_event_member_kind"),
    sa.Index("ix_alerts_member_seq", "member", "seq"),
)

idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("user_id", Id, primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("method", sa.String(8), nullable=False),
    sa.Column("path", sa.String(500), nullable=False),
    sa.Column("request_hash", sa.String(64), nullable=False),
    sa.Column("status_code", sa.Integer, nullable=False),
    sa.Column("response", Json, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)
