"""Synthetic biometric templates for the 1:N benchmarks: face embeddings and fingerprint minutiae.

Neither is a face or a finger. They stand in for them where a million faces or a hundred thousand
prints cannot be had, and they are built to look like what the indexes really hold:

- *Face embeddings*: dlib's 128 numbers are not uniform noise. Each identity is a point drawn
  from a Gaussian with a decaying spectrum (a few directions carry most of the differences
  between people, as in real embeddings), and each photo of it adds a smaller Gaussian of its
  own (pose, light, age) in other directions. The two scales are set so that distances fall
  where dlib's do on the shared photos: the same person about 0.3-0.45 apart, two people about
  0.7-1.0 (``calibration`` prints both).
- *Fingerprint minutiae*: a finger is a pattern class (loop, whorl, arch) with an orientation
  field from its cores and deltas (the zero-pole model), and 40 to 75 minutiae spread over a
  300 x 400 pixel area at least 16 pixels apart, each pointing along the ridge flow. An
  impression of it is a partial window of the finger, rotated up to 20 degrees and moved, with
  its minutiae jittered, some missed and some spurious ones found, as an extractor would give.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

FACE_DIMENSIONS = 128
# Targets from the shared photos (dlib ResNet, 5-point alignment): medians of the genuine and
# impostor distances.
GENUINE_MEDIAN = 0.39
IMPOSTOR_MEDIAN = 0.86
_BETWEEN_DECAY = 0.6  # eigenvalues of the identity spread fall as i**-0.6
_WITHIN_DECAY = 0.3


class FaceModel:
    """Where synthetic identities and their photos are drawn from (seeded, reproducible)."""

    def __init__(self, seed: int = 7, mean: np.ndarray | None = None) -> None:
        rng = np.random.default_rng(seed)
        dims = np.arange(1, FACE_DIMENSIONS + 1, dtype=np.float64)
        between = dims**-_BETWEEN_DECAY
        within = dims**-_WITHIN_DECAY
        # Genuine: d^2 = 2 tr(W). Impostor: d^2 = 2 tr(B) + 2 tr(W).
        within *= (GENUINE_MEDIAN**2 / 2) / within.sum()
        between *= ((IMPOSTOR_MEDIAN**2 - GENUINE_MEDIAN**2) / 2) / between.sum()
        self._between = (_rotation(rng) * np.sqrt(between)).astype(np.float32)
        self._within = (_rotation(rng) * np.sqrt(within)).astype(np.float32)
        self.mean = (
            np.zeros(FACE_DIMENSIONS, dtype=np.float32) if mean is None else mean.astype(np.float32)
        )

    def identities(self, count: int, rng: np.random.Generator) -> np.ndarray:
        z = rng.standard_normal((count, FACE_DIMENSIONS), dtype=np.float32)
        return z @ self._between.T + self.mean

    def photos(self, identities: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One photo of each identity (its centre plus this photo's own variation)."""
        z = rng.standard_normal(identities.shape, dtype=np.float32)
        return identities + z @ self._within.T


def _rotation(rng: np.random.Generator) -> np.ndarray:
    q, r = np.linalg.qr(rng.standard_normal((FACE_DIMENSIONS, FACE_DIMENSIONS)))
    return q * np.sign(np.diag(r))


def face_set(
    model: FaceModel, count: int, queries: int, seed: int, chunk: int = 100_000
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A gallery of ``count`` photos, one per identity, and ``queries`` probes: half other
    photos of enrolled identities, half strangers. Returns the gallery, the probes and each
    probe's gallery row (-1 for a stranger); float32, drawn chunk by chunk."""
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(count, size=queries // 2, replace=False))
    gallery = np.empty((count, FACE_DIMENSIONS), dtype=np.float32)
    mated = np.empty((len(rows), FACE_DIMENSIONS), dtype=np.float32)
    for start in range(0, count, chunk):
        drawn = np.random.default_rng([seed, start])
        centres = model.identities(min(chunk, count - start), drawn)
        gallery[start : start + len(centres)] = model.photos(centres, drawn)
        here = np.nonzero((rows >= start) & (rows < start + len(centres)))[0]
        mated[here] = model.photos(centres[rows[here] - start], drawn)
    strangers = model.photos(model.identities(queries - len(rows), rng), rng)
    truth = np.concatenate([rows, np.full(len(strangers), -1)])
    return gallery, np.vstack([mated, strangers]), truth


# ---- fingerprints -----------------------------------------------------------------------------

WIDTH, HEIGHT = 300, 400
_SPACING = 16.0  # pixels between two minutiae at least (ridges are ~9 px apart at 500 ppi)
STRETCH = 0.01
JITTER = 1.0  # pixels
ANGLE_JITTER = 3.0  # degrees
KEEP = (0.8, 1.0)  # the window's sides, as a share of the finger's
MISSED = (0.05, 0.15)
SPURIOUS = 0.15
TURN = 10.0  # degrees each way: two impressions differ by up to 20


def finger(rng: np.random.Generator) -> np.ndarray:
    """A finger's minutiae: rows of (x, y, angle in degrees, kind 1 ending / 2 bifurcation)."""
    cores, deltas, turn = _pattern(rng)
    count = int(rng.integers(40, 76))
    points = _spread(rng, count)
    flow = _orientation(points, cores, deltas, turn)
    # A minutia points along the ridge, one way or the other.
    way = 180.0 * rng.integers(0, 2, len(points))
    angles = np.degrees(flow) + way + rng.normal(0, 5, len(points))
    kinds = rng.integers(1, 3, len(points))
    return np.column_stack([points, np.mod(angles, 360.0), kinds]).astype(np.float32)


def impression(master: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One impression of a finger, as an extractor would report it."""
    # A partial window: 75-100 % of each side, placed anywhere on the finger.
    w, h = WIDTH * rng.uniform(*KEEP), HEIGHT * rng.uniform(*KEEP)
    x0, y0 = rng.uniform(0, WIDTH - w), rng.uniform(0, HEIGHT - h)
    xy, angle, kind = master[:, :2].astype(np.float64), master[:, 2].astype(float), master[:, 3]
    inside = (xy[:, 0] >= x0) & (xy[:, 0] < x0 + w) & (xy[:, 1] >= y0) & (xy[:, 1] < y0 + h)
    kept = inside & (rng.random(len(master)) > rng.uniform(*MISSED))
    xy, angle, kind = xy[kept], angle[kept], kind[kept]
    # Skin stretches smoothly (about 1 %), and the extractor places each minutia within a
    # pixel or two.
    centre = np.array([x0 + w / 2, y0 + h / 2])
    stretch = np.eye(2) + rng.normal(0, STRETCH, (2, 2))
    xy = (xy - centre) @ stretch.T + centre + rng.normal(0, JITTER, xy.shape)
    angle = angle + rng.normal(0, ANGLE_JITTER, len(angle))
    spurious = int(rng.integers(0, max(1, int(SPURIOUS * len(xy))) + 1))
    extra = np.column_stack([rng.uniform(x0, x0 + w, spurious), rng.uniform(y0, y0 + h, spurious)])
    xy = np.vstack([xy, extra])
    angle = np.concatenate([angle, rng.uniform(0, 360, spurious)])
    kind = np.concatenate([kind, rng.integers(1, 3, spurious)])
    # Placed on the scanner: rotated about the window's centre, then moved.
    phi = math.radians(rng.uniform(-TURN, TURN))
    rot = np.array([[math.cos(phi), -math.sin(phi)], [math.sin(phi), math.cos(phi)]])
    xy = (xy - centre) @ rot.T + centre + rng.uniform(-25, 25, 2)
    # Image coordinates have y downwards: turning the points by phi turns the angles (counted
    # anticlockwise, ISO/IEC 19794-2) by -phi.
    angle = angle - math.degrees(phi)
    xy = xy - xy.min(axis=0) + 20.0  # inside the image, with a margin
    order = rng.permutation(len(xy))
    return np.column_stack([xy, np.mod(angle, 360.0), kind])[order].astype(np.float32)


def _pattern(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, float]:
    """Cores, deltas and an overall turn of a finger: loops 65 %, whorls 30 %, arches 5 %."""
    cx, cy = WIDTH / 2 + rng.normal(0, 20), HEIGHT * 0.45 + rng.normal(0, 25)
    draw = rng.random()
    side = 1 if rng.random() < 0.5 else -1
    if draw < 0.65:  # loop: one core, one delta below and to one side
        cores = np.array([[cx, cy]])
        deltas = np.array([[cx + side * rng.uniform(60, 110), cy + rng.uniform(90, 150)]])
    elif draw < 0.95:  # whorl: two cores close together, a delta on each side
        cores = np.array([[cx - 12, cy], [cx + 12, cy + rng.normal(0, 8)]])
        deltas = np.array(
            [[cx - rng.uniform(80, 120), cy + 130], [cx + rng.uniform(80, 120), cy + 130]]
        )
    else:  # arch: a core and a delta almost on top of each other (a gentle bump)
        cores = np.array([[cx, cy]])
        deltas = np.array([[cx, cy + rng.uniform(15, 30)]])
    return cores, deltas, float(rng.normal(0, 0.15))


def _orientation(
    points: np.ndarray, cores: np.ndarray, deltas: np.ndarray, turn: float
) -> np.ndarray:
    """Ridge orientation (radians) at the points: the zero-pole model."""
    z = points[:, 0] + 1j * points[:, 1]
    field = np.zeros(len(points))
    for c in cores:
        field += np.angle(z - complex(*c))
    for d in deltas:
        field -= np.angle(z - complex(*d))
    return field / 2 + turn


def _spread(rng: np.random.Generator, count: int) -> np.ndarray:
    """Up to ``count`` points in the finger's ellipse, no two closer than ``_SPACING``
    (random sequential placement)."""
    points = rng.uniform((0.0, 0.0), (WIDTH, HEIGHT), (count * 4, 2))
    half = np.array([WIDTH / 2, HEIGHT / 2])
    points = points[(((points - half) / half) ** 2).sum(axis=1) <= 1]
    close = ((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2) < _SPACING**2
    blocked = np.zeros(len(points), dtype=bool)
    taken: list[int] = []
    for i in range(len(points)):
        if blocked[i]:
            continue
        taken.append(i)
        if len(taken) == count:
            break
        blocked |= close[i]
    return points[taken]


@dataclass(slots=True)
class Row:
    """A template row as ``store.iter_rows`` gives it to ``VectorIndex.put_many``."""

    seq: int
    id: str
    person_id: str
    finger: int | None
    data: bytes
