"""Every setting, read once from the environment (``VIGIL_*``); one comment each.

Tests and tools that need other values pass them to ``create_app`` or the engine factory
rather than mutating this module.
"""

from __future__ import annotations

import os
from pathlib import Path


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _bool(name: str, default: bool) -> bool:
    return _env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


# Where indexes, uploaded files and the embedded database live.
DATA_DIR = Path(_env("VIGIL_DATA_DIR", "./var"))

# The system of record: embedded SQLite by default, PostgreSQL for shared deployments
# (postgresql+psycopg://user@host:5432/db).
DATABASE_URL = _env("VIGIL_DATABASE_URL", "sqlite:///./var/vigil.db")

# API tokens expire after this many days unless another expiry is asked for.
TOKEN_TTL_DAYS = int(_env("VIGIL_TOKEN_TTL_DAYS", "90"))

# Web sessions expire after this many hours of life (not idle time).
SESSION_TTL_HOURS = int(_env("VIGIL_SESSION_TTL_HOURS", "12"))

# Session cookies carry the Secure flag: "auto" sets it when the request came over HTTPS.
COOKIE_SECURE = _env("VIGIL_COOKIE_SECURE", "auto")

# Failed password logins allowed per login name and per client address in the window below.
LOGIN_MAX_FAILURES = int(_env("VIGIL_LOGIN_MAX_FAILURES", "5"))

# The window, in seconds, over which failed logins are counted.
LOGIN_WINDOW_SECONDS = int(_env("VIGIL_LOGIN_WINDOW_SECONDS", "900"))

# Largest request body accepted, in bytes (passenger manifests and bulk loads use files).
MAX_REQUEST_BYTES = int(_env("VIGIL_MAX_REQUEST_BYTES", str(16 * 1024 * 1024)))

# How many audit entries the group-commit writer puts in one transaction at most.
AUDIT_BATCH_MAX = int(_env("VIGIL_AUDIT_BATCH_MAX", "1000"))

# Seconds an authenticated API token is trusted without reading the database again. A token
# revoked on another node keeps working this long; 0 reads the database on every request.
TOKEN_CACHE_SECONDS = float(_env("VIGIL_TOKEN_CACHE_SECONDS", "5"))

# Whether the server logs a line per request (a reverse proxy usually does it already).
ACCESS_LOG = _bool("VIGIL_ACCESS_LOG", True)

# Most documents in one manifest check (a wide-body flight, with room to spare).
CHECK_BATCH_MAX = int(_env("VIGIL_CHECK_BATCH_MAX", "10000"))

# A screened name scoring at least this (0..1) against a record is a hit: it is recorded and
# both members are alerted. Candidates below it are shown, not recorded.
SCREEN_THRESHOLD = float(_env("VIGIL_SCREEN_THRESHOLD", "0.7"))

# Members that want another threshold for their own officers: "FRA=0.8,DEU=0.65".
SCREEN_THRESHOLDS = {
    code.strip().upper(): float(value)
    for code, _, value in (
        item.partition("=") for item in _env("VIGIL_SCREEN_THRESHOLDS", "").split(",") if item
    )
}

# Name indexes of at least this many records are saved under DATA_DIR/index, so that a
# process starting loads them instead of reading every record (smaller ones build in seconds).
INDEX_SNAPSHOT_MIN = int(_env("VIGIL_INDEX_SNAPSHOT_MIN", "10000"))

# Most names in one screening batch (a passenger list).
SCREEN_BATCH_MAX = int(_env("VIGIL_SCREEN_BATCH_MAX", "1000"))

# Page cache of each SQLite connection, in MiB (the server keeps up to 20 connections). SQLite
# empties a reader's cache when another connection committed since its last read, so on a
# server it holds pages within a transaction (benchmarks/sqlite_reset.py).
SQLITE_CACHE_MB = int(_env("VIGIL_SQLITE_CACHE_MB", "64"))

# SQLite reads the database through a memory map of at most this many MiB: the server's
# connections then share the operating system's page cache instead of each copying pages
# into its own (0: plain reads).
SQLITE_MMAP_MB = int(_env("VIGIL_SQLITE_MMAP_MB", "0"))

# Seconds between a server's checkpoints of SQLite's write-ahead log (off the request path).
SQLITE_CHECKPOINT_SECONDS = float(_env("VIGIL_SQLITE_CHECKPOINT_SECONDS", "1"))

# Log pages past which a connection checkpoints by itself (a command, or a server behind).
SQLITE_AUTOCHECKPOINT_PAGES = int(_env("VIGIL_SQLITE_AUTOCHECKPOINT_PAGES", "20000"))

# Page cache of a bulk load's own SQLite connection, in MiB: its index pages stay in memory.
IMPORT_CACHE_MB = int(_env("VIGIL_IMPORT_CACHE_MB", "1024"))

# Log pages past which a bulk load's connection checkpoints (about 1 GiB). Each batch of
# random keys rewrites thousands of index pages; with a longer log, a page changed by many
# batches is copied into the database once a checkpoint rather than once a few batches
# (10M reports: 556 s against 610 s with the server's setting).
IMPORT_AUTOCHECKPOINT_PAGES = int(_env("VIGIL_IMPORT_AUTOCHECKPOINT_PAGES", "250000"))

# Reports committed per transaction by a bulk load: the most a crash can make it redo.
IMPORT_BATCH_ROWS = int(_env("VIGIL_IMPORT_BATCH_ROWS", "5000"))

# Seconds between sweeps of the outbox for events not yet handled (crashes, other processes).
OUTBOX_POLL_SECONDS = float(_env("VIGIL_OUTBOX_POLL_SECONDS", "2"))

# Seconds between each live stream's own looks at the alerts table, a fallback to the wakes (and
# the keep-alive interval).
ALERT_STREAM_POLL_SECONDS = float(_env("VIGIL_ALERT_STREAM_POLL_SECONDS", "15"))

# Seconds between a server process's looks at the newest alert, to wake its streams for alerts
# other processes wrote.
ALERT_WATCH_SECONDS = float(_env("VIGIL_ALERT_WATCH_SECONDS", "0.2"))

# Years a record may go before its owner must review it (INTERPOL RPD: at most five).
REVIEW_MAX_YEARS = int(_env("VIGIL_REVIEW_MAX_YEARS", "5"))

# Minutes the owner of a matched record has to confirm or deny the identity, by urgency, unless
# the member set its own (a hit alone is not grounds for arrest; the owner must confirm in time).
HIT_DEADLINE_MINUTES = {
    "urgent": int(_env("VIGIL_HIT_DEADLINE_URGENT_MINUTES", "10")),
    "routine": int(_env("VIGIL_HIT_DEADLINE_ROUTINE_MINUTES", "60")),
}

# Seconds between the server's sweeps for hits past their deadline (escalation alerts).
HIT_ESCALATION_SECONDS = float(_env("VIGIL_HIT_ESCALATION_SECONDS", "30"))

# Travellers in one passenger list, at most.
MANIFEST_MAX = int(_env("VIGIL_MANIFEST_MAX", "1000"))

# Days an offline screening package may be used before it refuses to load.
OFFLINE_PACKAGE_DAYS = int(_env("VIGIL_OFFLINE_PACKAGE_DAYS", "7"))

# Log level of the service (DEBUG, INFO, WARNING...).
LOG_LEVEL = _env("VIGIL_LOG_LEVEL", "INFO")

# Serve the interactive API documentation at /docs.
API_DOCS = _bool("VIGIL_API_DOCS", True)
