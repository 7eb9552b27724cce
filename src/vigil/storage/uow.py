"""The unit of work: one transaction per request, audit entries and events committed with it,
and events published only after the commit succeeded."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from types import TracebackType
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from vigil.audit import store as audit_store
from vigil.audit.models import PendingEntry, query_digest
from vigil.core import clock
from vigil.core.ids import new_id
from vigil.events import store as outbox_store
from vigil.storage.dialect import run
from vigil.storage.engine import Database

if TYPE_CHECKING:
    from vigil.access.actors import Actor
    from vigil.events import Event


class UnitOfWork:
    """A transaction and what it has collected: audit entries, events, after-commit callbacks.

    A writing unit holds the writer (SQLite) and commits its audit entries and outbox rows in
    its own transaction. A reading unit never writes: its audit entries and events go to the
    group-commit writer, and it returns only once they are durable. That is how a check, which
    only reads, can still report a hit without queueing behind every other writer.
    """

    def __init__(
        self,
        db: Database,
        *,
        write: bool,
        dispatch: bool = True,
        connection: sa.Connection | None = None,
        durable_later: bool = False,
        joined: bool = False,
    ) -> None:
        """``connection``: one the caller keeps open across units (bulk loads), instead of one
        from the pool. ``durable_later``: a reading unit returns at once, and its caller awaits
        ``durable()`` before answering (the event loop is not blocked meanwhile). ``joined``:
        the unit runs inside the transaction that ``connection`` has open and that another
        writer owns (the group writer); see ``collected`` and ``published``."""
        if joined and (connection is None or not write):
            raise ValueError("a joined unit writes, in the connection of its owner")
        self.db = db
        self._joined = joined
        self._durable_later = durable_later
        self._durable: Future[None] | None = None
        self._own_connection = connection
        self.write = write
        self._dispatch = dispatch
        self._audit: list[PendingEntry] = []
        self._events: list[Event] = []
        self._after: list[Callable[[], None]] = []
        self._savepoints = 0  # open now, for their names
        self._conn: sa.Connection | None = None
        self._tx: sa.RootTransaction | None = None
        # The writer lock (SQLite) and the connection, released in reverse order.
        self._held = contextlib.ExitStack()

    def __enter__(self) -> UnitOfWork:
        if self._joined:
            assert self._own_connection is not None
            # Its owner holds the writer, the transaction and the commit; what the unit wrote
            # goes with the owner's transaction, and is undone with it.
            self._conn = self._own_connection
            return self
        try:
            if self.write:
                self._held.enter_context(self.db.writer())
            conn = self._own_connection or self._held.enter_context(self.db.engine.connect())
            self._conn = conn.execution_options(vigil_write=self.write)
            self._tx = self._conn.begin()
        except BaseException:
            self._release()
            raise
        return self

    @property
    def conn(self) -> sa.Connection:
        if self._conn is None:
            raise RuntimeError("the unit of work is not open")
        return self._conn

    def audit(
        self,
        actor: Actor,
        action: str,
        *,
        records: Iterable[str] = (),
        query: Any = None,
        results: Iterable[str] = (),
    ) -> None:
        """Record that ``actor`` did ``action``; written when (and only if) the unit commits."""
        self._audit.append(
            PendingEntry(
                id=new_id(),
                at=clock.now(),
                actor=actor.ref,
                member=actor.member,
                action=action,
                record_ids=tuple(records),
                query_digest=None if query is None else query_digest(query),
                result_ids=tuple(results),
            )
        )

    def emit(self, event: Event) -> None:
        """Queue an event: written to the outbox with the commit, handled after it."""
        self._events.append(event)

    @contextlib.contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part of the unit that is undone alone if it raises: what it wrote, and the audit
        entries, events and callbacks it collected. The unit goes on."""
        marks = (len(self._audit), len(self._events), len(self._after))
        # Written for the driver, not SQLAlchemy's nested transaction: the group writer takes
        # one for every commit that handles a hit, and SQLAlchemy's compiled SAVEPOINT and
        # RELEASE cost a third of the handling. Names are by depth: savepoints nest.
        name = f"vigil_{self._savepoints}"
        run(self.conn, f"SAVEPOINT {name}")
        self._savepoints += 1
        try:
            yield
        except BaseException:
            run(self.conn, f"ROLLBACK TO SAVEPOINT {name}")
            run(self.conn, f"RELEASE SAVEPOINT {name}")
            del self._audit[marks[0] :]
            del self._events[marks[1] :]
            del self._after[marks[2] :]
            raise
        finally:
            self._savepoints -= 1
        run(self.conn, f"RELEASE SAVEPOINT {name}")

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the commit succeeded (never after a rollback)."""
        self._after.append(callback)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                self._commit()
            elif self._tx is not None and self._tx.is_active:
                self._tx.rollback()
        finally:
            self._release()
        if exc_type is None and self._durable is None and not self._joined:
            self._published()

    def _commit(self) -> None:
        if self._joined:
            return  # the owner writes what was collected, and commits
        assert self._tx is not None
        audited = self.db.audit_enabled and self._audit
        entries = self._audit if audited else []
        if self.write:
            outbox_store.add(self.conn, self._outbox_rows())
            if entries:
                audit_store.append(self.conn, entries)
            self._tx.commit()
            return
        self._tx.commit()
        # Back to the pool before waiting for the group commit: a connection held through
        # the wait would let a burst of reads exhaust the pool.
        self._release()
        if not (entries or self._events):
            return
        writer = self.db.group_writer
        if writer is not None and writer.handles_events:
            self._dispatch = False  # the group writer handles its events as it commits them
        if self._durable_later and writer is not None:
            self._durable = writer.submit(entries, self._outbox_rows())
            return
        self._write_after_read(entries, self._outbox_rows())

    async def durable(self) -> None:
        """Wait, without blocking the event loop, until the unit's audit entries and events
        are committed (``durable_later``); then run what was to follow the commit."""
        if self._durable is not None:
            await asyncio.wrap_future(self._durable)
            self._durable = None
            self._published()

    def collected(self) -> tuple[list[PendingEntry], list[dict[str, Any]]]:
        """A joined unit's audit entries and outbox rows, for its owner to write before it
        commits."""
        entries = self._audit if self.db.audit_enabled else []
        return list(entries), self._outbox_rows()

    def published(self) -> None:
        """A joined unit's owner committed: run what was to follow the commit."""
        self._published()

    def _outbox_rows(self) -> list[dict[str, Any]]:
        now = clock.now()
        return [
            {"id": new_id(), "type": e.type, "payload": e.payload(), "created_at": now}
            for e in self._events
        ]

    def _write_after_read(self, entries: list[PendingEntry], events: list[dict[str, Any]]) -> None:
        writer = self.db.group_writer
        if writer is not None:
            writer.write(entries, events)
            return
        # No group writer in this process (CLI, tools): append in a transaction of our own.
        with self.db.write_transaction() as conn:
            outbox_store.add(conn, events)
            if entries:
                audit_store.append(conn, entries)

    def _release(self) -> None:
        self._conn = None
        self._held.close()

    def _published(self) -> None:
        for callback in self._after:
            callback()
        if self._events and self._dispatch and self.db.dispatcher is not None:
            self.db.dispatcher.wake()
