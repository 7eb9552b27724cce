"""Moving SQLite's write-ahead log into the database off the request path.

By default the commit that fills the log past 1,000 pages copies it into the database and
syncs it, and every request queued behind that commit waits (over 100 ms on a large store).
A server instead checkpoints from a thread of its own every
``settings.SQLITE_CHECKPOINT_SECONDS``; connections checkpoint by themselves only past
``settings.SQLITE_AUTOCHECKPOINT_PAGES``, as a safety net.

Copying the log is not enough: SQLite starts the log over only when a writer finds all of it
copied, and under steady traffic another commit always lands between the copy and the next
writer. The log then grows until the commit that crosses the safety net checkpoints it all
itself (20,000 frames, about 4,400 border checks), and each commit meanwhile syncs a file that
grows, which costs about twice a sync in place (0.28 against 0.13 ms for 12 KiB, measured
here). So each tick ends by making the log start over.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

from vigil.storage.engine import BUSY_TIMEOUT_MS, Database

log = logging.getLogger(__name__)

# How long the restart may wait for readers of the old log, writers held meanwhile. A longer
# reader (an export, an analyst's query) makes the tick end as a plain copy; the next tries again.
RESTART_WAIT_MS = 2


class Checkpointer:
    """A daemon thread that copies the log into the database, then starts it over."""

    def __init__(self, db: Database, *, seconds: float) -> None:
        self._db = db
        self._seconds = seconds
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="vigil-checkpoint", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        with self._db.engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw is not None
            while not self._stopped.wait(self._seconds):
                try:
                    checkpoint(self._db, raw)
                except Exception:  # a failed checkpoint is retried at the next tick
                    log.exception("WAL checkpoint failed")


def checkpoint(db: Database, raw: sqlite3.Connection) -> bool:
    """Copy the log into the database and have the next commit write it from its start;
    whether it starts over (False: a reader of the old log outlasted ``RESTART_WAIT_MS``).

    First PASSIVE, which blocks no one, for the bulk of the copy; then RESTART under the
    writer lock, which has only what was committed meanwhile to copy, and waits for the
    readers still on the old log. Writers queue on the lock meanwhile rather than meeting
    SQLITE_BUSY, whose handler sleeps for milliseconds at a time.
    """
    raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    with db.writer():
        raw.execute(f"PRAGMA busy_timeout={RESTART_WAIT_MS}")
        try:
            ((busy, _, _),) = raw.execute("PRAGMA wal_checkpoint(RESTART)").fetchall()
        finally:
            raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return not busy
