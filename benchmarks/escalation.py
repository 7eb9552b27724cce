"""What sweeping a backlog of overdue hits does to the border checks meanwhile (issue 8).

An owner that does not answer its hits in time leaves them to escalate: each escalation writes
a message on the hit and alerts both members, in a writing transaction that holds the store's
single writer. Every border check waits for the group commit of its audit entry, so it waits
behind that transaction too. The server sweeps every ``HIT_ESCALATION_SECONDS``.

On a store loaded by ``benchmarks/screening.py``: hits are made by checking known travellers
(``--backlog`` of them), then the clock is set two hours on, so every open hit is overdue.
Each round, the hits are made unescalated again, clean travellers are checked in process at
``--rate`` a second from one thread, and one second in another thread sweeps the backlog:

- ``one transaction``: every overdue hit escalated in one writing unit of work (the sweep
  before commit ccbb367; ``escalate_due`` with a limit as large as the backlog);
- ``batches``: ``followup.sweep``, ``ESCALATION_BATCH`` hits a transaction.

The two alternate, so both see the same machine. The store keeps the hits each run makes, so
the backlog grows from one run to the next. Each line gives the checks' latency (from
when each was due) over the whole run and over those due while the sweep ran, and the sweep's
own time.

    .venv/bin/python benchmarks/screening.py --scale small --rounds 0 --rates --offline-runs 0
    .venv/bin/python benchmarks/escalation.py --scale small
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).parent))
from audit import emit, machine
from documents import percentiles
from screening import frontline, generate, load, travellers
from vigil import settings
from vigil.access.actors import Actor, operator
from vigil.core import clock
from vigil.runtime import open_database
from vigil.screening import check as checking
from vigil.screening import followup
from vigil.screening.models import TravellerIn
from vigil.storage.engine import Database
from vigil.storage.tables import hits
from vigil.storage.uow import UnitOfWork


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="small")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--world", type=Path)
    parser.add_argument("--others", type=Path, default=Path("var/bench/world-travellers"))
    parser.add_argument("--store", type=Path)
    parser.add_argument("--backlog", type=int, default=300, help="Overdue hits to sweep.")
    parser.add_argument("--rate", type=float, default=150, help="Checks a second meanwhile.")
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    world = args.world or Path(f"var/bench/world-{args.scale}")
    store = args.store or Path(f"var/bench/screening-{args.scale}.db")
    data_dir = store.with_name(f"{store.stem}-data").resolve()
    settings.DATA_DIR = data_dir
    emit(machine())
    generate(world, args.scale, args.seed)
    generate(args.others, "small", 99)
    if not store.exists():
        load(world, store, data_dir)
    url = f"sqlite:///{store}"
    actor, _ = frontline(url)
    known = [TravellerIn.model_validate(t) for t in travellers(world, args.others,
                                                                args.backlog, 1.0)]  # fmt: skip
    clean = [TravellerIn.model_validate(t) for t in travellers(world, args.others,
                                                                int(args.rate * args.seconds) * 2,
                                                                0.0)]  # fmt: skip
    db = open_database(url, serving=True)
    try:
        for traveller in known:  # the backlog, checked once (and the name index built)
            _check(db, actor, traveller)
        with clock.frozen_at(clock.now() + timedelta(hours=2)):
            overdue = _reopen(db)
            emit({"backlog": {"open_hits_overdue": overdue}})
            sides = ("one transaction", "batches")
            for turn in range(args.rounds):
                for side in sides if turn % 2 == 0 else sides[::-1]:
                    _reopen(db)
                    emit({"round": turn + 1, "side": side,
                          **_run(db, actor, clean, side, overdue, args)})  # fmt: skip
    finally:
        db.close()


def _check(db: Database, actor: Actor, traveller: TravellerIn) -> None:
    with UnitOfWork(db, write=False) as uow:
        checking.check(uow, actor=actor, traveller=traveller)


def _reopen(db: Database) -> int:
    """Every open hit unescalated again; how many are overdue."""
    with db.write_transaction() as conn:
        conn.execute(hits.update().where(hits.c.status == "open").values(escalated_at=None))
        return int(
            conn.execute(
                sa.select(sa.func.count()).where(
                    hits.c.status == "open", hits.c.deadline_at < clock.now()
                )
            ).scalar_one()
        )


def _run(db: Database, actor: Actor, clean: list[TravellerIn], side: str, overdue: int,
         args: Any) -> dict[str, Any]:  # fmt: skip
    """Checks at ``args.rate`` from this thread; the sweep one second in, in another."""
    swept: dict[str, float] = {}

    def sweep() -> None:
        time.sleep(1.0)
        swept["start"] = time.perf_counter()
        if side == "batches":
            done = followup.sweep(db)
        else:
            with UnitOfWork(db, write=True) as uow:
                done = followup.escalate_due(uow, actor=operator("bench"), limit=overdue)
        swept["end"] = time.perf_counter()
        swept["escalated"] = len(done)

    sweeper = threading.Thread(target=sweep)
    latencies: list[tuple[float, float]] = []  # (due, latency)
    start = time.perf_counter()
    sweeper.start()
    for i in range(int(args.rate * args.seconds)):
        due = start + i / args.rate
        time.sleep(max(0.0, due - time.perf_counter()))
        _check(db, actor, clean[i % len(clean)])
        latencies.append((due, time.perf_counter() - due))
    sweeper.join()
    during = [lat for due, lat in latencies if swept["start"] <= due <= swept["end"]]
    return {
        "escalated": int(swept["escalated"]),
        "sweep_ms": round((swept["end"] - swept["start"]) * 1e3, 1),
        "checks": {**percentiles([lat for _, lat in latencies]),
                   "max_ms": round(max(lat for _, lat in latencies) * 1e3, 2)},
        "checks_during_sweep": {
            "n": len(during),
            **(percentiles(during) if during else {}),
            "max_ms": round(max(during) * 1e3, 2) if during else None,
        },
    }  # fmt: skip


if __name__ == "__main__":
    main()
