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
import json
import random
import resource
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from audit import PG_ADMIN_URL, emit, machine
from documents import VIGIL, _cpu_seconds, _wait_for, drive, frontline, percentiles, timed
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


def generate(world: Path, scale: str) -> None:
    if (world / "persons.jsonl").exists():
        return
    started = time.perf_counter()
    subprocess.run([VIGIL, "world", "generate", "--scale", scale, "--out", str(world)], check=True)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world", type=Path, default=Path("var/bench/world-200k"))
    parser.add_argument("--scale", default="200000")
    parser.add_argument("--db", type=Path, default=Path("var/bench/persons.db"))
    parser.add_argument("--keep-db", action="store_true", help="Skip the load if the db exists.")
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--baseline-queries", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    emit({"machine": machine()})
    generate(args.world, args.scale)
    if not (args.keep_db and args.db.exists()):
        load(args.world, args.db)
    url = f"sqlite:///{args.db}"

    # The index, built from the store as a server builds it on its first screening.
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

    world = evaluation.read_world(args.world, max_queries=args.queries, seed=3)
    queries = [q for _, q in world.queries]
    actor, token = frontline(url)

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

    # Baselines on the first queries: brute force over every name, and pg_trgm.
    few = evaluation.WorldSet(world.entries, world.truth, world.queries[: args.baseline_queries])
    brute = evaluation.evaluate_brute_force(few)
    emit(
        {
            "baseline": {
                "what": "rapidfuzz token_sort_ratio, all names",
                "ms_per_query": brute["ms_per_query"],
            }
        }
    )
    try:
        trgm = evaluation.evaluate_pg_trgm(few, PG_ADMIN_URL)
        emit({"baseline": {"what": "pg_trgm GIN similarity", "ms_per_query": trgm["ms_per_query"]}})
    except Exception as exc:
        emit({"baseline": {"what": "pg_trgm", "skipped": str(exc)[:200]}})

    # HTTP: one worker process (the index is per process; two would hold two).
    bodies = [json.dumps(q.model_dump(mode="json", exclude_none=True)).encode() for q in queries]
    random.Random(1).shuffle(bodies)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        "VIGIL_DATABASE_URL": url,
        "VIGIL_ACCESS_LOG": "0",
        "VIGIL_LOG_LEVEL": "WARNING",
        "PATH": str(Path(sys.executable).parent),
    }
    server = subprocess.Popen([VIGIL, "serve", "--port", str(port), "--workers", "1"], env=env)
    try:
        _wait_for(port)
        # The first screening builds the server's index: do it before the clock starts.
        warm = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/persons/screen",
            data=bodies[0],
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        started = time.perf_counter()
        urllib.request.urlopen(warm, timeout=3600).read()  # noqa: S310 - a local server
        emit({"http_first_screening": {"seconds": round(time.perf_counter() - started, 1)}})
        before_cpu = _cpu_seconds(server.pid)
        with ProcessPoolExecutor(1) as client:
            result = client.submit(
                drive, port, token, bodies, args.concurrency, args.seconds, 2.0,
                "/api/v1/persons/screen",
            ).result()  # fmt: skip
        cpu = _cpu_seconds(server.pid) - before_cpu
    finally:
        server.terminate()
        server.wait(timeout=30)
    result["server_cpu_ms_per_request"] = round(cpu * 1e3 / max(1, result["requests"]), 2)
    emit({"http": {"server_workers": 1, "concurrency": args.concurrency, **result}})
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    emit({"memory": {"benchmark_peak_mib": round(peak)}})


if __name__ == "__main__":
    main()
