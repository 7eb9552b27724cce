"""Wakes the live streams of this process when alerts were committed.

Streams still look in the database after each wake (and on a timer, for alerts written by
other processes), so a missed wake delays an alert but never loses it.
"""

from __future__ import annotations

import asyncio
import threading


class AlertBroker:
    """Thread-safe: commits happen on worker threads, streams wait on the event loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    def subscribe(self) -> tuple[asyncio.AbstractEventLoop, asyncio.Event]:
        waiter = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._waiters.add(waiter)
        return waiter

    def unsubscribe(self, waiter: tuple[asyncio.AbstractEventLoop, asyncio.Event]) -> None:
        with self._lock:
            self._waiters.discard(waiter)

    def notify(self) -> None:
        with self._lock:
            waiters = list(self._waiters)
        for loop, event in waiters:
            if not loop.is_closed():
                loop.call_soon_threadsafe(event.set)


broker = AlertBroker()
