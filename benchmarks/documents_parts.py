"""Where a document check's time goes: its parts, in latency bands.

Runs ``checks.check_in_thread`` (through a server's group writer, in this thread when it is
idle) on one kind of document at a time, one caller in a loop, on a store that
``benchmarks/documents.py`` loaded. Each part is timed by wrapping the function that does it:

- ``check``: the whole read, of which ``lookup`` (the index and the report rows, with
  ``envelope``: the report's record) and ``notices`` (documents named in notices), and
  ``answer`` (the matches, and the hit events they leave);
- ``handle``: the hit record and both members' alerts, in the batch's transaction;
- ``outbox`` and ``audit``: the batch's outbox rows and audit entries;
- ``commit``: SQLite's commit (the log frames and ``fdatasync``);
- ``lock``: waiting for the writer lock.

The checks are sorted by their total and cut into bands (fastest half, p50-90, p90-98,
p98-100); each band's line gives the median total and the median of each part within it, so
a slow band shows which parts made it slow. Python's garbage collections during the loop
(count, median and longest pause by generation) and the store's share in the page cache are
reported beside them.

Wrapping functions costs a few microseconds a part: compare bands with each other, and totals
with ``benchmarks/documents.py``.

Reproduce, after ``benchmarks/documents.py`` has loaded the store:

    .venv/bin/python benchmarks/documents_parts.py --world var/bench/world-medium \
        --db var/bench/documents.db --kind hit --checks 4000
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from audit import emit, machine
from documents import frontline, samples
from measure import resident_fraction
from vigil.audit import group_commit
from vigil.documents import checks
from vigil.documents import store as documents_store
from vigil.documents.models import DocumentQuery
from vigil.records import store as records_store
from vigil.runtime import open_database
from vigil.storage.engine import Database

PARTS = ("lock", "check", "lookup", "envelope", "notices", "answer", "handle", "outbox",
         "audit", "commit")  # fmt: skip
BANDS = (("p0_50", 0.0, 0.5), ("p50_90", 0.5, 0.9), ("p90_98", 0.9, 0.98), ("p98_100", 0.98, 1.0))


class Parts:
    """Seconds spent in each part during the current check."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def timed(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.spent[name] = self.spent.get(name, 0.0) + time.perf_counter() - started

        return wrapper

    def wrap(self, db: Database) -> None:
        """Wrap the functions that do each part (for this process, until it exits)."""
        documents_store.lookup = self.timed("lookup", documents_store.lookup)
        documents_store.named_in_notices = self.timed("notices", documents_store.named_in_notices)
        records_store.get_many = self.timed("envelope", records_store.get_many)
        checks._answer = self.timed("answer", checks._answer)
        checks.check = self.timed("check", checks.check)
        writer = group_commit.GroupWriter
        writer._handle = self.timed("handle", writer._handle)  # type: ignore[method-assign]
        group_commit.outbox.add = self.timed("outbox", group_commit.outbox.add)
        group_commit.store.append = self.timed("audit", group_commit.store.append)
        dialect = db.engine.dialect
        dialect.do_commit = self.timed("commit", dialect.do_commit)  # type: ignore[method-assign]
        take = type(db).writer
        parts = self

        @contextlib.contextmanager
        def writer_lock(self: Database) -> Iterator[None]:
            started = time.perf_counter()
            with take(self):
                parts.spent["lock"] = time.perf_counter() - started
                yield

        type(db).writer = writer_lock  # type: ignore[method-assign]


class Collections:
    """Python's garbage collections while ``on``: pause seconds by generation."""

    def __init__(self) -> None:
        self.on = False
        self.pauses: dict[int, list[float]] = {}
        self._started = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif self.on:
            pause = time.perf_counter() - self._started
            self.pauses.setdefault(int(info["generation"]), []).append(pause)

    def summary(self) -> dict[str, Any]:
        return {
            f"gen{generation}": {
                "n": len(pauses),
                "median_ms": round(statistics.median(pauses) * 1e3, 3),
                "max_ms": round(max(pauses) * 1e3, 3),
            }
            for generation, pauses in sorted(self.pauses.items())
        }


def bands(rows: list[tuple[float, dict[str, float]]]) -> dict[str, Any]:
    """Checks sorted by total time, cut into bands: the medians of the total and of each part."""
    rows = sorted(rows, key=lambda row: row[0])
    count = len(rows)
    out: dict[str, Any] = {}
    for name, low, high in BANDS:
        band = rows[int(count * low) : int(count * high)]
        if not band:
            continue
        out[name] = {
            "n": len(band),
            "total_ms": round(statistics.median(total for total, _ in band) * 1e3, 3),
            **{
                part: round(statistics.median(spent.get(part, 0.0) for _, spent in band) * 1e3, 3)
                for part in PARTS
            },
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--world", type=Path, default=Path("var/bench/world-medium"))
    parser.add_argument("--db", type=Path, default=Path("var/bench/documents.db"))
    parser.add_argument("--kind", choices=["hit", "possible", "none"], default="hit")
    parser.add_argument("--checks", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    if not (args.world / "documents.jsonl").exists() or not args.db.exists():
        print(f"skipped: no world at {args.world} or no store at {args.db} "
              "(benchmarks/documents.py loads one)", file=sys.stderr)  # fmt: skip
        return
    emit(machine())
    url = f"sqlite:///{args.db}"
    actor, _ = frontline(url)
    pairs = samples(args.world, args.checks, args.seed)[args.kind]
    queries = [DocumentQuery(number=number, issuing_state=state) for number, state in pairs]
    parts, collections = Parts(), Collections()
    db = open_database(url, serving=True)
    parts.wrap(db)
    check = functools.partial(checks.check_in_thread, db, actor=actor)
    resident = resident_fraction(args.db)
    rows: list[tuple[float, dict[str, float]]] = []
    collections.on = True
    try:
        for query in queries:
            parts.spent = {}
            started = time.perf_counter()
            check(query=query)
            rows.append((time.perf_counter() - started, parts.spent))
    finally:
        collections.on = False
        db.close()
    emit(
        {
            "parts": {
                "kind": args.kind,
                "checks": len(rows),
                "store_resident": resident,
                "bands": bands(rows),
                "collections": collections.summary(),
            }
        }
    )


if __name__ == "__main__":
    main()
