"""What the tables of equivalent name parts cost a screening: the same queries ranked against
one name index of a world, with no table and with the shared nicknames and synonames tables,
alternating query by query so that both sides see the same machine.

Per side: candidate generation plus scoring (``index.shortlist`` and ``rank``, as
``vigil eval names`` runs them), p50 and p99 in ms, the readings a query is compared with, and
the ratio of the medians. Also the time to read the tables into the index.

Needs the shared data folder (``../shared/data``); says so and exits 0 without it.

    .venv/bin/vigil world generate --scale small --out var/world-small
    .venv/bin/python benchmarks/name_equivalents.py --world var/world-small --queries 3000
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from audit import emit, machine
from documents import percentiles
from vigil.persons import equivalents, evaluation
from vigil.persons.screening import query_forms, rank

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
TABLES = [Path("nicknames-en") / "names.csv", Path("synonames") / "synonyms.txt"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--world", type=Path, default=Path("var/world-small"))
    parser.add_argument("--data", type=Path, default=SHARED)
    parser.add_argument("--queries", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    tables = [args.data / t for t in TABLES]
    missing = [str(t) for t in tables if not t.exists()]
    if missing:
        emit({"skipped": f"the shared tables are absent: {', '.join(missing)}"})
        return
    emit(machine())
    world = evaluation.read_world(args.world)
    started = time.perf_counter()
    loaded = equivalents.from_files(tables)
    emit({"tables_read_s": round(time.perf_counter() - started, 2), "name_parts": len(loaded)})
    index = evaluation.world_index(world)
    queries = random.Random(args.seed).sample(world.queries, min(args.queries, len(world.queries)))
    spent: dict[str, list[float]] = {"none": [], "tables": []}
    widths: dict[str, list[int]] = {"none": [], "tables": []}
    for _, query in queries:
        for side, table in (("none", equivalents.NONE), ("tables", loaded)):
            index.equivalents = table
            begun = time.perf_counter()
            forms = query_forms(index, query.name)
            shortlist = index.shortlist(forms, lambda e: True, query.document_number)
            rank(shortlist, query, forms=forms)
            spent[side].append(time.perf_counter() - begun)
            widths[side].append(len(forms))
    widened = sum(w > n for w, n in zip(widths["tables"], widths["none"], strict=True))
    for side in spent:
        emit({
            "side": side, "queries": len(queries), **percentiles(spent[side]),
            "readings_mean": round(statistics.mean(widths[side]), 2),
        })  # fmt: skip
    emit({"queries_read_with_equivalents": widened})
    ratio = statistics.median(spent["tables"]) / statistics.median(spent["none"])
    emit({"median_ratio_tables_over_none": round(ratio, 3)})


if __name__ == "__main__":
    main()
