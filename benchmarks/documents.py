"""The stolen and lost documents database at scale: load, single checks, manifests, HTTP.

On a world's ``documents.jsonl`` (``medium``: 10M reports), measures:

- load: ``vigil documents import --as-issuing-states`` into a fresh SQLite store (time, lines/s,
  peak memory of the loader and its worker processes);
- single check in-process: ``checks.check`` in a reading unit of work (the service call with
  its audit entry, durable through the group writer), in turn with ``checks.check_in_thread``
  (the same check run in the group writer's batch, in this thread when it is idle), each on
  half the documents, and the index lookup alone, p50/p99 over hits, misses and OCR-confused
  numbers; then border traffic's mix each way;
- baseline: the same lookups as plain indexed SQL on a bare table, on SQLite and PostgreSQL;
- batch: ``checks.check_batch`` over manifests of 10,000 documents (documents/s);
- HTTP: ``POST /api/v1/documents/check`` served by ``vigil serve`` with 1 and with 2 worker
  processes, driven by 32 keep-alive connections from a raw-socket client in a child process, with
  border traffic's mix (98 % clean documents, 1 % hits, 1 % possible hits); then the same
  single checks sent at 1,000 a second while another client posts manifests of 1,000 documents
  back to back (``--manifest-size``) to ``/api/v1/documents/check/batch``;
- memory: this process's peak resident set after all of it;
- the store's share in the page cache as each part starts (``--warm`` reads it through first):
  some machines page out file pages untouched for a minute, and a report read from disk costs
  a check a few tenths of a millisecond more.

Reproduce (prints JSON lines; the world is generated first when the folder has none):

    .venv/bin/python benchmarks/documents.py --world var/bench/world-medium --scale medium
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import json
import os
import random
import resource
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).parent))
from audit import PG_ADMIN_URL, emit, machine
from measure import read_through, resident_fraction
from vigil.access import service as access
from vigil.access.actors import Actor, operator
from vigil.access.roles import Role
from vigil.documents import checks, store
from vigil.documents.keys import number_key, ocr_key
from vigil.documents.models import DocumentQuery
from vigil.runtime import open_database
from vigil.storage.migrate import upgrade
from vigil.storage.uow import UnitOfWork

VIGIL = str(Path(sys.executable).parent / "vigil")
PG_BASELINE_DB = "vigil_bench_sltd"
_CONFUSE = str.maketrans("01258", "OIZSB")
# Seconds of a closed loop before its measured window.
_WARMUP = 2.0


def generate(world: Path, scale: str) -> None:
    if (world / "documents.jsonl").exists():
        return
    started = time.perf_counter()
    subprocess.run([VIGIL, "world", "generate", "--scale", scale, "--out", str(world)], check=True)
    emit({"generate": {"scale": scale, "seconds": round(time.perf_counter() - started, 1)}})


def load(world: Path, db_path: Path) -> None:
    """Import with the CLI in a child process, as an operator would."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{db_path}"
    db = open_database(url, serving=False)
    upgrade(db)
    db.close()
    env = {"VIGIL_DATABASE_URL": url, "PATH": str(Path(sys.executable).parent)}
    command = [
        VIGIL,
        "documents",
        "import",
        str(world / "documents.jsonl"),
        "--as-issuing-states",
        "--json",
    ]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    summary = json.loads(done.stdout)
    emit(
        {
            "load": {
                "lines": summary["read"],
                "added": summary["added"],
                "already_present": summary["already_present"],
                "refused": summary["refused"],
                "seconds": round(seconds, 1),
                "lines_per_s": round(summary["read"] / seconds),
                "peak_rss_mib_largest_process": round(children / 1024),
                "db_gib": round(db_path.stat().st_size / 2**30, 2),
            }
        }
    )


def store_cache(db_path: Path, part: str, *, warm: bool) -> None:
    """How much of the store is in the page cache as ``part`` starts (read through first when
    ``warm``): a check that reads a report from disk costs a few tenths of a millisecond more,
    and some machines page out file pages that were not touched for a minute."""
    before = resident_fraction(db_path)
    if warm:
        read_through(db_path)
    emit({"store_cache": {"part": part, "resident_before": before, "warmed": warm,
                          "resident": resident_fraction(db_path) if warm else before}})  # fmt: skip


def samples(world: Path, count: int, seed: int) -> dict[str, list[tuple[str, str]]]:
    """Reported numbers (hits), the same with an OCR confusion (possible), unknown (none)."""
    rng = random.Random(seed)
    reported: list[tuple[str, str]] = []
    with (world / "documents.jsonl").open() as lines:
        for seen, line in enumerate(lines):
            row = json.loads(line)
            pair = (row["number"], row["issuing_state"])
            if len(reported) < count:
                reported.append(pair)
            elif (slot := rng.randrange(seen + 1)) < count:
                reported[slot] = pair
    confused = [(n.translate(_CONFUSE), s) for n, s in reported if n.translate(_CONFUSE) != n]
    unknown = [(f"Q{rng.randrange(10**8):08d}", s) for _, s in reported]
    return {"hit": reported, "possible": confused[:count], "none": unknown}


def percentiles(seconds: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(seconds, n=100)
    return {"p50_ms": round(cuts[49] * 1e3, 3), "p99_ms": round(cuts[98] * 1e3, 3)}


def timed(calls: list[Callable[[], Any]]) -> list[float]:
    spent = []
    for call in calls:
        started = time.perf_counter()
        call()
        spent.append(time.perf_counter() - started)
    return spent


def timed_in_turn(
    first: list[Callable[[], Any]], second: list[Callable[[], Any]]
) -> tuple[tuple[list[float], float], tuple[list[float], float]]:
    """Each list's seconds a call and CPU seconds in all, the calls of the two taken in turn
    (so that neither runs on a machine warmed, or slowed, by the other)."""
    spent: tuple[list[float], list[float]] = ([], [])
    cpu = [0.0, 0.0]
    for pair in zip(first, second, strict=False):
        for side, call in enumerate(pair):
            started, started_cpu = time.perf_counter(), time.process_time()
            call()
            spent[side].append(time.perf_counter() - started)
            cpu[side] += time.process_time() - started_cpu
    return (spent[0], cpu[0]), (spent[1], cpu[1])


def frontline(db_url: str) -> tuple[Actor, str]:
    db = open_database(db_url, serving=False)
    with UnitOfWork(db, write=True) as uow:
        made = access.add_user(
            uow, actor=operator("bench"), member="FRA", role=Role.FRONTLINE, name="bench"
        )
    with UnitOfWork(db, write=False) as uow:
        actor = access.authenticate_token(uow, made.token)
    db.close()
    return actor, made.token


def in_process(db_url: str, actor: Actor, sample: dict[str, list[tuple[str, str]]]) -> None:
    db = open_database(db_url, serving=True)
    # The two ways in process: the service call in a reading unit of work, and through the
    # group writer (in this thread when it is idle).
    service = service_check(db, actor)
    in_thread = functools.partial(checks.check_in_thread, db, actor=actor)
    try:
        for kind, pairs in sample.items():
            queries = [DocumentQuery(number=n, issuing_state=s) for n, s in pairs]

            def lookup(query: DocumentQuery) -> Callable[[], Any]:
                key = (ocr_key(number_key(query.number or "")), query.issuing_state or "")
                return lambda: store.lookup(conn, [key])

            # In a transaction, as a check's reading unit of work runs it.
            with db.engine.connect() as conn, conn.begin():
                index = timed([lookup(q) for q in queries])
            # Two ways, check by check in turn, each on its own half of the documents (a
            # report read by one is not in the page cache for the other): in a reading unit
            # of work, and through the group writer in this thread when it is idle
            # (``check_in_thread``: on the writer's connection, whose cache survives). CPU of
            # the whole process, the group writer's thread included.
            (by_unit, cpu), (through_writer, writer_cpu) = timed_in_turn(
                [functools.partial(service, query=q) for q in queries[0::2]],
                [functools.partial(in_thread, query=q) for q in queries[1::2]],
            )
            emit(
                {
                    "single_in_process": {
                        "kind": kind,
                        "n": len(by_unit),
                        "service": percentiles(by_unit),
                        "service_cpu_ms_per_check": round(cpu * 1e3 / len(by_unit), 3),
                        "check_in_thread": percentiles(through_writer),
                        "check_in_thread_cpu_ms_per_check": round(
                            writer_cpu * 1e3 / len(through_writer), 3
                        ),
                        "index_lookup": percentiles(index),
                    }
                }
            )
            batch(db, actor, queries, kind)
        border_mix(db, actor, sample, "border_mix_in_process", service)
        # The same mix through the group writer, on the documents from the other end of the
        # sample (the first mix's are in the page cache now).
        other_end = {kind: pairs[::-1] for kind, pairs in sample.items()}
        border_mix(db, actor, other_end, "border_mix_check_in_thread", in_thread)
    finally:
        db.close()


def service_check(db: Any, actor: Actor) -> Callable[..., Any]:
    """The service call: a check in a reading unit of work."""

    def check(*, query: DocumentQuery) -> Any:
        with UnitOfWork(db, write=False) as uow:
            return checks.check(uow, actor=actor, query=query)

    return check


def border_mix(
    db: Any,
    actor: Actor,
    sample: dict[str, list[tuple[str, str]]],
    name: str,
    check: Callable[..., Any],
) -> None:
    """``check(query=...)`` on border traffic's mix (98 % clean, 1 % hits, 1 % possible hits),
    one caller in a loop: a match's latency when it does not follow another match, as at a real
    border, and that of the clean checks around it. Emitted under ``name``."""
    rng = random.Random(5)
    count = len(sample["none"])
    kinds = rng.choices(["none", "hit", "possible"], weights=[98, 1, 1], k=count)
    queues = {kind: iter(pairs) for kind, pairs in sample.items()}
    # "after_match": the clean checks that come right after a hit or a possible hit, which
    # paid for its handling when the group writer handled events in its next commit; "all":
    # every check of the mix, the latency border traffic sees.
    spent: dict[str, list[float]] = {"none": [], "hit": [], "possible": [], "after_match": []}
    every: list[float] = []
    previous = "none"
    for kind in kinds:
        number, state = next(queues[kind], sample["none"][0])
        query = DocumentQuery(number=number, issuing_state=state)
        started = time.perf_counter()
        check(query=query)
        every.append(time.perf_counter() - started)
        spent[kind].append(every[-1])
        if kind == "none" and previous != "none":
            spent["after_match"].append(every[-1])
        previous = kind
    spent["all"] = every
    emit(
        {
            name: {
                kind: {"n": len(times), **percentiles(times)}
                for kind, times in spent.items()
                if len(times) >= 2
            }
        }
    )


def batch(db: Any, actor: Actor, queries: list[DocumentQuery], kind: str) -> None:
    rates = []
    for start in range(0, len(queries) - 9_999, 10_000):
        manifest = queries[start : start + 10_000]
        started = time.perf_counter()
        with UnitOfWork(db, write=False) as uow:
            checks.check_batch(uow, actor=actor, queries=manifest)
        rates.append(len(manifest) / (time.perf_counter() - started))
    if rates:
        emit(
            {
                "batch": {
                    "kind": kind,
                    "manifests": len(rates),
                    "size": 10_000,
                    "median_docs_per_s": round(statistics.median(rates)),
                }
            }
        )


def baselines(world: Path, tmp: Path, sample: dict[str, list[tuple[str, str]]]) -> None:
    """The same lookups as plain indexed SQL on a bare table (no access rule, no audit)."""
    rows_path = tmp / "sltd.tsv"
    with (world / "documents.jsonl").open() as lines, rows_path.open("w") as out:
        for line in lines:
            row = json.loads(line)
            key = number_key(row["number"])
            out.write(f"{ocr_key(key)}\t{row['issuing_state']}\t{key}\t{row['status']}\n")
    sqlite_path = tmp / "sltd.db"
    sqlite_path.unlink(missing_ok=True)
    lite = sqlite3.connect(sqlite_path)
    lite.execute("CREATE TABLE sltd (ocr_key TEXT, state TEXT, number_key TEXT, status TEXT)")
    with rows_path.open() as rows:
        lite.executemany(
            "INSERT INTO sltd VALUES (?, ?, ?, ?)", (r.rstrip("\n").split("\t") for r in rows)
        )
    lite.execute("CREATE INDEX ix ON sltd (ocr_key, state)")
    lite.commit()
    sql = "SELECT number_key, status FROM sltd WHERE ocr_key = ? AND state = ?"
    for kind, pairs in sample.items():
        keys = [(ocr_key(number_key(n)), s) for n, s in pairs]
        spent = timed([lambda k=k: lite.execute(sql, k).fetchall() for k in keys])  # type: ignore[misc]
        emit({"baseline": {"backend": "sqlite", "kind": kind, **percentiles(spent)}})
    lite.close()
    pg_baseline(rows_path, sample)


def pg_baseline(rows_path: Path, sample: dict[str, list[tuple[str, str]]]) -> None:
    import psycopg

    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{PG_BASELINE_DB}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{PG_BASELINE_DB}"'))
    admin.dispose()
    with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={PG_BASELINE_DB}") as pg:
        pg.execute("CREATE TABLE sltd (ocr_key text, state text, number_key text, status text)")
        with pg.cursor().copy("COPY sltd FROM STDIN") as copy, rows_path.open("rb") as rows:
            while chunk := rows.read(1 << 20):
                copy.write(chunk)
        pg.execute("CREATE INDEX ix ON sltd (ocr_key, state)")
        pg.execute("ANALYZE sltd")
        pg.commit()
        sql = "SELECT number_key, status FROM sltd WHERE ocr_key = %s AND state = %s"
        cur = pg.cursor()
        cur.execute(sql, ("X", "FRA"), prepare=True)
        for kind, pairs in sample.items():
            keys = [(ocr_key(number_key(n)), s) for n, s in pairs]
            spent = timed([lambda k=k: cur.execute(sql, k, prepare=True).fetchall() for k in keys])  # type: ignore[misc]
            emit({"baseline": {"backend": "postgresql", "kind": kind, **percentiles(spent)}})


def http(
    db_url: str,
    token: str,
    sample: dict[str, list[tuple[str, str]]],
    seconds: float,
    concurrency: int,
    workers: int,
    rates: tuple[float, ...] = (),
    manifest_size: int = 0,
) -> None:
    # Border traffic: nearly every document is clean (SIS: about 1 hit per 10,000 checks); 1 %
    # hits and 1 % possible hits here, so the hit path (events, alerts) is exercised too.
    rng = random.Random(1)
    pairs = sample["none"] + rng.sample(sample["hit"], len(sample["none"]) // 98)
    pairs += rng.sample(sample["possible"], len(sample["none"]) // 98)
    bodies = [json.dumps({"number": n, "issuing_state": s}).encode() for n, s in pairs]
    rng.shuffle(bodies)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        "VIGIL_DATABASE_URL": db_url,
        "VIGIL_ACCESS_LOG": "0",
        "VIGIL_LOG_LEVEL": "WARNING",
        "PATH": str(Path(sys.executable).parent),
        # The SQLite settings under test (page cache, memory map) reach the server too, and
        # PYTHONPATH, so that another checkout's code can be served beside this one's.
        **{
            k: v
            for k, v in os.environ.items()
            if k.startswith("VIGIL_SQLITE_") or k == "PYTHONPATH"
        },
    }
    server = subprocess.Popen(
        [VIGIL, "serve", "--port", str(port), "--workers", str(workers)], env=env
    )
    try:
        _wait_for(port)
        with ProcessPoolExecutor(1) as client:
            client.submit(time.sleep, 0).result()  # the client process is up
            driven = client.submit(drive, port, token, bodies, concurrency, seconds, _WARMUP)
            # The server's CPU over the measured window only: a worker's start-up (the face
            # models load in a thread for about a second) falls in the warm-up.
            time.sleep(_WARMUP)
            before = _cpu_seconds(server.pid)
            result = driven.result()
            cpu = _cpu_seconds(server.pid) - before
            measured = max(1.0, result["checks_per_s"] * seconds)
            result["server_cpu_ms_per_request"] = round(cpu * 1e3 / measured, 2)
            emit({"http": {"server_workers": workers, "concurrency": concurrency, **result}})
            # Open loop: requests sent at a fixed rate whatever the answers, each latency from
            # when it was due (closed-loop clients wait 32/N s on average at N answers/s).
            for rate in rates:
                paced = client.submit(paced_run, port, token, bodies, rate, seconds,
                                      "/api/v1/documents/check").result()  # fmt: skip
                emit({"http_at_rate": {"server_workers": workers, **paced}})
        if manifest_size:
            mixed = with_manifests(port, token, bodies, pairs, manifest_size, seconds)
            emit({"http_with_manifests": {"server_workers": workers, **mixed}})
    finally:
        server.terminate()
        server.wait(timeout=30)


def with_manifests(
    port: int,
    token: str,
    bodies: list[bytes],
    pairs: list[tuple[str, str]],
    size: int,
    seconds: float,
    rate: float = 1000.0,
) -> dict[str, Any]:
    """Single checks sent at ``rate`` while one client posts manifests of ``size`` documents
    back to back (airlines' passenger lists arrive beside the border's checks): the single
    checks' latency, and the manifests' pace. Two client processes, started together."""
    # Drawn from border traffic's mix: about 2 % of a manifest's documents match.
    drawn = random.Random(2).sample(pairs, min(size, len(pairs)))
    documents = [{"number": n, "issuing_state": s} for n, s in drawn]
    manifest = json.dumps({"documents": documents}).encode()
    with ProcessPoolExecutor(2) as clients:
        checks = clients.submit(paced_run, port, token, bodies, rate, seconds,
                                "/api/v1/documents/check")  # fmt: skip
        # The closed loop of one connection: the next manifest leaves when the last is answered.
        lists = clients.submit(drive, port, token, [manifest], 1, seconds + 0.5, 0.0,
                               "/api/v1/documents/check/batch")  # fmt: skip
        single, manifests = checks.result(), lists.result()
    kept = ("p50_ms", "p99_ms", "statuses")
    return {
        "rate_per_s": rate,
        "checks": {"requests": single["requests"], **{k: single[k] for k in kept}},
        "manifest_size": size,
        "manifests": {"per_s": manifests["checks_per_s"], **{k: manifests[k] for k in kept}},
    }


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("the server did not start")


def _cpu_seconds(pid: int) -> float:
    """User and system CPU of a process and its children (uvicorn's workers), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for proc in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{proc}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found.extend([int(child), *_children(int(child))])
    return found


def drive(
    port: int,
    token: str,
    bodies: list[bytes],
    concurrency: int,
    seconds: float,
    warmup: float,
    path: str = "/api/v1/documents/check",
) -> dict[str, Any]:
    """Raw HTTP/1.1 keep-alive client (cheap, so the server gets the CPU); runs in a child."""
    started = time.process_time()
    _quiet_collector()
    result = asyncio.run(_drive(port, token, bodies, concurrency, seconds, warmup, path))
    # The client shares the machine: its CPU per request says how much it took from the server.
    spent = time.process_time() - started
    result["client_cpu_ms_per_request"] = round(spent * 1e3 / max(1, result["requests"]), 2)
    return result


async def _drive(
    port: int,
    token: str,
    bodies: list[bytes],
    concurrency: int,
    seconds: float,
    warmup: float,
    path: str,
) -> dict[str, Any]:
    start = time.perf_counter() + warmup
    window = (start, start + seconds)
    results = await asyncio.gather(
        *(
            _connection(port, token, bodies[i::concurrency], window, path)
            for i in range(concurrency)
        )
    )
    latencies = sorted(x for measured, _ in results for x in measured)
    statuses: dict[int, int] = {}
    for _, seen in results:
        for status, n in seen.items():
            statuses[status] = statuses.get(status, 0) + n
    return {
        "requests": sum(statuses.values()),
        "checks_per_s": round(len(latencies) / seconds, 1),
        **percentiles(latencies),
        "statuses": statuses,
    }


async def _connection(
    port: int, token: str, bodies: list[bytes], window: tuple[float, float], path: str
) -> tuple[list[float], dict[int, int]]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: bench\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
    )
    measured: list[float] = []
    statuses: dict[int, int] = {}
    turn = 0
    while (sent := time.perf_counter()) < window[1]:
        body = bodies[turn % len(bodies)]
        turn += 1
        writer.write(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
        status_line = await reader.readline()
        status = int(status_line.split()[1])
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        done = time.perf_counter()
        statuses[status] = statuses.get(status, 0) + 1
        if status == 200 and window[0] <= done <= window[1]:
            measured.append(done - sent)
    writer.close()
    return measured, statuses


async def exchange(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    token: str,
    body: bytes,
    path: str,
) -> int:
    """One keep-alive request and its answer; the status."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    writer.write(head.encode() + body)
    status = int((await reader.readline()).split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    await reader.readexactly(length)
    return status


def paced_run(
    port: int, token: str, bodies: list[bytes], rate: float, seconds: float, path: str
) -> dict[str, Any]:
    """Open loop: a request every 1/rate s on the next free connection of 64; latency counted
    from when it was due, so queueing shows (no coordinated omission)."""
    _quiet_collector()
    return asyncio.run(_paced_async(port, token, bodies, rate, seconds, path))


def _quiet_collector() -> None:
    """Keep the client's own garbage collector from pausing it mid-run, which would count as
    the server's latency. The client is a forked child of the benchmark, which holds the
    world it read: a full collection walked all of it (and copied its pages), and stalled
    the second paced run of every series at the same second by over 100 ms."""
    gc.collect()
    gc.freeze()


async def _paced_async(
    port: int, token: str, bodies: list[bytes], rate: float, seconds: float, path: str
) -> dict[str, Any]:
    free: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()
    for _ in range(64):
        free.put_nowait(await asyncio.open_connection("127.0.0.1", port))
    latencies: list[float] = []
    slow: dict[int, int] = {}  # answers over 100 ms, by the second of the run they were due
    statuses: dict[int, int] = {}

    async def send(due: float, body: bytes) -> None:
        connection = await free.get()
        status = await exchange(*connection, token, body, path)
        latencies.append(time.perf_counter() - due)
        if latencies[-1] > 0.1:
            slow[int(due - start)] = slow.get(int(due - start), 0) + 1
        statuses[status] = statuses.get(status, 0) + 1
        free.put_nowait(connection)

    start = time.perf_counter() + 0.5
    tasks = []
    for i in range(int(rate * seconds)):
        due = start + i / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        tasks.append(asyncio.create_task(send(due, bodies[i % len(bodies)])))
    await asyncio.gather(*tasks)
    return {
        "rate_per_s": rate,
        "requests": len(latencies),
        **percentiles(latencies),
        "statuses": statuses,
        # Whether the slow answers come together (a stall) or spread (a queue): by second.
        "over_100_ms_by_second": dict(sorted(slow.items())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world", type=Path, default=Path("var/bench/world-medium"))
    parser.add_argument("--scale", default="medium")
    parser.add_argument("--db", type=Path, default=Path("var/bench/documents.db"))
    parser.add_argument("--keep-db", action="store_true", help="Skip the load if the db exists.")
    parser.add_argument("--samples", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--only-http", action="store_true", help="Skip the in-process checks.")
    parser.add_argument("--no-http", action="store_true", help="Skip the HTTP checks.")
    parser.add_argument(
        "--warm",
        action="store_true",
        help="Read the store into the page cache before each part (as a server that has run a "
        "while holds its working set), instead of measuring from whatever is cached.",
    )
    parser.add_argument(
        "--rates",
        type=float,
        nargs="*",
        default=[1000.0],
        help="Open-loop rates (checks/s) to send at after the closed loop.",
    )
    parser.add_argument(
        "--manifest-size",
        type=int,
        default=1000,
        help="After the paced runs, single checks at 1,000/s while manifests of this many "
        "documents are posted back to back (0: skip).",
    )
    args = parser.parse_args()
    emit(machine())
    args.world.mkdir(parents=True, exist_ok=True)
    generate(args.world, args.scale)
    if not (args.keep_db and args.db.exists()):
        load(args.world, args.db)
    url = f"sqlite:///{args.db}"
    sample = samples(args.world, args.samples, seed=11)
    actor, token = frontline(url)
    if not args.only_http:
        store_cache(args.db, "in_process", warm=args.warm)
        in_process(url, actor, sample)
    for workers in () if args.no_http else (1, 2):
        store_cache(args.db, f"http_{workers}", warm=args.warm)
        http(url, token, sample, args.seconds, args.concurrency, workers, tuple(args.rates),
             args.manifest_size)  # fmt: skip
    emit(
        {
            "memory": {
                "peak_rss_mib_this_process": round(
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                )
            }
        }
    )
    if not args.no_baseline:
        baselines(args.world, args.db.parent, sample)


if __name__ == "__main__":
    main()
