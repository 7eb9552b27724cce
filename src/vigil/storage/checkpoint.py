"""Moving SQLite's write-ahead log into the database off the request path.

By default the commit that fills the log past 1,000 pages copies it into the database and
syncs it, and every request queued behind that commit waits (over 100 ms on a large store).
A server instead checkpoints from a thread of its own, PASSIVE (it never blocks a reader or a
writer), every ``settings.SQLITE_CHECKPOINT_SECONDS``; connections checkpoint by themselves
only past ``settings.SQLITE_AUTOCHECKPOINT_PAGES``, as a safety net.
"""

from __future__ import annotations

import logging
import threading

from vigil.storage.engine import Database

log = logging.getLogger(__name__)


class Checkpointer:
    """A daemon thread running ``PRAGMA wal_checkpoint(PASSIVE)`` at an interval."""

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
                    raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except Exception:  # a failed checkpoint is retried at the next tick
                    log.exception("WAL checkpoint failed")
