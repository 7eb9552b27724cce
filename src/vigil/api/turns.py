"""Turns at the event loop for the checks that run in it: at most 2 ms of them a pass, in order.

A check at the border (a document, a name, a traveller) runs in the event loop: milliseconds
of work with no wait inside, then a wait for its audit entry to be durable. Without turns, a
burst of requests that arrived together all ran their checks in one pass of the loop, and an
answer made durable meanwhile left only after the whole burst: with 16 clients on a worker,
the first of a burst waited for 15 checks after its own, and the slowest answers took twice
the typical time. With turns, a pass of the loop runs checks for at most ``BUDGET`` (one
name screening, or a few document checks), after the answers already due and the requests
just read; the others wait for the next pass, in the order they came.
"""

from __future__ import annotations

import asyncio
import collections
import time
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

# Seconds of checks one pass of the loop may run: the most an answer made durable waits for
# checks that came after it, beside the one running. Cheap checks (a document's, half a
# millisecond) still share a pass, and so a group commit.
BUDGET = 0.002


class Turns:
    """One holder at a time. Once a pass has spent its budget, the turn passes on in the
    loop's next pass, not in this one (the work it guards has no wait inside, so within a
    pass nobody could queue behind it otherwise)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._waiting: collections.deque[asyncio.Future[None]] = collections.deque()
        self._taken = False
        self._began: float | None = None  # when this pass's first check took its turn

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        if self._taken or self._waiting:
            given = self._loop.create_future()
            self._waiting.append(given)
            try:
                await given
            except asyncio.CancelledError:
                if given.done() and not given.cancelled():
                    self._release()  # the turn came with the cancellation: pass it on
                elif given in self._waiting:  # else passed over already, as cancelled
                    self._waiting.remove(given)
                raise
        else:
            self._taken = True
        if self._began is None:
            self._began = time.perf_counter()
            self._loop.call_soon(self._new_pass)
        try:
            yield
        finally:
            self._release()

    def _release(self) -> None:
        spent = self._began is None or time.perf_counter() - self._began >= BUDGET
        if not (self._waiting or spent):
            self._taken = False  # the pass has time left: the next check may go at once
            return
        # The next holder runs in the next pass: answers made durable meanwhile, queued from
        # the group writer's thread, were queued before it and leave first.
        self._loop.call_soon(self._pass_on)

    def _new_pass(self) -> None:
        self._began = None

    def _pass_on(self) -> None:
        while self._waiting:
            given = self._waiting.popleft()
            if not given.done():  # a waiter cancelled meanwhile is skipped
                given.set_result(None)
                return
        self._taken = False


_TURNS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Turns] = weakref.WeakKeyDictionary()


def turns() -> Turns:
    """The running event loop's turns."""
    loop = asyncio.get_running_loop()
    found = _TURNS.get(loop)
    if found is None:
        found = _TURNS[loop] = Turns(loop)
    return found
