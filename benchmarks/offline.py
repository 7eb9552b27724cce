"""Offline screening packages at a national scale (issue 8): export, size, load at the border
post, its memory, and document checks against the copy. Beside it, in the same run, the
former format (format 1: the reports as JSON, held at the post as a dict of tuples), built
from the same reports.

It needs a store holding many document reports, such as the one ``benchmarks/documents.py``
loads (the medium world's 10M reports, each one visible to every member). Each side is loaded
in a process of its own, so that its memory is its own:

    .venv/bin/python benchmarks/offline.py --store var/bench/documents.db --member FRA

Prints JSON lines.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from audit import emit, machine
from measure import own_peak_mib, peak_mib, percentiles_ms, rss_mib
from vigil import settings
from vigil.access import service as access
from vigil.access.actors import operator
from vigil.access.roles import Role
from vigil.documents import service as documents
from vigil.documents.keys import ocr_key
from vigil.runtime import open_database
from vigil.screening import offline
from vigil.screening.models import TravellerIn
from vigil.storage.uow import UnitOfWork

_CONFUSE = str.maketrans("01258", "OIZSB")


def export(store: Path, member: str, folder: Path, checks: int) -> dict[str, Any]:
    """Export the member's package and the former format's file; choose the documents to check."""
    db = open_database(f"sqlite:///{store}", serving=False)
    try:
        with UnitOfWork(db, write=True) as uow:
            made = access.add_user(uow, actor=operator("bench"), member=member, role=Role.NCB,
                                   name="bench offline")  # fmt: skip
        with UnitOfWork(db, write=False) as uow:
            ncb = access.authenticate_token(uow, made.token)
        before = rss_mib()
        started = time.perf_counter()
        with UnitOfWork(db, write=True) as uow:
            exported = offline.export(uow, actor=ncb)
        seconds = time.perf_counter() - started
        emit({"export": {"format": 2, "records": exported.records, "seconds": round(seconds, 1),
                         "mib": round(len(exported.content) / 2**20, 1),
                         "process_peak_mib": round(peak_mib()),
                         "rss_before_mib": round(before)}})  # fmt: skip
        package = folder / f"offline-{member}.package"
        package.write_bytes(exported.content)
        key, full_id = made_key(exported), exported.id
        del exported
        # A refresh with nothing changed: the increment still lists every report that stands,
        # which is its largest part, and the post checks its whole copy against that list.
        started = time.perf_counter()
        with UnitOfWork(db, write=True) as uow:
            refreshed = offline.export(uow, actor=ncb, base_id=full_id)
        emit({"export": {"format": 2, "kind": "increment", "records": refreshed.records,
                         "seconds": round(time.perf_counter() - started, 1),
                         "mib": round(len(refreshed.content) / 2**20, 1)}})  # fmt: skip
        increment = folder / f"offline-{member}.increment"
        increment.write_bytes(refreshed.content)
        del refreshed
        rng = random.Random(7)
        rows: list[tuple[str, ...]] = []
        sample: list[tuple[str, ...]] = []
        with UnitOfWork(db, write=False) as uow:
            for seen, row in enumerate(documents.offline_reports(uow, actor=ncb)):
                rows.append(row[:7])
                if len(sample) < checks:  # a uniform sample of `checks` reports (reservoir)
                    sample.append(row)
                elif (slot := rng.randrange(seen + 1)) < checks:
                    sample[slot] = row
        started = time.perf_counter()
        former = folder / f"offline-{member}.format1"
        former.write_bytes(zlib.compress(json.dumps({"documents": rows}, separators=(",", ":"))
                                         .encode(), 6))  # fmt: skip
        emit({"export": {"format": 1, "records": len(rows),
                         "seconds_json_and_zlib": round(time.perf_counter() - started, 1),
                         "mib": round(former.stat().st_size / 2**20, 1)}})  # fmt: skip
        del rows
    finally:
        db.close()
    asked = []
    for _, _, state, _, _, number, *_ in sample:
        asked.append({"kind": "hit", "number": number, "state": state})
        asked.append({"kind": "possible", "number": number.translate(_CONFUSE), "state": state})
        asked.append({"kind": "none", "number": f"QX{rng.randrange(10**8):08d}", "state": state})
    rng.shuffle(asked)
    return {"package": str(package), "increment": str(increment), "former": str(former), "key": key,
            "asked": asked}  # fmt: skip


def made_key(exported: offline.Exported) -> str:
    assert exported.key is not None, "a full package shows its key"
    return exported.key


def child(side: str, paths: list[Path], key: str, asked: list[dict[str, str]]) -> dict[str, Any]:
    """Load one side in this process and check its documents (run as a child)."""
    before = rss_mib()
    started = time.perf_counter()
    find: Callable[[str, str], Sequence[Any]]
    if side.startswith("format2"):
        copy = offline.load([p.read_bytes() for p in paths], key)
        find = copy.documents.find
    else:  # what format 1's load did with the payload
        payload = json.loads(zlib.decompress(paths[0].read_bytes()))
        by_key: dict[tuple[str, str], list[tuple[str, ...]]] = {}
        for report in payload["documents"]:
            by_key.setdefault((report[6], report[2]), []).append(tuple(report))
        del payload

        def find(state: str, ocr: str) -> Sequence[Any]:
            return by_key.get((ocr, state), [])

    load_seconds = time.perf_counter() - started
    held = rss_mib()
    spent: dict[str, list[float]] = {}
    found: dict[str, int] = {}
    for one in asked:
        ocr = ocr_key(one["number"])
        started = time.perf_counter()
        reports = find(one["state"], ocr)
        spent.setdefault(one["kind"], []).append(time.perf_counter() - started)
        found[one["kind"]] = found.get(one["kind"], 0) + bool(reports)
    result = {
        "side": side, "load_seconds": round(load_seconds, 1),
        "memory_added_mib": round(held - before), "process_peak_mib": round(own_peak_mib()),
        "lookup": {kind: {**percentiles_ms(s), "found": found[kind], "n": len(s)}
                   for kind, s in spent.items()},
    }  # fmt: skip
    if side.startswith("format2"):  # the whole offline check, as `vigil screen --offline`
        travellers = [
            TravellerIn.model_validate(
                {"document": {"number": one["number"], "issuing_state": one["state"]}}
            )
            for one in asked
        ]
        for traveller in travellers[:100]:  # warm up
            offline.check(copy, traveller, member=copy.member)
        checked = []
        for traveller in travellers:
            started = time.perf_counter()
            offline.check(copy, traveller, member=copy.member)
            checked.append(time.perf_counter() - started)
        result["offline_check"] = percentiles_ms(checked)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=Path("var/bench/documents.db"))
    parser.add_argument("--member", default="FRA")
    parser.add_argument("--checks", type=int, default=3_000, help="Of each kind.")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--job", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    folder = args.store.with_name(f"{args.store.stem}-offline").resolve()
    settings.DATA_DIR = folder  # the signing key, shared with the children
    if args.child:
        job = json.loads(args.job.read_text())
        paths = {
            "format1": [job["former"]],
            "format2": [job["package"]],
            "format2+increment": [job["package"], job["increment"]],
        }[args.child]
        emit({"load": child(args.child, [Path(p) for p in paths], job["key"], job["asked"])})
        return
    if not args.store.exists():
        emit({"skipped": f"no store at {args.store}: run benchmarks/documents.py first"})
        return
    emit(machine())
    folder.mkdir(parents=True, exist_ok=True)
    job = export(args.store, args.member, folder, args.checks)
    job_file = folder / "job.json"
    job_file.write_text(json.dumps(job))
    for side in ("format1", "format2", "format2+increment"):
        done = subprocess.run(
            [sys.executable, __file__, "--store", str(args.store), "--child", side,
             "--job", str(job_file)],
            capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0:
            emit({"load": {"side": side, "failed": done.stderr[-800:]}})
        else:
            print(done.stdout, end="", flush=True)


if __name__ == "__main__":
    main()
