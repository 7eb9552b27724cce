"""Biometrics at scale: enrolment, face 1:N over a million templates, fingerprint 1:N over a
hundred thousand, each beside its baseline.

- enrol: ``service.enrol_face`` and ``service.enrol_fingerprint`` into a fresh SQLite store
  (one write unit of work each, as the API runs them), on the shared photos and prints;
  baseline: the extraction alone (``faces.one_face``, ``fingerprints.from_image``).
- faces: 1:N over synthetic dlib-like embeddings (``biometric_synthetic``): the project's
  ``VectorIndex`` (exact, faiss flat L2) beside faiss HNSW and IVF at several search depths;
  per query p50/p99, recall@10 against the exact answer, build time, resident memory. Each
  index is built in a child process of its own, so its memory is its own.
- fingers: 1:N over synthetic minutiae templates: the project's candidate stage (pair
  histograms in ``VectorIndex``, the ``FINGER_SHORTLIST`` re-ranked by bozorth3, the
  service's own ``_bozorth_ranked``) beside exhaustive bozorth3 against every template;
  p50/p99 and rank-1 accuracy of both, and how deep the mate sits in the candidate stage.

Reproduce (prints JSON lines; about 45 minutes on 2 quiet cores, most of it the HNSW build;
``--parts`` runs some):

    .venv/bin/python benchmarks/biometrics.py --faces 1000000 --fingers 100000

The shared data (``../shared/data``) is needed for enrol only; without it that part prints a
``skipped`` line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import faiss
import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from audit import emit, machine
from biometric_enrol import enrol
from biometric_faces import FACE_INDEXES, faces
from biometric_fingers import fingers
from measure import peak_mib

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", nargs="+", default=["enrol", "faces", "fingers"])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--rounds", type=int, default=3, help="Enrolment passes over the data.")
    parser.add_argument("--faces", type=int, default=1_000_000)
    parser.add_argument("--face-queries", type=int, default=1_000)
    parser.add_argument("--face-indexes", nargs="+", default=list(FACE_INDEXES))
    parser.add_argument("--fingers", type=int, default=100_000)
    parser.add_argument("--finger-queries", type=int, default=200)
    parser.add_argument(
        "--exhaustive-queries", type=int, default=10, help="Probes matched against every print."
    )
    parser.add_argument("--workers", type=int, default=2, help="Processes for exhaustive.")
    args = parser.parse_args()
    emit(
        {
            **machine(),
            "libraries": {
                "faiss": faiss.__version__,
                "faiss_threads": faiss.omp_get_max_threads(),
                "numpy": np.__version__,
            },
        }
    )
    if "enrol" in args.parts:
        enrol(args.data, args.rounds)
    if "faces" in args.parts:
        faces(args)
    if "fingers" in args.parts:
        fingers(args)
    emit({"memory": {"benchmark_peak_mib": round(peak_mib())}})


if __name__ == "__main__":
    main()
