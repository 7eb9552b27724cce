"""Generating a world: chunks of humans and of document reports, built in worker processes
from their own seeds and written in order, so the output depends on the seed alone and memory
stays flat whatever the scale."""

from __future__ import annotations

import itertools
import multiprocessing
import os
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

import orjson

from vigil.world import documents
from vigil.world.flows import FlowTable, load_flows
from vigil.world.humans import TODAY, Human
from vigil.world.networks import build_chunk
from vigil.world.output import WorldWriter
from vigil.world.scale import Scale

PERSONS_PER_CHUNK = 5_000
REPORTS_PER_CHUNK = 25_000
# Each member state draws its ordinary document holders from a pool of this many names.
HOLDER_POOL = 300

Serialised = dict[str, tuple[bytes, int]]
Progress = Callable[[str, int], None]


@dataclass(frozen=True, slots=True)
class WorldSummary:
    out: Path
    seed: int
    scale: Scale
    counts: dict[str, int]


def generate(
    scale: Scale,
    seed: int,
    out: Path,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
) -> WorldSummary:
    """Write the world for ``scale`` and ``seed`` under ``out``; the same inputs, the same bytes."""
    out.mkdir(parents=True, exist_ok=True)
    processes = workers if workers is not None else min(2, os.cpu_count() or 1)
    with WorldWriter(out) as writer:
        human_chunks = _chunks(scale.persons, PERSONS_PER_CHUNK)
        for result in _run(_humans_chunk, [(seed, i, n) for i, n in human_chunks], processes):
            _write(writer, result, progress)
        remaining = max(0, scale.documents - writer.counts["documents"])
        report_chunks = _chunks(remaining, REPORTS_PER_CHUNK)
        for result in _run(_reports_chunk, [(seed, i, n) for i, n in report_chunks], processes):
            _write(writer, result, progress)
        counts = dict(writer.counts)
    summary = WorldSummary(out=out, seed=seed, scale=scale, counts=counts)
    manifest = {"seed": seed, "scale": scale.name, "now": TODAY.isoformat(), "counts": counts}
    (out / "world.json").write_bytes(orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
    return summary


def _chunks(total: int, size: int) -> list[tuple[int, int]]:
    return [(i, min(size, total - start)) for i, start in enumerate(range(0, total, size))]


def _run(
    work: Callable[[tuple[int, int, int]], Serialised],
    jobs: list[tuple[int, int, int]],
    processes: int,
) -> Iterator[Serialised]:
    if processes <= 1 or len(jobs) <= 1:
        yield from map(work, jobs)
        return
    # Fork keeps the loaded tables and name generators; imap keeps the chunks in order.
    context = multiprocessing.get_context("fork")
    with context.Pool(processes) as pool:
        yield from pool.imap(work, jobs, chunksize=1)


def _write(writer: WorldWriter, result: Serialised, progress: Progress | None) -> None:
    for kind, (data, count) in result.items():
        writer.write_raw(kind, data, count)
        if progress is not None:
            progress(kind, count)


def _serialise(rows: dict[str, list[dict[str, Any]]]) -> Serialised:
    option = orjson.OPT_APPEND_NEWLINE
    return {
        kind: (b"".join(orjson.dumps(r, option=option) for r in items), len(items))
        for kind, items in rows.items()
        if items
    }


@cache
def _flows() -> FlowTable:
    return load_flows()


def _humans_chunk(job: tuple[int, int, int]) -> Serialised:
    seed, index, persons = job
    return _serialise(build_chunk(seed, index, persons, _flows()).rows)


def _reports_chunk(job: tuple[int, int, int]) -> Serialised:
    """Reports of documents of ordinary holders (most of SLTD): lost, stolen, revoked."""
    seed, index, count = job
    rng = random.Random(f"{seed}:reports:{index}")
    states, weights = _issuing_weights()
    rows = []
    chosen = zip(
        rng.choices(states, cum_weights=weights, k=count),
        rng.choices(_KINDS, cum_weights=_KIND_CUMULATIVE, k=count),
        strict=True,
    )
    for n, (state, kind) in enumerate(chosen):
        ref = f"D{900_000 + index:07d}{n:06d}"
        if kind == "blank":
            rows.append(documents.blank_report(rng, state, ref=ref))
            continue
        holder = _holder(rng, seed, state)
        rows.append(documents.report(rng, documents.issue(rng, holder, kind), ref=ref))
    return _serialise({"documents": rows})


_KINDS = list(documents.DOCUMENT_TYPES)
_KIND_CUMULATIVE = list(itertools.accumulate(w for _, _, w in documents.DOCUMENT_TYPES.values()))


@cache
def _issuing_weights() -> tuple[list[str], list[float]]:
    # Countries whose citizens are often detected as victims also report more documents; every
    # member reports some.
    citizenships = dict(_flows().citizenships())
    states = sorted(set(citizenships) | set(_all_members()))
    total, cumulative = 0.0, []
    for state in states:
        total += 1.0 + citizenships.get(state, 0.0) / max(1.0, max(citizenships.values()) / 50)
        cumulative.append(total)
    return states, cumulative


def _all_members() -> Iterable[str]:
    from vigil.core.countries import members

    return [m.code for m in members() if m.kind == "country"]


def _holder(rng: random.Random, seed: int, state: str) -> Human:
    """An ordinary holder: a name from the state's pool, a fresh birth date."""
    name = rng.choice(_pool(seed, state))
    birth = TODAY - timedelta(days=rng.randint(1 * 365, 85 * 365))
    minor = (TODAY - birth).days < 18 * 365
    return Human("-", name, name.sex, birth, [state], "holder", minor=minor)


@cache
def _pool(seed: int, state: str) -> list[Any]:
    from vigil.world.names import draw_name

    rng = random.Random(f"{seed}:pool:{state}")
    return [draw_name(rng, state, rng.choice("MF")) for _ in range(HOLDER_POOL)]
