"""CPU per traveller check in process, with the candidates a screening cannot show dropped
unweighed (``persons.screening.could_show``), and with every candidate weighed in full as
before, side by side in one process on one store (issue 8).

On the store of ``benchmarks/screening.py`` (its travellers, the same seed): blocks of
``--block`` checks, the two sides alternating, each traveller checked once (fresh names, as
border traffic). Prints the median CPU ms per check of each side, and every block's.

    .venv/bin/python benchmarks/screening.py --scale medium --profile     # loads the store once
    .venv/bin/python benchmarks/screening_bound.py --scale medium
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from audit import emit, machine
from screening import frontline, loaded_store, store_arguments, travellers
from vigil.persons import screening as persons_screening
from vigil.persons.index import index_for, sync
from vigil.runtime import open_database
from vigil.screening import check as checking
from vigil.screening.models import TravellerIn
from vigil.storage.uow import UnitOfWork


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    store_arguments(parser, scale="medium")
    parser.add_argument("--block", type=int, default=500)
    parser.add_argument("--blocks", type=int, default=8, help="Blocks per side.")
    args = parser.parse_args()
    found = loaded_store(args)
    if found is None:
        return
    world, store = found
    emit(machine())
    chosen = travellers(world, args.others, 2 * args.block * args.blocks, 0.03)
    models = [TravellerIn.model_validate(t) for t in chosen]
    url = f"sqlite:///{store}"
    actor, _ = frontline(url)
    db = open_database(url, serving=True)
    bound = persons_screening.could_show
    spent: dict[str, list[float]] = {"bound": [], "weighed in full": []}
    try:
        with db.engine.connect() as conn:
            sync(index_for(db), conn)  # the name index, from its snapshot
        done = 0
        for block in range(args.blocks):
            sides = ["bound", "weighed in full"]
            for side in sides if block % 2 == 0 else sides[::-1]:
                persons_screening.could_show = bound if side == "bound" else _always  # type: ignore[assignment]
                began = time.process_time()
                for traveller in models[done : done + args.block]:
                    with UnitOfWork(db, write=False) as uow:
                        checking.check(uow, actor=actor, traveller=traveller)
                spent[side].append((time.process_time() - began) * 1e3 / args.block)
                done += args.block
    finally:
        persons_screening.could_show = bound  # type: ignore[assignment]
        db.close()
    for side, blocks in spent.items():
        emit({"side": side, "checks": args.block * args.blocks,
              "cpu_ms_per_check_median": round(statistics.median(blocks), 3),
              "blocks": [round(b, 2) for b in blocks]})  # fmt: skip
    ratio = statistics.median(spent["bound"]) / statistics.median(spent["weighed in full"])
    emit({"median_ratio_bound_over_full": round(ratio, 3)})


def _always(*_: object) -> bool:
    return True


if __name__ == "__main__":
    main()
