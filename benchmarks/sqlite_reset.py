"""What another connection's commit costs a reader's next lookup, on SQLite in WAL mode.

When a read transaction begins and the log has changed since the connection's last one,
SQLite empties that connection's whole page cache (``pagerBeginReadTransaction`` in
``pager.c``): the root and interior pages of every B-tree are read again from the operating
system. A Vigil server reads on pool connections and commits audit entries on the group
writer's connection, so every check begins after such a commit, whatever
``VIGIL_SQLITE_CACHE_MB`` says.

This script builds a table shaped like ``records`` (a text primary key, uuid7-like ids) in a
temporary database, then times one lookup by a random id in a read transaction of its own,
rounds alternating: with no commit since the last read (the baseline), and with a one-row
commit by another connection before each read. Both with plain reads and with a memory map
(``mmap_size``: SQLite caps it at its compile-time ``MAX_MMAP_SIZE``, 2 GiB in the usual
builds; the read-back value is printed).

Reproduce (prints JSON lines; seconds at the default size, under a minute for 10M rows):

    .venv/bin/python benchmarks/sqlite_reset.py --rows 2000000 --lookups 2000 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

CACHE_KIB = 65536  # the server's default page cache a connection (VIGIL_SQLITE_CACHE_MB=64)
MMAP_BYTES = 2**40  # asked for; SQLite grants at most its MAX_MMAP_SIZE


def emit(line: dict[str, Any]) -> None:
    print(json.dumps(line), flush=True)


def build(path: Path, rows: int, seed: int) -> list[str]:
    """A ``records``-like table of ``rows`` rows; its ids, in insertion order."""
    rng = random.Random(seed)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")  # building, not measuring
    conn.execute(
        "CREATE TABLE records (id TEXT PRIMARY KEY, kind TEXT NOT NULL, owner TEXT NOT NULL,"
        " created_at TEXT NOT NULL, title TEXT NOT NULL, review_by TEXT NOT NULL)"
    )
    conn.execute("CREATE TABLE scratch (x INTEGER)")
    # Time-ordered ids as uuid7 makes them: a millisecond prefix that grows, random after.
    start_ms = 1_700_000_000_000
    ids = [f"{start_ms + i:012x}-7{rng.getrandbits(60):015x}" for i in range(rows)]
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO records VALUES (?, 'document', ?, '2026-01-01T00:00:00', ?, '2031-01-01')",
        ((i, f"M{n % 190:03d}", f"passport {n:09d} reported stolen") for n, i in enumerate(ids)),
    )
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return ids


def reader(path: Path, mmap: bool) -> tuple[sqlite3.Connection, int]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    ((granted,),) = conn.execute(f"PRAGMA mmap_size={MMAP_BYTES if mmap else 0}").fetchall()
    return conn, int(granted)


def lookups(
    conn: sqlite3.Connection, writer: sqlite3.Connection | None, ids: list[str]
) -> list[float]:
    """Seconds for each lookup, each in a read transaction of its own, ``writer`` committing a
    row before each when given."""
    spent = []
    for record_id in ids:
        if writer is not None:
            writer.execute("INSERT INTO scratch VALUES (1)")
        conn.execute("BEGIN")
        started = time.perf_counter()
        conn.execute("SELECT * FROM records WHERE id = ?", (record_id,)).fetchall()
        spent.append(time.perf_counter() - started)
        conn.execute("COMMIT")
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dir", type=Path, default=None, help="Where the temporary database goes.")
    args = parser.parse_args()
    uname = platform.uname()
    system = f"{uname.system} {uname.release}"
    python, sqlite = platform.python_version(), sqlite3.sqlite_version
    cpus = os.cpu_count()
    emit({"machine": {"cpus": cpus, "system": system, "python": python, "sqlite": sqlite}})
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        path = Path(folder) / "reset.db"
        started = time.perf_counter()
        ids = build(path, args.rows, args.seed)
        emit({"built": {"rows": args.rows, "mib": round(path.stat().st_size / 2**20),
                        "seconds": round(time.perf_counter() - started, 1)}})  # fmt: skip
        writer = sqlite3.connect(path, isolation_level=None)
        writer.execute("PRAGMA synchronous=OFF")  # the commit's effect, not its sync, is measured
        for mmap in (False, True):
            conn, granted = reader(path, mmap)
            p50: dict[str, list[float]] = {"no_commit": [], "commit_between": []}
            p99: dict[str, list[float]] = {"no_commit": [], "commit_between": []}
            for round_ in range(args.rounds):
                # Fresh ids each time (none read before), the order of the two ways alternating.
                order = ["no_commit", "commit_between"]
                for way in order if round_ % 2 == 0 else order[::-1]:
                    sample = rng.sample(ids, args.lookups)
                    spent = lookups(conn, writer if way == "commit_between" else None, sample)
                    cuts = statistics.quantiles(spent, n=100)
                    p50[way].append(cuts[49] * 1e3)
                    p99[way].append(cuts[98] * 1e3)
            conn.close()
            base = statistics.median(p50["no_commit"])
            reset = statistics.median(p50["commit_between"])
            emit(
                {
                    "lookup_by_id": {
                        "mmap_bytes": granted,
                        "rounds": args.rounds,
                        "lookups_per_round": args.lookups,
                        "no_commit_p50_ms": round(base, 4),
                        "no_commit_p99_ms": round(statistics.median(p99["no_commit"]), 4),
                        "commit_between_p50_ms": round(reset, 4),
                        "commit_between_p99_ms": round(statistics.median(p99["commit_between"]), 4),
                        "ratio_p50": round(reset / base, 2),
                    }
                }
            )
        writer.close()


if __name__ == "__main__":
    main()
