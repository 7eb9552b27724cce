"""Wakes the live streams when alerts are committed: only the streams of the members told.

Two paths lead to a wake. In the process that committed, ``alert_members`` notifies the members
it alerted right after the commit. For every process (``vigil serve --workers N``), a watcher
thread reads the newest alert's number every ``VIGIL_ALERT_WATCH_SECONDS`` and wakes the
members with alerts past the last it saw, so a stream held by another worker learns of an alert
within a fraction of a second. Streams still look in the database on a long timer, so a missed
wake delays an alert but never loses it.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import weakref
from collections.abc import Iterable

import sqlalchemy as sa

from vigil import settings
from vigil.storage.engine import Database

_log = logging.getLogger(__name__)

Waiter = tuple[asyncio.AbstractEventLoop, asyncio.Event, str]


class AlertBroker:
    """Thread-safe: commits happen on worker threads, streams wait on the event loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters: dict[str, set[Waiter]] = {}
        self._watched: weakref.WeakSet[Database] = weakref.WeakSet()

    def subscribe(self, member: str) -> Waiter:
        waiter = (asyncio.get_running_loop(), asyncio.Event(), member)
        with self._lock:
            self._waiters.setdefault(member, set()).add(waiter)
        return waiter

    def unsubscribe(self, waiter: Waiter) -> None:
        with self._lock:
            waiting = self._waiters.get(waiter[2])
            if waiting is not None:
                waiting.discard(waiter)
                if not waiting:
                    del self._waiters[waiter[2]]

    def notify(self, members: Iterable[str] | None = None) -> None:
        """Wake the streams of these members (of every member when None)."""
        with self._lock:
            if members is None:
                waiters = [w for waiting in self._waiters.values() for w in waiting]
            else:
                waiters = [w for m in set(members) for w in self._waiters.get(m, ())]
        for loop, event, _ in waiters:
            if not loop.is_closed():
                loop.call_soon_threadsafe(event.set)

    def watch(self, db: Database) -> None:
        """Start this process's watcher of the alerts table for ``db`` (once)."""
        with self._lock:
            if db in self._watched:
                return
            self._watched.add(db)
        thread = threading.Thread(
            target=self._watch, args=(weakref.ref(db),), name="vigil-alert-watch", daemon=True
        )
        thread.start()

    def _watch(self, ref: weakref.ref[Database]) -> None:
        last: int | None = None
        while True:
            db = ref()
            if db is None:
                return
            try:
                with db.engine.connect() as conn:
                    newest = int(conn.execute(sa.text("SELECT max(seq) FROM alerts")).scalar() or 0)
                    if last is not None and newest > last:
                        members = conn.execute(
                            sa.text("SELECT DISTINCT member FROM alerts WHERE seq > :seq"),
                            {"seq": last},
                        ).scalars()
                        self.notify(list(members))
                    last = newest
            except Exception:  # the watcher must outlive a database outage; streams still poll
                _log.exception("alert watch failed; retrying")
            del db
            threading.Event().wait(settings.ALERT_WATCH_SECONDS)


broker = AlertBroker()
