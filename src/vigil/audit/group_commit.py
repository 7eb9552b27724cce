"""Group commit for audit entries (and events) of read-only requests.

A read answers only once its audit entry is durable; a check that found a hit also leaves an
event for the outbox. Making each read commit (and fsync) on
its own would cap throughput at the disk's sync rate; instead one writer thread appends all
entries waiting at that moment in a single transaction and then releases every waiter.

The events a batch carries are handled by the same thread, in the transaction that writes
them to the outbox (in a savepoint: a failing handler is undone alone, and its event is
written pending, for the dispatcher to try again). A hit record and its alerts are then
committed with the check that found the hit: its answer names a hit that exists. Handling
them in the next batch's commit made every check after a hit wait for it, and a separate
transaction (the dispatcher's) held SQLite's single writer for 2 to 3 ms a hit. Past
``_HANDLE_MAX`` events (a manifest of hits), the rest are handled in the commits after.

A caller that waits for its commit in its own thread (``write``) writes its batch itself when
no batch is being written: handing it to the thread and being woken again cost a lone check
a third of its time and of its CPU. When a batch is being written, the caller queues for the
thread's next one instead, which is how concurrent readers share a commit. An event loop
(``submit``) always hands its batches to the thread, and never blocks on a commit.

A check from the event loop can also hand over its reads (``run``): the thread runs them in
the batch's own transaction, on its own connection, and the answer comes back once the batch
is committed. Read on a pool connection, a check began after the thread's last commit, and
SQLite then empties that connection's whole page cache: the root and interior pages of every
index came back from the operating system, and the read had its own transaction besides. The
thread's connection keeps its cache across its own commits. Served that way, a check cost one
worker half the CPU (BENCHMARKS.md, issue 4). Each read runs in a savepoint: one that raises
is undone alone and its caller gets the error; its audit entries and events are dropped with it.
"""

from __future__ import annotations

import collections
import logging
import queue
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from typing import Any, TypeVar

import sqlalchemy as sa

from vigil.audit import store
from vigil.audit.models import PendingEntry
from vigil.events import store as outbox
from vigil.events.dispatcher import Handler, Unwritten, deliver, handle
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork

log = logging.getLogger(__name__)

_T = TypeVar("_T")

# The reads a caller hands over (``run``): given a unit joined to the batch's transaction.
_Read = Callable[[UnitOfWork], Any]

# A request's entries, its outbox rows, the future it waits on, and the reads to run first
# (``run``: the future then carries their result); None asks the thread to stop.
_Item = tuple[list[PendingEntry], list[dict[str, Any]], Future[Any], _Read | None]


# Events handled in one commit at most: a manifest of hits leaves thousands at once, and the
# checks that share the commit wait for their handling.
_HANDLE_MAX = 32

# Handed-over reads run in one batch at most: the batch holds the writer lock (across a
# server's processes) while they run, about a tenth of a millisecond each.
_READS_MAX = 64

_STOPPED = "the group writer is stopped: nothing would write this batch"


class _Failed:
    """A handed-over read that raised: its error, for its caller."""

    __slots__ = ("error",)

    def __init__(self, error: Exception) -> None:
        self.error = error


def _nothing() -> _Item:
    """A batch with no entries: a commit that only handles the events still due."""
    return [], [], Future(), None


class GroupWriter:
    """A daemon thread that appends queued audit entries in batches and handles the events
    they committed (when given ``handlers``)."""

    def __init__(
        self,
        db: Database,
        *,
        batch_max: int,
        handlers: Mapping[str, Sequence[Handler]] | None = None,
    ) -> None:
        self._db = db
        self._batch_max = batch_max
        self._handlers = handlers
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        # Owned by the writer thread: one connection kept open, the head it wrote last, and
        # the ids of the events it committed and has still to handle (the outbox keeps them
        # too: if this process dies, any dispatcher's sweep handles them).
        self._conn: sa.Connection | None = None
        self._head: tuple[int, str] | None = None
        self._unhandled: collections.deque[str] = collections.deque()
        # Held by whoever writes a batch, the thread or a caller (``write``): the connection,
        # the head and the events to handle are theirs while they hold it.
        self._writing = threading.Lock()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="vigil-audit", daemon=True)
        self._thread.start()

    @property
    def handles_events(self) -> bool:
        """Whether the events given to this writer are handled by it (no dispatcher needed)."""
        return self._handlers is not None

    def write(self, entries: Sequence[PendingEntry], events: Sequence[dict[str, Any]] = ()) -> None:
        """Append ``entries`` and outbox rows; return once committed (raises if it failed).

        Written in the caller's thread when no batch is being written, else in the thread's
        next batch."""
        self.submit(entries, events, here_if_idle=True).result()

    def submit(
        self,
        entries: Sequence[PendingEntry],
        events: Sequence[dict[str, Any]] = (),
        *,
        here_if_idle: bool = False,
    ) -> Future[None]:
        """Queue ``entries`` and outbox rows; the future is done once they are committed.

        ``here_if_idle``: when no batch is being written, write this one at once in the
        caller's thread (the future is then done)."""
        if self._stopped:
            raise RuntimeError(_STOPPED)
        done: Future[None] = Future()
        self._enqueue((list(entries), list(events), done, None), here_if_idle=here_if_idle)
        return done

    def run(self, read: Callable[[UnitOfWork], _T]) -> Future[_T]:
        """Run ``read`` in the thread's next batch, in a unit joined to its transaction (what
        it audits and emits is committed with the batch); the future has its result once
        the batch is committed, or its error.

        For short reads that audit, such as a border check, from a caller that must not block
        (the event loop): see the module's docstring for why they run here."""
        if self._stopped:
            raise RuntimeError(_STOPPED)
        done: Future[_T] = Future()
        self._enqueue(([], [], done, read), here_if_idle=False)
        return done

    def call(self, read: Callable[[UnitOfWork], _T]) -> _T:
        """``run``'s result for a caller in its own thread (the in-process service): when no
        batch is being written, the batch is written in the caller's thread, as ``write``
        does, so no thread hand-over costs it (that cost ate the cache's gain); else it goes
        in the thread's next batch. ``read`` runs holding the writer: it must be short and
        must not open a unit of work of its own, which would wait for it."""
        if self._stopped:
            raise RuntimeError(_STOPPED)
        done: Future[_T] = Future()
        self._enqueue(([], [], done, read), here_if_idle=True)
        return done.result()

    def _enqueue(self, item: _Item, *, here_if_idle: bool) -> None:
        """Queue ``item`` for the thread; or, ``here_if_idle`` and no batch being written,
        write it at once in the caller's thread (its future is then done)."""
        if not (here_if_idle and self._writing.acquire(blocking=False)):
            self._queue.put(item)
            return
        try:
            if self._stopped:  # the thread let go of the connection: none is to be opened
                raise RuntimeError(_STOPPED)
            self._flush([item])
            left = bool(self._unhandled)
        finally:
            self._writing.release()
        if left:  # a manifest's hits past this commit's share: the thread handles them
            self._queue.put(_nothing())

    def stop(self) -> None:
        self._stopped = True
        self._queue.put(None)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=self._wait())
            except queue.Empty:
                first = _nothing()  # no batch came to share a commit with: the events alone
            with self._writing:
                batch, stop = self._gather(first)
                if batch:
                    self._flush(batch)
                if stop:
                    self._finish()
                    return

    def _gather(self, first: _Item | None) -> tuple[list[_Item], bool]:
        """The batch ``first`` opens, with what else is queued (up to ``batch_max``), and
        whether the request to stop came among them."""
        if first is None:
            return [], True
        batch = [first]
        reads = int(first[3] is not None)
        while len(batch) < self._batch_max and reads < _READS_MAX:
            try:
                more = self._queue.get_nowait()
            except queue.Empty:
                break
            if more is None:
                return batch, True
            batch.append(more)
            reads += more[3] is not None
        return batch, False

    def _wait(self) -> float | None:
        """How long to wait for the next batch: without end when no event is left to handle,
        not at all when one is (a manifest's hits past the first commit's share)."""
        return 0 if self._unhandled else None

    def _flush(self, batch: list[_Item]) -> None:
        entries = [entry for pending, _, _, _ in batch for entry in pending]
        events = [row for _, rows, _, _ in batch for row in rows]
        reads = [(read, done) for _, _, done, read in batch if read is not None]
        try:
            results = self._append(entries, events, [read for read, _ in reads])
        except Exception as exc:  # every waiter must learn of the failure, whatever it was
            log.exception("audit batch of %d entries failed", len(entries))
            self._disconnect()  # start the next batch on a fresh connection, head read anew
            for _, _, done, _ in batch:
                done.set_exception(exc)
            return
        for _, _, done, read in batch:
            if read is None:
                done.set_result(None)
        for (_, done), result in zip(reads, results, strict=True):
            if isinstance(result, _Failed):
                done.set_exception(result.error)
            else:
                done.set_result(result)

    def _append(
        self, entries: list[PendingEntry], events: list[dict[str, Any]], reads: list[_Read]
    ) -> list[Any]:
        """Commit the batch: run the handed-over ``reads`` (their results, in order, or
        ``_Failed``), handle the events due and the batch's own, write the outbox rows and
        append the audit entries."""
        # A connection of its own, kept open: a flush then costs no pool check-out (and no
        # pre-ping round trip on PostgreSQL), which matters at one flush per few reads.
        if self._conn is None:
            self._conn = self._db.engine.connect().execution_options(vigil_write=True)
        due = [self._unhandled.popleft() for _ in range(min(_HANDLE_MAX, len(self._unhandled)))]
        unit: UnitOfWork | None = None
        attempted: dict[str, str | None] = {}
        try:
            with self._db.writer(), self._conn.begin():
                results, units = self._run_reads(self._conn, reads)
                for read_unit in units:
                    more_entries, more_events = read_unit.collected()
                    entries, events = entries + more_entries, events + more_events
                # The batch's own events are handled in the transaction that writes them, as
                # many as fit beside what is due; the rest (a manifest's hits) in the commits
                # after.
                room = _HANDLE_MAX - len(due) if self._handlers is not None else 0
                fresh, later = events[:room], events[room:]
                if due or fresh:
                    unit, attempted = self._handle(self._conn, due, fresh)
                    more_entries, more_events = unit.collected()
                    entries, later = entries + more_entries, later + more_events
                outbox.add(self._conn, fresh + later, attempted=attempted)
                head = store.append(self._conn, entries, known_head=self._head)
        except Exception:
            # What was due stays pending in the outbox; the dispatcher handles it instead.
            self._unhandled.clear()
            if self._db.dispatcher is not None:
                self._db.dispatcher.wake()
            raise
        self._head = head
        if self._handlers is not None:
            self._unhandled.extend(str(row["id"]) for row in later)
        if unit is not None:
            unit.published()
        for read_unit in units:
            read_unit.published()
        return results

    def _run_reads(
        self, conn: sa.Connection, reads: list[_Read]
    ) -> tuple[list[Any], list[UnitOfWork]]:
        """Each read in a unit joined to the open transaction and a savepoint of its own:
        the results (``_Failed`` for a read that raised, undone alone), and the units of
        those that did not raise, whose audit entries and events go with the batch."""
        results: list[Any] = []
        units: list[UnitOfWork] = []
        for read in reads:
            # Its events are handled by this thread when it has handlers; else the
            # dispatcher is woken once the batch is committed.
            read_unit = UnitOfWork(
                self._db,
                write=True,
                connection=conn,
                joined=True,
                dispatch=not self.handles_events,
            )
            with read_unit:
                try:
                    with read_unit.savepoint():
                        results.append(read(read_unit))
                except Exception as exc:  # the caller's to handle: a check that was refused
                    results.append(_Failed(exc))
                    continue
            units.append(read_unit)
        return results, units

    def _handle(
        self, conn: sa.Connection, due: list[str], fresh: list[dict[str, Any]]
    ) -> tuple[UnitOfWork, dict[str, str | None]]:
        """Handle, inside the open transaction and in a unit joined to it, the events ``due``
        (in the outbox already) and ``fresh`` (written by this transaction: an event and what
        its handlers did are committed together, or neither is). Returns the unit, and for
        each fresh event its error, or None when it was handled."""
        assert self._handlers is not None
        with UnitOfWork(self._db, write=True, connection=conn, joined=True, dispatch=False) as unit:
            if due:
                handle(unit, outbox.claim_ids(conn, due), self._handlers)
            news = [Unwritten(str(row["id"]), str(row["type"]), row["payload"]) for row in fresh]
            errors = deliver(unit, news, self._handlers)
        return unit, {event.id: errors.get(event.id) for event in news}

    def _finish(self) -> None:
        """Handle what is left of the committed events, then let go of the connection."""
        while self._unhandled:  # a failed commit empties it: the outbox keeps the rest
            self._flush([])
        self._disconnect()

    def _disconnect(self) -> None:
        self._head = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None
