"""Runs event handlers after commit: woken by each commit, and sweeping the outbox on a timer
for events left behind by a crash or written by another process."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from vigil.events import Event, decode
from vigil.events import store as outbox_store
from vigil.events.store import OutboxRow
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, Event, str], None]


class Dispatcher:
    """Hands each outbox event to its handlers in one transaction with marking it handled.

    ``inline`` dispatchers handle events in the committing thread (CLI and tests); others run
    a daemon thread (the server).
    """

    def __init__(
        self,
        db: Database,
        handlers: Mapping[str, Sequence[Handler]],
        *,
        inline: bool,
        poll_seconds: float = 2.0,
    ) -> None:
        self._db = db
        self._handlers = handlers
        self._inline = inline
        self._poll = poll_seconds
        self._wakeup = threading.Event()
        self._stopping = threading.Event()
        self._drain_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        if not inline:
            self._thread = threading.Thread(target=self._run, name="vigil-events", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        """A commit wrote events: handle them now (inline) or soon (background)."""
        if self._inline:
            self.drain()
        else:
            self._wakeup.set()

    def drain(self) -> int:
        """Handle every pending event, including those that handlers emit; returns how many."""
        handled = 0
        with self._drain_lock:
            while True:
                with self._db.engine.connect() as conn, conn.begin():
                    seqs = outbox_store.pending_seqs(conn, limit=200)
                if not seqs:
                    return handled
                progress = self._handle_batch(seqs)
                handled += progress
                if progress == 0:
                    return handled

    def stop(self) -> None:
        self._stopping.set()
        self._wakeup.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wakeup.wait(self._poll)
            self._wakeup.clear()
            if self._stopping.is_set():
                return
            try:
                self.drain()
            except Exception:  # the loop must outlive a database outage; it retries next tick
                log.exception("event dispatch failed; retrying")

    def _handle_batch(self, seqs: list[int]) -> int:
        """Handle pending events in one transaction (one commit, one turn at the writer: a
        commit per event held alerts back at about 80 a second)."""
        with UnitOfWork(self._db, write=True, dispatch=False) as uow:
            rows = [row for seq in seqs if (row := outbox_store.claim(uow.conn, seq)) is not None]
            return handle(uow, rows, self._handlers)


class Delivery(Protocol):
    """An event to hand to its handlers: an outbox row, or one not written yet."""

    @property
    def id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def payload(self) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class Unwritten:
    """An event that the open transaction is about to write to the outbox (the group
    writer's own batch): it has no sequence number yet."""

    id: str
    type: str
    payload: dict[str, Any]


def handle(
    uow: UnitOfWork, rows: Sequence[OutboxRow], handlers: Mapping[str, Sequence[Handler]]
) -> int:
    """Hand claimed events to their handlers and mark them handled; returns how many were.

    A failing event is marked failed (to be tried again later) and the others are handled
    (see ``deliver``). Handlers are idempotent: events are delivered at least once.
    """
    errors = deliver(uow, rows, handlers)
    outbox_store.mark_handled(uow.conn, [row.seq for row in rows if row.id not in errors])
    for row in rows:
        if row.id in errors:
            outbox_store.mark_failed(uow.conn, row.seq, errors[row.id])
    return len(rows) - len(errors)


def deliver(
    uow: UnitOfWork, events: Sequence[Delivery], handlers: Mapping[str, Sequence[Handler]]
) -> dict[str, str]:
    """Hand ``events`` to their handlers; returns the errors of those that failed, by event id.

    All of them in one savepoint first. If a handler fails, that is undone and each event is
    handled again in a savepoint of its own, so that the failing one is undone alone and the
    others are handled.
    """
    if len(events) > 1 and _deliver_all(uow, events, handlers):
        return {}
    errors: dict[str, str] = {}
    for event in events:
        try:
            with uow.savepoint():
                _deliver(uow, event, handlers)
        except Exception as exc:  # a failing handler must not block the events beside it
            log.exception("handling event %s failed", event.id)
            errors[event.id] = f"{type(exc).__name__}: {exc}"
    return errors


def _deliver_all(
    uow: UnitOfWork, events: Sequence[Delivery], handlers: Mapping[str, Sequence[Handler]]
) -> bool:
    try:
        with uow.savepoint():
            for event in events:
                _deliver(uow, event, handlers)
    except Exception:  # one of them failed: undone, and each is handled again alone
        return False
    return True


def _deliver(uow: UnitOfWork, row: Delivery, handlers: Mapping[str, Sequence[Handler]]) -> None:
    event = decode(row.type, row.payload)
    for handler in handlers.get(row.type, ()):
        handler(uow, event, row.id)
