"""What auditing costs: requests per second of a trivial audited read, audit on and off.

Measured: ``GET /api/v1/records?limit=1`` with a bearer token (one ``records.list`` audit entry
per request, durable through the group-commit writer before the answer leaves), served by
uvicorn in a thread of this process and driven over N keep-alive loopback connections by an
httpx load generator in a child process, so the client does not share the server's GIL.
Rounds alternate audit on and audit off on the same database, each with a fresh server; after
a short warm-up, only requests completed inside the measured window count. Per backend, the
summary gives the median requests/s of each mode, off/on, the cost (1 - on/off; also as the
median over adjacent on/off pairs), the median of the rounds' p50/p95 latencies and of the
server process's CPU per request, and checks that the audit chain verifies and holds exactly
one entry per successful audited request. Client, server and PostgreSQL share the machine's
CPUs: read the numbers with the machine line printed first.

Reproduce (prints JSON lines; PostgreSQL uses database ``vigil_bench`` at 127.0.0.1:5432):

    .venv/bin/python benchmarks/audit.py --seconds 5 --concurrency 16 --rounds 3 --backend both
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import socket
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
import uvicorn

from vigil.access import service as access
from vigil.access.actors import operator
from vigil.access.envelope import Audience, EnvelopeIn
from vigil.access.roles import Role
from vigil.api.app import create_app
from vigil.audit.service import verify
from vigil.records import service as records
from vigil.runtime import open_database
from vigil.storage.engine import Database
from vigil.storage.migrate import upgrade
from vigil.storage.tables import audit_log, metadata
from vigil.storage.uow import UnitOfWork

PATH = "/api/v1/records?limit=1"
ACTION = "records.list"
# A database of its own: the test suite may be using "test" on the same server.
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "vigil_bench"
PG_BENCH_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_BENCH_DB}"


def emit(line: dict[str, Any]) -> None:
    print(json.dumps(line), flush=True)


def machine() -> dict[str, Any]:
    """What ran the benchmark (client and server share these CPUs)."""
    uname = platform.uname()
    return {
        "machine": {
            "cpus": os.cpu_count(),
            "cpu": _cpu_model() or platform.processor() or uname.machine,
            "system": f"{uname.system} {uname.release} {uname.machine}",
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "uvicorn": uvicorn.__version__,
        }
    }


def _cpu_model() -> str | None:
    cpuinfo = Path("/proc/cpuinfo")
    if not cpuinfo.exists():
        return None
    for line in cpuinfo.read_text().splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return None


def postgresql_url() -> str:
    """Create the benchmark database if missing and empty it (raises if the server is down)."""
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            found = conn.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": PG_BENCH_DB}
            ).first()
            if found is None:
                conn.execute(sa.text(f'CREATE DATABASE "{PG_BENCH_DB}"'))
    finally:
        admin.dispose()
    engine = sa.create_engine(PG_BENCH_URL)
    with engine.begin() as conn:
        metadata.drop_all(conn)
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()
    return PG_BENCH_URL


def prepare(url: str) -> str:
    """Migrate, add one user and one record it may list; return the user's token."""
    db = open_database(url, serving=False)
    try:
        upgrade(db)
        with UnitOfWork(db, write=True) as uow:
            created = access.add_user(
                uow, actor=operator("bench"), member="FRA", role=Role.NCB, name="bench"
            )
        with UnitOfWork(db, write=False) as uow:
            actor = access.authenticate_token(uow, created.token)
        with UnitOfWork(db, write=True) as uow:
            envelope = EnvelopeIn(audience=Audience.everyone())
            records.register(uow, actor=actor, kind="bench", title="bench", envelope=envelope)
        return created.token
    finally:
        db.close()


@contextmanager
def serving(db: Database) -> Iterator[str]:
    """Serve the app for ``db`` with uvicorn in a thread; yield its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(create_app(db), log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.01)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def drive(url: str, token: str, concurrency: int, seconds: float, warmup: float) -> dict[str, Any]:
    """Load the server (runs in the child process); only the window after warm-up counts."""
    return asyncio.run(_drive(url, token, concurrency, seconds, warmup))


async def _drive(
    url: str, token: str, concurrency: int, seconds: float, warmup: float
) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(
        base_url=url, headers=headers, limits=limits, timeout=60
    ) as client:
        start = time.perf_counter() + warmup
        window = (start, start + seconds)
        tallies = await asyncio.gather(*(_connection(client, window) for _ in range(concurrency)))
    latencies = sorted(x for _, _, measured in tallies for x in measured)
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "rps": round(len(latencies) / seconds, 1),
        "p50_ms": round(cuts[49] * 1000, 2),
        "p95_ms": round(cuts[94] * 1000, 2),
        "ok": sum(ok for ok, _, _ in tallies),
        "errors": sum(errors for _, errors, _ in tallies),
    }


async def _connection(
    client: httpx.AsyncClient, window: tuple[float, float]
) -> tuple[int, int, list[float]]:
    """One connection's loop: its 200s, its errors, latencies of those done inside the window."""
    ok, errors, measured = 0, 0, []
    while (sent := time.perf_counter()) < window[1]:
        try:
            status = (await client.get(PATH)).status_code
        except httpx.HTTPError:
            status = 0
        done = time.perf_counter()
        if status != 200:
            errors += 1
            continue
        ok += 1
        if window[0] <= done <= window[1]:
            measured.append(done - sent)
    return ok, errors, measured


def audit_entries(db: Database) -> int:
    """How many entries the benchmarked read has left in the audit log."""
    with db.engine.connect() as conn:
        query = (
            sa.select(sa.func.count()).select_from(audit_log).where(audit_log.c.action == ACTION)
        )
        return int(conn.execute(query).scalar_one())


def run_round(
    url: str, token: str, *, audit: bool, args: argparse.Namespace, client: Executor
) -> dict[str, Any]:
    """One round on a fresh server: load, then count and verify what the audit log holds."""
    db = open_database(url, serving=True, audit_enabled=audit)
    try:
        before = audit_entries(db)
        with serving(db) as base:
            load = (base, token, args.concurrency, args.seconds, args.warmup)
            cpu = time.process_time()
            result = client.submit(drive, *load).result()
            cpu = time.process_time() - cpu
        written = audit_entries(db) - before
        expected = result["ok"] if audit else 0
        chain_ok = verify(db).ok if audit else None
    finally:
        db.close()
    return {
        "audit": audit,
        **result,
        # CPU of the whole server process (request threads, event loop, audit writer) per answer.
        "server_cpu_ms": round(1000 * cpu / max(1, result["ok"] + result["errors"]), 2),
        "audit_entries": written,
        "entries_match": written == expected,
        "chain_ok": chain_ok,
        # Other work on the machine skews a round: the 1-minute load average (this benchmark
        # included) shows it.
        "load1": round(os.getloadavg()[0], 2),
    }


def summarize(backend: str, rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians per mode, off/on and the cost of auditing in percent of throughput."""
    on = [r for r in rounds if r["audit"]]
    off = [r for r in rounds if not r["audit"]]
    rps_on = statistics.median(r["rps"] for r in on)
    rps_off = statistics.median(r["rps"] for r in off)
    return {
        "backend": backend,
        "summary": True,
        "rps_on": rps_on,
        "rps_off": rps_off,
        "ratio_off_on": round(rps_off / rps_on, 3) if rps_on else None,
        "cost_pct": round(100 * (1 - rps_on / rps_off), 1) if rps_off else None,
        # Each round against the one right after it: steadier when the machine's load drifts.
        "cost_pct_paired": round(
            100 * statistics.median(1 - a["rps"] / b["rps"] for a, b in zip(on, off, strict=True)),
            1,
        ),
        **{
            f"{key}_{mode}": statistics.median(r[key] for r in runs)
            for mode, runs in (("on", on), ("off", off))
            for key in ("p50_ms", "p95_ms", "server_cpu_ms")
        },
        "audited_requests": sum(r["ok"] for r in on),
        "audit_entries": sum(r["audit_entries"] for r in rounds),
        "entries_match": all(r["entries_match"] for r in rounds),
        "chain_ok": all(r["chain_ok"] for r in on),
        "errors": sum(r["errors"] for r in rounds),
    }


def run_backend(backend: str, url: str, args: argparse.Namespace, client: Executor) -> None:
    """Alternate audit on and off for the given number of rounds each, then summarize."""
    token = prepare(url)
    rounds = []
    for number in range(args.rounds):
        for audit in (True, False):
            result = run_round(url, token, audit=audit, args=args, client=client)
            emit({"backend": backend, "round": number + 1, **result})
            rounds.append(result)
    emit(summarize(backend, rounds))


def backends(choice: str, workdir: str) -> Iterator[tuple[str, str]]:
    """The backends asked for, with their URL (PostgreSQL is skipped if it cannot be reached)."""
    if choice in ("sqlite", "both"):
        yield "sqlite", f"sqlite:///{workdir}/bench.db"
    if choice in ("postgresql", "both"):
        try:
            yield "postgresql", postgresql_url()
        except sa.exc.OperationalError as exc:
            emit({"backend": "postgresql", "skipped": f"cannot connect: {exc.orig}"})


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Requests per second of an audited read, audit on and off."
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="measured seconds per round")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds first")
    parser.add_argument("--concurrency", type=int, default=16, help="keep-alive connections")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each mode, interleaved")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    return parser.parse_args(argv)


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    emit({**machine(), "path": PATH, **vars(args)})
    spawn = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as workdir, ProcessPoolExecutor(1, spawn) as client:
        for backend, url in backends(args.backend, workdir):
            run_backend(backend, url, args, client)


if __name__ == "__main__":
    main(sys.argv[1:])
