"""Person screening at scale: the name index, screening in process and over HTTP, baselines.

On a world's ``persons.jsonl``, measures:

- load: ``vigil persons import --as-owners`` into a fresh SQLite store (lines/s);
- index: building the name index from the store (seconds, records/s, resident memory added);
- screening in process: ``screening.screen`` in a reading unit of work (the service call, with
  its durable audit entry and hit events) and the candidate generation plus scoring alone,
  p50/p99, over queries made from records of the world (the Latin name, birth date, sex,
  nationality, as an officer types them from a passport);
- baselines on the same queries: rapidfuzz token-sort ratio against every name (brute force),
  and PostgreSQL pg_trgm similarity with a GIN trigram index;
- HTTP: ``POST /api/v1/persons/screen`` served by ``vigil serve`` (1 worker), 32 keep-alive
  connections from a raw-socket client in a child process.

Reproduce (prints JSON lines; the world is generated first when the folder has none):

    .venv/bin/python benchmarks/persons.py --world var/bench/world-200k --scale 200000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import socket
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from audit import PG_ADMIN_URL, emit, machine
from documents import (
    VIGIL,
    _cpu_seconds,
    _wait_for,
    drive,
    exchange,
    frontline,
    paced_run,
    percentiles,
    timed,
)
from vigil.access.actors import Actor
from vigil.persons import evaluation
from vigil.persons.index import index_for, sync
from vigil.persons.models import ScreenQuery
from vigil.persons.names import readings
from vigil.persons.screening import rank, screen
from vigil.runtime import open_database
from vigil.storage.migrate import upgrade
from vigil.storage.uow import UnitOfWork


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def generate(world: Path, scale: str, seed: int = 7) -> None:
    if (world / "persons.jsonl").exists():
        return
    started = time.perf_counter()
    subprocess.run(
        [VIGIL, "world", "generate", "--scale", scale, "--seed", str(seed), "--out", str(world)],
        check=True,
    )
    emit({"generate": {"scale": scale, "seconds": round(time.perf_counter() - started, 1)}})


def load(world: Path, db_path: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".writer-lock"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{db_path}"
    db = open_database(url, serving=False)
    upgrade(db)
    db.close()
    lines = sum(1 for _ in (world / "persons.jsonl").open(encoding="utf-8"))
    started = time.perf_counter()
    subprocess.run(
        [VIGIL, "persons", "import", str(world / "persons.jsonl"), "--as-owners"],
        env={"VIGIL_DATABASE_URL": url, "PATH": str(Path(sys.executable).parent)},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    emit(
        {
            "load": {
                "lines": lines,
                "seconds": round(seconds, 1),
                "lines_per_s": round(lines / seconds),
            }
        }
    )


def http(url: str, token: str, bodies: list[bytes], workers: int, args: Any) -> None:
    """``vigil serve`` with ``workers`` processes (each builds its own index on its first
    screening, before the clock starts): 32 clients as fast as they can (throughput), then
    requests sent at a fixed rate whatever the answers (latency at that load)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        "VIGIL_DATABASE_URL": url,
        "VIGIL_ACCESS_LOG": "0",
        "VIGIL_LOG_LEVEL": "WARNING",
        "PATH": str(Path(sys.executable).parent),
    }
    server = subprocess.Popen(
        [VIGIL, "serve", "--port", str(port), "--workers", str(workers)], env=env
    )
    try:
        _wait_for(port)
        started = time.perf_counter()
        with ProcessPoolExecutor(1) as client:
            # Enough parallel first requests that every worker builds its index.
            client.submit(_warm, port, token, bodies[: 4 * workers]).result()
            emit(
                {
                    "http_warm_up": {
                        "server_workers": workers,
                        "seconds": round(time.perf_counter() - started, 1),
                    }
                }
            )
            before_cpu = _cpu_seconds(server.pid)
            result = client.submit(
                drive, port, token, bodies, args.concurrency, args.seconds, 2.0, PATH
            ).result()
            cpu = _cpu_seconds(server.pid) - before_cpu
            result["server_cpu_ms_per_request"] = round(cpu * 1e3 / max(1, result["requests"]), 2)
            emit({"http": {"server_workers": workers, "concurrency": args.concurrency, **result}})
            for rate in args.rates:
                paced = client.submit(
                    paced_run, port, token, bodies, rate, args.seconds, PATH
                ).result()
                emit({"http_at_rate": {"server_workers": workers, **paced}})
    finally:
        server.terminate()
        server.wait(timeout=30)


PATH = "/api/v1/persons/screen"


def _warm(port: int, token: str, bodies: list[bytes]) -> None:
    async def one(body: bytes) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        await exchange(reader, writer, token, body, PATH)
        writer.close()

    async def all_of() -> None:
        await asyncio.gather(*(one(b) for b in bodies))

    asyncio.run(all_of())


def in_process(url: str, actor: Actor, queries: list[ScreenQuery]) -> None:
    """The index built from the store as a server builds it, then screenings in process."""
    db = open_database(url, serving=True)
    before = _rss_mib()
    started = time.perf_counter()
    index = index_for(db)
    with db.engine.connect() as conn:
        sync(index, conn)
    seconds = time.perf_counter() - started
    emit(
        {
            "index": {
                "records": len(index),
                "seconds": round(seconds, 1),
                "records_per_s": round(len(index) / seconds),
                "memory_added_mib": round(_rss_mib() - before),
            }
        }
    )

    def service_call(query: ScreenQuery) -> None:
        with UnitOfWork(db, write=False) as uow:
            screen(uow, actor=actor, query=query)

    def rank_only(query: ScreenQuery) -> None:
        rank(index.candidates(actor, readings(query.name)), query)

    timed([lambda q=q: rank_only(q) for q in queries[:200]])  # warm the caches
    for label, call in (("rank", rank_only), ("service", service_call)):
        spent = timed([lambda q=q, call=call: call(q) for q in queries])
        emit({"in_process": {"what": label, "queries": len(queries), **percentiles(spent)}})
    db.close()


def baselines(world_dir: Path, count: int) -> None:
    """Brute force over every name, and pg_trgm, on queries made from the world's records."""
    world = evaluation.read_world(world_dir, max_queries=count, seed=3)
    brute = evaluation.evaluate_brute_force(world)
    emit(
        {
            "baseline": {
                "what": "rapidfuzz token_sort_ratio, all names",
                "ms_per_query": brute["ms_per_query"],
            }
        }
    )
    try:
        trgm = evaluation.evaluate_pg_trgm(world, PG_ADMIN_URL)
        emit({"baseline": {"what": "pg_trgm GIN similarity", "ms_per_query": trgm["ms_per_query"]}})
    except Exception as exc:
        emit({"baseline": {"what": "pg_trgm", "skipped": str(exc)[:200]}})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world", type=Path, default=Path("var/bench/world-200k"))
    parser.add_argument("--scale", default="200000")
    parser.add_argument("--travellers", type=Path, default=Path("var/bench/world-travellers"))
    parser.add_argument("--db", type=Path, default=Path("var/bench/persons.db"))
    parser.add_argument("--keep-db", action="store_true", help="Skip the load if the db exists.")
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--baseline-queries", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rates", type=float, nargs="+", default=[100, 200])
    parser.add_argument("--only-http", action="store_true", help="Skip in-process and baselines.")
    parser.add_argument("--no-baseline", action="store_true", help="Skip brute force and pg_trgm.")
    args = parser.parse_args()
    emit({"machine": machine()})
    generate(args.world, args.scale)
    if not (args.keep_db and args.db.exists()):
        load(args.world, args.db)
    url = f"sqlite:///{args.db}"

    # Border traffic: nearly every traveller is in no database (SIS: about one hit in ten
    # thousand searches). Travellers come from another world (another seed: other people,
    # the same name pools), and 2 % of queries are people the store holds.
    generate(args.travellers, "small", seed=99)
    recorded = evaluation.sample_queries(args.world, args.queries, seed=3)
    travellers = evaluation.sample_queries(args.travellers, args.queries, seed=4)
    queries = [recorded[i] if i % 50 == 0 else q for i, q in enumerate(travellers)]
    actor, token = frontline(url)
    if not args.only_http:
        in_process(url, actor, queries)
        if not args.no_baseline:
            baselines(args.world, args.baseline_queries)
    bodies = [json.dumps(q.model_dump(mode="json", exclude_none=True)).encode() for q in queries]
    random.Random(1).shuffle(bodies)
    for workers in args.workers:
        http(url, token, bodies, workers, args)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    emit({"memory": {"benchmark_peak_mib": round(peak)}})


if __name__ == "__main__":
    main()
