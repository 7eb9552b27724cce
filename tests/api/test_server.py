"""`vigil serve --workers N`: connections dealt evenly, a dead worker replaced, a clean stop."""

from __future__ import annotations

import collections
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.skipif(
    not Path("/proc/net/tcp").exists(), reason="reads the connections' owners from /proc"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}").joinpath("fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def _served_by(port: int, workers: list[int]) -> collections.Counter[int]:
    """How many established connections to ``port`` each worker holds."""
    established = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].split(":")[1], 16)
        if local_port == port and fields[3] == "01":  # 01: ESTABLISHED
            established.add(fields[9])
    return collections.Counter({pid: len(_socket_inodes(pid) & established) for pid in workers})


def _is_worker(pid: int) -> bool:
    """Not multiprocessing's own helper, and still there."""
    try:
        return "resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:  # gone meanwhile
        return False


def _wait_healthy(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped"
        with contextlib.suppress(httpx.TransportError):  # not listening yet: try again
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise AssertionError("the server did not answer")


def _workers(pid: int, count: int, besides: int = 0, seconds: float = 30) -> list[int]:
    """The worker processes (the supervisor's children but multiprocessing's own helper),
    once there are ``count`` of them besides the process ``besides`` (a dead one)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [child for child in _children(pid) if child != besides and _is_worker(child)]
        if len(found) == count:
            return found
        time.sleep(0.2)
    raise AssertionError(f"expected {count} workers")


def _wait_started(url: str, port: int, workers: list[int], seconds: float = 60) -> None:
    """Until every worker has been dealt a connection: a worker is dealt none before it has
    started, unless none has."""
    clients: list[httpx.Client] = []
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            clients.append(httpx.Client(base_url=url))
            assert clients[-1].get("/healthz").status_code == 200
            if all(_served_by(port, workers)[pid] for pid in workers):
                return
            time.sleep(0.1)
        raise AssertionError("a worker was never dealt a connection")
    finally:
        for client in clients:
            client.close()


def test_two_workers_share_connections_evenly_and_a_dead_one_is_replaced(
    migrated: str, tmp_path: Path
) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "VIGIL_DATABASE_URL": migrated, "VIGIL_DATA_DIR": str(tmp_path)}
    vigil = str(Path(sys.executable).parent / "vigil")
    server = subprocess.Popen([vigil, "serve", "--port", str(port), "--workers", "2"], env=env)
    workers: list[int] = []
    replaced: list[int] = []
    try:
        _wait_healthy(url, server)
        workers = _workers(server.pid, 2)
        _wait_started(url, port, workers)
        # A burst of keep-alive connections, as posts open them: half to each worker.
        clients = [httpx.Client(base_url=url) for _ in range(16)]
        for client in clients:
            assert client.get("/healthz").status_code == 200
        assert sorted(_served_by(port, workers).values()) == [8, 8]
        for client in clients:
            client.close()

        os.kill(workers[0], signal.SIGKILL)
        replaced = _workers(server.pid, 2, besides=workers[0])
        assert workers[1] in replaced
        # The new worker takes seconds to start (its imports alone: over 2 s of CPU); the
        # connections opened meanwhile go to the one still serving, and wait for nobody.
        for _ in range(6):
            with httpx.Client(base_url=url, timeout=1.0) as client:
                assert client.get("/healthz").status_code == 200
        _wait_started(url, port, replaced)
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
    assert not [pid for pid in {*workers, *replaced} if Path(f"/proc/{pid}").exists()]
