"""Running the API in several processes, with connections dealt evenly to them.

uvicorn's own ``--workers`` shares one listening socket between its processes, and whichever
process wakes first accepts every connection waiting (asyncio accepts up to the backlog in
one go). Border posts and airline systems keep their connections open, so the first burst
decides the split for good: 64 connections opened together were measured landing 53 on one
worker and 11 on the other, which then queued requests while the other idled. Binding a
socket per worker with ``SO_REUSEPORT`` only makes the split random (39/25, 33/31, 38/26 in
three tries), and with two workers on two cores a 60/40 split still queues at 300 checks a
second.

So here the supervisor process accepts every connection itself and deals them out in turn,
passing each socket to a worker over a Unix socket pair (``SCM_RIGHTS``). The worker serves
it as its own: uvicorn's protocol on the accepted socket. A worker says on the same pair when it
has started, and until then is dealt nothing: a worker started again after a crash spends
seconds importing (more under load), and the connections dealt to it meanwhile waited. The
supervisor also starts again any worker that dies, and stops them all on SIGINT or SIGTERM.
Where sockets cannot be passed (not a Unix) or with one worker, uvicorn runs as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import logging
import multiprocessing
import selectors
import signal
import socket
import threading
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from typing import Any

import uvicorn

from vigil import settings

_APP = "vigil.api.app:create_app"
_log = logging.getLogger(__name__)


def serve(host: str, port: int, workers: int) -> None:
    """Serve until interrupted, in ``workers`` processes."""
    if workers <= 1 or not hasattr(socket, "send_fds"):
        uvicorn.run(_APP, factory=True, host=host, port=port, workers=workers, **_options())
        return
    _Supervisor(host, port, workers).run()


def _options() -> dict[str, Any]:
    return {
        "log_level": settings.LOG_LEVEL.lower(),
        "access_log": settings.ACCESS_LOG,
        # A worker loading a large index snapshot at start-up holds the interpreter for
        # seconds; uvicorn's default 5 s ping would kill and restart it in a loop.
        "timeout_worker_healthcheck": 120,
    }


def _listening_socket(host: str, port: int) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.listen(2048)
    return sock


# ---- a worker --------------------------------------------------------------------------------


class _HandedServer(uvicorn.Server):
    """uvicorn serving the connections its supervisor hands it, and no socket of its own."""

    def __init__(self, config: uvicorn.Config, channel: socket.socket) -> None:
        super().__init__(config)
        self.channel = channel

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=[])
        loop = asyncio.get_running_loop()
        # As uvicorn's own startup builds it for its listening sockets.
        protocol = functools.partial(
            self.config.http_protocol_class,  # type: ignore[call-arg]
            config=self.config,
            server_state=self.server_state,
            app_state=self.lifespan.state,
        )
        self.channel.setblocking(False)
        loop.add_reader(self.channel.fileno(), self._take, loop, protocol)
        self.channel.send(_READY)  # the supervisor deals this worker connections from now on

    def _take(self, loop: asyncio.AbstractEventLoop, protocol: Any) -> None:
        try:
            message, fds, _, _ = socket.recv_fds(self.channel, 64, 64)
        except (BlockingIOError, InterruptedError):
            return
        if not message:  # the supervisor is gone: finish what is in flight, then stop
            loop.remove_reader(self.channel.fileno())
            self.should_exit = True
            return
        for fd in fds:
            connection = socket.socket(fileno=fd)
            loop.create_task(loop.connect_accepted_socket(protocol, connection))


def _worker(channel: socket.socket) -> None:
    config = uvicorn.Config(_APP, factory=True, **_options())
    # uvicorn raises Ctrl-C again once it has shut down, for the process to end by it: here
    # that would print a traceback per worker for an ordinary stop.
    with contextlib.suppress(KeyboardInterrupt):
        _HandedServer(config, channel).run()


# ---- the supervisor --------------------------------------------------------------------------


_READY = b"ready"


@dataclass
class _Worker:
    process: BaseProcess
    channel: socket.socket  # the supervisor's end of the socket pair
    ready: bool = False  # it said it has started (until then it is dealt nothing)


class _Supervisor:
    def __init__(self, host: str, port: int, workers: int) -> None:
        self.host, self.port, self.count = host, port, workers
        self.context = multiprocessing.get_context("spawn")
        self.workers: list[_Worker] = []
        self.stopping = threading.Event()
        self.selector: selectors.BaseSelector = selectors.DefaultSelector()

    def run(self) -> None:
        listener = _listening_socket(self.host, self.port)  # a port in use fails here, once
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: self.stopping.set())
        self.workers = [self._start() for _ in range(self.count)]
        _log.info("serving on %s:%d, %d workers", self.host, self.port, self.count)
        turns = itertools.cycle(range(self.count))
        with self.selector as selector:
            selector.register(listener, selectors.EVENT_READ)
            for worker in self.workers:
                selector.register(worker.channel, selectors.EVENT_READ, worker)
            while not self.stopping.is_set():
                for key, _ in selector.select(timeout=1.0):
                    if key.data is not None:
                        self._heard(key.data)
                        continue
                    with contextlib.suppress(BlockingIOError, InterruptedError):
                        connection, _ = listener.accept()
                        self._deal(connection, turns)
                self._replace_dead()
        listener.close()
        self._stop()

    def _deal(self, connection: socket.socket, turns: itertools.cycle[int]) -> None:
        """Hand the connection to the next started worker that takes it, or, while none has
        started, to the next one at all (it waits there); close it if none takes it."""
        with connection:
            for started_only in (True, False):
                for _ in range(self.count):
                    worker = self.workers[next(turns)]
                    if started_only and not worker.ready:
                        continue
                    try:
                        socket.send_fds(worker.channel, [b"c"], [connection.fileno()])
                        return
                    except OSError:  # that worker is gone: the next one
                        continue

    def _heard(self, worker: _Worker) -> None:
        """A worker wrote on its channel: it has started (or it is gone, and will be replaced)."""
        try:
            message = worker.channel.recv(16)
        except OSError:
            message = b""
        if message == _READY:
            worker.ready = True
        else:
            self.selector.unregister(worker.channel)

    def _start(self) -> _Worker:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        process = self.context.Process(target=_worker, args=(theirs,), daemon=False)
        process.start()
        theirs.close()
        return _Worker(process, ours)

    def _replace_dead(self) -> None:
        if self.stopping.is_set():  # Ctrl-C reaches the workers too: they are not replaced
            return
        for i, worker in enumerate(self.workers):
            if not worker.process.is_alive():
                _log.warning("worker %s ended (exit code %s): starting another",
                             worker.process.pid, worker.process.exitcode)  # fmt: skip
                with contextlib.suppress(KeyError):
                    self.selector.unregister(worker.channel)
                worker.channel.close()
                self.workers[i] = self._start()
                self.selector.register(
                    self.workers[i].channel, selectors.EVENT_READ, self.workers[i]
                )

    def _stop(self) -> None:
        for worker in self.workers:
            worker.channel.close()  # the worker reads the end, finishes in flight, stops
            if worker.process.is_alive():
                worker.process.terminate()
        for worker in self.workers:
            worker.process.join(timeout=30)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
