"""Group commit for audit entries (and events) of read-only requests.

A read answers only once its audit entry is durable; a check that found a hit also leaves an
event for the outbox. Making each read commit (and fsync) on
its own would cap throughput at the disk's sync rate; instead one writer thread appends all
entries waiting at that moment in a single transaction and then releases every waiter.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from typing import Any

import sqlalchemy as sa

from vigil.audit import store
from vigil.audit.models import PendingEntry
from vigil.events import store as outbox
from vigil.storage.engine import Database

log = logging.getLogger(__name__)

# A request's entries, its outbox rows and the future it waits on; None asks the thread to stop.
_Item = tuple[list[PendingEntry], list[dict[str, Any]], Future[None]]


class GroupWriter:
    """A daemon thread that appends queued audit entries in batches."""

    def __init__(self, db: Database, *, batch_max: int) -> None:
        self._db = db
        self._batch_max = batch_max
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        # Owned by the writer thread: one connection kept open, and the head it wrote last.
        self._conn: sa.Connection | None = None
        self._head: tuple[int, str] | None = None
        self._thread = threading.Thread(target=self._run, name="vigil-audit", daemon=True)
        self._thread.start()

    def write(self, entries: Sequence[PendingEntry], events: Sequence[dict[str, Any]] = ()) -> None:
        """Append ``entries`` and outbox rows; return once committed (raises if it failed)."""
        self.submit(entries, events).result()

    def submit(
        self, entries: Sequence[PendingEntry], events: Sequence[dict[str, Any]] = ()
    ) -> Future[None]:
        """Queue ``entries`` and outbox rows; the future is done once they are committed."""
        done: Future[None] = Future()
        self._queue.put((list(entries), list(events), done))
        return done

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                self._disconnect()
                return
            batch = [item]
            while len(batch) < self._batch_max:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._flush(batch)
                    self._disconnect()
                    return
                batch.append(more)
            self._flush(batch)

    def _flush(self, batch: list[_Item]) -> None:
        entries = [entry for pending, _, _ in batch for entry in pending]
        events = [row for _, rows, _ in batch for row in rows]
        waiters = [done for _, _, done in batch]
        try:
            self._append(entries, events)
        except Exception as exc:  # every waiter must learn of the failure, whatever it was
            log.exception("audit batch of %d entries failed", len(entries))
            self._disconnect()  # start the next batch on a fresh connection, head read anew
            for done in waiters:
                done.set_exception(exc)
            return
        for done in waiters:
            done.set_result(None)

    def _append(self, entries: list[PendingEntry], events: list[dict[str, Any]]) -> None:
        # A connection of its own, kept open: a flush then costs no pool check-out (and no
        # pre-ping round trip on PostgreSQL), which matters at one flush per few reads.
        if self._conn is None:
            self._conn = self._db.engine.connect().execution_options(vigil_write=True)
        with self._db.writer(), self._conn.begin():
            outbox.add(self._conn, events)
            head = store.append(self._conn, entries, known_head=self._head)
        self._head = head

    def _disconnect(self) -> None:
        self._head = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None
