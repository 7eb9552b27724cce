"""Engines for SQLite (embedded, WAL, one writer) and PostgreSQL, and the runtime around them."""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.engine.url import make_url

from vigil import settings

# How long a SQLite connection waits on another's lock before SQLITE_BUSY.
BUSY_TIMEOUT_MS = 30_000


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the connection settings Vigil relies on."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database)
    return sa.create_engine(
        url, pool_size=10, max_overflow=20, pool_pre_ping=True, json_serializer=json_text
    )


def json_text(value: Any) -> str:
    """A JSON column's value as stored: orjson, since a border check that hits writes five
    JSON values (the audit entry's, the hit's summary, the alerts' bodies, the event) in the
    commit it waits for, and ``json.dumps`` cost several times as much. Keys that are not
    strings become strings, as ``json.dumps`` makes them; ``json.loads`` reads it back."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        pool_size=20,
        json_serializer=json_text,
    )

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (the pysqlite driver would
        # otherwise begin lazily and never IMMEDIATE).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on disk before the answer leaves (audit durability).
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # SQLite's default cache is 2 MB: every lookup past the first few thousand reports
        # would read pages back from the operating system.
        cur.execute(f"PRAGMA cache_size=-{settings.SQLITE_CACHE_MB * 1024}")
        cur.execute(f"PRAGMA mmap_size={settings.SQLITE_MMAP_MB * 2**20}")
        # Servers checkpoint from a thread of their own (storage/checkpoint.py).
        cur.execute(f"PRAGMA wal_autocheckpoint={settings.SQLITE_AUTOCHECKPOINT_PAGES}")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # A writer takes the write lock up front: a deferred transaction that read first and
        # then writes can fail at once with SQLITE_BUSY when another writer got in between.
        write = conn.get_execution_options().get("vigil_write", False)
        # On the DB-API cursor: every unit of work begins, and SQLAlchemy's statement and
        # result handling cost more than the BEGIN.
        cursor = conn.connection.cursor()
        cursor.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        cursor.close()

    return engine


def is_sqlite(engine: Engine) -> bool:
    """Whether the engine talks to SQLite (one writer at a time)."""
    return engine.dialect.name == "sqlite"


class Database:
    """An engine plus the per-process machinery that goes with it.

    SQLite allows one writer. Writers queue on a lock instead of meeting SQLITE_BUSY, whose
    handler sleeps for milliseconds at a time: a thread lock within the process, and a file
    lock beside the database across processes (``vigil serve --workers N``), which wakes the
    next writer the moment the last one is done.
    """

    def __init__(self, engine: Engine, *, audit_enabled: bool = True) -> None:
        self.engine = engine
        # Turned off only by the audit benchmark, to measure what auditing costs.
        self.audit_enabled = audit_enabled
        self._writer_lock = threading.Lock() if is_sqlite(engine) else None
        self._writer_file: int | None = None
        database = engine.url.database
        if self._writer_lock is not None and database and database != ":memory:":
            self._writer_file = os.open(f"{database}.writer-lock", os.O_RDWR | os.O_CREAT, 0o600)
        self._group_writer: Any = None
        self._dispatcher: Any = None
        self._checkpointer: Any = None

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Database:
        return cls(make_engine(url), **kwargs)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextlib.contextmanager
    def writer(self) -> Iterator[None]:
        """Hold the in-process writer lock (a no-op on PostgreSQL)."""
        if self._writer_lock is None:
            yield
            return
        with self._writer_lock:
            if self._writer_file is None:
                yield
                return
            fcntl.flock(self._writer_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._writer_file, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def write_transaction(self) -> Iterator[sa.Connection]:
        """A writing transaction of its own, outside any unit of work (audit batches, retries)."""
        with (
            self.writer(),
            self.engine.connect().execution_options(vigil_write=True) as conn,
            conn.begin(),
        ):
            yield conn

    def attach_checkpointer(self, checkpointer: Any) -> None:
        self._checkpointer = checkpointer

    def attach_group_writer(self, writer: Any) -> None:
        self._group_writer = writer

    @property
    def group_writer(self) -> Any:
        return self._group_writer

    def attach_dispatcher(self, dispatcher: Any) -> None:
        self._dispatcher = dispatcher

    @property
    def dispatcher(self) -> Any:
        return self._dispatcher

    def close(self) -> None:
        if self._group_writer is not None:
            self._group_writer.stop()
        if self._dispatcher is not None:
            self._dispatcher.stop()
        if self._checkpointer is not None:
            self._checkpointer.stop()
        self.engine.dispose()
        if self._writer_file is not None:
            os.close(self._writer_file)
            self._writer_file = None
