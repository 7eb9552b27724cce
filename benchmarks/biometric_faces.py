"""Face 1:N at scale: the project's exact index beside faiss HNSW and IVF (see biometrics.py)."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import faiss
import numpy as np

import biometric_synthetic as synthetic
from audit import emit
from measure import load, peak_mib, percentiles_ms, rss_mib

K = 10
# Index kinds, each with the search depths tried; "vigil" is the project's VectorIndex.
FACE_INDEXES: dict[str, tuple[str, list[int]]] = {
    "vigil": ("VectorIndex: IDMap2(IndexFlatL2)", [0]),
    "hnsw32": ("IndexHNSWFlat(M=32, efConstruction=40)", [16, 32, 64, 128, 256, 512]),
    "ivf4096": ("IndexIVFFlat(4096 lists)", [16, 64, 128, 256]),
    "ivf4096-sq8": ("IndexIVFScalarQuantizer(4096 lists, 8 bits)", [64, 256]),
}


def faces(args: argparse.Namespace) -> None:
    """Draw the gallery and probes once, find the exact answers, then one child per index."""
    started = time.perf_counter()
    model = synthetic.FaceModel(seed=7)
    gallery, probes, truth = synthetic.face_set(model, args.faces, args.face_queries, seed=11)
    drawn = time.perf_counter() - started
    exact = faiss.IndexFlatL2(synthetic.FACE_DIMENSIONS)
    exact.add(gallery)
    distances, nearest = exact.search(probes, K)
    mated = truth >= 0
    genuine = np.linalg.norm(probes[mated] - gallery[truth[mated]], axis=1)
    emit(
        {
            "faces_data": {
                "templates": args.faces,
                "probes": len(probes),
                "mated_probes": int(mated.sum()),
                "seconds_to_draw": round(drawn, 1),
                "genuine_distance_p5_p50_p95": np.percentile(genuine, [5, 50, 95])
                .round(3)
                .tolist(),
                "nearest_stranger_p1_p50_p99": np.percentile(
                    np.sqrt(distances[~mated, 0]), [1, 50, 99]
                )
                .round(3)
                .tolist(),
            }
        }
    )
    del exact
    with tempfile.TemporaryDirectory(prefix="vigil-faces-") as folder:
        np.save(Path(folder) / "gallery.npy", gallery)
        np.save(Path(folder) / "probes.npy", probes)
        np.save(Path(folder) / "truth.npy", truth)
        np.save(Path(folder) / "nearest.npy", nearest)
        del gallery
        context = multiprocessing.get_context("spawn")
        for kind in args.face_indexes:
            with ProcessPoolExecutor(1, mp_context=context) as child:
                for line in child.submit(_face_index, kind, folder).result():
                    emit({"faces": line})


def _face_index(kind: str, folder: str) -> list[dict[str, Any]]:
    """In a child process: build one index kind, then search every probe one at a time."""
    base = rss_mib()
    gallery = np.load(Path(folder) / "gallery.npy")
    probes = np.load(Path(folder) / "probes.npy")
    truth = np.load(Path(folder) / "truth.npy")
    nearest = np.load(Path(folder) / "nearest.npy")
    started = time.perf_counter()
    index, search = _built(kind, gallery)
    build = time.perf_counter() - started
    del gallery
    memory = rss_mib() - base
    label, depths = FACE_INDEXES[kind]
    # Searches run one thread each (a server answers many at once, and index.py says so); the
    # exact index is also timed with OpenMP's default, a thread per core.
    runs = [(depth, 1) for depth in depths]
    if kind == "vigil":
        runs.insert(0, (0, os.cpu_count() or 1))
    lines = []
    for depth, threads in runs:
        faiss.omp_set_num_threads(threads)
        found, spent, cpu = [], [], []
        for probe in probes:
            began, began_cpu = time.perf_counter(), time.process_time()
            found.append(search(probe, depth))
            spent.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
        lines.append(
            {
                "index": label,
                "depth": depth or None,
                "threads": threads,
                "templates": int(index.ntotal),
                "build_s": round(build, 1),
                "memory_mib": round(memory),
                "peak_mib": round(peak_mib()),
                **percentiles_ms(spent),
                **percentiles_ms(cpu, "cpu_"),
                **_quality(found, nearest, truth),
                "load": load(),
            }
        )
    return lines


def _built(kind: str, gallery: np.ndarray) -> tuple[Any, Any]:
    """The index and a function (probe, depth) -> (distances, ids) of its K nearest."""
    if kind == "vigil":
        return _vigil_index(gallery)
    dims = synthetic.FACE_DIMENSIONS
    if kind == "hnsw32":
        index = faiss.IndexHNSWFlat(dims, 32)
        index.hnsw.efConstruction = 40
        index.add(gallery)

        def hnsw(probe: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
            index.hnsw.efSearch = max(depth, K)
            d, i = index.search(probe[None, :], K)
            return d[0], i[0]

        return index, hnsw
    quantizer = faiss.IndexFlatL2(dims)
    if kind == "ivf4096":
        index = faiss.IndexIVFFlat(quantizer, dims, 4096)
    else:
        index = faiss.IndexIVFScalarQuantizer(quantizer, dims, 4096, faiss.ScalarQuantizer.QT_8bit)
    sample = np.random.default_rng(3).choice(
        len(gallery), size=min(160_000, len(gallery)), replace=False
    )
    index.train(gallery[np.sort(sample)])
    index.add(gallery)

    def ivf(probe: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
        index.nprobe = depth
        d, i = index.search(probe[None, :], K)
        return d[0], i[0]

    return index, ivf


def _vigil_index(gallery: np.ndarray) -> tuple[Any, Any]:
    """The project's face index, filled as a build from the store fills it (rows of bytes)."""
    from vigil.biometrics.index import VectorIndex
    from vigil.biometrics.models import Modality

    index = VectorIndex(Modality.FACE)
    for start in range(0, len(gallery), 5_000):
        index.put_many(
            [
                synthetic.Row(seq + 1, f"t{seq:07d}", f"p{seq:07d}", None, gallery[seq].tobytes())
                for seq in range(start, min(start + 5_000, len(gallery)))
            ]
        )

    def everyone(items: list[Any]) -> set[str]:
        return {item.person_id for item in items}

    def vigil(probe: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
        found = index.nearest(probe, K, everyone)
        distances = np.asarray([d for _, d in found])
        return distances**2, np.asarray([item.seq - 1 for item, _ in found])

    return index._index, vigil


def _quality(
    found: list[tuple[np.ndarray, np.ndarray]], nearest: np.ndarray, truth: np.ndarray
) -> dict[str, float]:
    """recall@10 against the exact answer; for mated probes, the mate first and within 0.6;
    for strangers, someone within 0.6 (a false candidate above the threshold)."""
    recall = np.mean(
        [len(set(ids) & set(exact)) / K for (_, ids), exact in zip(found, nearest, strict=True)]
    )
    first = [ids[0] == mate for (_, ids), mate in zip(found, truth, strict=True) if mate >= 0]
    under = [
        bool(d[0] < 0.36) for (d, _), mate in zip(found, truth, strict=True) if mate < 0
    ]  # 0.6 squared
    return {
        "recall_at_10": round(float(recall), 4),
        "mate_first": round(float(np.mean(first)), 4),
        "strangers_within_0_6": round(float(np.mean(under)), 4),
    }
