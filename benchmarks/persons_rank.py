"""Candidate generation plus scoring of a name screening, in process, on a world's records:
``index.shortlist`` and ``rank`` over queries made from the records (as ``vigil eval names``
makes them), p50 and p99 in ms, after one pass that warms the caches.

It uses only what every version of the name engine has, so two trees can be compared side
by side on one machine: run it alternately with ``PYTHONPATH`` pointing at each.

    git worktree add --detach /tmp/before f2aff46
    for i in 1 2; do
      PYTHONPATH=/tmp/before/src .venv/bin/python benchmarks/persons_rank.py --label before
      .venv/bin/python benchmarks/persons_rank.py --label after
    done
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path

from vigil.persons import evaluation
from vigil.persons.names import readings
from vigil.persons.screening import rank


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--world", type=Path, default=Path("var/world-small"))
    parser.add_argument("--queries", type=int, default=3_000)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    world = evaluation.read_world(args.world)
    index = evaluation.world_index(world)
    queries = random.Random(1).sample(world.queries, min(args.queries, len(world.queries)))
    spent: list[float] = []
    for _ in range(2):  # the first pass warms the caches
        spent = []
        for _, query in queries:
            started = time.perf_counter()
            found = index.shortlist(readings(query.name), lambda e: True, query.document_number)
            rank(found, query)
            spent.append(time.perf_counter() - started)
    cuts = statistics.quantiles(spent, n=100)
    p50, p99 = round(cuts[49] * 1e3, 3), round(cuts[98] * 1e3, 3)
    print(json.dumps({"label": args.label, "queries": len(queries), "p50_ms": p50, "p99_ms": p99}))


if __name__ == "__main__":
    main()
