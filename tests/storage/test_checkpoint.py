"""The server's checkpoints keep SQLite's log from growing under steady writes, and never hold
writers for long behind a reader of the old log."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from vigil.storage import checkpoint
from vigil.storage.checkpoint import Checkpointer
from vigil.storage.engine import BUSY_TIMEOUT_MS, Database

_FRAME = 4096 + 24  # a page and its frame header


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Database]:
    db = Database.from_url(f"sqlite:///{tmp_path / 'store.db'}")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
    yield db
    db.engine.dispose()


def _commit(db: Database, rows: int = 1) -> None:
    with db.writer(), db.engine.begin() as conn:
        for _ in range(rows):
            conn.exec_driver_sql("INSERT INTO t (body) VALUES (?)", ("x" * 300,))


def _frames(db: Database) -> int:
    """Frames in the log since it last started over."""
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        return int(raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1])


def _raw(db: Database) -> Iterator[sqlite3.Connection]:
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        yield raw


def test_after_a_checkpoint_the_next_commit_writes_the_log_from_its_start(
    store: Database,
) -> None:
    for _ in range(100):
        _commit(store)
    assert _frames(store) >= 100
    for raw in _raw(store):
        assert checkpoint.checkpoint(store, raw)
    _commit(store)
    assert _frames(store) <= 3


def test_under_steady_commits_the_log_keeps_starting_over(store: Database) -> None:
    # A copy alone (PASSIVE) let the log grow by every commit, four to five frames each here:
    # another commit always landed between the copy and the next writer.
    ticking = Checkpointer(store, seconds=0.01)
    try:
        commits = 0
        until = time.monotonic() + 1.0
        while time.monotonic() < until:
            _commit(store, rows=20)
            commits += 1
    finally:
        ticking.stop()
    log = Path(f"{store.engine.url.database}-wal").stat().st_size
    assert log < commits * _FRAME, (log, commits)


def test_a_reader_of_the_old_log_holds_writers_back_no_longer_than_the_wait(
    store: Database,
) -> None:
    _commit(store)
    reader = sqlite3.connect(str(store.engine.url.database), isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM t").fetchall()  # its snapshot is in the log
    _commit(store)
    try:
        for raw in _raw(store):
            started = time.monotonic()
            assert not checkpoint.checkpoint(store, raw)  # the log is still read
            assert time.monotonic() - started < 0.5
            assert raw.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
        wrote = threading.Thread(target=_commit, args=(store,))
        wrote.start()
        wrote.join(timeout=5)
        assert not wrote.is_alive()
    finally:
        reader.execute("COMMIT")
        reader.close()
    for raw in _raw(store):
        assert checkpoint.checkpoint(store, raw)  # the reader is gone: it starts over
