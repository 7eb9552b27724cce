"""CPU of a traveller check's name screening in process, by part: the candidates (postings
merged, access rule, readings gathered) and their ranking (names compared, evidence weighed),
one caller, on the store of ``benchmarks/screening.py`` and its travellers (issue 8).

Meant for comparing two checkouts of the code on one machine: run it once per checkout at
the same time, one on each core (``PYTHONPATH`` naming the other checkout's ``src``), so that
both see the same machine from one minute to the next. With ``--answers FILE`` it also writes
every answer (ids, scores, matched names, features), so that the two can be compared byte for
byte: a change meant to save CPU must not change what an officer sees.

    .venv/bin/python benchmarks/screening.py --scale small --profile   # loads the store once
    .venv/bin/python benchmarks/screening_cpu.py --scale small --answers var/bench/answers.json
    PYTHONPATH=../other/src .venv/bin/python benchmarks/screening_cpu.py --scale small &
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from audit import emit, machine
from screening import frontline, loaded_store, screen_query, store_arguments, travellers
from vigil.persons import screening as persons
from vigil.persons.index import index_for, sync
from vigil.persons.models import ScreenQuery
from vigil.runtime import open_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    store_arguments(parser)
    parser.add_argument("--travellers", type=int, default=1_500)
    parser.add_argument("--known", type=float, default=0.3, help="Share of known travellers.")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--answers", type=Path, help="Write every answer here (JSON).")
    parser.add_argument(
        "--data-dir", type=Path,
        help="The name index snapshot's folder (default: the store's). A checkout whose "
        "snapshot format differs needs its own, or each would rebuild the other's.",
    )  # fmt: skip
    args = parser.parse_args()
    found = loaded_store(args, args.data_dir)
    if found is None:
        return
    world, store = found
    emit(machine())
    emit({"code": persons.__file__})
    queries = [
        ScreenQuery(**screen_query(t))
        for t in travellers(world, args.others, args.travellers, args.known)
    ]
    url = f"sqlite:///{store}"
    actor, _ = frontline(url)
    db = open_database(url, serving=False)
    try:
        index = index_for(db)
        with db.engine.connect() as conn:
            sync(index, conn)  # from the snapshot
        if args.answers:
            answers = [_answer(index, actor, q) for q in queries]
            args.answers.write_text(json.dumps(answers, sort_keys=True, indent=0))
            emit({"answers": str(args.answers), "queries": len(answers)})
        rounds: dict[str, list[float]] = {"candidates": [], "rank": [], "both": []}
        for _ in range(args.rounds):
            spent = {"candidates": 0.0, "rank": 0.0}
            for query in queries:
                began = time.process_time()
                forms = persons.query_forms(index, query.name)
                shortlist = index.candidates(actor, forms, query.document_number)
                middle = time.process_time()
                persons.rank(shortlist, query, forms=forms)
                ended = time.process_time()
                spent["candidates"] += middle - began
                spent["rank"] += ended - middle
            for part, seconds in spent.items():
                rounds[part].append(seconds * 1e3 / len(queries))
            rounds["both"].append(rounds["candidates"][-1] + rounds["rank"][-1])
            emit({"round": {part: round(ms[-1], 3) for part, ms in rounds.items()}})
        if args.rounds:
            emit({"cpu_ms_per_query_median": {p: round(statistics.median(v), 3)
                                              for p, v in rounds.items()},
                  "queries": len(queries), "rounds": args.rounds})  # fmt: skip
    finally:
        db.close()


def _answer(index: Any, actor: Any, query: ScreenQuery) -> list[dict[str, Any]]:
    forms = persons.query_forms(index, query.name)
    shortlist = index.candidates(actor, forms, query.document_number)
    return [
        {
            "id": r.entry.id,
            "score": r.score,
            "matched": r.matched_name,
            "features": [[f.feature, f.weight, f.explanation] for f in r.features],
        }
        for r in persons.rank(shortlist, query, forms=forms)
    ]


if __name__ == "__main__":
    main()
