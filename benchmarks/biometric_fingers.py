"""Fingerprint 1:N at scale: the candidate stage and bozorth3, beside exhaustive bozorth3 (see
biometrics.py)."""

from __future__ import annotations

import argparse
import pickle
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import faiss
import numpy as np

import biometric_synthetic as synthetic
from audit import emit
from measure import load, peak_mib, percentiles_ms, rss_mib
from vigil.biometrics import descriptors, fingerprints
from vigil.biometrics.index import FINGER_SHORTLIST, Item, VectorIndex
from vigil.biometrics.models import Modality
from vigil.biometrics.service import _bozorth_ranked

DEPTHS = [1, 10, 50, 200, 1000, 2000]
_CHUNK = 5_000


def fingers(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    rows, probes, mates = drawn(args.fingers, args.finger_queries, seed=21, workers=args.workers)
    counts = [len(p.minutiae) for p in probes]
    emit(
        {
            "fingers_data": {
                "templates": len(rows),
                "probes": len(probes),
                "seconds_to_draw": round(time.perf_counter() - started, 1),
                "probe_minutiae_p5_p50_p95": np.percentile(counts, [5, 50, 95]).tolist(),
                "descriptor_dimensions": descriptors.DIMENSIONS,
                **_one_to_one(rows, probes, mates),
            }
        }
    )
    index = _index(rows)
    faiss.omp_set_num_threads(1)  # one thread per search, as for faces
    candidate = [
        _search(index, probe, mate, threads=i < 20)
        for i, (probe, mate) in enumerate(zip(probes, mates, strict=True))
    ]
    emit({"fingers": _candidate_summary(candidate)})
    if args.exhaustive_queries:
        chosen = list(range(min(args.exhaustive_queries, len(probes))))
        exhaustive = _exhaustive(rows, [probes[i] for i in chosen], args.workers)
        for i, found in zip(chosen, exhaustive, strict=True):
            found["first"] = found["first_row"] == mates[i] and found["ties"] == 1
        line = _exhaustive_summary(exhaustive)
        same = [candidate[i] for i in chosen]
        line["candidate_stage_on_the_same_probes"] = _candidate_summary(same)
        line["ratio_exhaustive_to_candidate_cpu_p50"] = round(
            float(np.median([e["seconds"] for e in exhaustive]))
            / float(np.median([c["cpu_seconds"] for c in same])),
            1,
        )
        emit({"fingers": line})


def drawn(
    count: int, queries: int, seed: int, workers: int
) -> tuple[list[synthetic.Row], list[fingerprints.Print], list[int]]:
    """The gallery (one impression of each of ``count`` fingers, as ISO/IEC 19794-2 rows),
    and ``queries`` other impressions of fingers in it with their gallery rows."""
    starts = list(range(0, count, _CHUNK))
    with ProcessPoolExecutor(workers) as pool:
        chunks = list(pool.map(_chunk, [(seed, s, min(_CHUNK, count - s)) for s in starts]))
    rows = [row for chunk, _ in chunks for row in chunk]
    rng = np.random.default_rng(seed)
    mates = sorted(int(r) for r in rng.choice(count, size=queries, replace=False))
    masters = {start: masters for (_, masters), start in zip(chunks, starts, strict=True)}
    probes = []
    for mate in mates:
        master = masters[mate - mate % _CHUNK][mate % _CHUNK]
        probes.append(_print(synthetic.impression(master, rng)))
    return rows, probes, mates


def _chunk(job: tuple[int, int, int]) -> tuple[list[synthetic.Row], list[np.ndarray]]:
    seed, start, size = job
    rng = np.random.default_rng([seed, start])
    masters = [synthetic.finger(rng) for _ in range(size)]
    rows = [
        synthetic.Row(
            start + i + 1, f"t{start + i:07d}", f"p{start + i:07d}", 2,
            fingerprints.template_bytes(_print(synthetic.impression(m, rng)), 2),
        )
        for i, m in enumerate(masters)
    ]  # fmt: skip
    return rows, masters


def _print(minutiae: np.ndarray) -> fingerprints.Print:
    width, height = (int(v) + 20 for v in minutiae[:, :2].max(axis=0))
    return fingerprints.Print(width, height, minutiae[:255])


def _one_to_one(
    rows: list[synthetic.Row], probes: list[fingerprints.Print], mates: list[int]
) -> dict[str, Any]:
    """bozorth3 1:1 on the synthetic set: each probe against its mate and five strangers."""
    genuine, impostor = [], []
    for probe, mate in zip(probes, mates, strict=True):
        ready = fingerprints.matcher(probe)
        genuine.append(fingerprints.score(ready, _matcher(rows[mate])))
        for other in range(mate + 1, mate + 6):
            impostor.append(fingerprints.score(ready, _matcher(rows[other % len(rows)])))
    return {
        "genuine_score_p5_p50_p95": np.percentile(genuine, [5, 50, 95]).tolist(),
        "fnmr_at_40": round(float(np.mean(np.asarray(genuine) < fingerprints.MATCH_SCORE)), 3),
        "impostor_score_p99_max": [float(np.percentile(impostor, 99)), max(impostor)],
    }


def _matcher(row: synthetic.Row) -> Any:
    return fingerprints.matcher(fingerprints.from_template(row.data))


def _index(rows: list[synthetic.Row]) -> VectorIndex:
    """The project's finger index, filled in batches as a build from the store fills it."""
    base = rss_mib()
    started = time.perf_counter()
    index = VectorIndex(Modality.FINGER)
    for start in range(0, len(rows), _CHUNK):
        index.put_many(rows[start : start + _CHUNK])
    seconds = time.perf_counter() - started
    emit(
        {
            "fingers_index": {
                "templates": len(index),
                "build_s": round(seconds, 1),
                "templates_per_s": round(len(index) / seconds),
                "load": load(),
                "memory_added_mib": round(rss_mib() - base),
            }
        }
    )
    return index


def _everyone(items: list[Item]) -> set[str]:
    return {item.person_id for item in items}


def _search(
    index: VectorIndex, probe: fingerprints.Print, mate: int, threads: bool
) -> dict[str, Any]:
    """One search as ``service.search_fingerprints`` runs it, timed by stage, and where the
    mate stands in the candidate stage (its rank among the descriptors, exactly)."""
    person = f"p{mate:07d}"
    began, began_cpu = time.perf_counter(), time.process_time()
    vector = descriptors.descriptor(probe.minutiae)
    described = time.perf_counter()
    shortlist = index.nearest(vector, FINGER_SHORTLIST, _everyone)
    listed = time.perf_counter()
    ranked = _bozorth_ranked(index, probe, [item for item, _ in shortlist])
    done, cpu = time.perf_counter(), time.process_time() - began_cpu
    _, ids = index._index.search(vector[None, :], max(DEPTHS))
    where = np.nonzero(ids[0] == mate + 1)[0]
    items = [item for item, _ in shortlist]
    threaded = _rerank_in_threads(index, probe, items) if threads else None
    return {
        "seconds": done - began,
        "cpu_seconds": cpu,
        "descriptor": described - began,
        "faiss": listed - described,
        "bozorth3": done - listed,
        "bozorth3_in_two_threads": threaded,
        "first": bool(ranked) and ranked[0][0].person_id == person,
        "mate_rank": int(where[0]) + 1 if len(where) else None,
    }


def _rerank_in_threads(index: VectorIndex, probe: fingerprints.Print, items: list[Item]) -> float:
    """The re-ranking again, its bozorth3 calls spread over two threads (does nbis-py let go
    of the GIL?)."""
    started = time.perf_counter()
    ready = fingerprints.matcher(probe)
    others = [fingerprints.matcher(found) for found in index.prints(items)]
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda other: fingerprints.score(ready, other), others))
    return time.perf_counter() - started


def _exhaustive(
    rows: list[synthetic.Row], probes: list[fingerprints.Print], workers: int
) -> list[dict[str, Any]]:
    """Every probe against every template, the gallery split between ``workers`` processes
    (each holds its part ready for bozorth3, as an exhaustive matcher would)."""
    with tempfile.TemporaryDirectory(prefix="vigil-fingers-") as folder:
        path = Path(folder) / "gallery.pickle"
        with path.open("wb") as handle:
            pickle.dump(([r.data for r in rows], [p.minutiae for p in probes]), handle)
        parts = [(str(path), part, workers) for part in range(workers)]
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_exhaustive_part, parts))
    emit(
        {
            "fingers_exhaustive_workers": [
                {k: v for k, v in r.items() if k != "probes"} for r in results
            ]
        }
    )
    found = []
    for i in range(len(probes)):
        parts_of = [r["probes"][i] for r in results]
        best = max(parts_of, key=lambda p: p["best"])
        found.append(
            {
                "seconds": sum(p["seconds"] for p in parts_of),
                "wall_seconds": max(p["seconds"] for p in parts_of),
                "first_row": best["row"],
                "ties": sum(p["ties_at_best"] for p in parts_of if p["best"] == best["best"]),
            }
        )
    return found


def _exhaustive_part(job: tuple[str, int, int]) -> dict[str, Any]:
    path, part, parts = job
    base = rss_mib()
    with open(path, "rb") as handle:
        data, probes = pickle.load(handle)  # noqa: S301 - written by this run
    started = time.perf_counter()
    mine = range(part, len(data), parts)
    ready = [fingerprints.matcher(fingerprints.from_template(data[row])) for row in mine]
    prepared = time.perf_counter() - started
    del data
    memory = rss_mib() - base
    answers = []
    for minutiae in probes:
        began = time.process_time()
        probe = fingerprints.matcher(_print(minutiae))
        scores = np.asarray([fingerprints.score(probe, other) for other in ready])
        best = int(scores.max())
        answers.append(
            {
                "seconds": time.process_time() - began,
                "best": best,
                "row": mine[int(scores.argmax())],
                "ties_at_best": int((scores == best).sum()),
            }
        )
    return {
        "part": part,
        "templates": len(ready),
        "prepare_s": round(prepared, 1),
        "memory_mib": round(memory),
        "peak_mib": round(peak_mib()),
        "probes": answers,
    }


def _candidate_summary(found: list[dict[str, Any]]) -> dict[str, Any]:
    line: dict[str, Any] = {"what": "candidate stage + bozorth3", "probes": len(found)}
    line["load"] = load()
    line |= percentiles_ms([f["seconds"] for f in found])
    line |= percentiles_ms([f["cpu_seconds"] for f in found], "cpu_")
    line["rank_1"] = round(float(np.mean([f["first"] for f in found])), 3)
    for stage in ("descriptor", "faiss", "bozorth3", "bozorth3_in_two_threads"):
        values = [f[stage] for f in found if f[stage] is not None]
        if values:
            line[f"{stage}_p50_ms"] = round(float(np.median(values)) * 1e3, 2)
    ranks = [f["mate_rank"] for f in found]
    line["mate_within"] = {
        str(d): round(float(np.mean([r is not None and r <= d for r in ranks])), 3) for d in DEPTHS
    }
    return line


def _exhaustive_summary(found: list[dict[str, Any]]) -> dict[str, Any]:
    """Per probe: the CPU time of every comparison (one core), and the CPU time of the
    slower worker (the wall time on a quiet machine, the gallery split between workers)."""
    line: dict[str, Any] = {"what": "exhaustive bozorth3", "probes": len(found)}
    line["load"] = load()
    line |= percentiles_ms([f["seconds"] for f in found], "cpu_")
    line["split_p50_ms"] = round(float(np.median([f["wall_seconds"] for f in found])) * 1e3)
    line["rank_1"] = round(float(np.mean([f["first"] for f in found])), 3)
    line["ties_at_first"] = sum(f["ties"] > 1 for f in found)
    return line
